"""What a run is doing, judged state by state: running, converged, oscillating, diverged, stalled."""

from __future__ import annotations

import math
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from .trace import Trace

Status = Literal["running", "converged", "oscillating", "diverged", "stalled"]
STATUSES: tuple[str, ...] = ("running", "converged", "oscillating", "diverged", "stalled")
"""converged: E or every slope within tolerance. stalled: an update changed nothing although
the slope is not ~0 (α·slope lost in rounding), so no later update can change anything either."""
CODES = {name: i for i, name in enumerate(STATUSES)}

LOSS_TOLERANCE = 1e-12
"""E at or below this is converged."""
SLOPE_TOLERANCE = 1e-9
"""Every slope at or below this in size is converged."""
LARGEST = 1e150
"""A parameter beyond this (or a non-finite one) has diverged: the trace stops there."""
MAX_PERIOD = 8
"""Oscillations are looked for with periods 2..MAX_PERIOD."""
GROWTH_STEPS = 3
"""E growing this many updates in a row, past its start, is divergence."""

_RUNNING, _CONVERGED, _OSCILLATING, _DIVERGED, _STALLED = (CODES[s] for s in STATUSES)


class Judge:
    """The status of each new state of one trace, from it and the few states before it.

    Kept as plain Python numbers (the last MAX_PERIOD parameter rows, E's last rises and falls),
    so judging costs the same, and says the same, whichever way a state was computed.
    """

    __slots__ = ("moves", "origin", "origin_loss", "falls", "rises", "last_loss", "prev_loss", "before", "history")

    def __init__(self, moves: bool, origin: int, last_loss: float = math.inf) -> None:
        self.moves = moves
        """α is not 0: an update that changes nothing means the run stalled."""
        self.origin = origin
        """The step this trace's own α took over (a fork's step); growth is judged from there."""
        self.origin_loss = math.nan
        self.falls = 0
        """Updates in a row that lowered E (against `last_loss`)."""
        self.rises = 0
        """Updates in a row that raised E (against `prev_loss`, E of the state before)."""
        self.last_loss = last_loss
        self.prev_loss = math.nan
        self.before = _RUNNING
        self.history: deque[list[float]] = deque(maxlen=MAX_PERIOD)

    @classmethod
    def resume(cls, trace: Trace, origin: int, last_loss: float) -> Judge:
        """The judge of a fork whose first `len(trace)` states are copied.

        `last_loss` is E at the fork's step in the trace forked from: a fork that moves a
        parameter at step k counts E falling from the old state k, as the old run would.
        """
        j = cls(bool(trace.alpha != 0), origin, last_loss)
        i = trace._size
        if origin < i:
            j.origin_loss = float(trace._loss[origin])
        if i:
            j.before = int(trace._status[i - 1])
            losses = trace._loss[max(0, i - GROWTH_STEPS - 1) : i].tolist()
            j.prev_loss = losses[-1]
            for a, b in zip(losses, losses[1:]):
                j.rises = j.rises + 1 if b > a else 0
        j.history.extend(trace._params[max(0, i - MAX_PERIOD) : i].tolist())
        return j

    def judge(self, i: int, p: list[float], loss: float, steepest: float, size: float, finite: bool) -> int:
        """The status code of state `i` (parameters `p`, E, largest slope and parameter)."""
        falls = self.falls = self.falls + 1 if i and loss < self.last_loss else 0
        rises = self.rises = self.rises + 1 if i and loss > self.prev_loss else 0
        self.last_loss = self.prev_loss = loss
        if i == self.origin:
            self.origin_loss = loss
        before = self.before if i else _RUNNING
        history = self.history
        if not finite or before == _DIVERGED:
            code = _DIVERGED
        elif loss <= LOSS_TOLERANCE or steepest <= SLOPE_TOLERANCE:
            code = _CONVERGED
        elif i and self.moves and p == history[-1]:
            code = _STALLED  # an update that changed nothing, away from the bottom: for good
        elif before == _OSCILLATING:
            code = _OSCILLATING
        elif rises >= GROWTH_STEPS and i - GROWTH_STEPS >= self.origin and loss > self.origin_loss:
            code = _DIVERGED  # E grew GROWTH_STEPS updates in a row, past where this α began
        elif i >= 2 and falls < MAX_PERIOD and self._repeats(p, size):
            # (A run whose E fell at every one of the last MAX_PERIOD updates cannot be
            # repeating an earlier state, as a cycle repeats E too: no search.)
            code = _OSCILLATING
        else:
            code = _RUNNING
        history.append(p)
        self.before = code
        return code

    def judge_many(
        self, first: int, rows: np.ndarray, losses: np.ndarray, steepest: np.ndarray, sizes: np.ndarray, finite: np.ndarray
    ) -> list[int]:
        """The status codes of states first, first + 1, …: their parameter rows (float64), E, slopes, sizes.

        The same codes as `judge` one state at a time. Two common stretches are told at once:
        a run whose E keeps falling (falling for MAX_PERIOD updates already) is running; an
        oscillating run stays oscillating; unless, in either, a state converges, stalls or is
        not finite; and a run whose every update changes nothing is stalled. Anything else is
        judged state by state.
        """
        c = len(losses)
        if c and first > self.origin and self.before != _DIVERGED and finite.all() and not ((losses <= LOSS_TOLERANCE) | (steepest <= SLOPE_TOLERANCE)).any():
            before = self.before
            same = np.zeros(c, dtype=bool)
            if self.moves:
                same = (rows == np.vstack([np.asarray([self.history[-1]]), rows[:-1]])).all(axis=1)
            fell = losses < np.concatenate(([self.last_loss], losses[:-1]))
            if same.all():
                code = _STALLED
            elif same.any():
                code = -1
            elif before == _OSCILLATING:
                code = _OSCILLATING
            elif before == _RUNNING and self.falls >= MAX_PERIOD - 1 and fell.all():
                code = _RUNNING
            else:
                code = -1
            if code >= 0:
                rose = losses > np.concatenate(([self.prev_loss], losses[:-1]))
                self.falls = _run_length(fell, self.falls)
                self.rises = _run_length(rose, self.rises)
                self.last_loss = self.prev_loss = float(losses[-1])
                self.history.extend(rows[-MAX_PERIOD:].tolist())
                self.before = code
                return [code] * c
        ps, es, steep, size, ok = rows.tolist(), losses.tolist(), steepest.tolist(), sizes.tolist(), finite.tolist()
        return [self.judge(first + j, ps[j], es[j], steep[j], size[j], ok[j]) for j in range(c)]

    def _repeats(self, p: list[float], size: float) -> bool:
        """True if `p` is back (within 1e-9 relative) where it was 2..MAX_PERIOD states ago.

        In float64 (Python floats): large float32 values of opposite sign would overflow if
        subtracted in float32.
        """
        near = 1e-9 * max(1.0, size)
        history = self.history
        return any(max(abs(u - v) for u, v in zip(row, p)) <= near for row in islice(history, len(history) - 1))


def _run_length(flags: np.ndarray, before: int) -> int:
    """How many of `flags` are True at its end (plus `before` if all are)."""
    if flags.all():
        return before + len(flags)
    return len(flags) - 1 - int(np.flatnonzero(~flags)[-1])


def largest(values: list[float]) -> float:
    """The largest size in a short list (NaN if any is NaN): plain Python beats a numpy
    reduction on a handful of numbers, and this runs twice per update."""
    largest = 0.0
    for v in values:
        v = abs(v)
        if v > largest:
            largest = v
        elif v != v:
            return v  # NaN
    return largest
