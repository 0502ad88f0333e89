"""A student's way through one lesson: every key press becomes one call here, and one frame.

`Session.press(key)` applies the lesson's rules (which keys apply on this page, whether `-`
starts a negative answer or moves w, what a graph page may show yet) and returns the next
`Frame`. Only the session writes its message line; the view only draws frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..frame import Frame
from ..lessons import Lesson
from ..lessons.templates import render
from ..number_format import format_number
from ..progress import ProgressStore
from ..words import Words
from . import saving
from .glyphs import Glyphs
from .ime import as_key, typed
from .keys import ACTIONS, key_name
from .next_lesson import last_page
from .questions import Answer, Questions

if TYPE_CHECKING:
    from ..lessons import Page
    from .pins import Pins
    from .run import Run
    from .until_run import UntilRun


class Session(Questions):
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
        self.words = Words(lesson.language)
        """The app's strings in the lesson's language."""
        self.languages: dict[str, Lesson] = {lesson.language: lesson}
        """The lesson in each language it can be shown in (`L` switches: `switching.py`)."""
        self.page_index = max(0, min(page, len(lesson.pages) - 1))
        self.runs: dict[int, Run] = {}
        self.pins: dict[int, Pins] = {}
        """The runs pinned beside each page's own, to compare."""
        self.until: UntilRun | None = None
        """A `u` under way (stepping until something happens), if any."""
        self.answers: dict[int, Answer] = {}
        self.message = ""
        """One line for the student about the last thing that happened (empty for none)."""
        self.reload_problem = ""
        """`--watch`: why the edited file was not reloaded, shown until it is (see reloading.py)."""
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
        self.screen_size = (80, 24)
        """Told by the view: the terminal's columns and rows."""
        self.save_failed = False
        """True while the last save failed (the app's exit status says so)."""
        self._skip_warned = False
        self._new_page = True
        self._scroll = 0
        self._redraw = False

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
            from .run import Run  # the engine and numpy, imported with the first run

            self.runs[self.page_index] = Run.start(exp, self.lesson.datasets[exp.id])
        return self.runs[self.page_index]

    @property
    def page_pins(self) -> Pins:
        """The runs pinned on this page (the lesson's `compare:` list when it opens)."""
        if self.page_index not in self.pins:
            from .pins import Pins  # with the first run, as the engine is

            exp = self.page.experiment
            run = self.run
            self.pins[self.page_index] = Pins.from_lesson(exp, run.data) if exp is not None and run else Pins()
        return self.pins[self.page_index]

    def pinned_runs(self) -> list[Run]:
        """The pinned runs, each with its cursor at the page's step."""
        run = self.run
        return self.page_pins.follow(run.step) if run is not None else []

    def next_page(self) -> bool:
        """To the next page; an unanswered question asks once before it is skipped."""
        self.message = ""
        q = self.page.question
        if q is not None and q.predict is None and not self.answer.right and not self._skip_warned:
            self._skip_warned = True
            self.message = self.words("answer_first")
            return False
        if self.page_index + 1 >= self.page_count:
            self.message = last_page(self.lesson, self.words, "last_page")
            return False
        self.go_to_page(self.page_index + 1)
        if self.page_index + 1 == self.page_count and not self.message:  # the last page: what comes next
            self.message = last_page(self.lesson, self.words, "last_page")
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
        self.draft, self.answering, self.playing, self.until = "", False, False, None
        self._new_page = True
        self.save()

    def restart(self) -> None:
        """Start the whole lesson over from its first page, forgetting runs and answers."""
        self.runs.clear()
        self.pins.clear()
        self.answers.clear()
        self.go_to_page(0)
        self.message = self.words("starts_over")

    # -- stepping --------------------------------------------------------------------------------

    def step(self) -> bool:
        """One update (or graph event) forward; says why when it cannot."""
        run = self.run
        self.message = ""
        if run is None:
            last = self.page_index + 1 == self.page_count  # no next page to send the student to
            self.message = last_page(self.lesson, self.words, "last_page") if last else self.words("no_run")
            return False
        if run.forward():
            # Folded, the gates inside the composite show nothing: walk on to what it shows.
            while self.composite and not run.folded_shows() and run.forward():
                pass
            return True
        if run.trace.stopped:
            self.message = self.words("overflowed")
        else:
            self.message = self.words("last_step", step=run.max_step)
        return False

    def rewind(self) -> bool:
        """One update (or graph event) back."""
        run = self.run
        self.message = ""
        if run is None or not run.back():
            return False
        while self.composite and not run.folded_shows() and run.back():
            pass
        return True

    def tick(self) -> Frame:
        """One update while playing (playing stops at the end of the run), or the next stretch of a `u`."""
        if self.until is not None:
            from . import until_run

            until_run.go_on(self)
        elif self.playing and not self.step():
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
            self.message = self.words("alpha_stays", alpha=format_number(current))
            return
        run.set_alpha(new)
        self.message = self.words("alpha_set", alpha=format_number(new), step=run.step)

    def nudge(self, name: str, direction: int) -> None:
        """Move parameter `name` by hand (0.1 per press) at the current step."""
        run = self.run
        if run is None or name not in run.names:
            self.message = self.words("no_param", name=name)
            return
        run.nudge(name, 0.1 * direction)
        self.message = self.words("nudged", name=name, value=format_number(run.state.params[name]), step=run.step)

    def reset_page(self) -> None:
        """Start the page's run over (answers given stay given)."""
        if self.run is not None:
            self.run.reset()
        self.pins.pop(self.page_index, None)  # the page as it opens: the lesson's pins, no others
        self.answer.misses = 0
        self.draft, self.answering, self.playing = "", False, False
        self.message = self.words("page_reset")

    # -- keys ------------------------------------------------------------------------------------

    def press(self, key: str, character: str | None = None) -> Frame:
        """One key press: apply it, and return the frame it leads to."""
        self._scroll = 0
        character = typed(character) if self.answering else as_key(character)  # a Korean input method's keys
        if self.until is not None:  # any key stops a `u` (and `u` itself does only that)
            from . import until_run

            if until_run.interrupt(self, key_name(key, character)):
                return self.frame()
        if key == "ctrl+c":
            self._quit()
        elif self.help_open:
            self.help_open = key_name(key, character) not in ("escape", "q", "?", "enter", "space", "f1")
        elif self.answering:
            passed = self._type(key, character)  # n, b, ? or q where no reply could use it
            if passed:
                self._act(passed, character)
        else:
            self._act(key_name(key, character), character)
        return self.frame()

    def _act(self, name: str, character: str | None) -> None:
        action = ACTIONS.get(name)
        if self.starts_answer(action, character):
            self.answering = self.open_box()
            if self.answering and action != "answer" and character:
                self.draft += character
            return
        if action is not None:
            if action in ("first", "last"):
                self.message = ""
            self._handlers()[action]()

    def _handlers(self) -> dict[str, Callable[[], object]]:
        run = self.run
        first = run.names[0] if run is not None else "w"
        return {
            "step": self.step,
            "rewind": self.rewind,
            "first": lambda: run.first() if run else None,
            "last": lambda: run.last() if run else None,
            "play": self._toggle_play,
            "next_page": self.next_page,
            "previous_page": self.previous_page,
            "alpha_down": lambda: self._walk_alpha(-1),
            "alpha_up": lambda: self._walk_alpha(+1),
            "w_up": lambda: self.nudge(first, +1),
            "w_down": lambda: self.nudge(first, -1),
            "b_up": lambda: self.nudge("b", +1),
            "b_down": lambda: self.nudge("b", -1),
            "answer": lambda: setattr(self, "message", self.words("no_question")),
            "composite": self._toggle_composite,
            "surface": self._toggle_surface,
            "reset": self.reset_page,
            "restart": self.restart,
            "export": self._export,
            "pin": lambda: setattr(self, "message", self.page_pins.pin(run, self.words) if run else self.words("pin.no_run")),
            "unpin": lambda: setattr(self, "message", self.page_pins.clear(self.words)),
            "until": self._until,
            "scroll_up": lambda: setattr(self, "_scroll", -1),
            "scroll_down": lambda: setattr(self, "_scroll", +1),
            "language": self._switch_language,
            "help": lambda: setattr(self, "help_open", True),
            "redraw": lambda: setattr(self, "_redraw", True),
            "quit": self._quit,
        }

    def _toggle_play(self) -> None:
        if self.playing:
            self.playing, self.message = False, self.words("paused")
        elif self.run is not None:
            self.playing, self.message = True, self.words("playing")

    def _switch_language(self) -> None:
        from .switching import switch_language  # the other language's lesson is read when first asked for

        switch_language(self)

    def _until(self) -> None:
        from . import until_run  # the engine's judge of a run: with the first `u`

        until_run.start(self)

    def _export(self) -> None:
        from .exporting import export_run  # plots and CSV writing: only when asked for

        self.message = export_run(self)

    def _toggle_composite(self) -> None:
        run = self.run
        if run is None or not run.graph:
            self.message = self.words("no_graph")
            return
        self.composite = not self.composite

    def _toggle_surface(self) -> None:
        run = self.run
        if run is None or len(run.names) != 2:
            self.message = self.words("no_surface")
            return
        self.surface = not self.surface

    def _quit(self) -> None:
        self.playing = False
        self.quitting = True
        self.save()

    # -- progress and the frame -------------------------------------------------------------------------------

    def page_text(self) -> str:
        """The page's text with the live numbers filled in."""
        return render(self.page.text, self.live_values())

    def save(self) -> None:
        """Write where the student is (atomically); a failure is told, never raised."""
        saving.save(self)

    def resume(self, restart: bool = False) -> None:
        """Open where the student left off (unless `restart`), saying so on the message line."""
        saving.resume(self, restart)

    def resize(self, columns: int, rows: int) -> None:
        """The terminal's new size: what fits (a big graph, the footer's notice) follows it."""
        self.screen_size = (columns, rows)

    def failed(self, exc: Exception) -> Frame:
        """The frame after a key whose handling raised: the run is safe, the message says so."""
        self.message = self.words("draw_failed", error=f"{type(exc).__name__}: {exc}")
        return self.frame()

    def frame(self) -> Frame:
        """The whole screen as it stands, every number formatted and every rule applied."""
        from .framing import build_frame

        frame = build_frame(self)
        self._new_page = self._redraw = False
        return frame
