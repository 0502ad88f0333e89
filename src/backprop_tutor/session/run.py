"""The run on one experiment page: the trace, the future a fork replaced, and the cursor.

Rewinding moves the cursor over recorded states; it never recomputes the past. Changing α or a
start value at step k forks the future from k and keeps the old one until the next fork.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from ..engine import DELTA, Pass, State, Trace
from ..experiments import make_trace
from ..lessons.data import Dataset
from ..lessons.limits import MAX_ROW_UPDATES, MAX_STEPS

if TYPE_CHECKING:
    from ..lessons import Experiment

T = TypeVar("T")

STORY_STEPS = 1000
"""A run still moving at its lesson's `steps` may go on to this many updates."""
BOUNCES_SHOWN = 6
"""Updates an oscillation is shown for before its run ends."""
PASSES_KEPT = 4
"""Graph passes kept per run: memory stays flat however far the student steps."""
SURELY_NOT_NOISE = 1e-6
"""An E or slope this big is never rounding noise on a lesson's data: smaller ones are measured
against their bound (`Fit.rounding`)."""


@dataclass
class Run:
    """The run on one experiment page.

    On a graph page the cursor also walks the events of each step: `event` 0 is the state before
    its forward pass; 1..F are the forward events, F+1..F+B the backward events.
    """

    experiment: Experiment
    data: Dataset
    trace: Trace
    step: int = 0
    event: int = 0
    previous: Trace | None = None
    """The future before the last fork, kept so the screen can show the road not taken."""
    fork_step: int | None = None
    _passes: OrderedDict[tuple[int, int], Pass] = field(default_factory=OrderedDict, repr=False)
    _plots: dict[str, tuple[object, object]] = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, experiment: Experiment, data: Dataset) -> Run:
        """The lesson's own run of `experiment`, at step 0."""
        return cls(experiment, data, make_trace(experiment, data))

    @property
    def graph(self) -> bool:
        """True when stepping walks the computation graph's events."""
        return self.experiment.graph

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters, in the lecture's order (`w` or `w1..wn`, then `b`)."""
        return self.trace.names

    @property
    def alpha(self) -> float:
        """The current learning rate."""
        return float(self.trace.alpha)

    @property
    def state(self) -> State:
        """The state under the cursor, as the screen shows it (`state_at`)."""
        return self.state_at(self.step)

    def state_at(self, k: int) -> State:
        """State k as the screen shows it: an E or a slope within rounding of 0 is 0 (a slope of
        3.3e-16 where the lecture's arithmetic gives 0); the run itself keeps its own numbers."""
        s = self.trace.state(k)
        slopes = [abs(g) for g in s.grad.values()]
        if self.trace.method not in ("analytic", "backprop") or min(s.loss, *slopes) >= SURELY_NOT_NOISE:
            return s
        fit, params = self.trace.problem, self.trace.params_at(k)  # each part of a frame asks again: kept
        E_err, grad_err = self.cached(f"noise {k % 8}", (self.trace, k), lambda: fit.rounding(params))
        grad = {n: 0.0 if abs(g) <= bound else g for (n, g), bound in zip(s.grad.items(), grad_err)}
        return replace(s, loss=0.0 if s.loss <= E_err else s.loss, grad=grad)

    @property
    def max_step(self) -> int:
        """The last step of the run's story (recording it first)."""
        return self.record_story()

    def record_story(self) -> int:
        """Record the run to the end of its story: converged, diverged, stalled, a bounce shown
        for a while, or the cap (never a run cut off while it still moves). Returns its last step."""
        self.trace.extend_to(self.experiment.steps)
        while not self.story_told() and self.trace.max_steps < self.cap:
            self.trace.allow(min(self.trace.max_steps * 2 + 10, self.cap))
            self.trace.extend_to(self.trace.max_steps)
        return self.trace.last

    @property
    def cap(self) -> int:
        """The most updates a run may grow to: the lesson's own steps, or more when its story
        needs them, within the work a run may cost (steps × data rows)."""
        rows = max(int(self.trace.problem.y.shape[0]), 1)
        return max(self.experiment.steps, min(STORY_STEPS, MAX_ROW_UPDATES // rows, MAX_STEPS))

    def story_told(self) -> bool:
        """True once the run at its last recorded state has shown what it does."""
        trace = self.trace
        if trace.stopped:
            return True
        last = trace.state(trace.last)
        if last.status in ("converged", "diverged", "stalled"):
            return True
        if last.status == "oscillating":
            first = next(k for k in range(trace.last, -1, -1) if trace.state(k).status != "oscillating")
            return trace.last - first >= BOUNCES_SHOWN
        return False

    def graph_pass(self, k: int | None = None) -> Pass:
        """Forward and back propagation at step k's parameters, computed once and kept a while."""
        k = self.step if k is None else k
        key = (id(self.trace), k)
        if key in self._passes:
            self._passes.move_to_end(key)
            return self._passes[key]
        p = self.trace.problem
        passed = p.graph().run(self.trace.params_at(k), p.X, p.y)
        self._passes[key] = passed
        while len(self._passes) > PASSES_KEPT:
            self._passes.popitem(last=False)
        return passed

    def events_per_step(self) -> int:
        """How many events one step of a graph page has (forward plus backward)."""
        passed = self.graph_pass(0)
        return len(passed.forward) + len(passed.backward)

    @property
    def forward_events(self) -> int:
        """How many of a step's events are the forward pass."""
        return len(self.graph_pass(0).forward)

    @property
    def reveal(self) -> str:
        """How much of the current state the walk has computed: "curve" (nothing of it yet),
        "point" (E, after the forward pass) or "slope" (everything). Off graph pages: all."""
        if not self.graph:
            return "slope"
        if self.event < self.forward_events:
            return "curve"
        if self.event < self.events_per_step():
            return "point"
        return "slope"

    def folded_shows(self) -> bool:
        """True where the composite gate (h and e folded into one) shows something new: a step's
        start, E made, a parameter's gradient reached, the step's walk done. Off graph pages: always."""
        forward, total = self.forward_events if self.graph else 0, self.events_per_step() if self.graph else 0
        if not self.graph or self.event in (0, forward, total):
            return True
        return self.event > forward and self.graph_pass().backward[self.event - forward - 1].node in self.names

    # -- moving ----------------------------------------------------------------------------------

    def forward(self) -> bool:
        """One update (one event on graph pages). False when nothing more can be recorded."""
        if self.graph:
            if self.event < self.events_per_step():
                self.event += 1
                return True
            if self.step < self.max_step:
                self.step, self.event = self.step + 1, 0
                return True
            return False
        self.trace.extend_to(self.step + 1)
        if self.step >= self.trace.last and not self.story_told() and self.trace.max_steps < self.cap:
            self.record_story()  # the story goes on: record more of it
        if self.step < self.trace.last:
            self.step += 1
            return True
        return False

    def back(self) -> bool:
        """Rewind one update (one event on graph pages). False at the start."""
        if self.graph and self.event > 0:
            self.event -= 1
            return True
        if self.step == 0:
            return False
        self.step -= 1
        if self.graph:
            self.event = self.events_per_step()
        return True

    def first(self) -> None:
        """Back to step 0."""
        self.step, self.event = 0, 0

    def last(self) -> None:
        """To the last recorded step (recording the run to its end)."""
        self.step, self.event = self.max_step, 0

    def finish_step(self) -> None:
        """On a graph page, walk the rest of this step's events (a prediction reveals them)."""
        while self.graph and self.event < self.events_per_step():
            self.event += 1

    def fork(self, alpha: float | None = None, params: dict[str, float] | None = None) -> None:
        """A new future from the cursor, with a new α or new values; the old one is kept."""
        self.previous, self.fork_step = self.trace, self.step
        self.trace = self.trace.fork(self.step, alpha=alpha, params=params)
        self.event = 0

    def set_alpha(self, alpha: float) -> None:
        """Change α from the current step on."""
        if alpha > 0 and np.isfinite(alpha) and alpha != self.alpha:
            self.fork(alpha=alpha)

    def nudge(self, name: str, delta: float) -> None:
        """Move a parameter by hand at the current step (forks the future)."""
        value = self.state.params[name] + delta
        self.fork(params={name: round(value, 10)})

    def reset(self) -> None:
        """Back to the lesson's own run, from step 0."""
        self.trace = make_trace(self.experiment, self.data)
        self.previous, self.fork_step = None, None
        self.step, self.event = 0, 0
        self._passes.clear()
        self._plots.clear()

    # -- reading ---------------------------------------------------------------------------------

    def values(self) -> dict[str, float | str]:
        """The live numbers a page's text may name, at the cursor, each computed once."""
        k = self.step
        s = self.state
        names = self.names
        # Exact values of the run's dtype (a float32 2.96 is 2.96000004), and the next value
        # by the trace's own update rule, so "next w" is the w the next step will show.
        params = self.trace.params_at(k)
        nexts = self.trace.next_params(k)
        values: dict[str, float | str] = {"step": k, "alpha": self.alpha, "E": s.loss, "status": s.status}
        for i, name in enumerate(names):
            values[name] = s.params[name]
            values[f"dE_d{name}"] = s.grad[name]
            values[f"next_{name}"] = _number(nexts[i], self.trace.dtype)
        values["slope"] = values[f"dE_d{names[0]}"]
        fit = self.trace.problem.as_float64()
        with np.errstate(all="ignore"):
            p64 = params.astype(np.float64)
            h = fit.neuron.predict(p64, fit.X)
            values["h"] = float(h[0])
            values["e"] = float(h[0] - fit.y[0])
            nudged = p64.copy()
            nudged[0] += DELTA
            values["E_nudged"] = float(fit.error(nudged))
            values["numerical_slope"] = float(fit.numerical_slope(p64)[0])
        return values

    def cached(self, what: str, key: object, make: Callable[[], T]) -> T:
        """`make()`, kept with the run under `what` until `key` changes (one value per `what`)."""
        held = self._plots.get(what)
        if held is not None and held[0] == key:
            return held[1]  # type: ignore[return-value]
        value = make()
        self._plots[what] = (key, value)
        return value

    def error_curve(self, also: tuple[float, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """E along the first parameter, the others held at the cursor's values.

        Args:
            also: values of the first parameter the curve must reach too (pinned runs' points).

        Returns:
            The sampled values, E at each (one vectorised pass), and the values visited up to
            the cursor.
        """
        from .landscape import error_curve

        return self.cached("curve", (id(self.trace), self.step, also), lambda: error_curve(self, also))

    def errors_along(self, ws: np.ndarray) -> np.ndarray:
        """E at each value of the first parameter in `ws`, the others held at the cursor's values."""
        from .landscape import errors_along

        return errors_along(self, ws)

    def old_future(self, upto: int = 20) -> np.ndarray:
        """The first parameter's values along the future replaced by the last fork (empty if none)."""
        if self.previous is None or self.fork_step is None:
            return np.empty(0)
        self.previous.extend_to(self.fork_step + upto)
        values = self.previous.column(self.names[0])[self.fork_step + 1 : self.fork_step + upto + 1]
        return values.astype(np.float64)

    def error_surface(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """E over the first two parameters (others held at the cursor's values).

        Returns:
            The values of the first parameter, of the second, E[i, j] at (first[j], second[i]),
            and the path of (first, second) up to the cursor.
        """
        from .landscape import error_surface

        return self.cached("surface", (id(self.trace), self.step), lambda: error_surface(self))

    def slopes(self) -> dict[str, float]:
        """The slope of the first parameter three ways at the cursor: backprop, analytic, numerical."""
        fit = self.trace.problem.as_float64()
        params = self.trace.params_at(self.step).astype(np.float64)
        return {
            "backprop": float(fit.backprop_slope(params)[0]),
            "analytic": float(fit.analytic_slope(params)[0]),
            "numerical": float(fit.numerical_slope(params)[0]),
        }

    @property
    def overflowed(self) -> bool:
        """True at the state where the run's numbers overflowed and it stopped."""
        return self.trace.stopped and self.step == self.trace.last


def _number(value: np.generic, dtype: np.dtype) -> float:
    """As the trace reports its own values: a float32 as the shortest decimal naming it."""
    return float(value) if dtype == np.float64 else float(str(np.float32(value)))
