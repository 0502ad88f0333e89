"""One datum's updates in scalars: the same IEEE operations as numpy's, without its per-call cost."""

from __future__ import annotations

import math

import numpy as np

from .slopes import Fit


def at_rest(
    fit: Fit, dtype: np.dtype, alpha: float, params: list[float], grad: list[float]
) -> tuple[list, list, list] | None:
    """The state after `params` and `grad` (as `one_datum_states` gives it) if it is that very
    state again, bit for bit; None if the update changes anything.

    A state is a function of the one before it alone, so then every later update gives it too
    (a stalled run: α·slope lost in rounding; lesson08's float32 run from update 660 on), and
    the caller may repeat it instead of computing it.
    """
    after = one_datum_states(fit, dtype, alpha, params, grad, 1)
    return after if _same_bits(after[0], params) and _same_bits(after[1], grad) else None


def one_datum_states(
    fit: Fit, dtype: np.dtype, alpha: float, params: list[float], grad: list[float], count: int
) -> tuple[list, list, list]:
    """The `count` states after `params` and `grad`: their parameters and slopes (row after row,
    flat) and residuals e = h − y, as scalars of the run's dtype (see `Trace._extend_one_datum`).

    Pure arithmetic: what past LARGEST or non-finite means is decided by the caller, on
    whole arrays, and the states after the first such one are dropped.
    """
    T = float if dtype == np.float64 else dtype.type
    xs = [T(v) for v in fit.X[0].tolist()]
    y, zero, one, two = T(fit.y[0]), T(0), T(1), T(2)
    n, bias, l2 = fit.neuron.inputs, fit.neuron.bias, fit.loss.name == "l2"
    a = T(alpha)
    p = [T(v) for v in params]
    g = [T(v) for v in grad]
    flat_p: list = []
    flat_g: list = []
    residuals: list = []
    put_p, put_g, put_e = flat_p.append, flat_g.append, residuals.append
    if n == 1 and not bias:
        # The lecture's h = w·x, most of its runs: the same operations without the lists.
        (x,), (w,), (gw,) = xs, p, g
        if l2:
            for _ in range(count):
                w = w - a * gw
                e = x * w - y
                gw = (two * e) * x
                put_p(w)
                put_g(gw)
                put_e(e)
            return flat_p, flat_g, residuals
        for _ in range(count):
            w = w - a * gw
            e = x * w - y
            d = one if e > zero else -one if e < zero else T(np.sign(e))  # 0, -0 or NaN
            gw = d * x
            put_p(w)
            put_g(gw)
            put_e(e)
        return flat_p, flat_g, residuals
    for _ in range(count):
        p = [pj - a * gj for pj, gj in zip(p, g)]
        h = xs[0] * p[0]
        for j in range(1, n):
            h = h + xs[j] * p[j]
        if bias:
            h = h + p[n]
        e = h - y
        if l2:
            d = two * e
        else:
            d = one if e > zero else -one if e < zero else T(np.sign(e))
        g = [d * x for x in xs]
        if bias:
            g.append(zero + d)  # numpy's sum of one number: 0 + d (−0 becomes 0)
        flat_p.extend(p)
        flat_g.extend(g)
        put_e(e)
    return flat_p, flat_g, residuals


def _same_bits(values: list, floats: list[float]) -> bool:
    """True if each value is the float beside it, bit for bit (-0.0 is not 0.0; NaN is never the same)."""
    return all(float(v) == f and math.copysign(1.0, float(v)) == math.copysign(1.0, f) for v, f in zip(values, floats))
