"""Questions: checking a reply, predictions revealed by stepping, and the answer box's keys.

The session owns what is typed: every key goes through `Session.press`, so keys that arrive
together (typed fast, pasted, bunched by a slow SSH link) land in the box in order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..frame import AnswerBox, QuestionPart
from ..lessons.templates import render
from ..number_format import format_number
from ..words import Words
from .ime import plain_reply

if TYPE_CHECKING:
    from ..lessons import Lesson, Page, Question
    from .run import Run

MAX_DRAFT = 40
"""The most characters an answer may have."""
BOX_KEYS = ("n", "b", "?", "q")
"""Page keys that still work in the answer box where no reply could use them (the footer says which)."""


@dataclass
class Answer:
    """What the student did with a page's question."""

    tries: int = 0
    right: bool = False
    misses: int = 0
    """Wrong guesses at the current prediction (a predict question reveals after two)."""
    asked: tuple[tuple[int, int], str] | None = None
    """A prediction just revealed: where the run then stood (step, event), and the prompt as asked."""


class Questions:
    """The question side of a `Session` (a mixin: it works on the session's page and run)."""

    lesson: Lesson
    draft: str
    answering: bool
    message: str
    page_index: int
    words: Words
    answers: dict[int, Answer]

    if TYPE_CHECKING:

        @property
        def page_count(self) -> int: ...

        @property
        def page(self) -> Page: ...

        @property
        def run(self) -> Run | None: ...

    @property
    def answer(self) -> Answer:
        """What the student did with this page's question."""
        return self.answers.setdefault(self.page_index, Answer())

    def submit(self, reply: str) -> bool:
        """Check the student's reply to the page's question; sets `message` to the verdict."""
        q: Question | None = self.page.question
        reply = plain_reply(reply)
        if q is None or not reply.strip():
            return False
        unusable = unusable_reply(q, reply, self.words)
        if unusable:
            self.message = unusable  # not a try: the student meant something else
            return False
        answer = self.answer
        answer.tries += 1
        if q.predict is not None:
            right = self._predict(q, reply)
        else:
            right = q.accepts(reply)
            answer.right = answer.right or right
            if right:
                self.message = self.words("right", rest=self._live(q.explain) or self._onwards())
            else:
                self.message = self.words("not_quite", nth=self.words.ordinal(answer.tries), hint=self._live(q.hint))
        from .saving import save

        save(self)  # type: ignore[arg-type]
        return right

    def _onwards(self) -> str:
        if self.page_index + 1 < self.page_count:
            return self.words("next_page_hint")
        from .next_lesson import last_page

        return last_page(self.lesson, self.words, "lesson_end")

    def _live(self, text: str | None) -> str:
        """A hint or explanation with the page's live numbers filled in."""
        if not text:
            return ""
        return render(text, self.live_values(hide_unwalked=False))  # help after a try may name them

    def live_values(self, hide_unwalked: bool = True) -> dict[str, float | str]:
        """The live numbers a page's text may name, its `{status}` in the session's language (on a
        graph page without those its walk has not made yet, unless `hide_unwalked` is False)."""
        run = self.run
        if run is None:
            return {}
        values = run.values()
        values["status"] = self.words.cell(str(values["status"]))
        if run.graph and hide_unwalked:  # what the walk has not made yet reads "…", as the table leaves its cell blank
            for name in [n for n in values if walked(run, n) and not on_screen(run, n)]:
                del values[name]
        return values

    def shown_already(self) -> str | None:
        """The page's prediction as the screen already shows it (a graph page walked past it), else None."""
        q = self.page.question
        run = self.run
        if q is None or q.predict is None or run is None or not on_screen(run, q.predict):
            return None
        value = run.values().get(q.predict)
        return format_number(float(value)) if isinstance(value, (float, int)) else None

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
            self.message = self.words("not_quite_again", nth=self.words.ordinal(answer.misses), hint=self._live(q.hint))
            return False
        answer.misses = 0  # the step below makes a new prediction
        hint = "" if right else self.words("hint", hint=self._live(q.hint))
        explain = self._live(q.explain)
        asked = render(q.prompt, self.live_values())
        if q.predict.startswith("next_"):
            run.finish_step()
            run.forward()
        # Asked, and answered: the question now says its answer rather than asking on.
        asked += " " + self.words("predict_answer", value=format_number(float(live)))
        answer.asked = ((run.step, run.event), asked)
        answer.right = answer.right or right
        verdict = self.words("right", rest=explain).strip() if right else self.words("see_it", hint=hint)
        self.message = self.words("you_said", reply=reply.strip(), value=format_number(float(live)), verdict=verdict)
        return right

    def starts_answer(self, action: str | None, character: str | None) -> bool:
        """True when a key with this `action` (None: no page key) starts an answer: `a`, a digit,
        a point, or a minus where it does not move w."""
        if self.page.question is None:
            return False
        typed_number = action is None and character is not None and (character.isdigit() or character == ".")
        return action == "answer" or typed_number or (action == "w_down" and self._minus_answers())

    def open_box(self) -> bool:
        """Whether a key that starts an answer opens the box (if not, the message says why)."""
        q = self.page.question
        if q is not None and q.predict is not None:
            shown = self.shown_already()
            if shown is not None:  # nothing left to predict: the screen shows it
                self.message = self.words("predict_late", value=shown)
                return False
            self.answer.asked = None  # a new prediction: the question asks it at this step
        return True

    def _minus_answers(self) -> bool:
        """`-` starts a (negative) answer, unless the page is a lab where it moves w."""
        if self.page.question is None or self.answer.right:
            return False
        return self.run is None or not self.run.experiment.lab

    def box_key(self, character: str | None) -> bool:
        """True when `character` (n, b, ? or q) leaves the answer box and does what it does on the
        page: before anything is typed, where it cannot start a reply (a choice's letter, or the
        first letter of a choice's text). Once typing has begun, every key types."""
        if character not in BOX_KEYS or self.draft.strip():
            return False
        q = self.page.question
        choices = q.choices if q is not None else []
        letters = [chr(ord("a") + i) for i in range(len(choices))]
        return character not in letters and not any(c.casefold().startswith(character) for c in choices)

    def _type(self, key: str, character: str | None) -> str | None:
        """A key while the answer box is open: typed, erased, sent or left. Returns the page key
        to act on when the key leaves the box (`box_key`)."""
        if self.box_key(character):
            self.draft, self.answering = "", False
            return character
        if key == "enter":
            reply, self.draft = self.draft, ""
            if reply.strip():
                self.submit(reply)
                q = self.page.question
                # Right, or a prediction revealed: the keys go back to the lesson.
                self.answering = not (self.answer.right or (q is not None and q.predict and not self.answer.misses))
        elif key == "escape":
            self.draft, self.answering = "", False
        elif key == "backspace":
            self.draft = self.draft[:-1]
        elif character and len(character) == 1 and character.isprintable() and len(self.draft) < MAX_DRAFT:
            self.draft += character
        return None

    def question_part(self) -> QuestionPart | None:
        """The page's question with the live numbers filled in, its choices numbered."""
        q = self.page.question
        if q is None:
            return None
        run = self.run
        answer = self.answer
        # Numbered: a digit starts an answer, while letters like b and c are page keys.
        choices = tuple(f"{i + 1}) {c}" for i, c in enumerate(q.choices))
        if q.predict is None:
            return QuestionPart(self.words("question"), render(q.prompt, self.live_values()), choices, answer.right)
        if run is not None and answer.asked is not None and answer.asked[0] == (run.step, run.event):
            # Just revealed: the prediction as it was asked, not the next one's numbers.
            return QuestionPart(self.words("predict"), answer.asked[1], choices, answer.right)
        label = self.words("predict_again" if answer.right else "predict")
        prompt = render(q.prompt, self.live_values())
        shown = self.shown_already()
        if shown is not None:  # the walk went past it: the question says so instead of asking
            return QuestionPart(label, prompt + " " + self.words("predict_shown", value=shown), choices, False)
        return QuestionPart(label, prompt, choices, False)

    def answer_box(self) -> AnswerBox | None:
        """The answer box, when the page asks a question."""
        if self.page.question is None:
            return None
        return AnswerBox(self.draft, self.answering, self.words("answer_placeholder"))


