"""lesson08's Frozen page runs Lab 01 in float32 beside float64, and each does what the page says."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tutor.experiments import make_trace
from backprop_tutor.lessons import load_lesson

from tests.support import LESSONS


def frozen():
    lesson = load_lesson(LESSONS / "lesson08.yaml")
    page = next(p for p in lesson.pages if p.key == "frozen")
    return lesson, page.experiment


def test_the_page_compares_float32_with_float64_from_one_start():
    _, exp = frozen()
    assert exp.dtype == "float32" and (exp.alpha, exp.init, exp.steps) == (0.01, {"w": 3}, 1001)
    assert [v.changes() for v in exp.compare] == [{"dtype": "float64"}]


def test_float32_freezes_and_float64_keeps_shrinking_w_minus_1_by_0_98():
    lesson, exp = frozen()
    data = lesson.datasets[exp.id]
    single = make_trace(exp, data)
    single.extend_to(1001)
    assert single.state(1001).status == "stalled"
    assert np.float32(single.state(1001).params["w"]) == np.float32(1.00000286)  # the lab's printout
    double = make_trace(exp.model_copy(update=exp.compare[0].changes()), data)
    double.extend_to(1001)
    # Closed form, L2 on (1, 1): w − 1 is multiplied by 1 − 2α = 0.98 at every update.
    assert double.state(1001).params["w"] - 1 == pytest.approx(2 * 0.98**1001, rel=1e-9)
    assert double.state(1001).status != "stalled"
