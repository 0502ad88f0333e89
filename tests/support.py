"""Small problems built straight from the engine, for tests across the suite."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from backprop_tutor.engine import Neuron, Problem, Trace, loss_named

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"


def one_datum(loss: str = "l2", dtype: type = np.float64) -> Problem:
    """The lecture's single datum (x, y) = (1, 1)."""
    return Problem(Neuron(), loss_named(loss), np.array([[1.0]], dtype=dtype), np.array([1.0], dtype=dtype))


def run(loss: str, w: float, alpha: float, steps: int, dtype: type = np.float64, method: str = "analytic") -> Trace:
    """A trace on (1, 1) from `w`, recorded for `steps` updates."""
    trace = Trace(one_datum(loss, dtype), np.array([w]), alpha, method, max_steps=steps)
    trace.extend_to(steps)
    return trace
