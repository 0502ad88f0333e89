"""Gradient descent one update at a time, recorded as an immutable trace of states.

Each update is `p ← p − α·slope`. States are recorded once, in preallocated arrays, and never
recomputed: rewinding is an index, and changing α or a start value at step k forks a new trace
that copies the first k states and computes only the new future.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .slopes import Fit

Status = Literal["running", "converged", "oscillating", "diverged", "stalled"]
STATUSES: tuple[str, ...] = ("running", "converged", "oscillating", "diverged", "stalled")
"""converged: E or every slope within tolerance. stalled: an update changed nothing although
the slope is not ~0 (α·slope lost in rounding), so no later update can change anything either."""
_CODES = {name: i for i, name in enumerate(STATUSES)}

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


@dataclass(frozen=True)
class State:
    """The run after `step` updates: parameters, E and the slope at those parameters."""

    step: int
    params: dict[str, float]
    loss: float
    grad: dict[str, float]
    status: Status

    def param(self, name: str) -> float:
        """One parameter's value."""
        return self.params[name]


class Trace:
    """A gradient-descent run, recorded one state at a time up to `max_steps` updates.

    Args:
        problem: the neuron, loss and data.
        start: the parameters at step 0, in `problem.neuron.param_names` order.
        alpha: the learning rate α.
        method: how the slope is found: analytic, numerical, central or backprop.
        max_steps: the most updates this trace will ever record.
    """

    def __init__(
        self,
        problem: Fit,
        start: np.ndarray,
        alpha: float,
        method: str = "analytic",
        max_steps: int = 1000,
    ) -> None:
        self.problem = problem
        self.dtype = problem.X.dtype
        self.alpha = self.dtype.type(alpha)
        self.method = method
        self.max_steps = max_steps
        self.names = problem.neuron.param_names
        capacity = min(max_steps, 64) + 1
        n = len(self.names)
        self._params = np.empty((capacity, n), dtype=self.dtype)
        self._grad = np.empty((capacity, n), dtype=self.dtype)
        self._loss = np.empty(capacity, dtype=self.dtype)
        self._status = np.zeros(capacity, dtype=np.int8)
        self._alphas = np.empty(capacity, dtype=np.float64)
        self._origin = 0
        self._falls = 0  # updates in a row that lowered E
        self._last_loss = np.inf
        """The step this trace's own α took over (a fork's step); growth is judged from there."""
        self._size = 0
        self.stopped = False
        """True once the run hit a non-finite or huge value: nothing follows that state."""
        with np.errstate(all="ignore"):
            self._record(np.asarray(start, dtype=self.dtype))

    # -- reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many states are recorded (the start is state 0)."""
        return self._size

    @property
    def last(self) -> int:
        """The index of the last recorded state."""
        return self._size - 1

    @property
    def complete(self) -> bool:
        """True when no further state can be recorded."""
        return self.stopped or self.last >= self.max_steps

    def state(self, k: int) -> State:
        """The recorded state after `k` updates (computing it first if need be)."""
        self.extend_to(k)
        if not 0 <= k < self._size:
            raise IndexError(f"step {k} is not recorded (0..{self.last})")
        return State(
            step=k,
            params={n: self._number(v) for n, v in zip(self.names, self._params[k])},
            loss=self._number(self._loss[k]),
            grad={n: self._number(v) for n, v in zip(self.names, self._grad[k])},
            status=STATUSES[self._status[k]],  # type: ignore[arg-type]
        )

    def _number(self, value: np.generic) -> float:
        # float32 values become the shortest decimal that reads back as the same float32,
        # so 2.96 prints as 2.96 and not 2.9600000381469727.
        return float(value) if self.dtype == np.float64 else float(str(value))

    def params_at(self, k: int) -> np.ndarray:
        """The parameters at step `k`, as a read-only array in the run's dtype."""
        view = self._params[k]
        view.flags.writeable = False
        return view

    def grad_at(self, k: int) -> np.ndarray:
        """The slope at step `k`, as a read-only array in the run's dtype."""
        view = self._grad[k]
        view.flags.writeable = False
        return view

    def alpha_at(self, k: int) -> float:
        """The α of the update that leaves step `k` (earlier steps of a fork keep their own)."""
        return float(self._alphas[k])

    def loss_at(self, k: int) -> np.generic:
        """E at step `k`, in the run's dtype."""
        return self._loss[k]

    def column(self, name: str, upto: int | None = None) -> np.ndarray:
        """One parameter over steps 0..upto (a copy)."""
        end = self._size if upto is None else min(upto + 1, self._size)
        return self._params[:end, self.names.index(name)].copy()

    def next_params(self, k: int) -> np.ndarray:
        """The parameters the update leaving step `k` gives: p − α·slope, in the run's dtype.

        The one place the update rule is written: the trace records its next state from it, so
        a "next w" shown at step k is the state k + 1 this trace records, with the α that left
        step k (`alpha_at(k)`: a fork's steps before the fork keep the old α).
        """
        alpha = self.dtype.type(self._alphas[k])  # float32 → float64 → float32 is exact
        with np.errstate(all="ignore"):  # overflow on the way to divergence is expected
            return self._params[k] - alpha * self._grad[k]

    def losses(self, upto: int | None = None) -> np.ndarray:
        """E over steps 0..upto (a copy)."""
        end = self._size if upto is None else min(upto + 1, self._size)
        return self._loss[:end].copy()

    # -- recording -------------------------------------------------------------------------------

    def extend_to(self, k: int) -> None:
        """Record states up to step `k` (fewer if the run stops or reaches `max_steps`)."""
        k = min(k, self.max_steps)
        if self._size > k or self.stopped:
            return
        with np.errstate(all="ignore"):  # overflow on the way to divergence is expected
            while self._size <= k and not self.stopped:
                self._record(self.next_params(self._size - 1))

    def fork(self, k: int, alpha: float | None = None, params: dict[str, float] | None = None) -> Trace:
        """A new trace sharing steps 0..k with this one, with a new α and/or new values at k.

        The past is copied, not recomputed; only state k is recomputed when its parameters change.
        """
        k = min(k, self.last)
        child = Trace.__new__(Trace)
        child.problem, child.dtype, child.method = self.problem, self.dtype, self.method
        child.alpha = self.dtype.type(self.alpha if alpha is None else alpha)
        child.max_steps, child.names, child.stopped = self.max_steps, self.names, False
        keep = k if params else k + 1
        capacity = max(keep + 1, min(self.max_steps, 64) + 1)
        child._params = np.empty((capacity, len(self.names)), dtype=self.dtype)
        child._grad = np.empty_like(child._params)
        child._loss = np.empty(capacity, dtype=self.dtype)
        child._status = np.zeros(capacity, dtype=np.int8)
        child._alphas = np.empty(capacity, dtype=np.float64)
        child._alphas[:keep] = self._alphas[:keep]
        new_alpha = alpha is not None and child.alpha != self.alpha
        child._origin = k if (new_alpha or params) else self._origin
        child._falls, child._last_loss = 0, float(self._loss[k])
        child._params[:keep] = self._params[:keep]
        child._grad[:keep] = self._grad[:keep]
        child._loss[:keep] = self._loss[:keep]
        child._status[:keep] = self._status[:keep]
        child._size = keep
        if params:
            start = self._params[k].copy()
            for name, value in params.items():
                start[self.names.index(name)] = value
            with np.errstate(all="ignore"):
                child._record(start)
        else:
            child.stopped = not child._finite(k)
            child._alphas[k] = float(child.alpha)
            if child.alpha != self.alpha and not child.stopped and child._status[k] != _CODES["converged"]:
                # A new α gives the run a new chance from where it stands: a bounce or a blow-up
                # of the old α says nothing about the new one.
                child._status[k] = _CODES["running"]
        return child

    def _record(self, params: np.ndarray) -> None:
        i = self._size
        if i == self._params.shape[0]:
            grow = min(self.max_steps + 1, 2 * i)
            for attr in ("_params", "_grad"):
                old = getattr(self, attr)
                new = np.empty((grow, old.shape[1]), dtype=self.dtype)
                new[:i] = old[:i]
                setattr(self, attr, new)
            self._loss = np.resize(self._loss, grow)
            self._status = np.resize(self._status, grow)
            self._alphas = np.resize(self._alphas, grow)
        self._params[i] = params
        self._alphas[i] = float(self.alpha)
        # Callers hold np.errstate(all="ignore"): overflow on the way to divergence is expected.
        # NaN compares False, so one comparison also catches NaN and inf.
        size = _largest(self._params[i])
        if size <= LARGEST:
            loss, grad = self.problem.error_and_slope(self._params[i], self.method)
            self._loss[i] = loss
            self._grad[i] = grad
        else:
            self._loss[i] = np.nan if math.isnan(size) else np.inf
            self._grad[i] = np.nan
        steepest = _largest(self._grad[i])
        loss = float(self._loss[i])
        self._falls = self._falls + 1 if i and loss < self._last_loss else 0
        self._last_loss = loss
        finite = size <= LARGEST and math.isfinite(loss) and math.isfinite(steepest)
        self._size = i + 1
        self._status[i] = _CODES[self._classify(i, loss, steepest, size, finite)]
        if not finite:
            self.stopped = True

    def _finite(self, i: int) -> bool:
        with np.errstate(all="ignore"):
            size = float(np.abs(self._params[i]).max(initial=0.0))
            steepest = float(np.abs(self._grad[i]).max(initial=0.0))
        return size <= LARGEST and math.isfinite(float(self._loss[i])) and math.isfinite(steepest)

    def _classify(self, i: int, loss: float, steepest: float, size: float, finite: bool) -> Status:
        """The status of state `i`, from it and the states before it."""
        if not finite:
            return "diverged"
        before = STATUSES[self._status[i - 1]] if i > 0 else "running"
        if before == "diverged":
            return "diverged"
        if loss <= LOSS_TOLERANCE or steepest <= SLOPE_TOLERANCE:
            return "converged"
        p = self._params[i]
        if i > 0 and self.alpha != 0 and p.tolist() == self._params[i - 1].tolist():
            return "stalled"  # an update that changed nothing, away from the bottom: for good
        if before == "oscillating":
            return "oscillating"
        origin = self._origin
        if i - GROWTH_STEPS >= origin and loss > self._loss[origin]:
            recent = self._loss[i - GROWTH_STEPS : i + 1]
            if np.all(recent[1:] > recent[:-1]):
                return "diverged"
        # A run whose E fell at every one of the last MAX_PERIOD updates cannot be repeating
        # an earlier state (a cycle repeats E too): skip the search.
        if i >= 2 and self._falls < MAX_PERIOD:
            # Back 2..MAX_PERIOD steps at once, in float64: large float32 values of opposite
            # sign would overflow when subtracted.
            earlier = self._params[max(0, i - MAX_PERIOD) : i - 1].astype(np.float64)
            gaps = np.abs(earlier - p.astype(np.float64)).max(axis=1)
            if gaps.min() <= 1e-9 * max(1.0, size):
                return "oscillating"
        return "running"


def _largest(values: np.ndarray) -> float:
    """The largest size in a short vector (NaN if any is NaN): plain Python beats a numpy
    reduction on a handful of numbers, and this runs twice per update."""
    largest = 0.0
    for v in values.tolist():
        v = abs(v)
        if v > largest:
            largest = v
        elif v != v:
            return v  # NaN
    return largest
