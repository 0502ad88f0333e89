"""Back-propagation, the derivative and finite differences agree on random problems."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Fit, Neuron, Trace, loss_named

finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw, loss="l2"):
    n = draw(st.integers(1, 3))
    m = draw(st.integers(1, 6))
    bias = draw(st.booleans())
    X = np.array(draw(st.lists(st.lists(finite, min_size=n, max_size=n), min_size=m, max_size=m)))
    y = np.array(draw(st.lists(finite, min_size=m, max_size=m)))
    neuron = Neuron(n, bias)
    params = np.array(draw(st.lists(finite, min_size=len(neuron.param_names), max_size=len(neuron.param_names))))
    return Fit(neuron, loss_named(loss), X, y), params


@settings(max_examples=200, deadline=None)
@given(problems())
def test_backprop_analytic_and_central_difference_agree_on_l2(case):
    problem, params = case
    analytic = problem.analytic_slope(params)
    backprop = problem.backprop_slope(params)
    central = problem.numerical_slope(params, delta=1e-5, central=True)
    np.testing.assert_allclose(backprop, analytic, rtol=1e-12, atol=1e-12)
    # Central differences are exact for a quadratic up to rounding of E (≈1e-16·E/Δ).
    scale = 1e-9 * (1 + float(problem.error(params)))
    np.testing.assert_allclose(central, analytic, rtol=1e-6, atol=1e-5 + scale * 1e5)


@settings(max_examples=100, deadline=None)
@given(problems(loss="l1"))
def test_backprop_and_analytic_agree_on_l1(case):
    problem, params = case
    np.testing.assert_allclose(problem.backprop_slope(params), problem.analytic_slope(params), rtol=1e-12, atol=1e-12)


def test_graph_gate_counts_follow_the_slides():
    def gates(neuron):
        g = Fit(neuron, loss_named("l2"), np.ones((1, neuron.inputs)), np.ones(1)).graph()
        return [node.op for node in g.gates]

    assert gates(Neuron(1, False)) == ["mul", "sub", "square"]  # three gates
    assert gates(Neuron(1, True)).count("add") == 1  # bias: one more plus gate
    three = gates(Neuron(3, True))
    assert three.count("mul") == 3 and three.count("add") == 3  # two more plus gates, and the bias's


def test_every_backward_pass_is_fresh():
    problem = Fit(Neuron(), loss_named("l2"), np.ones((1, 1)), np.ones(1))
    graph = problem.graph()
    first = graph.run(np.array([3.0]), problem.X, problem.y).gradient(("w",))
    second = graph.run(np.array([3.0]), problem.X, problem.y).gradient(("w",))
    assert first[0] == second[0] == 4  # no accumulation across two passes


@settings(max_examples=60, deadline=None)
@given(problems(), st.floats(0.001, 3), st.integers(0, 30), st.integers(1, 30))
def test_rewound_and_restepped_trace_is_identical(case, alpha, k, more):
    problem, params = case
    trace = Trace(problem, params, alpha, max_steps=k + more)
    trace.extend_to(k + more)
    k = min(k, trace.last)
    replay = trace.fork(k)  # back to step k, same α: the future recomputed from the recorded state
    replay.extend_to(trace.last)
    for i in range(len(trace)):
        a, b = trace.state(i), replay.state(i)
        assert a == b or (np.isnan(a.loss) and np.isnan(b.loss))
