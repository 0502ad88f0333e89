"""What a student is doing in a lesson: the page, the run on it, the cursor, the answers.

Pure Python over the engine: every key press of the app becomes one call here, and the app only
draws what this holds. Rewinding moves a cursor over recorded states; changing α or a start value
at step k forks the future from k and keeps the old one until the next fork replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .engine import Pass, State, Trace
from .lessons import Experiment, Lesson, Page, Question
from .lessons.data import Dataset
from .lessons.templates import format_number, render
from .progress import AnswerRecord, LessonProgress
from .runs import make_trace

STATUS_WORDS = {
    "running": "",
    "converged": "Converged: w has settled at the bottom of E.",
    "oscillating": "Oscillating: w bounces and never settles. Press [ for a smaller α.",
    "diverged": "Diverged: E grows without bound. Press [ to halve α.",
}
STOPPED_WORDS = "Diverged: the numbers overflowed, so the run stops here. Press [ for a smaller α."


@dataclass
class Answer:
    """What the student did with a page's question."""

    tries: int = 0
    right: bool = False
    last_reply: str = ""
    misses: int = 0
    """Wrong guesses at the current prediction (a predict question reveals after two)."""


@dataclass
class Run:
    """The run on one experiment page: the current trace, the old future, and the cursor.

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
    passes: dict[int, Pass] = field(default_factory=dict)
    guesses: dict[int, float] = field(default_factory=dict)
    """Predictions typed before step k's update, keyed by k."""

    @property
    def graph(self) -> bool:
        """True when stepping walks the computation graph's events."""
        return self.experiment.graph

    @property
    def alpha(self) -> float:
        """The current learning rate."""
        return float(self.trace.alpha)

    @property
    def state(self) -> State:
        """The state under the cursor."""
        return self.trace.state(self.step)

    @property
    def max_step(self) -> int:
        """The last step this run can reach."""
        self.trace.extend_to(self.experiment.steps)
        return self.trace.last

    def graph_pass(self, k: int | None = None) -> Pass:
        """Forward and back propagation at step k's parameters, computed once and kept."""
        k = self.step if k is None else k
        if k not in self.passes:
            p = self.trace.problem
            self.passes[k] = p.graph().run(self.trace.params_at(k), p.X, p.y)
        return self.passes[k]

    def events_per_step(self) -> int:
        """How many events one step of a graph page has (forward plus backward)."""
        passed = self.graph_pass(0)
        return len(passed.forward) + len(passed.backward)

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

    def fork(self, alpha: float | None = None, params: dict[str, float] | None = None) -> None:
        """A new future from the cursor, with a new α or new values; the old one is kept."""
        self.previous, self.fork_step = self.trace, self.step
        self.trace = self.trace.fork(self.step, alpha=alpha, params=params)
        self.passes = {k: v for k, v in self.passes.items() if k < self.step}
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
        self.passes.clear()
        self.guesses.clear()

    # -- reading ---------------------------------------------------------------------------------

    def values(self) -> dict[str, float | str]:
        """The live numbers a page's text may name, at the cursor."""
        s = self.state
        names = self.trace.names
        k = self.step
        # Exact values of the run's dtype (a float32 2.96 is 2.96000004 with 8 decimals, as
        # TensorFlow prints it), and the next value computed in that dtype too.
        params = self.trace.params_at(k)
        grad = self.trace.grad_at(k)
        with np.errstate(all="ignore"):
            nexts = params - self.trace.alpha * grad
        values: dict[str, float | str] = {"step": s.step, "alpha": self.alpha, "E": float(self.trace.loss_at(k)), "status": s.status}
        for i, name in enumerate(names):
            values[name] = float(params[i])
            values[f"dE_d{name}"] = float(grad[i])
            values[f"next_{name}"] = float(nexts[i])
        values["slope"] = values[f"dE_d{names[0]}"]
        problem = self.trace.problem
        with np.errstate(all="ignore"):
            h = problem.neuron.predict(self.trace.params_at(s.step).astype(np.float64), problem.X.astype(np.float64))
            values["h"] = float(h[0])
            values["e"] = float(h[0] - problem.y[0])
            params = self.trace.params_at(s.step).astype(np.float64)
            nudged = params.copy()
            nudged[0] += 0.00001
            values["E_nudged"] = float(problem.as_float64().error(nudged))
            values["numerical_slope"] = float(problem.numerical_slope(params)[0])
        return values

    def error_curve(self, samples: int = 61) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """E along the first parameter, the others held at the cursor's values.

        Returns:
            The sampled values, E at each, and the values visited up to the cursor.
        """
        k = self.step
        problem = self.trace.problem.as_float64()
        params = self.trace.params_at(k).astype(np.float64)
        path = self.trace.column(self.trace.names[0], upto=k)[-50:].astype(np.float64)
        with np.errstate(all="ignore"):
            x1 = problem.X[:, 0]
            held = params.copy()
            held[0] = 0.0
            rest = problem.neuron.predict(held, problem.X)
            denom = float(x1 @ x1)
            best = float((problem.y - rest) @ x1 / denom) if denom else float(params[0])
            anchors = np.concatenate([path, [params[0], best]])
            anchors = anchors[np.isfinite(anchors)]
            lo, hi = float(anchors.min()), float(anchors.max())
            pad = max(0.2 * (hi - lo), 1.0)
            ws = np.linspace(lo - pad, hi + pad, samples)
            grid = np.tile(params, (samples, 1))
            grid[:, 0] = ws
            Es = np.array([problem.error(row) for row in grid])
        return ws, Es, path

    def old_future(self, upto: int = 20) -> np.ndarray:
        """The first parameter's values along the future replaced by the last fork (empty if none)."""
        if self.previous is None or self.fork_step is None:
            return np.empty(0)
        self.previous.extend_to(self.fork_step + upto)
        values = self.previous.column(self.trace.names[0])[self.fork_step + 1 : self.fork_step + upto + 1]
        return values.astype(np.float64)

    def error_surface(self, samples: int = 41) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """E over the first two parameters (others held at the cursor's values).

        Returns:
            The values of the first parameter, of the second, E[i, j] at (first[j], second[i]),
            and the path of (first, second) up to the cursor.
        """
        k = self.step
        problem = self.trace.problem.as_float64()
        params = self.trace.params_at(k).astype(np.float64)
        names = self.trace.names
        path = np.column_stack(
            [self.trace.column(names[0], upto=k)[-60:], self.trace.column(names[1], upto=k)[-60:]]
        ).astype(np.float64)
        with np.errstate(all="ignore"):
            design = np.column_stack([problem.X, np.ones(len(problem.y))]) if problem.neuron.bias else problem.X
            best = np.linalg.lstsq(design, problem.y, rcond=None)[0][:2]
            anchors = np.vstack([path, best[None, :]])
            anchors = anchors[np.all(np.isfinite(anchors), axis=1)]
            lo, hi = anchors.min(axis=0), anchors.max(axis=0)
            pad = np.maximum(0.25 * (hi - lo), 1.0)
            first = np.linspace(lo[0] - pad[0], hi[0] + pad[0], samples)
            second = np.linspace(lo[1] - pad[1], hi[1] + pad[1], samples)
            E = np.empty((samples, samples))
            point = params.copy()
            for i, b in enumerate(second):
                for j, a in enumerate(first):
                    point[0], point[1] = a, b
                    E[i, j] = problem.error(point)
        return first, second, E, path

    def slopes(self) -> dict[str, float]:
        """The slope of the first parameter three ways at the cursor: backprop, analytic, numerical."""
        problem = self.trace.problem.as_float64()
        params = self.trace.params_at(self.step).astype(np.float64)
        return {
            "backprop": float(problem.backprop_slope(params)[0]),
            "analytic": float(problem.analytic_slope(params)[0]),
            "numerical": float(problem.numerical_slope(params)[0]),
        }

    def status_words(self) -> str:
        """The run's status at the cursor, in words (empty while it simply runs)."""
        s = self.state
        if self.trace.stopped and self.step == self.trace.last:
            return STOPPED_WORDS
        return STATUS_WORDS[s.status]


