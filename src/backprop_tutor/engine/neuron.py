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
        """The hypothesis h for every row of `X` (shape m × inputs)."""
        h = X @ params[: self.inputs]
        if self.bias:
            h = h + params[self.inputs]
        return h
