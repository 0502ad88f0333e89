"""A run written out for a lab report: the trace as CSV with a header."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .engine import Trace


def write_csv(rows: Iterable[tuple[str, str, Trace]], out: TextIO, upto: int | None = None) -> None:
    """One CSV for (lesson id, experiment id, trace) runs: a row per recorded state.

    Parameters missing from a run (a bias, a second input) are left blank.
    """
    runs = list(rows)
    names: list[str] = []
    for _, _, trace in runs:
        names += [n for n in trace.names if n not in names]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lesson", "experiment", "step", *names, "E", *[f"dE_d{n}" for n in names], "alpha", "status"])
    for lesson_id, exp_id, trace in runs:
        last = trace.last if upto is None else min(upto, trace.last)
        for k in range(last + 1):
            s = trace.state(k)
            writer.writerow(
                [lesson_id, exp_id, k, *[s.params.get(n, "") for n in names], s.loss,
                 *[s.grad.get(n, "") for n in names], trace.alpha_at(k), s.status]
            )


def export_name(lesson_id: str, experiment_id: str, folder: Path, suffix: str) -> Path:
    """A clear file name in `folder` that does not overwrite an earlier export."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{lesson_id}-{experiment_id}-trace")
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path
