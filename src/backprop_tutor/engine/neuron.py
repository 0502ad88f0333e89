"""A linear neuron: h = w·x (rotation) or h = w·x + b (rotation and shifting)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Neuron:
    """A linear neuron with `inputs` weights and, optionally, a bias.

    Parameters are ordered as the lecture writes them: `w` (or `w1..wn`), then `b`.
    """

    inputs: int = 1
    bias: bool = False

    @property
    def weight_names(self) -> tuple[str, ...]:
        """Names of the weights: `("w",)` for one input, else `("w1", ..., "wn")`."""
        if self.inputs == 1:
            return ("w",)
        return tuple(f"w{i}" for i in range(1, self.inputs + 1))

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names of the inputs: `("x",)` for one input, else `("x1", ..., "xn")`."""
        if self.inputs == 1:
            return ("x",)
        return tuple(f"x{i}" for i in range(1, self.inputs + 1))

    @property
    def param_names(self) -> tuple[str, ...]:
        """Every trainable parameter, weights first, then `b`."""
        return self.weight_names + (("b",) if self.bias else ())

    @property
    def formula(self) -> str:
        """The hypothesis written out, e.g. `h = w·x + b`."""
        terms = [f"{w}·{x}" for w, x in zip(self.weight_names, self.input_names)]
        if self.bias:
            terms.append("b")
        return "h = " + " + ".join(terms)

    def predict(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        """The hypothesis h for every row of `X` (shape m × inputs).

        Summed input by input, left to right (x₁w₁ + x₂w₂, + x₃w₃, …, + b), rather than by a
        BLAS dot product: the same bits on every machine, and the same bits as `predict_many`
        gives for this row of a grid. X stored column by column (Fortran order) is fastest.
        """
        n = self.inputs
        if n == 1:
            h = X[:, 0] * params[0]
        else:
            products = X * params[:n]  # one call for every x_ij·w_j
            h = products[:, 0] + products[:, 1]
            for j in range(2, n):
                h += products[:, j]  # in place: the same sum, one array fewer
        if self.bias:
            h += params[n]
        return h

    def predict_many(self, grid: np.ndarray, X: np.ndarray) -> np.ndarray:
        """h for every parameter row of `grid` (k × params) and every row of `X`: shape k × m.

        Row i is bit for bit `predict(grid[i], X)`: the same products summed in the same order.
        """
        n = self.inputs
        if n == 1:
            h = grid[:, 0, None] * X[:, 0]
        else:
            products = grid[:, None, :n] * X  # k × m × n
            h = products[:, :, 0] + products[:, :, 1]
            for j in range(2, n):
                h += products[:, :, j]
        if self.bias:
            h += grid[:, n, None]
        return h
