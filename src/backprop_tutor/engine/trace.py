"""Gradient descent one update at a time, recorded as an immutable trace of states.

Each update is `p ← p − α·slope`. States are recorded once, in preallocated arrays, and never
recomputed: rewinding is an index, and changing α or a start value at step k forks a new trace
that copies the first k states and computes only the new future.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple, cast

import numpy as np

from .columns import Column, read_codes, read_numbers
from .scalar import at_rest, one_datum_states
from .slopes import Fit
from .status import CODES, LARGEST, STATUSES, Judge, Status, largest

CHUNK = 512
"""One-datum runs are computed and judged this many states at a time."""


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


class Columns(NamedTuple):
    """A trace's recorded states as columns (`Trace.columns`), in the order of `Trace.names`."""

    params: list[Column]
    loss: Column
    grad: list[Column]
    alpha: Column
    """The α of the update that leaves each step (`Trace.alpha_at`)."""
    status: Column


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
        self._judge = Judge(bool(self.alpha != 0), origin=0)
        self._one_datum = method == "analytic" and problem.X.shape[0] == 1
        """One datum and the derivative: updates are computed in scalars (`_extend_one_datum`)."""
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
            status=STATUSES[self._status[k]],
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
        with np.errstate(all="ignore"):  # overflow on the way to divergence is expected
            return self._next(k)

    def _next(self, k: int) -> np.ndarray:
        # The rule itself, for callers that already hold np.errstate(all="ignore").
        # The α that left step k: this trace's own from its last step (and the fork's step) on;
        # earlier steps of a fork keep the old one (float32 → float64 → float32 is exact).
        alpha = self.alpha if k == self._size - 1 else self.dtype.type(self._alphas[k])
        return self._params[k] - alpha * self._grad[k]

    def losses(self, upto: int | None = None) -> np.ndarray:
        """E over steps 0..upto (a copy)."""
        end = self._size if upto is None else min(upto + 1, self._size)
        return self._loss[:end].copy()

    def states(self, upto: int | None = None) -> list[State]:
        """Every recorded state 0..upto at once (computing them first if need be).

        The same `State`s as `state(k)` one by one, converted a whole column at a time: for
        exports of long runs.
        """
        columns = self.columns(upto)
        params = [c.tolist() for c in columns.params]
        grads = [c.tolist() for c in columns.grad]
        names = self.names
        return [
            State(k, dict(zip(names, p)), loss, dict(zip(names, g)), cast(Status, status))
            for k, (p, loss, g, status) in enumerate(
                zip(zip(*params), columns.loss.tolist(), zip(*grads), columns.status.tolist())
            )
        ]

    def columns(self, upto: int | None = None, since: int = 0) -> Columns:
        """The states since..upto as columns: each parameter, E, each slope, α and the status.

        The numbers are those of `state(k)`, each distinct one converted once; no `State` is
        built (`tutor trace` prints 100,000).
        """
        if upto is not None:
            self.extend_to(upto)
        end = self._size if upto is None else min(upto + 1, self._size)
        return Columns(
            params=[read_numbers(column) for column in self._params[since:end].T],
            loss=read_numbers(self._loss[since:end]),
            grad=[read_numbers(column) for column in self._grad[since:end].T],
            alpha=read_numbers(self._alphas[since:end]),
            status=read_codes(self._status[since:end], STATUSES),
        )

    # -- recording -------------------------------------------------------------------------------

    def allow(self, max_steps: int) -> None:
        """Let the run record up to `max_steps` updates (a trace never allows fewer than before)."""
        self.max_steps = max(self.max_steps, max_steps)

    def extend_to(self, k: int) -> None:
        """Record states up to step `k` (fewer if the run stops or reaches `max_steps`)."""
        k = min(k, self.max_steps)
        if self._size > k or self.stopped:
            return
        with np.errstate(all="ignore"):  # overflow on the way to divergence is expected
            if self._one_datum:
                self._extend_one_datum(k)
                return
            while self._size <= k and not self.stopped:
                self._record(self._next(self._size - 1))

    def fork(self, k: int, alpha: float | None = None, params: dict[str, float] | None = None) -> Trace:
        """A new trace sharing steps 0..k with this one, with a new α and/or new values at k.

        The past is copied, not recomputed; only state k is recomputed when its parameters change.
        """
        k = min(k, self.last)
        child = Trace.__new__(Trace)
        child.problem, child.dtype, child.method = self.problem, self.dtype, self.method
        child.alpha = self.dtype.type(self.alpha if alpha is None else alpha)
        child.max_steps, child.names, child.stopped = self.max_steps, self.names, False
        child._one_datum = self._one_datum
        keep = k if params else k + 1
        capacity = max(keep + 1, min(self.max_steps, 64) + 1)
        child._params = np.empty((capacity, len(self.names)), dtype=self.dtype)
        child._grad = np.empty_like(child._params)
        child._loss = np.empty(capacity, dtype=self.dtype)
        child._status = np.zeros(capacity, dtype=np.int8)
        child._alphas = np.empty(capacity, dtype=np.float64)
        child._alphas[:keep] = self._alphas[:keep]
        new_alpha = alpha is not None and child.alpha != self.alpha
        origin = k if (new_alpha or params) else self._judge.origin
        child._params[:keep] = self._params[:keep]
        child._grad[:keep] = self._grad[:keep]
        child._loss[:keep] = self._loss[:keep]
        child._status[:keep] = self._status[:keep]
        child._size = keep
        if params:
            child._judge = Judge.resume(child, origin, float(self._loss[k]))
            start = self._params[k].copy()
            for name, value in params.items():
                start[self.names.index(name)] = value
            with np.errstate(all="ignore"):
                child._record(start)
        else:
            child.stopped = not child._finite(k)
            child._alphas[k] = float(child.alpha)
            if child.alpha != self.alpha and not child.stopped and child._status[k] != CODES["converged"]:
                # A new α gives the run a new chance from where it stands: a bounce, a stall or
                # a blow-up of the old α says nothing about the new one.
                child._status[k] = CODES["running"]
            child._judge = Judge.resume(child, origin, float(self._loss[k]))
        return child

    def _reserve(self, n: int) -> None:
        """Room for `n` states (at most max_steps + 1), growing by doubling."""
        have = self._params.shape[0]
        if n <= have:
            return
        grow = min(self.max_steps + 1, max(n, 2 * have))
        i = self._size
        for attr in ("_params", "_grad"):
            old = getattr(self, attr)
            new = np.empty((grow, old.shape[1]), dtype=self.dtype)
            new[:i] = old[:i]
            setattr(self, attr, new)
        self._loss = np.resize(self._loss, grow)
        self._status = np.resize(self._status, grow)
        self._alphas = np.resize(self._alphas, grow)

    def _record(self, params: np.ndarray) -> None:
        i = self._size
        if i == self._params.shape[0]:
            self._reserve(i + 1)
        self._params[i] = params
        self._alphas[i] = float(self.alpha)
        # Callers hold np.errstate(all="ignore"): overflow on the way to divergence is expected.
        # NaN compares False, so one comparison also catches NaN and inf.
        p = self._params[i].tolist()
        size = largest(p)
        if size <= LARGEST:
            value, grad = self.problem.error_and_slope(self._params[i], self.method)
            self._loss[i] = value
            self._grad[i] = grad
        else:
            self._loss[i] = np.nan if math.isnan(size) else np.inf
            self._grad[i] = np.nan
        steepest = largest(self._grad[i].tolist())
        loss = float(self._loss[i])
        finite = size <= LARGEST and math.isfinite(loss) and math.isfinite(steepest)
        self._size = i + 1
        self._status[i] = self._judge.judge(i, p, loss, steepest, size, finite)
        if not finite:
            self.stopped = True

    def _extend_one_datum(self, k: int) -> None:
        """Record states up to `k` for one datum with the derivative, in scalars.

        numpy pays ~1 µs per call on arrays of one element; the same IEEE operations on
        scalars, in the same order, give the same bits (float64: Python floats; float32: numpy
        float32 scalars, each operation rounded to float32 as TensorFlow rounds it): e = x·w − y
        (h summed input by input, + b), ∂E/∂h = 2e (÷1 changes nothing), ∂E/∂w_j = ∂E/∂h·x_j,
        ∂E/∂b = 0 + ∂E/∂h (numpy's sum of one number), then p − α·slope as `next_params`
        writes it. E = e² (or |e|) is then taken on the whole chunk of residuals at once (numpy's
        0 + e² is e²), the states are checked for size and finiteness as `_record` does, and
        judged together (`Judge.judge_many`). tests/engine/test_scalar_path.py holds both
        ways to the same bits. Callers hold np.errstate(all="ignore").
        """
        self._reserve(k + 1)
        dtype, n, l2 = self.dtype, len(self.names), self.problem.loss.name == "l2"
        while self._size <= k and not self.stopped:
            first = self._size
            params, grad = self._params[first - 1].tolist(), self._grad[first - 1].tolist()
            # A run at rest (its last update changed nothing, and the next gives back this very
            # state) repeats that state to the end, recorded in one go and not computed.
            rest = None
            if first >= 2 and params == self._params[first - 2].tolist():
                rest = at_rest(self.problem, self.dtype, self.alpha, params, grad)
            if rest is not None:
                count = k - first + 1
                flat_p, flat_g, residuals = (part * count for part in rest)
            else:  # short chunks at first, while the run's character shows, then CHUNK at a time
                count = min(k - first + 1, CHUNK, max(16, first))
                flat_p, flat_g, residuals = one_datum_states(self.problem, self.dtype, self.alpha, params, grad, count)
            P = np.array(flat_p, dtype=dtype).reshape(count, n)
            G = np.array(flat_g, dtype=dtype).reshape(count, n)
            e = np.array(residuals, dtype=dtype)
            L = e * e if l2 else np.abs(e)  # elementwise: the same rounding as on scalars
            P64, G64, L64 = P.astype(np.float64), G.astype(np.float64), L.astype(np.float64)
            sizes = np.abs(P64).max(axis=1)  # NaN if any is NaN, as largest
            huge = ~(sizes <= LARGEST)
            if huge.any():  # as _record: no E or slope is computed past LARGEST
                L64[huge] = np.where(np.isnan(sizes[huge]), np.nan, np.inf)
                G64[huge] = np.nan
            steepest = np.abs(G64).max(axis=1)
            finite = ~huge & np.isfinite(L64) & np.isfinite(steepest)
            if not finite.all():
                end = int(np.argmin(finite)) + 1  # up to and including the first non-finite state
                P64, G64, L64, sizes, steepest, finite = P64[:end], G64[:end], L64[:end], sizes[:end], steepest[:end], finite[:end]
                self.stopped = True
            i = first + len(L64)
            self._params[first:i] = P64  # float32 values held in float64 convert back exactly
            self._grad[first:i] = G64
            self._loss[first:i] = L64
            self._alphas[first:i] = float(self.alpha)
            self._status[first:i] = self._judge.judge_many(first, P64, L64, steepest, sizes, finite)
            self._size = i

    def _finite(self, i: int) -> bool:
        with np.errstate(all="ignore"):
            size = float(np.abs(self._params[i]).max(initial=0.0))
            steepest = float(np.abs(self._grad[i]).max(initial=0.0))
        return size <= LARGEST and math.isfinite(float(self._loss[i])) and math.isfinite(steepest)
