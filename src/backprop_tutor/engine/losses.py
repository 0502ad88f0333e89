"""The error functions of the lecture: L1 (absolute) and L2 (squared), averaged over the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

LossName = Literal["l1", "l2"]


@dataclass(frozen=True)
class Loss:
    """An error function E = mean(f(e)) of the residuals e = h − y."""

    name: LossName

    def value(self, e: np.ndarray) -> np.ndarray:
        """E for residuals `e` (mean over the data; on one datum |e| or e²).

        `e` may also be k × m (one row of residuals per parameter row): then E for each row.
        """
        m = e.dtype.type(e.shape[-1])
        if self.name == "l1":
            return np.abs(e).sum(axis=-1) / m
        return (e * e).sum(axis=-1) / m

    def local_gradient(self, e: np.ndarray) -> np.ndarray:
        """∂E/∂e for each residual: 2e/m for L2, sign(e)/m for L1 (0 at the kink)."""
        m = e.dtype.type(e.shape[0])
        if self.name == "l1":
            return np.sign(e) / m
        # 2·e first, then /m: on one datum this is TensorFlow's float32 order exactly.
        return (e.dtype.type(2) * e) / m


L1 = Loss("l1")
L2 = Loss("l2")


def loss_named(name: str) -> Loss:
    """The loss for `"l1"` or `"l2"`."""
    if name == "l1":
        return L1
    if name == "l2":
        return L2
    raise ValueError(f"unknown loss {name!r}: use l1 or l2")
