"""One datum with the derivative runs in scalars, a chunk at a time (`Trace._extend_one_datum`):
it must give the same bits and the same statuses as the array path (`Trace._record`), state by
state, on any run, fork included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Fit, Neuron, Trace, loss_named

from tests.support import TENSORFLOW_LAB01

ALPHAS = [1e-17, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.9, 1.0, 1.1, 2.0, 3.0, 1e6, 1e12]
"""Stalling, converging, bouncing, diverging and overflowing learning rates."""

small = st.one_of(st.integers(-4, 4).map(float), st.floats(-5, 5, allow_nan=False, allow_infinity=False))


def both_ways(fit: Fit, start: np.ndarray, alpha: float, steps: int) -> tuple[Trace, Trace]:
    fast = Trace(fit, start, alpha, max_steps=steps)
    slow = Trace(fit, start, alpha, max_steps=steps)
    assert fast._one_datum
    slow._one_datum = False  # the array path, one _record per state
    fast.extend_to(steps // 3)  # in two calls, so a chunk boundary falls mid-run
    fast.extend_to(steps)
    slow.extend_to(steps)
    return fast, slow


def assert_same(a: Trace, b: Trace) -> None:
    n = len(a)
    assert len(b) == n and a.stopped == b.stopped
    for attr in ("_params", "_grad", "_loss", "_status", "_alphas"):
        assert getattr(a, attr)[:n].tobytes() == getattr(b, attr)[:n].tobytes(), attr


@st.composite
def one_datum_runs(draw):
    inputs = draw(st.integers(1, 3))
    bias = draw(st.booleans())
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    X = np.array([[draw(small) for _ in range(inputs)]], dtype=dtype)
    y = np.array([draw(small)], dtype=dtype)
    fit = Fit(Neuron(inputs, bias), loss_named(draw(st.sampled_from(["l1", "l2"]))), X, y)
    start = np.array([draw(small) for _ in range(inputs + bias)])
    alpha = draw(st.sampled_from(ALPHAS)) * draw(st.sampled_from([1.0, 0.7, 1.3]))
    return fit, start, alpha, draw(st.integers(1, 700))


@settings(max_examples=150, deadline=None)
@given(one_datum_runs(), st.data())
def test_scalar_path_gives_the_array_paths_bits_and_statuses(run, data):
    fit, start, alpha, steps = run
    fast, slow = both_ways(fit, start, alpha, steps)
    assert_same(fast, slow)
    k = data.draw(st.integers(0, fast.last), label="fork at")
    new_alpha = data.draw(st.sampled_from(ALPHAS), label="new alpha")
    for fork in ({"alpha": new_alpha}, {"params": {fit.neuron.param_names[-1]: 0.5}}, {}):
        a, b = fast.fork(k, **fork), slow.fork(k, **fork)
        b._one_datum = False
        a.extend_to(steps)
        b.extend_to(steps)
        assert_same(a, b)


def test_lab01_runs_10_000_updates_the_same_both_ways():
    fit = Fit(Neuron(), loss_named("l2"), np.array([[1.0]], np.float32), np.array([1.0], np.float32))
    fast, slow = both_ways(fit, np.array([3.0]), 0.01, 10_000)
    assert_same(fast, slow)
    for update, printed in TENSORFLOW_LAB01.items():
        assert fast.params_at(update)[0] == np.float32(printed), update
    assert fast.state(10_000).status == "stalled"


def test_long_runs_across_many_chunks_the_same_both_ways():
    for loss, alpha, bias in [("l2", 0.001, True), ("l1", 0.01, False), ("l2", 1.0, False), ("l1", 0.3, True)]:
        fit = Fit(Neuron(1, bias), loss_named(loss), np.array([[2.0]]), np.array([1.0]))
        fast, slow = both_ways(fit, np.array([3.0] * (1 + bias)), alpha, 3000)
        assert_same(fast, slow)


def test_runs_stalled_for_thousands_of_chunks_the_same_both_ways():
    """From the update that changes nothing on, the scalar path repeats that state instead of
    computing it (one_datum_states): the same bits and statuses as computing every state."""
    for inputs, bias, dtype, alpha, loss, x in [(1, False, np.float64, 1e-17, "l2", 1.5), (3, True, np.float64, 1e-20, "l2", 1.5),
                                                (3, True, np.float32, 1e-12, "l1", 1.5), (1, True, np.float32, 1e-3, "l2", 1.0)]:
        fit = Fit(Neuron(inputs, bias), loss_named(loss), np.array([[x] * inputs], dtype), np.array([1.0], dtype))
        fast, slow = both_ways(fit, np.array([3.0] * (inputs + bias)), alpha, 5000)
        assert_same(fast, slow)
        assert fast.state(5000).status == "stalled"


def test_a_stalled_run_given_a_new_alpha_moves_again_the_same_both_ways():
    """A fork's state k equals state k − 1 of the stall, yet its update (the new α) moves it: the
    repeat is taken only where the update itself gives back the very state."""
    for dtype, alpha, new_alpha in [(np.float32, 0.01, 0.5), (np.float64, 1e-17, 0.1), (np.float32, 0.01, 1.5)]:
        fit = Fit(Neuron(), loss_named("l2"), np.array([[1.0]], dtype), np.array([1.0], dtype))
        fast, slow = both_ways(fit, np.array([3.0]), alpha, 3000)
        a, b = fast.fork(1500, alpha=new_alpha), slow.fork(1500, alpha=new_alpha)
        b._one_datum = False
        a.extend_to(3000)
        b.extend_to(3000)
        assert_same(a, b)
        assert a.params_at(1501)[0] != a.params_at(1500)[0]  # it moved
