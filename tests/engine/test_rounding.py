"""`Fit.rounding`: a bound on the rounding in E and the derivative, checked against exact arithmetic.

The exact values are computed with `fractions.Fraction` from the very floats the fit holds, so the
only difference from the engine's numbers is the floating point's rounding.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Fit, Neuron, loss_named

from tests.engine.test_slopes_agree import problems


def exact(fit: Fit, params: np.ndarray) -> tuple[Fraction, list[Fraction]]:
    """E and ∂E/∂p for L2, in exact rational arithmetic."""
    n, m = fit.neuron.inputs, fit.X.shape[0]
    p = [Fraction(float(v)) for v in params]
    es = []
    for row, y in zip(fit.X, fit.y):
        h = sum((Fraction(float(x)) * w for x, w in zip(row, p[:n])), Fraction(0))
        if fit.neuron.bias:
            h += p[n]
        es.append(h - Fraction(float(y)))
    E = sum((e * e for e in es), Fraction(0)) / m
    grad = [sum((2 * e * Fraction(float(row[j])) for e, row in zip(es, fit.X)), Fraction(0)) / m for j in range(n)]
    if fit.neuron.bias:
        grad.append(sum((2 * e for e in es), Fraction(0)) / m)
    return E, grad


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_bound_holds_the_exact_value(case):
    fit, params = case
    E_true, grad_true = exact(fit, params)
    E_err, grad_err = fit.rounding(params)
    assert abs(Fraction(float(fit.error(params))) - E_true) <= Fraction(E_err)
    for computed, true, bound in zip(fit.analytic_slope(params), grad_true, grad_err):
        assert abs(Fraction(float(computed)) - true) <= Fraction(float(bound))


def test_symmetric_data_s_slope_is_noise_within_its_bound():
    # lesson01's shifting lab: points (1, 2), (2, 3), (−1, 0), (−2, −1) and w = 1, b = 0.2: each
    # residual is −0.8, and Σ x·e = −0.8·(1 + 2 − 1 − 2) = 0 exactly, computed as ~3e-16.
    fit = Fit(Neuron(1, bias=True), loss_named("l2"), np.array([[1.0], [2.0], [-1.0], [-2.0]]), np.array([2.0, 3.0, 0.0, -1.0]))
    params = np.array([1.0, 0.2])
    _, grad_true = exact(fit, params)
    computed = fit.analytic_slope(params)
    _, grad_err = fit.rounding(params)
    assert grad_true[0] == 0 and computed[0] != 0 and abs(computed[0]) <= grad_err[0]


def test_the_tensorflow_lab_s_frozen_cost_is_no_noise():
    # float32 w = 1.00000286 on (1, 1): e = 2.86e-6, E ≈ 8.2e-12 and slope 5.7e-6 are real.
    fit = Fit(Neuron(), loss_named("l2"), np.array([[1.0]], dtype=np.float32), np.array([1.0], dtype=np.float32))
    params = np.array([1.00000286], dtype=np.float32)
    E_err, grad_err = fit.rounding(params)
    assert float(fit.error(params)) > 10 * E_err
    assert float(fit.analytic_slope(params)[0]) > 10 * grad_err[0]
