"""Every number the lecture's slides show, out of our engine, exactly.

The expected values are typed from the slides (and, for Lab 01, from TensorFlow's printout),
never taken from our own output.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tutor.engine import Fit, Neuron, loss_named

from tests.support import TENSORFLOW_LAB01, one_datum, run


def ws(trace, upto):
    return [trace.state(k).params["w"] for k in range(upto + 1)]


@pytest.mark.parametrize(
    ("start", "path", "errors"),
    [(4, [4, 3, 2, 1], [3, 2, 1, 0]), (-2, [-2, -1, 0, 1], [3, 2, 1, 0])],
)
def test_l1_alpha_1_walks_one_step_at_a_time(start, path, errors):
    trace = run("l1", start, 1, 3)
    assert ws(trace, 3) == path
    assert [trace.state(k).loss for k in range(4)] == errors
    assert trace.state(3).status == "converged"


def test_l1_slope_is_plus_or_minus_one_and_zero_at_the_kink():
    p = one_datum("l1")
    assert p.analytic_slope(np.array([4.0]))[0] == 1
    assert p.analytic_slope(np.array([-2.0]))[0] == -1
    assert p.analytic_slope(np.array([1.0]))[0] == 0
    assert p.backprop_slope(np.array([1.0]))[0] == 0


def test_l1_alpha_2_bounces_between_0_and_2_forever():
    trace = run("l1", -2, 2, 10)
    assert ws(trace, 10) == [-2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2]
    assert all(trace.state(k).loss == 1 for k in range(1, 11))  # the slides: Error E = 1 each time
    assert trace.state(3).status == "oscillating"
    assert trace.state(10).status == "oscillating"


def test_l2_at_w_3_error_4_and_slopes_three_ways():
    p = one_datum("l2")
    w = np.array([3.0])
    assert p.error(w) == 4
    assert p.error(np.array([3.00001])) == pytest.approx(4.00004, abs=1e-9)  # the slide's 4.00004
    assert p.analytic_slope(w)[0] == 4  # 2(w - 1)
    assert p.backprop_slope(w)[0] == 4
    assert p.numerical_slope(w)[0] == pytest.approx(4.00001, abs=1e-6)  # forward difference, Δw = 0.00001
    assert p.numerical_slope(w, central=True)[0] == pytest.approx(4, abs=1e-8)


def test_l2_alpha_0_1_gives_2_6_then_2_28():
    trace = run("l2", 3, 0.1, 2)
    assert ws(trace, 2) == pytest.approx([3, 2.6, 2.28], abs=1e-12)


def test_l2_alpha_1_bounces_between_3_and_minus_1():
    trace = run("l2", 3, 1, 6)
    assert ws(trace, 6) == [3, -1, 3, -1, 3, -1, 3]
    assert trace.state(6).status == "oscillating"


def test_l2_alpha_2_diverges_minus_5_19_minus_53():
    trace = run("l2", 3, 2, 4)
    assert ws(trace, 3) == [3, -5, 19, -53]
    assert trace.state(3).status == "diverged"


def test_each_l2_update_multiplies_w_minus_1_by_1_minus_2_alpha():
    for alpha in (0.1, 0.3, 1.0, 2.0):
        trace = run("l2", 3, alpha, 5)
        for k in range(5):
            before, after = trace.state(k).params["w"], trace.state(k + 1).params["w"]
            assert after - 1 == pytest.approx((before - 1) * (1 - 2 * alpha), rel=1e-12)


def test_computation_graph_forward_and_backward_values():
    p = one_datum("l2")
    passed = p.graph().run(np.array([3.0]), p.X, p.y)
    forward = {ev.node: float(np.squeeze(ev.value)) for ev in passed.forward}
    assert [ev.node for ev in passed.forward] == ["h", "e", "E"]
    assert forward == {"h": 3, "e": 2, "E": 4}
    backward = {ev.node: (float(np.squeeze(ev.local)), float(np.squeeze(ev.grad))) for ev in passed.backward}
    # The five local gradients: ∂E/∂e = 2e, ∂e/∂h = 1, ∂e/∂y = −1, ∂h/∂w = x, ∂h/∂x = w.
    assert backward["e"] == (4, 4)
    assert backward["h"] == (1, 4)
    assert backward["y"] == (-1, -4)
    assert backward["w"] == (1, 4)
    assert backward["x"] == (3, 12)
    locals_ = [ev.local_formula for ev in passed.backward if ev.consumer]
    assert sorted(locals_) == sorted(["2e", "1", "-1", "x", "w"])
    order = [ev.node for ev in passed.backward]
    assert order.index("e") < order.index("h") < order.index("w")


def test_one_backprop_update_with_alpha_0_1_gives_2_6():
    trace = run("l2", 3, 0.1, 1, method="backprop")
    assert trace.state(1).params["w"] == pytest.approx(2.6, abs=1e-15)


def test_a_csv_at_w_3_mse_and_slope_are_18_667():
    p = Fit(Neuron(), loss_named("l2"), np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0]))
    w = np.array([3.0])
    assert p.error(w) == pytest.approx(56 / 3)  # (2² + 4² + 6²)/3
    assert round(float(p.error(w)), 3) == 18.667
    assert p.analytic_slope(w)[0] == pytest.approx(56 / 3)  # (2/3)(1·2 + 2·4 + 3·6)
    assert p.backprop_slope(w)[0] == pytest.approx(56 / 3)




@pytest.mark.parametrize("method", ["analytic", "backprop"])
def test_tensorflow_lab01_float32_trajectory_to_the_last_bit(method):
    trace = run("l2", 3, 0.01, 1001, dtype=np.float32, method=method)
    for update, printed in TENSORFLOW_LAB01.items():
        assert trace.params_at(update)[0] == np.float32(printed), update
    assert np.float32(trace.state(1001).loss) == pytest.approx(8.19e-12, rel=1e-3)
    prediction = np.float32(2) * trace.params_at(1001)[0]
    assert prediction == np.float32("2.0000057")
    # It stalled: from update 701 on, α·slope (5.7e-8) is below half a float32 gap at 1 (5.96e-8)
    # while the slope, 2(w − 1) = 5.7e-6, is far from 0: not converged.
    assert trace.state(1001).grad["w"] > 5e-6
    assert trace.state(1001).status == "stalled"


def test_float64_does_not_stall_where_float32_does():
    trace = run("l2", 3, 0.01, 1001)
    assert abs(trace.state(1001).params["w"] - 1) < 1e-8
