"""One formatter for every number on screen: digits that matter, and never a long tail."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_tutor.number_format import WIDEST, format_number, operand


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
