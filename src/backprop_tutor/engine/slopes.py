"""The slope ∂E/∂p three ways: the derivative, numerical differentiation, back-propagation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from .graph import Graph
from .losses import Loss
from .neuron import Neuron

Method = Literal["analytic", "numerical", "central", "backprop"]
METHODS: tuple[str, ...] = ("analytic", "numerical", "central", "backprop")

DELTA = 0.00001
"""The lecture's Δw for numerical differentiation."""

GRID_CHUNK = 1 << 16
"""`Fit.errors` works on about this many residuals at a time (512 KiB per float64 array): small
enough to stay in the CPU cache, which on 100k rows is 2.5× faster than 1M at a time."""


@dataclass(frozen=True)
class Fit:
    """A neuron, a loss and the data it learns from: everything E(params) depends on.

    (Called `Problem` before; that name is kept as a deprecated alias, and is also the name of
    a lesson-file error in `backprop_tutor.errors`.)
    """

    neuron: Neuron
    loss: Loss
    X: np.ndarray
    y: np.ndarray

    def error(self, params: np.ndarray) -> np.ndarray:
        """E at `params`."""
        with np.errstate(all="ignore"):
            return self.loss.value(self.neuron.predict(params, self._columns) - self.y)

    def errors(self, grid: np.ndarray, exact: bool = True) -> np.ndarray:
        """E at every parameter row of `grid` (k × params) at once, in float64: shape (k,).

        Exact: row i is bit for bit `self.as_float64().error(grid[i])`, computed a bounded
        chunk of rows at a time (`GRID_CHUNK` residuals), so memory stays flat on any data.
        The cost is k × m, the number of rows times the size of the data.

        `exact=False`, for L2 only (L1 falls back to the exact sum): E is a quadratic in the
        parameters, E(p) = E(p₀) + ∇E(p₀)·d + dᵀAd/m with d = p − p₀, A = DᵀD (D the inputs, with
        a column of ones for the bias) and p₀ the least-squares fit, all computed once per Fit.
        Any grid then costs k × params², whatever the size of the data; values agree with the
        exact sum to rounding (about 1e-12 relative to the largest E in the grid).
        """
        fit = self.as_float64()
        P = np.asarray(grid, dtype=np.float64)
        n = len(self.neuron.param_names)
        if P.ndim != 2 or P.shape[1] != n:
            raise ValueError(f"grid must be k × {n} parameter rows, not {P.shape}")
        with np.errstate(all="ignore"):
            if not exact and self.loss.name == "l2":
                form = fit._quadratic_form
                if form is not None:
                    p0, e0, g0, A = form
                    d = P - p0
                    return e0 + d @ g0 + np.einsum("ki,ij,kj->k", d, A, d) / fit.X.shape[0]
            out = np.empty(P.shape[0])
            X = fit._columns
            rows = max(1, GRID_CHUNK // max(1, X.shape[0]))
            for s in range(0, P.shape[0], rows):
                e = fit.neuron.predict_many(P[s : s + rows], X) - fit.y
                out[s : s + rows] = fit.loss.value(e)
        return out

    @cached_property
    def _columns(self) -> np.ndarray:
        """X stored column by column, so each input's column is contiguous for `errors`."""
        return np.asfortranarray(self.X)

    @cached_property
    def _quadratic_form(self) -> tuple[np.ndarray, float, np.ndarray, np.ndarray] | None:
        """(p₀, E(p₀), ∇E(p₀), A) for `errors(exact=False)`; None if the data overflow it.

        Expanded around the least-squares fit rather than written pᵀAp/m − 2bᵀp/m + c: near the
        minimum the three terms of that form cancel and lose digits; these do not.
        """
        X, y = self.X, self.y
        D = np.column_stack([X, np.ones(X.shape[0])]) if self.neuron.bias else X
        with np.errstate(all="ignore"):
            A = D.T @ D
            if not np.all(np.isfinite(A)):
                return None
            p0 = np.linalg.lstsq(A, D.T @ y, rcond=None)[0]
            # E and its gradient at p₀ from the data themselves: the expansion is then exact
            # for any p₀, however well lstsq solved the normal equations.
            e0, g0 = self.error(p0), self.analytic_slope(p0)
        if not (np.all(np.isfinite(p0)) and np.isfinite(e0) and np.all(np.isfinite(g0))):
            return None
        return p0, float(e0), g0, A

    def analytic_slope(self, params: np.ndarray) -> np.ndarray:
        """The derivative: ∂E/∂w_j = Σ ∂E/∂h_i · x_ij and ∂E/∂b = Σ ∂E/∂h_i."""
        with np.errstate(all="ignore"):
            dE_dh = self.loss.local_gradient(self.neuron.predict(params, self._columns) - self.y)
            if self.X.shape[0] == 1:
                # One datum: multiply rather than dot, so float32 rounds as TensorFlow does.
                grad_w = dE_dh[0] * self.X[0]
            else:
                grad_w = dE_dh @ self.X
            if self.neuron.bias:
                return np.append(grad_w, dE_dh.sum())
            return grad_w

    def rounding(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        """How far rounding alone may have moved E and the derivative at `params` from their
        exact values, in the fit's own precision (a bound, as in a numerical-analysis text).

        A value within its bound is as well 0 as anything: the slope of symmetric data computed
        as 3.3e-16 is 0 in the lecture's arithmetic. L1's slope has no such bound (a residual
        that is noise has no sign); its entries are 0.
        """
        info = np.finfo(self.X.dtype)
        eps, under = float(info.eps), float(info.smallest_subnormal)  # rounding, and underflow
        fit = self.as_float64()
        p = np.asarray(params, dtype=np.float64)
        X, m = np.abs(fit.X), fit.X.shape[0]
        n = self.neuron.inputs
        with np.errstate(all="ignore"):
            e = np.abs(fit.neuron.predict(p, fit.X) - fit.y)
            # h sums n products (and b): each step rounds; e = h − y rounds once more.
            terms = X @ np.abs(p[:n]) + (abs(p[n]) if self.neuron.bias else 0.0)
            e_err = (n + self.neuron.bias) * eps * terms + eps * e
            e_err += (n + 2) * under
            if self.loss.name == "l1":
                E_err = float(e_err.sum() / m + m * eps * e.sum() / m)
                return E_err + (m + 2) * under, np.zeros(len(p))
            E_err = float((2 * e * e_err + e_err * e_err).sum() / m + m * eps * (e * e).sum() / m) + (m + 2) * under
            # ∂E/∂w_j = (2/m) Σ e_i x_ij: each e_i off by e_err_i, the sum of m terms by m·eps.
            local_err = (2 / m) * (e_err + m * eps * e)
            grad_err = local_err @ X + (m + 2) * under
            if self.neuron.bias:
                grad_err = np.append(grad_err, local_err.sum())
        return E_err, grad_err

    def error_and_slope(self, params: np.ndarray, method: str = "analytic") -> tuple[np.ndarray, np.ndarray]:
        """E and the slope at `params` together (the derivative shares one residual pass).

        The hot path of a trace: the caller decides how numpy reports overflow.
        """
        if method != "analytic":
            return self.error(params), self.slope(params, method)
        e = self.neuron.predict(params, self._columns) - self.y
        dE_dh = self.loss.local_gradient(e)
        if not self.neuron.bias:
            grad = dE_dh[0] * self.X[0] if self.X.shape[0] == 1 else dE_dh @ self.X
        else:
            grad = np.empty(self.X.shape[1] + 1, dtype=self.X.dtype)
            grad[:-1] = dE_dh[0] * self.X[0] if self.X.shape[0] == 1 else dE_dh @ self.X
            grad[-1] = dE_dh.sum()
        return self.loss.value(e), grad

    def numerical_slope(self, params: np.ndarray, delta: float = DELTA, central: bool = False) -> np.ndarray:
        """ΔE/Δp per parameter: (E(p+Δ) − E(p))/Δ, or (E(p+Δ) − E(p−Δ))/2Δ when `central`.

        Always computed in float64: a Δ of 0.00001 is lost in float32 rounding.
        """
        p = np.asarray(params, dtype=np.float64)
        fit = self.as_float64()
        slopes = np.empty_like(p)
        with np.errstate(all="ignore"):
            base = fit.error(p)
            for j in range(p.size):
                step = np.zeros_like(p)
                step[j] = delta
                if central:
                    slopes[j] = (fit.error(p + step) - fit.error(p - step)) / (2 * delta)
                else:
                    slopes[j] = (fit.error(p + step) - base) / delta
        return slopes

    def backprop_slope(self, params: np.ndarray) -> np.ndarray:
        """∂E/∂p by back-propagation through the computation graph."""
        return self.graph().run(params, self.X, self.y).gradient(self.neuron.param_names)

    def slope(self, params: np.ndarray, method: str = "analytic") -> np.ndarray:
        """The slope by `method`: analytic, numerical (forward), central or backprop."""
        if method == "analytic":
            return self.analytic_slope(params)
        if method == "backprop":
            return self.backprop_slope(params)
        if method in ("numerical", "central"):
            return self.numerical_slope(params, central=method == "central").astype(self.X.dtype)
        raise ValueError(f"unknown gradient method {method!r}")

    def graph(self) -> Graph:
        """The computation graph of this fit."""
        return Graph(self.neuron, self.loss)

    def as_float64(self) -> Fit:
        """The same fit in float64 (kept, so its caches are built once)."""
        if self.X.dtype == np.float64:
            return self
        return self._float64

    @cached_property
    def _float64(self) -> Fit:
        return Fit(self.neuron, self.loss, self.X.astype(np.float64), self.y.astype(np.float64))


Problem = Fit
"""Deprecated: the old name of `Fit` (it clashed with `backprop_tutor.errors.Problem`)."""
