"""The step-through app: a thin Textual view that draws the session's frames.

Every key goes to `Session.press`, which returns the next `Frame`; the app sets it on its
`frame` reactive, and each panel (bound to it) redraws only if its part changed. The app itself
decides nothing about the lesson: it places panels, runs the play timer and quits when told.
"""

from __future__ import annotations

import asyncio
import signal
import time

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.driver import Driver
from textual.reactive import reactive
from textual.timer import Timer

from ..frame import Frame
from ..session import Session
from ..session.foresight import next_step_frame
from .pacing import Pacer, pacer_for
from .panels import (
    AnswerView,
    FooterKeys,
    GraphView,
    HeaderBar,
    HelpView,
    PageText,
    PlotView,
    QuestionView,
    StatusLine,
    TableView,
)
from .state_table import TABLE_HEIGHT, table_rows, table_turns
from .terminal_output import forget_screen, lean_driver

PLAY_INTERVAL = 0.6
"""Seconds between updates while playing: slow enough to read each number."""
UNTIL_INTERVAL = 0.03
"""Seconds between the stretches of a `u`: the screen follows, and a key gets in between."""
FORESIGHT_DELAY = 0.25
"""Seconds after a key (or the first frame) before the next step's text, table and plots are
rendered ahead: a held key never rests that long, so then nothing is done twice."""
FORESIGHT_LATE = 0.04
"""A foresight timer this many seconds late means the server's CPUs are busy (others' keys):
wait again rather than take CPU from their frames."""


