"""The step-through app: a thin Textual view over a `Session`.

Every key becomes one call on the session; `refresh_view` then redraws what changed. The plots
are cached by what they show, so a step that does not move a plot does not redraw it.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from ..lessons import Lesson
from ..progress import LessonProgress, ProgressStore
from ..session import Session
from .graph_view import chain_rule_line, graph_diagram, local_gradients, merged_diagram
from .help_screen import HelpScreen
from .plots import Style, data_plot, error_plot, surface_plot
from .line_view import LineView
from .widgets import state_table

TABLE_ROWS = 4
"""Steps the state table shows at once (plus the one just left, when it moves on)."""
PLAY_INTERVAL = 0.6
"""Seconds between updates while playing: slow enough to read each number."""


class TutorApp(App[int]):
    """One lesson, page by page, stepped with the keyboard."""

    CSS_PATH = "tutor.tcss"
    TITLE = "backprop-tutor"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = None  # keys belong to the lesson until the student starts an answer

    BINDINGS = [
        Binding("space,right,l", "step", "step", show=False),
        Binding("left,h,backspace", "rewind", "back", show=False),
        Binding("home,g", "first", "first", show=False),
        Binding("end,G", "last", "last", show=False),
        Binding("p", "play", "play", show=False),
        Binding("n,pagedown", "next_page", "next page", show=False),
        Binding("b,pageup", "previous_page", "previous page", show=False),
        Binding("left_square_bracket", "alpha_down", "α/2", show=False),
        Binding("right_square_bracket", "alpha_up", "α×2", show=False),
        Binding("plus,equals_sign", "nudge('+1')", "w+", show=False),
        Binding("minus,underscore", "nudge('-1')", "w-", show=False),
        Binding("greater_than_sign,full_stop", "nudge_b('+1')", "b+", show=False),
        Binding("less_than_sign,comma", "nudge_b('-1')", "b-", show=False),
        Binding("a,tab", "answer", "answer", show=False),
        Binding("r", "reset", "reset", show=False),
        Binding("R", "restart_lesson", "restart lesson", show=False),
        Binding("e", "export", "export", show=False),
        Binding("c", "toggle_merged", "composite gate", show=False),
        Binding("s", "toggle_surface", "surface", show=False),
        Binding("question_mark,f1", "help", "help", show=False),
        Binding("q", "quit", "quit", show=False),
        # Textual binds ctrl+c to copy; on a lab terminal a student expects it to quit.
        Binding("ctrl+c", "quit", "quit", show=False, priority=True),
        Binding("up", "scroll_text(-1)", show=False),
        Binding("down", "scroll_text(1)", show=False),
    ]

    def __init__(
        self,
        session: Session,
        *,
        ascii_only: bool = False,
        color: bool = True,
        store: ProgressStore | None = None,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.style = Style(ascii_only=ascii_only, color=color)
        self.store = store
        self.export_dir = export_dir or Path.cwd()
        self._player: Timer | None = None
        self._saved: LessonProgress | None = None
        self.merged = False
        """Graph pages: show the composite gate (h and e folded) instead of every gate."""
        self.surface = True
        """Two-parameter pages: show the error surface instead of the curve along w."""
        self._drawn: dict[str, object] = {}

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with VerticalScroll(id="text-scroll"):
                    yield Static(id="text")
                yield Static(id="status")
                yield LineView(id="table")
                yield Static(id="question")
                yield Input(id="answer", placeholder="answer: a or a digit, then Enter", select_on_focus=False)
            with Vertical(id="right"):
                yield LineView(id="data-plot")
                with VerticalScroll(id="graph-scroll"):
                    yield Static(id="graph")
                yield LineView(id="error-plot")
        yield Static(id="keys")

    def on_mount(self) -> None:
        if self.style.ascii_only:
            self.add_class("ascii")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # not on this platform/thread
                pass
        self.refresh_view(new_page=True)

    # -- progress --------------------------------------------------------------------------------

    def save_progress(self) -> None:
        """Write where the student is (atomically); a failure is told, never raised."""
        if self.store is None:
            return
        try:
            before = self._saved or self.store.get(self.session.lesson.id)
            self._saved = self.session.to_progress(before)
            self.store.save(self.session.lesson.id, self._saved)
        except OSError as exc:
            self.session.message = f"Could not save your progress: {exc.strerror or exc}"

    # -- drawing ---------------------------------------------------------------------------------

    def refresh_view(self, new_page: bool = False) -> None:
        """Redraw the view from the session."""
        s = self.session
        page = s.page
        run = s.run
        dot = " | " if self.style.ascii_only else "  ·  "
        self._update(
            "#header",
            (s.page_index, dot),
            lambda: Text.assemble((f" {s.lesson.id} {s.page_index + 1}/{s.page_count} ", "reverse"), " ",
                                  (page.title, "bold"), f"{dot}{s.lesson.title}", no_wrap=True, overflow="ellipsis"),
        )
        if new_page:
            self.query_one("#text-scroll", VerticalScroll).scroll_home(animate=False)
        text = s.page_text()
        self._update("#text", text, lambda: Markdown(text) if text else "")
        self.set_class(run is None, "-no-run")
        self.set_class(run is not None and run.graph, "-graph")
        # A big graph (bias and several inputs) needs the whole right column on a small screen.
        big = run is not None and run.graph and len(run.trace.names) > 2 and self.size.height < 40
        self.set_class(big, "-big-graph")
        self._draw_question(new_page)
        if run is not None:
            try:
                self._draw_run()
            except Exception as exc:  # noqa: BLE001 - a drawing bug must not cost a student the session
                s.message = f"Could not draw this step ({type(exc).__name__}: {exc}); the run itself is safe."
                self.log.error(repr(exc))
        self._draw_status()
        self._draw_keys()
        # Whether the text scrolls is known only after layout: say so in the footer then.
        self.call_after_refresh(self._draw_keys)

    def _draw_status(self) -> None:
        s = self.session
        run = s.run
        parts = []
        if run is not None:
            words = run.status_words()
            if words:
                parts.append(Text(words, style="bold"))
        if s.message:
            parts.append(Text(s.message, style="italic"))
        status = self.query_one("#status", Static)
        self._update("#status", tuple(p.plain for p in parts), lambda: Group(*parts) if parts else "")
        status.display = bool(parts)

    def _draw_question(self, new_page: bool) -> None:
        s = self.session
        q = s.page.question
        question = self.query_one("#question", Static)
        answer_box = self.query_one("#answer", Input)
        question.display = answer_box.display = q is not None
        if q is None:
            return
        prefix = "Predict" if q.predict else "Question"
        if s.answer.right:
            prefix += " (answered right)" if self.style.ascii_only else " ✓"
        prefix += ": "
        mark = ""
        prompt = s.question_text()
        self._update("#question", (prefix, prompt, mark), lambda: Text.assemble((prefix, "bold"), prompt, (mark, "bold")))
        if new_page:
            answer_box.value = ""
            # Not focused: n, b and q keep working; a digit or `a` starts an answer.
            self.set_focus(None)

    def _draw_run(self) -> None:
        s = self.session
        run = s.run
        assert run is not None
        state = run.state
        names = run.trace.names
        # Rows stay in place for four steps (only the new row and the highlight repaint), then
        # the table moves on by four.
        first = (run.step // TABLE_ROWS) * TABLE_ROWS
        if first and run.step == first:
            first -= 1  # keep the step just left in view
        states = [run.trace.state(k) for k in range(first, run.step + 1)]
        hidden: frozenset[str] = frozenset()
        reveal = "slope"
        if run.graph:  # show only what the walk has computed at this step
            forward = len(run.graph_pass().forward)
            if run.event < forward:
                hidden, reveal = frozenset({"E", "grad"}), "curve"
            elif run.event < run.events_per_step():
                hidden, reveal = frozenset({"grad"}), "point"
        self.query_one("#table", LineView).show(
            (id(run.trace), run.step, hidden),
            lambda w, h: state_table(states, names, run.step, self.style.ascii_only, hidden, w),
        )
        problem = run.trace.problem
        params = run.trace.params_at(run.step).copy()
        key = (s.page_index, id(run.trace), run.step, self.style, reveal)
        style = self.style
        if run.graph:
            self._draw_graph(run)
        else:
            self.query_one("#data-plot", LineView).show(
                key, lambda w, h: data_plot(problem.X, problem.y, params, problem.neuron.bias, w, h, style)
            )
        name = names[0]
        if len(names) == 2 and self.surface:

            def draw_surface(w: int, h: int) -> str:
                first, second, E, path2 = run.error_surface()
                return surface_plot(first, second, E, path2, w, h, names, style)

            self.query_one("#error-plot", LineView).show((key, "surface"), draw_surface)
            return

        def draw_curve(w: int, h: int) -> str:  # computed only when the plot is drawn
            ws, Es, path = run.error_curve()
            return error_plot(
                ws, Es, state.params[name], state.loss, state.grad[name], path, w, h, name, style,
                run.old_future(), reveal,
            )

        self.query_one("#error-plot", LineView).show(key, draw_curve)

    def _draw_graph(self, run) -> None:  # type: ignore[no-untyped-def]
        """The graph panel: where the walk is, the diagram, the chain rule, the local gradients."""
        style = self.style
        passed = run.graph_pass()
        graph = run.trace.problem.graph()
        panel = self.query_one("#graph", Static)
        width = max(panel.size.width, 30) if panel.size.width else 44
        parts: list = [Text(self._graph_where(run), style="bold")]
        if self.merged:
            parts.append(merged_diagram(graph, passed, run.event, style.ascii_only))
        else:
            parts.append(graph_diagram(graph, passed, run.event, width, style.ascii_only))
            chain = chain_rule_line(graph, passed, run.event, style.ascii_only)
            if chain:
                parts.append(Text(chain, style="italic"))
            locals_ = local_gradients(graph, passed, run.event, style.ascii_only)
            if locals_:
                parts.append(Text("local: " + ", ".join(locals_), style="dim"))
        if run.event >= run.events_per_step():
            slopes = run.slopes()
            parts.append(Text(
                f"slope: backprop {slopes['backprop']:.6g} | analytic {slopes['analytic']:.6g} | "
                f"numerical {slopes['numerical']:.6g}", no_wrap=False))
        self._update("#graph", tuple(p.plain for p in parts), lambda: Group(*parts))

    def _graph_where(self, run) -> str:  # type: ignore[no-untyped-def]
        forward = len(run.graph_pass().forward)
        if run.event == 0:
            if run.step == 0:
                return f"step {run.step}: press space for the forward pass"
            before = run.trace.state(run.step - 1)
            name = run.trace.names[0]
            return (f"updated: {name} = {before.params[name]:g} - {run.alpha:g}·{before.grad[name]:g}"
                    f" = {run.state.params[name]:g}")
        if run.event <= forward:
            return f"step {run.step}: forward pass ({run.event}/{forward})"
        total = run.events_per_step()
        if run.event < total:
            return f"step {run.step}: back-propagation ({run.event - forward}/{total - forward})"
        name = run.trace.names[0]
        return f"step {run.step}: space updates {name} - α·∂E/∂{name}"

    def _draw_keys(self) -> None:
        s = self.session
        run = s.run
        plain = self.style.ascii_only
        keys = (["spc step", "bksp back"] if plain else ["spc/→ step", "← back"]) if run else []
        if run:
            keys.append(f"[ ] {'alpha' if plain else 'α'}={run.alpha:g}")
            if run.experiment.lab or not run.graph:
                keys.append("+/- w" + ("  </> b" if "b" in run.trace.names else ""))
        if s.page.question:
            keys.append("a answer")
        if run and run.graph and self.query_one("#graph-scroll", VerticalScroll).max_scroll_y > 0:
            keys.append("↑↓ graph" if not plain else "up/down graph")
        elif self.query_one("#text-scroll", VerticalScroll).max_scroll_y > 0:
            keys.append("↑↓ text" if not plain else "up/down text")
        keys += ["n/b page", "? help", "q quit"]
        line = "  ".join(keys)
        self._update("#keys", line, lambda: Text(line, no_wrap=True, overflow="ellipsis"))

    def _update(self, selector: str, key: object, make: Callable[[], object]) -> None:
        """Update a Static only when what it shows changed: every update repaints its whole area."""
        if self._drawn.get(selector) == key:
            return
        self._drawn[selector] = key
        self.query_one(selector, Static).update(make())  # type: ignore[arg-type]

    # -- actions ---------------------------------------------------------------------------------

    def action_step(self) -> None:
        """One update (or graph event)."""
        if not self.session.step() and self._player is not None:
            self.action_play()
        self.refresh_view()

    def action_rewind(self) -> None:
        """One update (or graph event) back."""
        self.session.rewind()
        self.refresh_view()

    def action_first(self) -> None:
        """To step 0."""
        if self.session.run:
            self.session.run.first()
        self.refresh_view()

    def action_last(self) -> None:
        """To the last recorded step."""
        if self.session.run:
            self.session.run.last()
        self.refresh_view()

    def action_play(self) -> None:
        """Start or stop stepping by itself."""
        if self._player is not None:
            self._player.stop()
            self._player = None
            self.session.message = "Paused."
        elif self.session.run is not None:
            self._player = self.set_interval(PLAY_INTERVAL, self.action_step)
            self.session.message = "Playing: p pauses."
        self.refresh_view()

    def _stop_playing(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player = None

    def action_next_page(self) -> None:
        """To the next page."""
        self._stop_playing()
        moved = self.session.next_page()
        if moved:
            self.save_progress()
        self.refresh_view(new_page=moved)

    def action_previous_page(self) -> None:
        """To the previous page."""
        self._stop_playing()
        moved = self.session.previous_page()
        if moved:
            self.save_progress()
        self.refresh_view(new_page=moved)

    def action_alpha_down(self) -> None:
        """Halve α (or walk the page's list down)."""
        self.session.alpha_down()
        self.refresh_view()

    def action_alpha_up(self) -> None:
        """Double α (or walk the page's list up)."""
        self.session.alpha_up()
        self.refresh_view()

    def action_nudge(self, direction: str) -> None:
        """Move the first weight by hand (on a question page, `-` starts a negative answer)."""
        if direction.startswith("-") and self._minus_answers():
            answer_box = self.query_one("#answer", Input)
            answer_box.focus()
            answer_box.insert_text_at_cursor("-")
            return
        run = self.session.run
        if run is not None:
            self.session.nudge(run.trace.names[0], int(direction))
        self.refresh_view()

    def action_nudge_b(self, direction: str) -> None:
        """Move the bias by hand."""
        self.session.nudge("b", int(direction))
        self.refresh_view()

    def action_answer(self) -> None:
        """Put the cursor in the answer box."""
        if self.session.page.question is not None:
            self.query_one("#answer", Input).focus()

    def action_reset(self) -> None:
        """Start the page over."""
        self._stop_playing()
        self.session.reset_page()
        self.refresh_view(new_page=True)

    def action_help(self) -> None:
        """Show every key."""
        screen = HelpScreen()
        if self.style.ascii_only:
            screen.add_class("ascii")
        self.push_screen(screen)

    def action_scroll_text(self, direction: int) -> None:
        """Scroll the page's text (or, when it does not scroll, a graph too big for the screen)."""
        scroll = self.query_one("#text-scroll", VerticalScroll)
        graph = self.query_one("#graph-scroll", VerticalScroll)
        if self.has_class("-graph") and graph.max_scroll_y > 0:
            scroll = graph  # on a graph page the graph is what outgrows the screen
        scroll.scroll_relative(y=direction, animate=False)

    def action_toggle_merged(self) -> None:
        """Graph pages: fold h and e into the composite gate, or unfold them."""
        self.merged = not self.merged
        self.refresh_view()

    def action_toggle_surface(self) -> None:
        """Two-parameter pages: the error surface or the curve along the first parameter."""
        self.surface = not self.surface
        self.refresh_view()

    def action_restart_lesson(self) -> None:
        """Start the whole lesson over from its first page."""
        self._stop_playing()
        self.session.runs.clear()
        self.session.answers.clear()
        self.session.go_to_page(0)
        self.session.message = "The lesson starts over."
        self.save_progress()
        self.refresh_view(new_page=True)

    def action_export(self) -> None:
        """Write this page's run as CSV and its plots as text, for a lab report."""
        from ..export import export_name, write_csv

        s = self.session
        run = s.run
        if run is None:
            s.message = "This page has no run to export."
            self.refresh_view()
            return
        exp_id = run.experiment.id
        try:
            csv_path = export_name(s.lesson.id, exp_id, self.export_dir, ".csv")
            with open(csv_path, "w", encoding="utf-8", newline="") as out:
                write_csv([(s.lesson.id, exp_id, run.trace)], out, upto=run.step)
            text_path = csv_path.with_suffix(".txt")
            text_path.write_text(self._plots_as_text(), encoding="utf-8")
        except OSError as exc:
            s.message = f"Could not export: {exc.strerror or exc}"
        else:
            s.message = f"Saved {csv_path.name} and {text_path.name} in {self.export_dir}"
        self.refresh_view()

    def _plots_as_text(self) -> str:
        s = self.session
        run = s.run
        assert run is not None
        plain = Style(ascii_only=self.style.ascii_only, color=False)
        problem = run.trace.problem
        state = run.state
        name = run.trace.names[0]
        ws, Es, path = run.error_curve()
        params = run.trace.params_at(run.step)
        header = f"{s.lesson.id} / {run.experiment.id}, step {run.step}, alpha = {run.alpha:g}, {state.status}\n\n"
        return (
            header
            + data_plot(problem.X, problem.y, params, problem.neuron.bias, 60, 16, plain)
            + "\n\n"
            + error_plot(ws, Es, state.params[name], state.loss, state.grad[name], path, 60, 16, name, plain)
            + "\n"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the answer typed in the box."""
        self.session.submit(event.value)
        self.save_progress()
        question = self.session.page.question
        if self.session.answer.right or (question is not None and question.predict):
            event.input.value = ""
        if self.session.answer.right or (question is not None and question.predict and not self.session.answer.misses):
            self.set_focus(None)  # so n and space work straight away
        self.refresh_view()

    def _minus_answers(self) -> bool:
        """`-` starts a (negative) answer, unless the page is a lab where it moves w."""
        s = self.session
        if s.page.question is None or s.answer.right:
            return False
        return s.run is None or not s.run.experiment.lab

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        """Escape leaves the answer box; a digit typed outside it starts an answer."""
        answer_box = self.query_one("#answer", Input)
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_focus(None)
            event.stop()
        elif (
            not isinstance(self.focused, Input)
            and answer_box.display
            and event.character is not None
            and (event.character.isdigit() or event.character == ".")
        ):
            answer_box.focus()
            answer_box.insert_text_at_cursor(event.character)
            event.stop()


def make_app(
    lesson: Lesson,
    *,
    ascii_only: bool = False,
    no_color: bool = False,
    page: int | None = None,
    store: ProgressStore | None = None,
    restart: bool = False,
    export_dir: Path | None = None,
) -> TutorApp:
    """The app for `lesson`, shared by the command line and the tests.

    With a progress `store` the lesson resumes where the student left off (unless `restart`
    or an explicit `page`), and progress is saved as they go.
    """
    session = Session(lesson, page=page or 0)
    if store is not None:
        notice = ""
        saved = None if restart else store.get(lesson.id)
        notice = store.notice
        if saved is not None and page is None:
            session.restore(saved)
            if session.page_index > 0:
                session.message = (f"Welcome back: resumed on page {session.page_index + 1} of "
                                   f"{session.page_count}. Press R to start the lesson over.")
        if notice:
            session.message = notice
    return TutorApp(session, ascii_only=ascii_only, color=not no_color, store=store, export_dir=export_dir)


def wants_ascii() -> bool:
    """True when the terminal's locale cannot show UTF-8."""
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(var)
        if value:
            return "utf-8" not in value.lower() and "utf8" not in value.lower()
    return True


def run_app(
    lesson: Lesson,
    *,
    ascii_only: bool = False,
    no_color: bool = False,
    store: ProgressStore | None = None,
    restart: bool = False,
) -> int:
    """Run the app in this terminal; returns the exit status. Progress is saved however it ends."""
    no_color = no_color or bool(os.environ.get("NO_COLOR"))
    if no_color:
        os.environ["NO_COLOR"] = "1"  # Textual's own drawing follows the convention too
    app = make_app(lesson, ascii_only=ascii_only or wants_ascii(), no_color=no_color, store=store, restart=restart)
    try:
        app.run()
    finally:
        app.save_progress()
    return app.return_code or 0
