"""Small problems built straight from the engine, for tests across the suite."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np

from backprop_tutor.engine import Neuron, Problem, Trace, loss_named

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
PROBLEM_LINE = re.compile(r"(?P<path>.+?)(?::(?P<line>[1-9][0-9]*))?: (?P<message>\S.*)")
"""One problem as the command prints it: `PATH:LINE: message`, or `PATH: message` for the file as a
whole (never `PATH:0:`)."""


def course_copy(folder: Path) -> Path:
    """The shipped course (lessons and data) copied into `folder`/course: its lessons are
    validated and cached as any teacher's are (the checks shipped with the package are not theirs)."""
    root = folder / "course"
    shutil.copytree(LESSONS, root / "lessons")
    shutil.copytree(REPO / "data", root / "data")
    return root


def one_datum(loss: str = "l2", dtype: type = np.float64) -> Problem:
    """The lecture's single datum (x, y) = (1, 1)."""
    return Problem(Neuron(), loss_named(loss), np.array([[1.0]], dtype=dtype), np.array([1.0], dtype=dtype))


def run(loss: str, w: float, alpha: float, steps: int, dtype: type = np.float64, method: str = "analytic") -> Trace:
    """A trace on (1, 1) from `w`, recorded for `steps` updates."""
    trace = Trace(one_datum(loss, dtype), np.array([w]), alpha, method, max_steps=steps)
    trace.extend_to(steps)
    return trace


TENSORFLOW_LAB01 = {  # update number -> w printed by TensorFlow 2.21 (tf.compat.v1), float32, w started at 3
    1: "2.96000004",
    101: "1.25993431",
    201: "1.03447235",
    301: "1.00457144",
    401: "1.00060618",
    701: "1.00000286",
    801: "1.00000286",
    901: "1.00000286",
    1001: "1.00000286",
}
"""Lab 01's printout, typed from TensorFlow's output (never from ours)."""
