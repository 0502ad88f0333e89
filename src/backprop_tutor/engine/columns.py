"""A recorded column read for print: each distinct number once, and which one every step holds.

A settled run repeats its numbers (lesson08's float32 w reads 1.0000029 from update 660 on), so a
column of 100,000 states may hold a few hundred numbers: converting and formatting each of them
once, then spreading the texts back over the steps, gives the same text as doing it step by step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Column:
    """Steps 0..n of one recorded quantity: its distinct values and, per step, which one it holds."""

    values: Sequence[Any]
    """The distinct values, as a `State` holds them (a float32 as its shortest decimal)."""
    index: np.ndarray
    """For each step, the position of its value in `values`."""

    def __len__(self) -> int:
        """How many steps the column covers."""
        return len(self.index)

    def each(self, many: Callable[[Sequence[Any]], Sequence[T]]) -> list[T]:
        """`many(values)` spread back over the steps: a formatter called once on the distinct values."""
        return self.spread(many(self.values))

    def spread(self, shown: Sequence[T]) -> list[T]:
        """`shown[i]` (what stands for `values[i]`) at every step that holds `values[i]`."""
        table = np.empty(len(self.values), dtype=object)
        table[:] = shown
        return table[self.index].tolist()

    def tolist(self) -> list[Any]:
        """The value at every step."""
        return self.spread(self.values)


def read_numbers(values: np.ndarray) -> Column:
    """A float32 or float64 column: the distinct values by their bits (so -0.0 and 0.0, or two
    NaNs, stay apart), each as the Python float a `State` holds.

    float64 values are themselves; a float32 becomes the shortest decimal that reads back as the
    same float32 (`Trace._number`: 2.96, not 2.9600000381469727), converted in C, once per value.
    """
    bits = values.view(np.uint32 if values.dtype == np.float32 else np.uint64)
    # Runs of one value (a stalled run's thousands of states) are found first, so that only
    # their first values are sorted.
    starts = np.flatnonzero(np.concatenate((bits[:1] == bits[:1], bits[1:] != bits[:-1])))
    distinct, first_index = np.unique(bits[starts], return_inverse=True)
    index = np.repeat(first_index, np.diff(np.append(starts, len(bits))))
    numbers = distinct.view(values.dtype)
    if values.dtype == np.float32:
        return Column(numbers.astype(str).astype(np.float64).tolist(), index)
    return Column(numbers.tolist(), index)


def read_codes(codes: np.ndarray, names: Sequence[str]) -> Column:
    """A column of small codes that name things (statuses): the names that occur, and where."""
    distinct, index = np.unique(codes, return_inverse=True)
    return Column([names[code] for code in distinct.tolist()], index)
