"""Where a run does something worth stopping at: its status changes, its slope changes sign, E
falls below a line, or it reaches a state named on the command line.

The app's `u` and `tutor trace --until` both ask `stop_at` about each new state in turn, so a run
stops at the same step in both. Only recorded states are read: looking never recomputes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import LessonError
from .number_format import format_number
from .words import Words

if TYPE_CHECKING:  # the engine and numpy come with the first run, not with the command line
    from .engine import Trace

STEP_CAP = 1000
"""The most updates one `u` takes when nothing happens."""
STATUS_NAMES = ("converged", "oscillating", "diverged", "stalled")
"""The statuses a run may be stopped at (running is where it starts)."""
_BELOW = re.compile(r"^E\s*<\s*(\S+)$")


@dataclass(frozen=True)
class Until:
    """What to stop at. The app's `u` watches for anything (`Until.anything`); the command line
    names one thing."""

    status_change: bool = False
    """Any change of status to one that is not `running`."""
    statuses: tuple[str, ...] = ()
    """Reaching one of these statuses."""
    overshoot: bool = False
    """The slope changes sign while E still falls: w jumped over the bottom and landed closer.
    Only the first jump of a series stops (a run converging from side to side stops once), and a
    jump that raises E does not (that is a bounce or a blow-up: the status says which)."""
    sign_change: bool = False
    """The slope changes sign, whatever E does."""
    below: float | None = None
    """E falls below this (from at or above it)."""

    @classmethod
    def anything(cls, below: float | None = None) -> Until:
        """What `u` stops at: a new status, an overshoot, E below the page's line."""
        return cls(status_change=True, overshoot=True, below=below)


@dataclass(frozen=True)
class Stop:
    """Where a run stopped, and why, in words a student reads."""

    step: int
    reason: str
    """`converged`, `oscillating`, `diverged`, `stalled`, `overshoot`, `sign-change`, `below`."""
    words: str
    """Why, without the step: `diverged`, `E = 9.3e-07 fell below 1e-06`."""
    values: dict[str, str] = field(default_factory=dict)
    """The numbers in `words`, formatted: the word tables' `until.<reason>` says it in any language
    (`loss` and `line` for `below`, `slopes` and `name` for a sign change)."""


def parse_until(text: str) -> Until:
    """`sign-change`, `overshoot`, a status (`converged`, `diverged`, …) or `E<1e-6`.

    Raises:
        LessonError: anything else.
    """
    text = text.strip()
    if text == "sign-change":
        return Until(sign_change=True)
    if text == "overshoot":
        return Until(overshoot=True)
    if text in STATUS_NAMES:
        return Until(statuses=(text,))
    match = _BELOW.match(text)
    if match:
        try:
            value = float(match.group(1))
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return Until(below=value)
    names = ", ".join(("sign-change", "overshoot", *STATUS_NAMES, "E<NUMBER"))
    raise LessonError.at("command line", 0, f"--until {text!r}: stop at one of {names} (e.g. --until 'E<1e-6')")


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _crossed(trace: Trace, k: int) -> bool:
    """The first parameter's slope at `k` has the other sign from the one at `k − 1` (neither 0)."""
    if k < 1:
        return False
    a, b = float(trace.grad_at(k - 1)[0]), float(trace.grad_at(k)[0])
    return _sign(a) * _sign(b) < 0


def stop_at(trace: Trace, k: int, until: Until) -> Stop | None:
    """Whether state `k` (just reached from `k − 1`) is one to stop at, and why."""
    if k < 1 or k > trace.last:
        return None
    before, now = trace.state(k - 1), trace.state(k)
    status = now.status
    if (until.status_change and status != before.status and status != "running") or (
        status in until.statuses and before.status != status
    ):
        return _stop(k, status)
    if until.below is not None and now.loss < until.below <= before.loss:
        return _stop(k, "below", loss=format_number(now.loss), line=format_number(until.below))
    crossed = _crossed(trace, k)
    name = trace.names[0]
    slopes = f"{format_number(before.grad[name])} → {format_number(now.grad[name])}"
    if until.sign_change and crossed:
        return _stop(k, "sign-change", slopes=slopes)
    if until.overshoot and crossed and now.loss < before.loss and not _crossed(trace, k - 1):
        return _stop(k, "overshoot", slopes=slopes, name=name)
    return None


def _stop(k: int, reason: str, **values: str) -> Stop:
    """A stop at `k`, said in English (`tutor trace --until`); the app says it in the page's language."""
    return Stop(k, reason, Words()(f"until.{reason}", **values), values)


def first_stop(trace: Trace, until: Until, start: int = 0, last: int | None = None) -> Stop | None:
    """The first state after `start` (up to `last`, recording as it goes) to stop at; None if none.

    The answer of `first_stop_step_by_step`; states already recorded (`tutor trace` records
    first) are looked over a column at a time.
    """
    end = trace.max_steps if last is None else last
    recorded = min(end, trace.last)
    if recorded > start:
        stop = _first_recorded_stop(trace, until, start + 1, recorded)
        if stop is not None:
            return stop
        start = recorded
    return first_stop_step_by_step(trace, until, start, end)


def first_stop_step_by_step(trace: Trace, until: Until, start: int, end: int) -> Stop | None:
    """`stop_at` for each state after `start` up to `end`, recording one state at a time."""
    k = start
    while k < end:
        trace.extend_to(k + 1)
        if trace.last <= k:
            return None
        k += 1
        stop = stop_at(trace, k, until)
        if stop is not None:
            return stop
    return None


def _first_recorded_stop(trace: Trace, until: Until, first: int, last: int) -> Stop | None:
    """`stop_at` over the recorded states first..last, asked only where a stop is possible.

    Read a column at a time, the states that could stop are those where the status changes, E
    crosses `below` (the numbers `State` holds), or the first slope changes sign; `stop_at`
    decides at each of them in turn, so the answer is the one-by-one loop's.
    """
    import numpy as np

    before = first - 1
    columns = trace.columns(last, since=before)
    maybe = np.zeros(last - before + 1, dtype=bool)  # for steps before..last; `before` never stops here
    if until.status_change or until.statuses:
        codes = columns.status.index
        maybe[1:] |= codes[1:] != codes[:-1]
    if until.below is not None:
        loss = np.array(columns.loss.values)[columns.loss.index]
        maybe[1:] |= (loss[1:] < until.below) & (until.below <= loss[:-1])
    if until.sign_change or until.overshoot:
        values = np.array(columns.grad[0].values)
        sign = ((values > 0).astype(np.int8) - (values < 0))[columns.grad[0].index]  # NaN: 0, as _sign
        maybe[1:] |= sign[1:] * sign[:-1] < 0
    for k in (before + np.flatnonzero(maybe)).tolist():
        stop = stop_at(trace, k, until)
        if stop is not None:
            return stop
    return None
