"""E on a whole grid of parameters at once: the same bits as one row at a time, and the quadratic
form of L2 against the direct sum; the update rule and the gate table written once."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tutor.engine import GATES, GRID_CHUNK, Fit, Neuron, Problem, Trace, loss_named

from tests.support import run


def fit(inputs: int, bias: bool, loss: str, rows: int, seed: int = 3, dtype: type = np.float64) -> Fit:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, inputs)) * 3
    y = X @ rng.normal(size=inputs) + 1.5 + rng.normal(size=rows)
    return Fit(Neuron(inputs, bias), loss_named(loss), X.astype(dtype), y.astype(dtype))


def grid_for(f: Fit, k: int, seed: int = 4) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(k, len(f.neuron.param_names))) * 4


@pytest.mark.parametrize("loss", ["l1", "l2"])
@pytest.mark.parametrize(("inputs", "bias"), [(1, False), (1, True), (3, False), (3, True)])
@pytest.mark.parametrize("rows", [1, 3, 1000])
def test_grid_errors_are_bit_for_bit_the_one_row_errors(loss, inputs, bias, rows):
    f = fit(inputs, bias, loss, rows)
    grid = grid_for(f, 61)
    Es = f.errors(grid)
    assert Es.shape == (61,) and Es.dtype == np.float64
    one_by_one = np.array([f.error(row) for row in grid])
    assert np.array_equal(Es, one_by_one)


def test_chunked_grid_on_many_rows_is_still_bit_exact():
    f = fit(3, True, "l2", 5000)
    grid = grid_for(f, 500)  # 2.5M residuals: several chunks of GRID_CHUNK
    assert grid.shape[0] * 5000 > 2 * GRID_CHUNK
    assert np.array_equal(f.errors(grid), np.array([f.error(row) for row in grid]))


def test_grid_errors_on_a_float32_fit_are_the_float64_errors():
    f = fit(1, True, "l2", 7, dtype=np.float32)
    grid = grid_for(f, 10)
    assert np.array_equal(f.errors(grid), np.array([f.as_float64().error(row) for row in grid]))


def test_grid_errors_match_the_lecture_a_csv_at_w_3():
    f = Fit(Neuron(), loss_named("l2"), np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0]))
    Es = f.errors(np.array([[3.0], [1.0], [0.0]]))
    assert Es[0] == pytest.approx(56 / 3) and Es[1] == 0 and Es[2] == pytest.approx(14 / 3)  # (1+4+9)/3


def test_a_wrongly_shaped_grid_is_refused():
    f = fit(3, True, "l2", 4)
    with pytest.raises(ValueError):
        f.errors(np.zeros((5, 3)))


@pytest.mark.parametrize(("inputs", "bias"), [(1, False), (1, True), (3, True)])
@pytest.mark.parametrize("rows", [1, 2, 50, 2000])
def test_quadratic_form_agrees_with_the_direct_sum(inputs, bias, rows):
    f = fit(inputs, bias, "l2", rows)
    grid = np.vstack([grid_for(f, 200), np.zeros((1, len(f.neuron.param_names)))])
    direct = f.errors(grid)
    quick = f.errors(grid, exact=False)
    np.testing.assert_allclose(quick, direct, rtol=1e-10, atol=1e-10 * direct.max())


def test_quadratic_form_is_accurate_near_the_minimum():
    # Large targets and a near-perfect fit: pᵀAp/m − 2bᵀp/m + c would cancel away the digits.
    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 2))
    y = X @ np.array([2.0, -1.0]) + 1e4 + rng.normal(scale=1e-3, size=400)
    f = Fit(Neuron(2, True), loss_named("l2"), X, y)
    best = np.linalg.lstsq(np.column_stack([X, np.ones(400)]), y, rcond=None)[0]
    grid = best + rng.normal(scale=1e-3, size=(50, 3))
    np.testing.assert_allclose(f.errors(grid, exact=False), f.errors(grid), rtol=1e-7)


def test_l1_has_no_quadratic_form_and_stays_exact():
    f = fit(1, True, "l1", 30)
    grid = grid_for(f, 20)
    assert np.array_equal(f.errors(grid, exact=False), f.errors(grid))


def test_problem_is_a_deprecated_alias_of_fit():
    assert Problem is Fit


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_next_params_is_the_state_the_trace_records(dtype):
    trace = run("l2", 3, 0.01, 50, dtype=dtype)
    for k in range(50):
        nxt = trace.next_params(k)
        assert nxt.dtype == dtype
        assert np.array_equal(nxt, trace.params_at(k + 1))
    # By hand, in the run's dtype: w − α·2(w − 1) on the datum (1, 1).
    w = trace.params_at(0)[0]
    assert trace.next_params(0)[0] == w - dtype(0.01) * (dtype(2) * (w - dtype(1)))


def test_next_params_on_a_fork_uses_the_alpha_that_left_each_step():
    trace = run("l2", 3, 0.1, 10)
    fork = trace.fork(4, alpha=0.5)
    fork.extend_to(8)
    for k in range(8):
        assert np.array_equal(fork.next_params(k), fork.params_at(k + 1)), k
    assert fork.next_params(4)[0] == pytest.approx(fork.params_at(4)[0] - 0.5 * 2 * (fork.params_at(4)[0] - 1))


def test_gate_table_values_local_gradients_and_symbols():
    a, b = np.array([2.0, -3.0]), np.array([5.0, 7.0])
    assert np.array_equal(GATES["mul"].value(a, b), [10, -21])
    assert np.array_equal(GATES["mul"].gradients[0](a, b), b) and np.array_equal(GATES["mul"].gradients[1](a, b), a)
    assert GATES["add"].gradients[0](a, b) == 1 and GATES["add"].gradients[1](a, b) == 1
    assert GATES["sub"].gradients[0](a, b) == 1 and GATES["sub"].gradients[1](a, b) == -1
    e = np.array([2.0, -4.0])
    assert GATES["square"].value(e) == 10  # (4 + 16)/2
    assert np.array_equal(GATES["square"].gradients[0](e), [2, -4])  # 2e/m
    assert GATES["abs"].value(e) == 3
    assert np.array_equal(GATES["abs"].gradients[0](e), [0.5, -0.5])  # sign(e)/m
    symbols = {op: (g.symbol, g.ascii) for op, g in GATES.items()}
    assert symbols == {"mul": ("×", "*"), "add": ("+", "+"), "sub": ("−", "-"), "square": ("²", "^2"), "abs": ("|·|", "abs")}
    assert GATES["mul"].formula(0, ("w", "x")) == "x" and GATES["mul"].formula(1, ("w", "x")) == "w"
    assert GATES["square"].formula(0, ("e",)) == "2e" and GATES["square"].formula(0, ("e",), 3) == "2eᵢ/3"
    assert GATES["abs"].formula(0, ("e",), 3) == "sign(eᵢ)/3"
    assert all(g.ascii.isascii() for g in GATES.values())


def test_every_op_of_a_graph_is_in_the_gate_table():
    for inputs, bias, loss in [(1, False, "l1"), (3, True, "l2")]:
        graph = fit(inputs, bias, loss, 2).graph()
        assert {node.op for node in graph.gates} <= set(GATES)