class TutorApp(App[int]):
    """One lesson, page by page, stepped with the keyboard."""

    CSS_PATH = "tutor.tcss"
    TITLE = "backprop-tutor"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = None  # every key goes to the session

    # Textual binds ctrl+c to copy; on a lab terminal a student expects it to quit.
    BINDINGS = [Binding("ctrl+c", "press('ctrl+c')", "quit", show=False, priority=True)]

    frame: reactive[Frame | None] = reactive(None, init=False, repaint=False)
    """The screen as the session last described it; every panel is bound to it."""

    def __init__(self, session: Session, *, color: bool = True) -> None:
        super().__init__()
        self.session = session
        self.color = color
        self._player: Timer | None = None
        self._player_interval = PLAY_INTERVAL
        self._pacer: Pacer | None = None
        self._foresight: Timer | None = None
        self._ahead: list[TableView | PlotView | PageText | QuestionView] = []
        """The panels that can render a frame ahead."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, writing fewer bytes for the same screen (terminal_output.py)."""
        return lean_driver(super().get_driver_class())

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header").data_bind(TutorApp.frame)
        yield HelpView(id="help").data_bind(TutorApp.frame)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with VerticalScroll(id="text-scroll", can_focus=False):
                    yield PageText(id="text").data_bind(TutorApp.frame)
                yield StatusLine(id="status").data_bind(TutorApp.frame)
                yield TableView(id="table").data_bind(TutorApp.frame)
                yield QuestionView(id="question").data_bind(TutorApp.frame)
                yield AnswerView(id="answer").data_bind(TutorApp.frame)
            with Vertical(id="right"):
                yield PlotView("data_plot", color=self.color, id="data-plot").data_bind(TutorApp.frame)
                with VerticalScroll(id="graph-scroll", can_focus=False):
                    yield GraphView(id="graph").data_bind(TutorApp.frame)
                yield PlotView("error_plot", color=self.color, id="error-plot").data_bind(TutorApp.frame)
        yield FooterKeys(id="keys").data_bind(TutorApp.frame)

    def on_mount(self) -> None:
        self.session.resize(self.size.width, self.size.height)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self.action_press, "ctrl+c")
            except (NotImplementedError, RuntimeError, ValueError):  # not on this platform/thread
                pass
        self._pacer = pacer_for(self)
        self.show(self.session.frame())
        self._foresee_later()

    # -- drawing ---------------------------------------------------------------------------------

    def show(self, frame: Frame) -> None:
        """Draw `frame`: the layout classes first, then the panels (through the reactive).

        While the terminal has not caught up with the last frame, `frame` waits (pacing.py).
        """
        if self._pacer is not None and self._pacer.hold(frame):
            self.set_timer(self._pacer.patience, self._overdue)
            return
        self.set_class(frame.table is None, "-no-run")
        self.set_class(frame.graph is not None, "-graph")
        self.set_class(frame.big_graph, "-big-graph")
        self.set_class(bool(frame.help), "-help")
        self.set_class(frame.ascii_only, "ascii")
        if frame.table is not None:
            self._fit_table(frame)
        else:  # a page without a run: the question below has its rule again
            self.set_class(False, "-turned-table", "-tall-table")
        text = self.query_one("#text-scroll", VerticalScroll)
        if frame.new_page:
            text.scroll_home(animate=False)
        if frame.redraw:
            forget_screen(self._driver)
            for widget in self.screen.walk_children(with_self=True):  # every cell, not only those a frame changed
                widget.refresh()
        if frame.scroll:
            graph = self.query_one("#graph-scroll", VerticalScroll)
            # On a graph page the graph is what outgrows the screen.
            target = graph if frame.graph is not None and graph.max_scroll_y > 0 else text
            target.scroll_relative(y=frame.scroll, animate=False)
        self.frame = frame
        self._keep_playing(frame.playing or frame.running_until, UNTIL_INTERVAL if frame.running_until else PLAY_INTERVAL)
        if frame.quit:
            self.exit(0)
            return
        # Whether the text scrolls is known only after layout: tell the session then.
        self.call_after_refresh(self._report_layout)
        if self._pacer is not None:
            self.call_after_refresh(self._pacer.drawn)

    def on_cursor_position(self, event: events.CursorPosition) -> None:
        """The terminal's answer to the pacing probe: it has everything drawn so far."""
        if self._pacer is not None and (frame := self._pacer.answered()) is not None:
            self.show(frame)

    def _overdue(self) -> None:
        if self._pacer is not None and (frame := self._pacer.overdue()) is not None:
            self.show(frame)

    def _report_layout(self) -> None:
        text = self.query_one("#text-scroll", VerticalScroll).max_scroll_y > 0
        graph = self.query_one("#graph-scroll", VerticalScroll).max_scroll_y > 0
        s = self.session
        if (text, graph) != (s.text_scrolls, s.graph_scrolls):
            s.text_scrolls, s.graph_scrolls = text, graph
            self.frame = s.frame()

    def _keep_playing(self, playing: bool, interval: float = PLAY_INTERVAL) -> None:
        if self._player is not None and (not playing or self._player_interval != interval):
            self._player.stop()
            self._player = None
        if playing and self._player is None:
            self._player, self._player_interval = self.set_interval(interval, self._tick), interval

    def _tick(self) -> None:
        self.show(self.session.tick())

    # -- keys ------------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Every key, to the session; the frame it returns is drawn."""
        event.stop()
        event.prevent_default()
        if self._foresight is not None:
            self._foresight.stop()
            self._foresight = None
        try:
            frame = self.session.press(event.key, event.character)
        except Exception as exc:  # noqa: BLE001 - a drawing bug must not cost a student the session
            self.log.error(repr(exc))
            frame = self.session.failed(exc)
        self.show(frame)
        # A student on a run presses space next, whatever the key before (a step, a new page, a
        # new α): render that frame while they read (next_step_frame says when there is none).
        self._foresee_later()

    def _foresee_later(self) -> None:
        due = time.monotonic() + FORESIGHT_DELAY
        self._foresight = self.set_timer(FORESIGHT_DELAY, lambda: self._foresee(due))

    def _foresee(self, due: float | None = None) -> None:
        if self._foresight is not None:
            self._foresight.stop()  # when called before its timer (as a test does)
        self._foresight = None
        if due is not None and time.monotonic() - due > FORESIGHT_LATE:
            self._foresee_later()
            return
        frame = next_step_frame(self.session)
        if frame is not None:
            if not self._ahead:
                self._ahead = [*self.query(TableView), *self.query(PlotView), *self.query(PageText), *self.query(QuestionView)]
            for panel in self._ahead:
                panel.prepare(frame)

    def _fit_table(self, frame: Frame) -> None:
        """Give the state table its rows: a row per quantity when it turns at its width, else five.

        A turned table taller than five rows goes without its rule (and the question below it
        too): it needs the rows. Before the first layout the width is unknown; the table is then
        fitted again once it is.
        """
        assert frame.table is not None
        table = self.query_one("#table")
        width = table.content_size.width
        if width:
            turned = table_turns(frame.table, width, frame.labels.status_column)
        else:
            turned = table_rows(frame.table) > TABLE_HEIGHT
            self.call_after_refresh(self._refit_table, frame)
        tall = turned and len(frame.table.columns) + 1 > TABLE_HEIGHT  # a row per quantity and the status
        self.set_class(turned, "-turned-table")
        self.set_class(tall, "-tall-table")
        height = table_rows(frame.table) if tall else TABLE_HEIGHT + 1
        if table.styles.height is None or table.styles.height.value != height:
            table.styles.height = height

    def _refit_table(self, frame: Frame) -> None:
        if self.frame is frame and self.query_one("#table").content_size.width:
            self._fit_table(frame)

    def action_press(self, key: str) -> None:
        """A key that must reach the session before Textual's own bindings (ctrl+c), or a signal."""
        self.show(self.session.press(key))

    def on_resize(self, event: events.Resize) -> None:
        """A new size may change which panels fit (a big graph takes the column below 40 rows)."""
        self.session.resize(event.size.width, event.size.height)
        if self.frame is not None:  # drawn once laid out, as the session stands then
            self.call_after_refresh(lambda: self.show(self.session.frame()))