def unusable_reply(q: Question, reply: str, words: Words | None = None) -> str:
    """Why `reply` cannot be an answer to `q` at all (empty when it can be judged).

    A choice question takes a choice's number, letter or text; any other question a finite
    number written with a point. Such a slip is said plainly and is not counted as a try.
    """
    if words is None:
        words = Words()
    text = reply.strip()
    if q.choices:
        n = len(q.choices)
        letters = [chr(ord("a") + i) for i in range(n)]
        if text.lower() in letters or text.lower() in (c.lower() for c in q.choices):
            return ""
        if text.isdecimal() and 1 <= int(text) <= n:
            return ""
        return words("choose", n=n)
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        if "," in text and text.replace(",", ".", 1).replace("-", "", 1).replace(".", "", 1).isdecimal():
            return words("use_point", number=text.replace(",", "."))
        return words("not_number")
    if not math.isfinite(value):
        return words("not_number")
    return ""


def walked(run: Run, name: str) -> bool:
    """True for a live value a graph page's walk makes: a gate's value, ∂E/∂p, the slope."""
    gates = {ev.node for ev in run.graph_pass().forward}
    return name in gates or name == "slope" or (name.startswith("dE_d") and name[4:] in run.names)


def on_screen(run: Run, name: str) -> bool:
    """True when the walk of a graph page shows the live value `name` at the cursor: a node's
    value once the forward pass made it, ∂E/∂p (or the slope) once back-propagation reached p."""
    if not run.graph:
        return False
    passed = run.graph_pass()
    made = {ev.node for ev in passed.forward[: run.event]}
    reached = {ev.node for ev in passed.backward[: max(0, run.event - len(passed.forward))]}
    if name == "slope":
        name = f"dE_d{run.names[0]}"
    return name in made or (name.startswith("dE_d") and name[4:] in reached)
