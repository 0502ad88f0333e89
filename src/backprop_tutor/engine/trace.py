"""Gradient descent one update at a time, recorded as an immutable trace of states.

Each update is `p ← p − α·slope`. States are recorded once, in preallocated arrays, and never
recomputed: rewinding is an index, and changing α or a start value at step k forks a new trace
that copies the first k states and computes only the new future.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from itertools import islice
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
        self._judge = _Judge(bool(self.alpha != 0), origin=0)
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
        `tutor trace` and exports of long runs.
        """
        if upto is not None:
            self.extend_to(upto)
        end = self._size if upto is None else min(upto + 1, self._size)
        params = self._numbers(self._params[:end])
        grads = self._numbers(self._grad[:end])
        losses = self._numbers(self._loss[:end])
        names = self.names
        return [
            State(k, dict(zip(names, params[k])), losses[k], dict(zip(names, grads[k])), STATUSES[code])
            for k, code in enumerate(self._status[:end].tolist())
        ]

    def _numbers(self, values: np.ndarray) -> list:
        # As `_number`, for a whole array: numpy's own shortest repr of each float32, in C.
        if self.dtype == np.float64:
            return values.tolist()
        return values.astype(str).astype(np.float64).tolist()

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
            child._judge = _Judge.resume(child, origin, float(self._loss[k]))
            start = self._params[k].copy()
            for name, value in params.items():
                start[self.names.index(name)] = value
            with np.errstate(all="ignore"):
                child._record(start)
        else:
            child.stopped = not child._finite(k)
            child._alphas[k] = float(child.alpha)
            if child.alpha != self.alpha and not child.stopped and child._status[k] != _CODES["converged"]:
                # A new α gives the run a new chance from where it stands: a bounce, a stall or
                # a blow-up of the old α says nothing about the new one.
                child._status[k] = _CODES["running"]
            child._judge = _Judge.resume(child, origin, float(self._loss[k]))
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
        size = _largest(p)
        if size <= LARGEST:
            value, grad = self.problem.error_and_slope(self._params[i], self.method)
            self._loss[i] = value
            self._grad[i] = grad
        else:
            self._loss[i] = np.nan if math.isnan(size) else np.inf
            self._grad[i] = np.nan
        steepest = _largest(self._grad[i].tolist())
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
        judged together (`_Judge.judge_many`). tests/engine/test_scalar_path.py holds both
        ways to the same bits. Callers hold np.errstate(all="ignore").
        """
        self._reserve(k + 1)
        dtype, n, l2 = self.dtype, len(self.names), self.problem.loss.name == "l2"
        while self._size <= k and not self.stopped:
            first = self._size
            # Short chunks at first, while the run's character shows, then CHUNK at a time.
            count = min(k - first + 1, CHUNK, max(16, first))
            flat_p, flat_g, residuals = self._one_datum_states(count)
            P = np.array(flat_p, dtype=dtype).reshape(count, n)
            G = np.array(flat_g, dtype=dtype).reshape(count, n)
            e = np.array(residuals, dtype=dtype)
            L = e * e if l2 else np.abs(e)  # elementwise: the same rounding as on scalars
            P64, G64, L64 = P.astype(np.float64), G.astype(np.float64), L.astype(np.float64)
            sizes = np.abs(P64).max(axis=1)  # NaN if any is NaN, as _largest
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

    def _one_datum_states(self, count: int) -> tuple[list, list, list]:
        """The next `count` states' parameters and slopes (row after row, flat) and residuals
        e = h − y, as scalars of the run's dtype (see above).

        Pure arithmetic: what past LARGEST or non-finite means is decided by the caller, on
        whole arrays, and the states after the first such one are dropped.
        """
        fit = self.problem
        T = float if self.dtype == np.float64 else self.dtype.type
        xs = [T(v) for v in fit.X[0].tolist()]
        y, zero, one, two = T(fit.y[0]), T(0), T(1), T(2)
        n, bias, l2 = fit.neuron.inputs, fit.neuron.bias, fit.loss.name == "l2"
        a = T(self.alpha)
        last = self._size - 1
        p = [T(v) for v in self._params[last].tolist()]
        g = [T(v) for v in self._grad[last].tolist()]
        flat_p: list = []
        flat_g: list = []
        residuals: list = []
        put_p, put_g, put_e = flat_p.append, flat_g.append, residuals.append
        if n == 1 and not bias:
            # The lecture's h = w·x, most of its runs: the same operations without the lists.
            (x,), (w,), (gw,) = xs, p, g
            if l2:
                for _ in range(count):
                    w = w - a * gw
                    e = x * w - y
                    gw = (two * e) * x
                    put_p(w)
                    put_g(gw)
                    put_e(e)
                return flat_p, flat_g, residuals
            for _ in range(count):
                w = w - a * gw
                e = x * w - y
                d = one if e > zero else -one if e < zero else T(np.sign(e))  # 0, -0 or NaN
                gw = d * x
                put_p(w)
                put_g(gw)
                put_e(e)
            return flat_p, flat_g, residuals
        for _ in range(count):
            p = [pj - a * gj for pj, gj in zip(p, g)]
            h = xs[0] * p[0]
            for j in range(1, n):
                h = h + xs[j] * p[j]
            if bias:
                h = h + p[n]
            e = h - y
            if l2:
                d = two * e
            else:
                d = one if e > zero else -one if e < zero else T(np.sign(e))
            g = [d * x for x in xs]
            if bias:
                g.append(zero + d)  # numpy's sum of one number: 0 + d (−0 becomes 0)
            flat_p.extend(p)
            flat_g.extend(g)
            put_e(e)
        return flat_p, flat_g, residuals

    def _finite(self, i: int) -> bool:
        with np.errstate(all="ignore"):
            size = float(np.abs(self._params[i]).max(initial=0.0))
            steepest = float(np.abs(self._grad[i]).max(initial=0.0))
        return size <= LARGEST and math.isfinite(float(self._loss[i])) and math.isfinite(steepest)


class _Judge:
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
    def resume(cls, trace: Trace, origin: int, last_loss: float) -> _Judge:
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


_RUNNING, _CONVERGED, _OSCILLATING, _DIVERGED, _STALLED = (_CODES[s] for s in STATUSES)


def _run_length(flags: np.ndarray, before: int) -> int:
    """How many of `flags` are True at its end (plus `before` if all are)."""
    if flags.all():
        return before + len(flags)
    return len(flags) - 1 - int(np.flatnonzero(~flags)[-1])


def _largest(values: list[float]) -> float:
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
