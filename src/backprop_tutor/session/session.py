"""A student's way through one lesson: every key press becomes one call here, and one frame.

`Session.press(key)` applies the lesson's rules (which keys apply on this page, whether `-`
starts a negative answer or moves w, what a graph page may show yet) and returns the next
`Frame`. Only the session writes its message line; the view only draws frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..lessons import Lesson, Page, Question
from ..lessons.templates import render
from ..number_format import format_number
from ..progress import AnswerRecord, LessonProgress, ProgressStore
from ..frame import AnswerBox, Frame, Header, QuestionPart
from .glyphs import Glyphs
from .keys import ACTIONS, HELP, key_name
from .run import Run
from .words import ANSWER_PLACEHOLDER, STATUS_WORDS, STOPPED_WORDS, ordinal

MAX_DRAFT = 40
"""The most characters an answer may have."""


@dataclass
class Answer:
    """What the student did with a page's question."""

    tries: int = 0
    right: bool = False
    misses: int = 0
    """Wrong guesses at the current prediction (a predict question reveals after two)."""


class Session:
    """A student's way through one lesson.

    Args:
        lesson: the validated lesson.
        page: the page to open on.
        ascii_only: write every frame in ASCII (for terminals without UTF-8).
        store: where progress is kept (none: nothing is saved).
        export_dir: where `e` writes its files.
    """

    def __init__(
        self,
        lesson: Lesson,
        page: int = 0,
        *,
        ascii_only: bool = False,
        store: ProgressStore | None = None,
        export_dir: Path | None = None,
    ) -> None:
        self.lesson = lesson
        self.page_index = max(0, min(page, len(lesson.pages) - 1))
        self.runs: dict[int, Run] = {}
        self.answers: dict[int, Answer] = {}
        self.message = ""
        """One line for the student about the last thing that happened (empty for none)."""
        self.glyphs = Glyphs(ascii_only)
        self.store = store
        self.export_dir = export_dir
        self.draft = ""
        """What the student is typing as an answer."""
        self.answering = False
        """True while keys go into the answer box."""
        self.composite = False
        """Graph pages: show the composite gate (h and e folded) instead of every gate."""
        self.surface = True
        """Two-parameter pages: show the error surface instead of the curve along w."""
        self.help_open = False
        self.playing = False
        self.quitting = False
        self.text_scrolls = False
        """Told by the view after layout: the page's text is taller than its panel."""
        self.graph_scrolls = False
        self._skip_warned = False
        self._saved: LessonProgress | None = None
        self._new_page = True
        self._scroll = 0

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
            self.runs[self.page_index] = Run.start(exp, self.lesson.datasets[exp.id])
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
        self.go_to_page(self.page_index + 1)
        return True

    def previous_page(self) -> bool:
        """To the previous page."""
        self.message = ""
        self._skip_warned = False
        if self.page_index == 0:
            return False
        self.go_to_page(self.page_index - 1)
        return True

    def go_to_page(self, index: int) -> None:
        """To page `index` (clamped to the lesson)."""
        self.page_index = max(0, min(index, self.page_count - 1))
        self.message, self._skip_warned = "", False
        self.draft, self.answering, self.playing = "", False, False
        self._new_page = True
        self.save()

    def restart(self) -> None:
        """Start the whole lesson over from its first page, forgetting runs and answers."""
        self.runs.clear()
        self.answers.clear()
        self._saved = None
        self.go_to_page(0)
        self.message = "The lesson starts over."

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

    def tick(self) -> Frame:
        """One update while playing; playing stops at the end of the run."""
        if self.playing and not self.step():
            self.playing = False
        return self.frame()

    def _walk_alpha(self, direction: int) -> None:
        run = self.run
        if run is None:
            return
        alphas = sorted(run.experiment.alphas)
        current = run.alpha
        if alphas:
            bigger = [a for a in alphas if a > current * (1 + 1e-9)]
            smaller = [a for a in alphas if a < current * (1 - 1e-9)]
            candidates = bigger if direction > 0 else smaller
            new = (min(candidates) if direction > 0 else max(candidates)) if candidates else current
        else:
            new = current * 2 if direction > 0 else current / 2
        new = float(min(max(new, 1e-6), 1e6))
        if new == current:
            self.message = f"α stays {format_number(current)}: that is the end of this page's list of α values."
            return
        run.set_alpha(new)
        self.message = f"α = {format_number(new)} from step {run.step} on (the old future is kept on the plot)."

    def nudge(self, name: str, direction: int) -> None:
        """Move parameter `name` by hand (0.1 per press) at the current step."""
        run = self.run
        if run is None or name not in run.names:
            self.message = f"This page has no {name} to move."
            return
        run.nudge(name, 0.1 * direction)
        self.message = f"{name} = {format_number(run.state.params[name])} by hand, from step {run.step} on."

    def reset_page(self) -> None:
        """Start the page's run over (answers given stay given)."""
        if self.run is not None:
            self.run.reset()
        self.answer.misses = 0
        self.draft, self.answering, self.playing = "", False, False
        self.message = "Page reset."

    # -- questions -------------------------------------------------------------------------------

    def submit(self, reply: str) -> bool:
        """Check the student's reply to the page's question; sets `message` to the verdict."""
        q: Question | None = self.page.question
        if q is None or not reply.strip():
            return False
        answer = self.answer
        answer.tries += 1
        if q.predict is not None:
            right = self._predict(q, reply)
        else:
            right = q.accepts(reply)
            answer.right = answer.right or right
            if right:
                self.message = "Right! " + (self._live(q.explain) or self._onwards())
            else:
                self.message = f"Not quite ({ordinal(answer.tries)} try). Hint: {self._live(q.hint)}"
        self.save()
        return right

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
            self.message = f"Not quite ({ordinal(answer.misses)} try). Hint: {self._live(q.hint)} Try again."
            return False
        answer.misses = 0  # the step below makes a new prediction
        hint = "" if right else f" Hint: {self._live(q.hint)}"
        explain = self._live(q.explain)
        if q.predict.startswith("next_"):
            run.finish_step()
            run.forward()
        answer.right = answer.right or right
        verdict = f"Right! {explain}".strip() if right else f"Not quite; see it now on screen.{hint}"
        self.message = f"You said {reply.strip()}; it is {format_number(float(live))}. {verdict}"
        return right

    def _minus_answers(self) -> bool:
        """`-` starts a (negative) answer, unless the page is a lab where it moves w."""
        if self.page.question is None or self.answer.right:
            return False
        return self.run is None or not self.run.experiment.lab

    def _type(self, key: str, character: str | None) -> None:
        """A key while the answer box is open: typed, erased, sent or left."""
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

    # -- keys ------------------------------------------------------------------------------------

    def press(self, key: str, character: str | None = None) -> Frame:
        """One key press: apply it, and return the frame it leads to."""
        self._scroll = 0
        if key == "ctrl+c":
            self._quit()
        elif self.help_open:
            self.help_open = key_name(key, character) not in ("escape", "q", "?", "enter", "space", "f1")
        elif self.answering:
            self._type(key, character)
        else:
            self._act(key_name(key, character), character)
        return self.frame()

    def _act(self, name: str, character: str | None) -> None:
        action = ACTIONS.get(name)
        q = self.page.question
        starts_answer = q is not None and (
            action == "answer" or (action is None and character is not None and (character.isdigit() or character == "."))
            or (action == "w_down" and self._minus_answers())
        )
        if starts_answer:
            self.answering = True
            if action != "answer" and character:
                self.draft += character
            return
        if action is None:
            return
        handler = getattr(self, f"_do_{action}")
        handler()

    def _do_step(self) -> None:
        self.step()

    def _do_rewind(self) -> None:
        self.rewind()

    def _do_first(self) -> None:
        if self.run is not None:
            self.run.first()
            self.message = ""

    def _do_last(self) -> None:
        if self.run is not None:
            self.run.last()
            self.message = ""

    def _do_play(self) -> None:
        if self.playing:
            self.playing, self.message = False, "Paused."
        elif self.run is not None:
            self.playing, self.message = True, "Playing: p pauses."

    def _do_next_page(self) -> None:
        self.next_page()

    def _do_previous_page(self) -> None:
        self.previous_page()

    def _do_alpha_down(self) -> None:
        self._walk_alpha(-1)

    def _do_alpha_up(self) -> None:
        self._walk_alpha(+1)

    def _do_w_up(self) -> None:
        self._nudge_first(+1)

    def _do_w_down(self) -> None:
        self._nudge_first(-1)

    def _nudge_first(self, direction: int) -> None:
        run = self.run
        if run is None:
            self.message = "This page has no w to move."
            return
        self.nudge(run.names[0], direction)

    def _do_b_up(self) -> None:
        self.nudge("b", +1)

    def _do_b_down(self) -> None:
        self.nudge("b", -1)

    def _do_answer(self) -> None:  # reached only on a page without a question
        self.message = "This page asks no question."

    def _do_composite(self) -> None:
        run = self.run
        if run is None or not run.graph:
            self.message = "The composite gate is drawn on graph pages."
            return
        self.composite = not self.composite

    def _do_surface(self) -> None:
        run = self.run
        if run is None or len(run.names) != 2:
            self.message = "The error surface is drawn on pages with two parameters."
            return
        self.surface = not self.surface

    def _do_reset(self) -> None:
        self.reset_page()

    def _do_restart(self) -> None:
        self.restart()

    def _do_export(self) -> None:
        from .exporting import export_run

        self.message = export_run(self)

    def _do_scroll_up(self) -> None:
        self._scroll = -1

    def _do_scroll_down(self) -> None:
        self._scroll = 1

    def _do_help(self) -> None:
        self.help_open = True

    def _do_quit(self) -> None:
        self._quit()

    def _quit(self) -> None:
        self.playing = False
        self.quitting = True
        self.save()

    # -- progress --------------------------------------------------------------------------------

    def save(self) -> None:
        """Write where the student is (atomically); a failure is told, never raised."""
        if self.store is None:
            return
        key = self.lesson.id
        try:
            before = self._saved or self.store.get(key)
            self._saved = self.to_progress(before)
            self.store.save(key, self._saved)
        except OSError as exc:
            self.message = f"Could not save your progress: {exc.strerror or exc}"

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
        self.page_index = progress.resume_page(titles)
        self._saved = progress
        for index, title in enumerate(titles):
            record = progress.answers.get(title)
            if record is not None:
                self.answers[index] = Answer(tries=record.tries, right=record.right)

    def resume(self, restart: bool = False) -> None:
        """Open where the student left off (unless `restart`), saying so on the message line."""
        if self.store is None:
            return
        saved = None if restart else self.store.get(self.lesson.id)
        if saved is not None:
            self.restore(saved)
            if self.page_index > 0:
                self.message = (
                    f"Welcome back: resumed on page {self.page_index + 1} of {self.page_count}. "
                    "Press R to start the lesson over."
                )
        if self.store.notice:
            self.message = self.store.notice

    # -- the frame -------------------------------------------------------------------------------

    def page_text(self) -> str:
        """The page's text with the live numbers filled in."""
        run = self.run
        return render(self.page.text, run.values() if run else {})

    def frame(self) -> Frame:
        """The whole screen as it stands, every number formatted and every rule applied."""
        from .framing import build_frame

        frame = build_frame(self)
        self._new_page = False
        return frame

    def question_part(self) -> QuestionPart | None:
        """The page's question with the live numbers filled in, its choices numbered."""
        q = self.page.question
        if q is None:
            return None
        run = self.run
        prompt = render(q.prompt, run.values() if run else {})
        # Numbered: a digit starts an answer, while letters like b and c are page keys.
        choices = tuple(f"{i + 1}) {c}" for i, c in enumerate(q.choices))
        return QuestionPart("Predict" if q.predict else "Question", prompt, choices, self.answer.right)

    def answer_box(self) -> AnswerBox | None:
        """The answer box, when the page asks a question."""
        if self.page.question is None:
            return None
        return AnswerBox(self.draft, self.answering, ANSWER_PLACEHOLDER)

    def header(self) -> Header:
        """The top line."""
        return Header(
            self.lesson.id, self.page_index + 1, self.page_count, self.page.title, self.lesson.title,
            self.glyphs.separator,
        )

    def status_words(self) -> str:
        """The run's status at the cursor, in words (empty while it simply runs)."""
        run = self.run
        if run is None:
            return ""
        if run.overflowed:
            return STOPPED_WORDS
        return STATUS_WORDS.get(run.state.status, "")

    def help_rows(self) -> tuple[tuple[str, str], ...]:
        """The help screen's rows while it is open."""
        return HELP if self.help_open else ()
