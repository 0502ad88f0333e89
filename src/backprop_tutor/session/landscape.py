"""E around a run, sampled for the plots: the curve along the first parameter and the surface over
the first two, each in one vectorised pass, the other parameters held at the cursor's values.

`Run.error_curve` and `Run.error_surface` keep what these give for the step on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .run import Run

PATH_SHOWN = 60
"""The most recent steps of the path drawn on a plot."""
CURVE_SAMPLES = 61
"""Points along the error curve E(w)."""
SURFACE_SAMPLES = 41
"""Points along each side of the error surface."""
KINKS_SAMPLED = 50
"""The most L1 kinks (one per datum) added to the curve's samples."""
EXACT_SURFACE_WORK = 2_000_000
"""Data rows × grid points up to which the surface is summed exactly (beyond: L2's closed form)."""


def error_curve(run: Run, also: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sampled values of the first parameter (reaching the path, the best value and `also`),
    E at each, and the values visited up to the cursor."""
    k = run.step
    fit = run.trace.problem.as_float64()
    params = run.trace.params_at(k).astype(np.float64)
    path = run.trace.column(run.names[0], upto=k)[-PATH_SHOWN:].astype(np.float64)
    with np.errstate(all="ignore"):
        x1 = fit.X[:, 0]
        held = params.copy()
        held[0] = 0.0
        rest = fit.neuron.predict(held, fit.X)
        denom = float(x1 @ x1)
        best = float((fit.y - rest) @ x1 / denom) if denom else float(params[0])
        anchors = np.concatenate([path, [params[0], best], np.asarray(also, dtype=np.float64)])
        anchors = anchors[np.isfinite(anchors)]
        lo, hi = (float(anchors.min()), float(anchors.max())) if anchors.size else (-1.0, 1.0)
        pad = max(0.2 * (hi - lo), 1.0)
        ws = np.linspace(lo - pad, hi + pad, CURVE_SAMPLES)
        if fit.loss.name == "l1":
            # |w·x − y| bends where a datum is met exactly: sample there, or the V's tip is cut.
            with_x = x1 != 0
            kinks = ((fit.y - rest)[with_x] / x1[with_x])[:KINKS_SAMPLED]
            ws = _sorted_once(np.concatenate([ws, kinks[(kinks > ws[0]) & (kinks < ws[-1])]]))
    return ws, errors_along(run, ws), path


def errors_along(run: Run, ws: np.ndarray) -> np.ndarray:
    """E at each value of the first parameter in `ws`, the others held at the cursor's values."""
    fit = run.trace.problem.as_float64()
    params = run.trace.params_at(run.step).astype(np.float64)
    with np.errstate(all="ignore"):
        grid = np.tile(params, (len(ws), 1))
        grid[:, 0] = ws
        return fit.errors(grid)


def error_surface(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The values of the first parameter, of the second, E[i, j] at (first[j], second[i]), and the
    path of (first, second) up to the cursor."""
    k = run.step
    fit = run.trace.problem.as_float64()
    params = run.trace.params_at(k).astype(np.float64)
    a, b = run.names[0], run.names[1]
    path = np.column_stack(
        [run.trace.column(a, upto=k)[-PATH_SHOWN:], run.trace.column(b, upto=k)[-PATH_SHOWN:]]
    ).astype(np.float64)
    n = SURFACE_SAMPLES
    with np.errstate(all="ignore"):
        design = np.column_stack([fit.X, np.ones(len(fit.y))]) if fit.neuron.bias else fit.X
        best = np.linalg.lstsq(design, fit.y, rcond=None)[0][:2]
        anchors = np.vstack([path, best[None, :]])
        anchors = anchors[np.all(np.isfinite(anchors), axis=1)]
        lo, hi = (anchors.min(axis=0), anchors.max(axis=0)) if len(anchors) else (-np.ones(2), np.ones(2))
        pad = np.maximum(0.25 * (hi - lo), 1.0)
        first = np.linspace(lo[0] - pad[0], hi[0] + pad[0], n)
        second = np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)
        grid = np.tile(params, (n * n, 1))
        grid[:, 0] = np.tile(first, n)
        grid[:, 1] = np.repeat(second, n)
        # On much data, the quadratic form of L2 costs the same as on 3 rows: a step stays
        # quick. L1 has no such form: its picture is drawn from evenly spaced rows.
        rows = fit.X.shape[0]
        exact = rows * n * n <= EXACT_SURFACE_WORK
        if not exact and fit.loss.name == "l1":
            stride = -(-rows * n * n // EXACT_SURFACE_WORK)
            fit = type(fit)(fit.neuron, fit.loss, fit.X[::stride], fit.y[::stride])
            exact = True
        E = fit.errors(grid, exact=exact).reshape(n, n)
    return first, second, E, path


def _sorted_once(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` without np.unique, which imports numpy.ma (~1.3 MB of every tutor)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]
