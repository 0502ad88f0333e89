"""One formatter for every number on screen: digits that matter, and never a long tail."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_tutor.number_format import WIDEST, format_number, format_numbers, operand


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3.0, "3"),
        (-5.0, "-5"),
        (2.6, "2.6"),
        (3 - 0.1 * 4, "2.6"),  # 2.5999999999999996 reads as the lecture's 2.6
        (56 / 3, "18.666667"),  # a.csv's mean square error at w = 0
        (4.00001, "4.00001"),
        (float(np.float32(1.00000286)), "1.0000029"),  # the frozen float32 w is not "1"
        (0.0087071293, "0.0087071"),
        (1.2e17, "1.2e+17"),
        (1.08e-14, "1.08e-14"),  # a tiny slope stays visible, not 0
        (-0.0, "0"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
    ],
)
def test_numbers_read_well(value, shown):
    assert format_number(value) == shown


@given(st.floats(min_value=1e-4, max_value=1e7) | st.floats(min_value=-1e7, max_value=-1e-4))
def test_ordinary_numbers_fit_and_read_back_close(value):
    text = format_number(value)
    assert len(text.lstrip("-")) <= WIDEST
    assert float(text) == pytest.approx(value, rel=1e-4)


def test_a_negative_operand_stands_in_brackets():
    assert operand(-4.0) == "(-4)" and operand(4.0) == "4"


# -- format_numbers: the same rule a column at a time (`tutor trace`) ---------------------------

def shown_float32(value: float) -> float:
    """A float32 as the trace shows it: the shortest decimal that reads back as that float32."""
    return float(str(np.float32(value)))


any_float64 = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
any_float32 = st.floats(width=32, allow_nan=True, allow_infinity=True, allow_subnormal=True).map(shown_float32)


@given(st.lists(any_float64 | any_float32, max_size=60))
def test_a_column_reads_as_each_number_alone(values):
    assert format_numbers(values) == [format_number(v) for v in values]


def edges() -> list[float]:
    """The rule's borders (1e-4, 1e7, 1e9, where digits are dropped) and their neighbours."""
    borders = [0.0, 1e-4, 1e7, 1e9, 1.0, 0.5, 99999.9995, 9999999.5, 999999999.5, 0.00099999995,
               5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1.4e-45, 1.1754944e-38, 3.4028235e38]
    near = []
    with np.errstate(over="ignore"):  # the largest float's neighbour is inf, as it should be
        near += _neighbours(borders)
    return [float(v) for v in near] + [float("nan"), -float("nan"), float("inf"), -float("inf"), -0.0]


def _neighbours(borders: list[float]) -> list[float]:
    near = []
    for b in borders:
        for sign in (1.0, -1.0):
            x = sign * b
            near += [x, np.nextafter(x, np.inf), np.nextafter(x, -np.inf)]
            x32 = np.float32(x)
            near += [float(x32), shown_float32(np.nextafter(x32, np.float32(np.inf))),
                     shown_float32(np.nextafter(x32, np.float32(-np.inf)))]
    return near


def test_a_column_reads_as_each_number_alone_at_the_rules_borders():
    values = edges()
    assert format_numbers(values) == [format_number(v) for v in values]


def test_a_column_reads_as_each_number_alone_over_random_bits():
    """Every kind of float64 and float32 at once: random bit patterns, seeded."""
    rng = np.random.default_rng(18)
    wide = rng.integers(0, 2**64, size=50_000, dtype=np.uint64).view(np.float64)
    narrow = rng.integers(0, 2**32, size=50_000, dtype=np.uint32).view(np.float32)
    scaled = rng.normal(size=50_000) * 10.0 ** rng.integers(-12, 14, size=50_000)
    values = [*wide.tolist(), *narrow.astype(str).astype(np.float64).tolist(), *scaled.tolist(),
              *np.float32(scaled).astype(str).astype(np.float64).tolist()]
    assert format_numbers(values) == [format_number(v) for v in values]
