"""Runs pinned beside the page's own, to compare: at most three, each a cursor over its own trace.

A pin follows the page's cursor: at step k every pinned run shows its own state k (or its last,
if it stopped before k). Following records states a pin has not reached yet and never
recomputes one it has: rewinding the page rewinds every pin by the same index. The lesson's
`compare:` list pins its runs when the page opens; `v` pins the run on screen, `V` clears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..comparison import Settings, labels, variant_experiment
from ..lessons.limits import MAX_COMPARED
from ..words import Words
from .run import Run

if TYPE_CHECKING:
    from ..lessons import Experiment
    from ..lessons.data import Dataset

MARKERS = ("1", "2", "3")
"""Each pin's mark on the plots and in the table: shapes a student tells apart without colour
(the page's own run is `@`)."""
NOW_MARKER = "@"
ENGLISH = Words()


@dataclass
class Pins:
    """The runs pinned on one page, in the order they were pinned."""

    runs: list[Run] = field(default_factory=list)

    @classmethod
    def from_lesson(cls, experiment: Experiment, data: Dataset) -> Pins:
        """The runs the page's `compare:` list asks for, each from the experiment's own start."""
        return cls([Run.start(variant_experiment(experiment, v), data) for v in experiment.compare])

    def __len__(self) -> int:
        return len(self.runs)

    def pin(self, run: Run, words: Words = ENGLISH) -> str:
        """Pin the run on screen as it stands (its past, and its future as recorded); says what happened."""
        if run.graph:
            return words("pin.graph")
        if any(p.trace is run.trace for p in self.runs):
            return words("pin.already")
        if len(self.runs) >= MAX_COMPARED:
            return words("pin.full", count=MAX_COMPARED)
        pinned = Run(run.experiment, run.data, run.trace, step=run.step)
        self.runs.append(pinned)
        return words("pin.pinned", marker=MARKERS[len(self.runs) - 1])

    def clear(self, words: Words = ENGLISH) -> str:
        """Unpin every run; says what happened."""
        if not self.runs:
            return words("pin.none")
        count, self.runs = len(self.runs), []
        return words("pin.unpinned", count=count) if count > 1 else words("pin.unpinned_one")

    def follow(self, step: int) -> list[Run]:
        """Every pinned run with its cursor at `step` (or at its last state, if it stopped before)."""
        for pinned in self.runs:
            trace = pinned.trace
            if step > trace.max_steps:
                trace.allow(min(step, max(pinned.cap, trace.max_steps)))
            trace.extend_to(step)
            pinned.step = min(step, trace.last)
        return self.runs


def run_labels(run: Run, pinned: list[Run], alpha: str = "α", words: Words | None = ENGLISH) -> list[str]:
    """What tells the page's run and each pinned run apart (the page's run first).

    Runs alike in every setting (a w moved by hand) are `this run`, then `run 1`, `run 2` … by
    their marks, in the words' language; with `words` None such runs are left unnamed (``).
    """

    def named(n: int) -> str:
        if words is None:
            return ""
        return words("plot.this_run") if n == 1 else words("plot.run", n=n - 1)  # pin n − 1 has the mark n − 1

    return labels([Settings.of(r.trace) for r in (run, *pinned)], alpha, named)
