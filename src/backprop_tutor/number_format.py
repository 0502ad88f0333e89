"""How a number reads on screen: one formatter, so one quantity reads the same everywhere.

The page text, the state table, the plot titles, the graph's wires and the answer verdicts all
format numbers through `format_number`. Numbers are written with the ASCII minus, which every
terminal shows; a negative number inside a formula is put in brackets, `1 − 1·(-4)`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

SIGNIFICANT = 8
"""The most digits kept between 1e-4 and 1e7: a float32 1.0000029 is not shown as 1."""
WIDEST = 9
"""The most characters such a number takes (its sign aside): fewer digits when it needs more."""
SCIENTIFIC = 4
"""Digits kept in scientific notation (tiny slopes such as 1.08e-14, huge diverged values)."""


def format_number(value: float | str, spec: str | None = None) -> str:
    """A number as a student reads it: `2.6`, `18.666667`, `4.00001`, `1.2e+17`, `-5`.

    Args:
        value: the number (text is passed through unchanged).
        spec: a format spec a lesson author chose (`.3f`); the default rule otherwise.
    """
    if isinstance(value, str):
        return value
    value = float(value)
    if spec:
        text = format(value, spec)
        if text.startswith("-") and not any(c in "123456789" for c in text.split("e")[0]):
            text = text[1:]  # -0.000 is just 0.000 to a reader
        return text
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    if abs(value) >= 1e7 or abs(value) < 1e-4:
        return f"{value:.{SCIENTIFIC}g}"
    for digits in range(SIGNIFICANT, 1, -1):
        text = f"{value:.{digits}g}"
        if len(text.lstrip("-")) <= WIDEST:
            return text
    return text


def format_numbers(values: Sequence[float]) -> list[str]:
    """`format_number(v)` for every `v`, the default rule, a whole column at once (`tutor trace`).

    The same rule in the same order, applied to groups: numpy sorts the values into the rule's
    cases, and each case is written by one `%`-format over all of its values (the same C
    formatting as the f-string). tests/test_number_format.py holds it to `format_number` over
    float32 and float64 values of every kind.
    """
    import numpy as np  # only here: the command line starts without numpy

    v = np.asarray(values, dtype=np.float64).ravel()
    out = np.empty(v.shape, dtype=object)
    size = np.abs(v)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(v)
        whole = finite & (np.trunc(v) == v) & (size < 1e9)
        scientific = finite & ~whole & ((size >= 1e7) | (size < 1e-4))
    rest = np.flatnonzero(~finite)
    out[rest] = [format_number(x) for x in v[rest].tolist()]
    rest = np.flatnonzero(whole)
    out[rest] = _each("d", v[rest].tolist())  # %d is str(int(value)): -0.0 is 0
    rest = np.flatnonzero(scientific)
    out[rest] = _each(f".{SCIENTIFIC}g", v[rest].tolist())
    rest = np.flatnonzero(finite & ~whole & ~scientific)
    signs = np.signbit(v).astype(np.int64)
    for digits in range(SIGNIFICANT, 1, -1):
        if not rest.size:
            break
        texts = _each(f".{digits}g", v[rest].tolist())
        out[rest] = texts
        rest = rest[np.fromiter(map(len, texts), np.int64, len(texts)) - signs[rest] > WIDEST]
    return cast("list[str]", out.tolist())


def _each(spec: str, values: list[float]) -> list[str]:
    # One %-format over all values (none holds a NUL): the text f"{value:{spec}}" gives each.
    return (f"%{spec}\0" * len(values) % tuple(values)).split("\0")[:-1]


def is_number(text: str) -> bool:
    """True if `text` reads as a number (`-1e-3`, `inf`): for arguments and spreadsheet cells."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def operand(value: float) -> str:
    """A number as it stands inside a formula: negative ones in brackets, `(-4)`."""
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text
