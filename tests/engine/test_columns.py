"""A trace read a column at a time (`Trace.columns`, for `tutor trace`) holds the very numbers of
`Trace.state(k)` read step by step: each float32 as the shortest decimal that reads back as it,
-0.0 and NaN kept apart, on any run, diverged and forked ones included."""

from __future__ import annotations

import math
import struct

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backprop_tutor.engine import Fit, Neuron, Trace, loss_named
from backprop_tutor.engine.columns import read_numbers


def bits(value: float) -> bytes:
    """A Python float's exact bits: -0.0 is not 0.0, and a NaN is itself."""
    return struct.pack("<d", value)


def one_by_one(values: np.ndarray) -> list[float]:
    """What `State` holds for each value (`Trace._number`): float32 through its own str()."""
    if values.dtype == np.float32:
        return [float(str(v)) for v in values]
    return [float(v) for v in values]


@st.composite
def columns(draw: st.DrawFn) -> np.ndarray:
    """A column as runs record them: values of every kind, repeated, in runs and scattered."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    pool = draw(hnp.arrays(dtype, st.integers(1, 8), elements=hnp.from_dtype(np.dtype(dtype))))
    picks = draw(st.lists(st.tuples(st.integers(0, len(pool) - 1), st.integers(1, 20)), max_size=30))
    return np.array([pool[i] for i, repeat in picks for _ in range(repeat)], dtype=dtype)


@given(columns())
def test_a_column_holds_what_each_state_holds(values):
    column = read_numbers(values)
    assert list(map(bits, column.tolist())) == list(map(bits, one_by_one(values)))
    assert len({bits(v) for v in column.values}) == len(column.values)  # each number once


def test_float32_numbers_convert_alike_in_a_column_and_alone():
    """numpy's whole-array str (in C) and a float32 scalar's str give the same shortest decimal,
    over random bit patterns of every kind (seeded) and the edges of float32."""
    rng = np.random.default_rng(18)
    edges = np.array([0.0, -0.0, 1.4e-45, -1.4e-45, 1.1754942e-38, 1.1754944e-38, 3.4028235e38, -3.4028235e38,
                      np.inf, -np.inf, np.nan, 1.0000029, 2.96, 0.1, 16777216.0, 16777217.0, 1e-5, 1e16],
                     dtype=np.float32)
    values = np.concatenate([edges, rng.integers(0, 2**32, size=100_000, dtype=np.uint32).view(np.float32)])
    assert list(map(bits, read_numbers(values).tolist())) == list(map(bits, one_by_one(values)))


def any_run(inputs: int, bias: bool, rows: int, dtype: type, loss: str, alpha: float, seed: int) -> Trace:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, inputs)).astype(dtype)
    y = rng.normal(size=rows).astype(dtype)
    start = rng.normal(size=inputs + bias) * 3
    return Trace(Fit(Neuron(inputs, bias), loss_named(loss), X, y), start, alpha, max_steps=300)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 3), st.booleans(), st.sampled_from([1, 4]), st.sampled_from([np.float32, np.float64]),
    st.sampled_from(["l1", "l2"]), st.sampled_from([1e-9, 0.01, 0.3, 1.0, 2.5, 1e3, 1e30]), st.integers(0, 2**16),
    st.data(),
)
def test_columns_are_the_states_step_by_step(inputs, bias, rows, dtype, loss, alpha, seed, data):
    trace = any_run(inputs, bias, rows, dtype, loss, alpha, seed)
    trace.extend_to(data.draw(st.integers(0, 300), label="steps"))
    if data.draw(st.booleans(), label="fork"):  # steps with two αs in one trace
        trace = trace.fork(data.draw(st.integers(0, trace.last), label="at"), alpha=alpha * 0.3)
        trace.extend_to(300)
    upto = data.draw(st.none() | st.integers(0, trace.last), label="upto")
    since = data.draw(st.integers(0, trace.last if upto is None else upto), label="since")
    columns = trace.columns(upto, since)
    steps = range(since, trace.last + 1 if upto is None else upto + 1)
    states = [trace.state(k) for k in steps]
    for i, name in enumerate(trace.names):
        assert list(map(bits, columns.params[i].tolist())) == [bits(s.params[name]) for s in states]
        assert list(map(bits, columns.grad[i].tolist())) == [bits(s.grad[name]) for s in states]
    assert list(map(bits, columns.loss.tolist())) == [bits(s.loss) for s in states]
    assert list(map(bits, columns.alpha.tolist())) == [bits(trace.alpha_at(k)) for k in steps]
    assert columns.status.tolist() == [s.status for s in states]
    if since == 0:
        assert trace.states(upto) == states or any(
            math.isnan(v) for s in states for v in (s.loss, *s.params.values(), *s.grad.values())
        )  # (NaN != NaN: a diverged run's State compares unequal to itself)
