"""The trace: rewind is an index, forks keep the past, bad runs are marked, never raised."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from backprop_tutor.engine import Trace

from tests.support import one_datum, run


def test_states_are_recorded_once_and_reading_them_recomputes_nothing(monkeypatch):
    trace = run("l2", 3, 0.1, 50)
    first, last = trace.state(0), trace.state(50)  # recorded here, once

    def computed(*args, **kwargs):
        raise AssertionError("a read recomputed a state")

    # Every way the trace makes a state (the array path, the one-datum scalar path, the slope).
    for name in ("_record", "_extend_one_datum", "_next"):
        monkeypatch.setattr(Trace, name, computed)
    monkeypatch.setattr("backprop_tutor.engine.trace.one_datum_states", computed)
    monkeypatch.setattr(trace.problem.__class__, "error_and_slope", computed)
    assert trace.state(0) == first and trace.state(50) == last
    assert [trace.state(k).params["w"] for k in (50, 0, 25)][1] == 3  # rewinding is reading too


def test_state_is_immutable():
    state = run("l2", 3, 0.1, 1).state(1)
    with pytest.raises(AttributeError):
        state.loss = 0  # type: ignore[misc]
    with pytest.raises(ValueError):
        run("l2", 3, 0.1, 1).params_at(0)[0] = 7


def test_fork_with_new_alpha_keeps_the_past_and_changes_the_future():
    trace = run("l2", 3, 0.1, 5)
    fork = trace.fork(2, alpha=1.0)
    fork.extend_to(5)
    assert [fork.state(k).params["w"] for k in range(3)] == [trace.state(k).params["w"] for k in range(3)]
    w2 = trace.state(2).params["w"]
    assert fork.state(3).params["w"] == pytest.approx(w2 - 1.0 * 2 * (w2 - 1))
    assert trace.state(3).params["w"] == pytest.approx(w2 - 0.1 * 2 * (w2 - 1))  # the old future is intact


def test_fork_with_new_start_value_replaces_that_state():
    trace = run("l1", 4, 1, 3)
    fork = trace.fork(1, params={"w": -2.0})
    fork.extend_to(3)
    assert [fork.state(k).params["w"] for k in range(4)] == [4, -2, -1, 0]


@pytest.mark.parametrize("alpha", [1e6, 1e100, 1e300])
def test_overflow_is_marked_diverged_and_stops_without_warnings(alpha):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = Trace(one_datum("l2"), np.array([3.0]), alpha, max_steps=10_000)
        trace.extend_to(10_000)
    assert trace.stopped and trace.last < 10_000
    assert trace.state(trace.last).status == "diverged"


def test_max_steps_bounds_the_trace():
    trace = run("l2", 3, 0.1, 5)
    trace.extend_to(100)
    assert trace.last == 5 and trace.complete


def test_float32_run_stays_float32():
    trace = run("l2", 3, 0.01, 3, dtype=np.float32)
    assert trace.params_at(3).dtype == np.float32


def test_a_new_alpha_judges_the_run_afresh():
    bouncing = run("l2", 3, 1, 300)  # 3, -1, 3, -1, 3, ...: oscillating
    assert bouncing.state(4).status == "oscillating"
    faster = bouncing.fork(4, alpha=2.0)
    faster.extend_to(12)
    assert faster.state(12).status == "diverged"  # not stuck on the old α's "oscillating"
    calmer = bouncing.fork(4, alpha=0.1)
    calmer.extend_to(200)
    assert calmer.state(200).status == "converged"


def test_each_state_remembers_the_alpha_that_left_it():
    trace = run("l2", 3, 0.1, 10)
    fork = trace.fork(2, alpha=0.5)
    fork.extend_to(4)
    assert [fork.alpha_at(k) for k in range(5)] == [0.1, 0.1, 0.5, 0.5, 0.5]


def test_an_update_lost_in_rounding_is_stalled_not_converged():
    # α = 1e-17 at w = 3: α·slope = 4e-17 is below half a float64 gap at 3 (2.2e-16), so w stays 3.
    trace = run("l2", 3, 1e-17, 5)
    assert trace.params_at(1)[0] == 3 and trace.state(1).grad["w"] == 4  # slope 2(w − 1), far from 0
    assert trace.state(0).status == "running"
    assert [trace.state(k).status for k in range(1, 6)] == ["stalled"] * 5


def test_a_slope_within_tolerance_is_converged_not_stalled():
    trace = run("l2", 1, 0.1, 3)  # w = 1 is the bottom: slope 0, E 0
    assert all(trace.state(k).status == "converged" for k in range(4))


def test_a_new_alpha_lets_a_stalled_run_move_again():
    stalled = Trace(one_datum("l2"), np.array([3.0]), 1e-17, max_steps=10)
    stalled.extend_to(5)
    moving = stalled.fork(5, alpha=0.1)
    moving.extend_to(7)
    assert moving.state(5).status == "running" and moving.state(6).params["w"] == pytest.approx(2.6)