class Session:
    """A student's way through one lesson.

    Args:
        lesson: the validated lesson.
        page: the page to open on.
    """

    def __init__(self, lesson: Lesson, page: int = 0) -> None:
        self.lesson = lesson
        self.page_index = max(0, min(page, len(lesson.pages) - 1))
        self.runs: dict[int, Run] = {}
        self.answers: dict[int, Answer] = {}
        self.message = ""
        """One line for the student about the last thing that happened (empty for none)."""
        self._skip_warned = False

    # -- pages -----------------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        """The page on screen."""
        return self.lesson.pages[self.page_index]

    @property
    def page_count(self) -> int:
        """How many pages the lesson has."""
        return len(self.lesson.pages)

    @property
    def run(self) -> Run | None:
        """The run of the page on screen, if it has an experiment."""
        exp = self.page.experiment
        if exp is None:
            return None
        if self.page_index not in self.runs:
            data = self.lesson.datasets[exp.id]
            self.runs[self.page_index] = Run(exp, data, make_trace(exp, data))
        return self.runs[self.page_index]

    @property
    def answer(self) -> Answer:
        """What the student did with this page's question."""
        return self.answers.setdefault(self.page_index, Answer())

    def next_page(self) -> bool:
        """To the next page; an unanswered question asks once before it is skipped."""
        self.message = ""
        q = self.page.question
        if q is not None and q.predict is None and not self.answer.right and not self._skip_warned:
            self._skip_warned = True
            self.message = "Answer the question first: type it and press Enter (n again skips it)."
            return False
        if self.page_index + 1 >= self.page_count:
            self.message = "This is the last page of the lesson. Press q to quit."
            return False
        self.page_index += 1
        self._skip_warned = False
        return True

    def previous_page(self) -> bool:
        """To the previous page."""
        self.message = ""
        self._skip_warned = False
        if self.page_index == 0:
            return False
        self.page_index -= 1
        return True

    def go_to_page(self, index: int) -> None:
        """To page `index` (clamped to the lesson)."""
        self.page_index = max(0, min(index, self.page_count - 1))
        self.message, self._skip_warned = "", False

    # -- stepping --------------------------------------------------------------------------------

    def step(self) -> bool:
        """One update (or graph event) forward; says why when it cannot."""
        run = self.run
        self.message = ""
        if run is None:
            self.message = "This page has no run to step: press n for the next page."
            return False
        if run.forward():
            return True
        if run.trace.stopped:
            self.message = "The run stopped: its numbers overflowed. Press [ for a smaller α or r to reset."
        else:
            self.message = f"That is the last recorded step ({run.max_step}). Press r to start again."
        return False

    def rewind(self) -> bool:
        """One update (or graph event) back."""
        run = self.run
        self.message = ""
        return run.back() if run else False

    def alpha_down(self) -> None:
        """Halve α, or take the previous value of the lesson's list of α values."""
        self._walk_alpha(-1)

    def alpha_up(self) -> None:
        """Double α, or take the next value of the lesson's list of α values."""
        self._walk_alpha(+1)

    def _walk_alpha(self, direction: int) -> None:
        run = self.run
        if run is None:
            return
        alphas = sorted(run.experiment.alphas)
        current = run.alpha
        if alphas:
            candidates = [a for a in alphas if (a > current * (1 + 1e-9) if direction > 0 else a < current * (1 - 1e-9))]
            new = (min(candidates) if direction > 0 else max(candidates)) if candidates else current
        else:
            new = current * 2 if direction > 0 else current / 2
        new = float(min(max(new, 1e-6), 1e6))
        if new == current:
            self.message = f"α stays {current:g}: that is the end of this page's list of α values."
            return
        run.set_alpha(new)
        self.message = f"α = {new:g} from step {run.step} on (the old future is kept on the plot)."

    def nudge(self, name: str, direction: int) -> None:
        """Move parameter `name` by hand (0.1 per press) at the current step."""
        run = self.run
        if run is None or name not in run.trace.names:
            self.message = f"This page has no {name} to move."
            return
        run.nudge(name, 0.1 * direction)
        self.message = f"{name} = {run.state.params[name]:g} by hand, from step {run.step} on."

    def reset_page(self) -> None:
        """Start the page's run and question over."""
        if self.run is not None:
            self.run.reset()
        self.answers.pop(self.page_index, None)
        self.message = "Page reset."

    # -- questions -------------------------------------------------------------------------------

    def submit(self, reply: str) -> bool:
        """Check the student's reply to the page's question; sets `message` to the verdict."""
        q: Question | None = self.page.question
        if q is None or not reply.strip():
            return False
        answer = self.answer
        answer.tries += 1
        answer.last_reply = reply.strip()
        if q.predict is not None:
            return self._predict(q, reply)
        answer.right = q.accepts(reply)
        if answer.right:
            self.message = "Right! " + (self._live(q.explain) or self._onwards())
        else:
            self.message = f"Not quite ({_ordinal(answer.tries)} try). Hint: {self._live(q.hint)}"
        return answer.right

    def _onwards(self) -> str:
        if self.page_index + 1 < self.page_count:
            return "Press n for the next page."
        return "That was the last page of this lesson."

    def _live(self, text: str | None) -> str:
        """A hint or explanation with the page's live numbers filled in."""
        if not text:
            return ""
        run = self.run
        return render(text, run.values() if run else {})

    def _predict(self, q: Question, reply: str) -> bool:
        """A prediction: right, or wrong twice, reveals the value by stepping; once wrong, a hint."""
        run = self.run
        assert run is not None and q.predict is not None
        live = run.values().get(q.predict)
        if not isinstance(live, (float, int)):
            return False
        right = q.accepts(reply, live=float(live))
        answer = self.answer
        if not right:
            answer.misses += 1
        if not right and answer.misses < 2:
            self.message = f"Not quite ({_ordinal(answer.misses)} try). Hint: {self._live(q.hint)} Try again."
            return False
        answer.misses = 0  # the step below makes a new prediction
        hint = "" if right else f" Hint: {self._live(q.hint)}"
        explain = self._live(q.explain)
        try:
            run.guesses[run.step] = float(reply.replace("−", "-"))
        except ValueError:
            pass
        if q.predict.startswith("next_"):
            while run.graph and run.event < run.events_per_step():
                run.forward()
            run.forward()
        answer.right = answer.right or right
        verdict = f"Right! {explain}".strip() if right else f"Not quite; see it now on screen.{hint}"
        self.message = f"You said {reply.strip()}; it is {format_number(float(live))}. {verdict}"
        return right

    # -- progress --------------------------------------------------------------------------------

    def to_progress(self, before: LessonProgress | None = None) -> LessonProgress:
        """Where the student is, for the progress file (keeping what `before` knew)."""
        answers = dict(before.answers) if before else {}
        for index, answer in self.answers.items():
            if answer.tries:
                answers[self.lesson.pages[index].title] = AnswerRecord(answer.right, answer.tries)
        last = self.page_index == self.page_count - 1
        return LessonProgress(
            page=self.page_index,
            page_title=self.page.title,
            pages=self.page_count,
            done=bool(before and before.done) or last,
            answers=answers,
        )

    def restore(self, progress: LessonProgress) -> None:
        """Open on the page the student reached, with their answers remembered."""
        titles = [p.title for p in self.lesson.pages]
        self.go_to_page(progress.resume_page(titles))
        for index, title in enumerate(titles):
            record = progress.answers.get(title)
            if record is not None:
                self.answers[index] = Answer(tries=record.tries, right=record.right)

    def page_text(self) -> str:
        """The page's text with the live numbers filled in."""
        run = self.run
        values = run.values() if run else {}
        return render(self.page.text, values)

    def question_text(self) -> str:
        """The page's question with the live numbers filled in (empty when none)."""
        q = self.page.question
        if q is None:
            return ""
        run = self.run
        text = render(q.prompt, run.values() if run else {})
        if q.choices:
            # Numbered: a digit starts an answer, while letters like b and c are page keys.
            text += "\n" + "\n".join(f"  {i + 1}) {c}" for i, c in enumerate(q.choices))
        return text


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
