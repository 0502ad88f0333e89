"""The slope ∂E/∂p three ways: the derivative, numerical differentiation, back-propagation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .graph import Graph
from .losses import Loss
from .neuron import Neuron

Method = Literal["analytic", "numerical", "central", "backprop"]
METHODS: tuple[str, ...] = ("analytic", "numerical", "central", "backprop")

DELTA = 0.00001
"""The lecture's Δw for numerical differentiation."""


@dataclass(frozen=True)
class Problem:
    """A neuron, a loss and the data it learns from: everything E(params) depends on."""

    neuron: Neuron
    loss: Loss
    X: np.ndarray
    y: np.ndarray

    def error(self, params: np.ndarray) -> np.ndarray:
        """E at `params`."""
        with np.errstate(all="ignore"):
            return self.loss.value(self.neuron.predict(params, self.X) - self.y)

    def analytic_slope(self, params: np.ndarray) -> np.ndarray:
        """The derivative: ∂E/∂w_j = Σ ∂E/∂h_i · x_ij and ∂E/∂b = Σ ∂E/∂h_i."""
        with np.errstate(all="ignore"):
            dE_dh = self.loss.local_gradient(self.neuron.predict(params, self.X) - self.y)
            if self.X.shape[0] == 1:
                # One datum: multiply rather than dot, so float32 rounds as TensorFlow does.
                grad_w = dE_dh[0] * self.X[0]
            else:
                grad_w = dE_dh @ self.X
            if self.neuron.bias:
                return np.append(grad_w, dE_dh.sum())
            return grad_w

    def error_and_slope(self, params: np.ndarray, method: str = "analytic") -> tuple[np.ndarray, np.ndarray]:
        """E and the slope at `params` together (the derivative shares one residual pass).

        The hot path of a trace: the caller decides how numpy reports overflow.
        """
        if method != "analytic":
            return self.error(params), self.slope(params, method)
        e = self.neuron.predict(params, self.X) - self.y
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
        problem = self.as_float64()
        slopes = np.empty_like(p)
        with np.errstate(all="ignore"):
            base = problem.error(p)
            for j in range(p.size):
                step = np.zeros_like(p)
                step[j] = delta
                if central:
                    slopes[j] = (problem.error(p + step) - problem.error(p - step)) / (2 * delta)
                else:
                    slopes[j] = (problem.error(p + step) - base) / delta
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
        """The computation graph of this problem."""
        return Graph(self.neuron, self.loss)

    def as_float64(self) -> Problem:
        """The same problem in float64."""
        if self.X.dtype == np.float64:
            return self
        return Problem(self.neuron, self.loss, self.X.astype(np.float64), self.y.astype(np.float64))
