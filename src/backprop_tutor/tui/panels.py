"""The panels of the screen: each is fed its part of the frame and redraws only when it changes.

Every panel is bound to the app's `frame` reactive (`data_bind`) and picks its own part out of
it. Nothing is pushed into a panel by id; no panel decides a rule or formats a number: that is
the frame's job, done once in the session.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markdown import Markdown
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import Static

from ..frame import AnswerBox, CurvePlot, DataPlot, Frame, GraphPart, Header, QuestionPart, StateTable, SurfacePlot
from .line_view import LineView
from .state_table import table_lines

_NOTHING = object()

REMEMBER = 24
"""Renderings of the text and the table kept for going back (a rewind, a page revisited)."""


class _Part:
    """A panel's mixin: take `part(frame)`, and redraw only when it differs from the last one."""

    frame: reactive[Frame | None]
    _shown: Any = _NOTHING

    def part(self, frame: Frame) -> Any:
        """This panel's part of `frame`."""
        raise NotImplementedError

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        part = self.part(frame)
        shown = self._shown
        if shown is not _NOTHING and shown == part:
            return
        self._shown = part
        self.show_part(part, frame)

    def show_part(self, part: Any, frame: Frame) -> None:
        """Draw `part`."""
        raise NotImplementedError

    def prepare(self, frame: Frame) -> None:
        """Render this panel's part of `frame`, a frame likely to come, ahead of time (where a
        panel can: the text, the table, the plots)."""


class HeaderBar(_Part, Static):
    """The top line: lesson, page number, page title, lesson title."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> Header:
        return frame.header

    def show_part(self, part: Header, frame: Frame) -> None:
        text = Text.assemble(
            (f" {part.lesson_id} {part.page}/{part.pages} ", "reverse"), " ", (part.page_title, "bold"),
            f"{part.separator}{part.lesson_title}", no_wrap=True,
        )
        self.update(shorten(text, self.size.width or 80, frame.ascii_only))

    def on_resize(self) -> None:
        if self.frame is not None:
            self.show_part(self.frame.header, self.frame)


def shorten(text: Text, width: int, ascii_only: bool) -> Text:
    """`text` cut to `width` cells, ending in `…` (`...` in ASCII) when it was longer."""
    if text.cell_len <= width:
        return text
    more = "..." if ascii_only else "…"
    short = text.copy()
    short.truncate(max(width - len(more), 0))
    short.append(more)
    return short


class PageText(_Part, LineView):
    """The page's text, as Markdown (its bullets and rules in ASCII when the terminal needs it).

    A step changes the live numbers in it: only the cells that changed are repainted, and the
    screen is laid out again only when the text's height changes.
    """

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, auto_height=True, remember=REMEMBER)

    def part(self, frame: Frame) -> tuple[str, bool]:
        return frame.text, frame.ascii_only

    def show_part(self, part: tuple[str, bool], frame: Frame) -> None:
        self.show(part, self._maker_for(part))

    def prepare(self, frame: Frame) -> None:
        part = self.part(frame)
        self.prepare_content(part, self._maker_for(part))

    @staticmethod
    def _maker_for(part: tuple[str, bool]) -> Any:
        text, ascii_only = part
        return lambda w, h: (AsciiOnly(Markdown(text)) if ascii_only else Markdown(text)) if text else ""


# rich draws Markdown's bullets, rules and code boxes itself: one ASCII character for each.
_RICH_TO_ASCII = str.maketrans("•─━│┃┌┐└┘├┤┬┴┼╭╮╰╯═║▌▐█▔▁", "*--||+++++++++++++=|||#-_")


class AsciiOnly:
    """A renderable drawn with ASCII only: what rich adds around the text, translated cell for cell."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            text = segment.text.translate(_RICH_TO_ASCII)
            if not text.isascii():
                text = "".join(c if c.isascii() else "?" for c in text)
            yield Segment(text, segment.style, segment.control)


class StatusLine(_Part, Static):
    """The run's status in words, and the session's message about the last key."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> tuple[str, str]:
        return frame.status, frame.message

    def show_part(self, part: tuple[str, str], frame: Frame) -> None:
        status, message = part
        lines = [Text(status, style="bold")] if status else []
        if message:
            lines.append(Text(message, style="italic"))
        self.display = bool(lines)
        self.update(Group(*lines) if lines else "")


class QuestionView(_Part, LineView):
    """The page's question, with ✓ once it is answered right (a prediction's numbers change with each step)."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, auto_height=True, remember=REMEMBER)

    def part(self, frame: Frame) -> tuple[QuestionPart | None, bool]:
        return frame.question, frame.ascii_only

    def show_part(self, part: tuple[QuestionPart | None, bool], frame: Frame) -> None:
        self.display = part[0] is not None
        if part[0] is not None:
            self.show(part, self._maker_for(part))

    def prepare(self, frame: Frame) -> None:
        part = self.part(frame)
        if part[0] is not None:
            self.prepare_content(part, self._maker_for(part))

    @staticmethod
    def _maker_for(part: tuple[QuestionPart | None, bool]) -> Any:
        question, ascii_only = part
        assert question is not None
        label = question.label
        if question.answered:
            label += " (answered right)" if ascii_only else " ✓"  # in ASCII mode the frame is English
        text = Text.assemble((f"{label}: ", "bold"), question.prompt)
        if not question.choices:
            return lambda w, h: text
        # A choice that wraps goes on under its own text, not under its number.
        choices = Table.grid(padding=(0, 1, 0, 0))
        choices.add_column(no_wrap=True)
        choices.add_column(ratio=1)
        for choice in question.choices:
            number, _, rest = choice.partition(") ")  # the session numbers them: "1) text"
            choices.add_row(f"  {number})", rest)
        return lambda w, h: Group(text, choices)


class AnswerView(_Part, Static):
    """The answer box: what is typed, with a cursor while keys go into it."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> AnswerBox | None:
        return frame.answer

    def show_part(self, part: AnswerBox | None, frame: Frame) -> None:
        self.display = part is not None
        if part is None:
            return
        self.set_class(part.active, "-active")
        if part.active:
            self.update(Text.assemble(("> ", "bold"), part.text, ("_", "blink")))
        else:
            self.update(Text(part.text or part.placeholder, style="" if part.text else "dim"))


class FooterKeys(_Part, Static):
    """The keys that apply on this page; `? help` and `q quit` are never cut off."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> tuple[str, ...]:
        return frame.keys

    def show_part(self, part: tuple[str, ...], frame: Frame) -> None:
        self.update(Text(fit_keys(part, max(self.size.width, 20)), no_wrap=True, overflow="crop"))

    def on_resize(self) -> None:
        if self.frame is not None:
            self.show_part(self.frame.keys, self.frame)


def fit_keys(keys: tuple[str, ...], width: int) -> str:
    """The keys joined by two spaces, dropping from the middle so the first (what matters most)
    and the last two (`? help`, `q quit`) always show."""
    keep = list(keys)
    while len(keep) > 3 and cell_len("  ".join(keep)) > width:
        del keep[-3]
    return "  ".join(keep)


class HelpView(_Part, Static):
    """Every key and what it does, while the help is open."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> tuple[tuple[str, str], ...]:
        return frame.help

    def show_part(self, part: tuple[tuple[str, str], ...], frame: Frame) -> None:
        self.display = bool(part)
        if not part:
            return
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for keys, what in part:
            table.add_row(keys, what)
        self.update(Group(Text(frame.labels.help_title + "\n", style="bold"), table))


class GraphView(_Part, Static):
    """The computation graph panel, laid out to the panel's width.

    The slide-like diagram if the step's fully walked one fits (`GraphPart.widest`), else a
    table of gates for the whole step: the layout never changes in the middle of a walk.
    """

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def part(self, frame: Frame) -> GraphPart | None:
        return frame.graph

    def show_part(self, part: GraphPart | None, frame: Frame) -> None:
        if part is None:
            return
        # The scroll area's width, less a column for the scrollbar a tall graph brings.
        scroller = self.parent
        region = scroller.scrollable_content_region.width if isinstance(scroller, ScrollableContainer) else 0
        width = max(min(self.size.width or 44, region or 44) - 1, 20)
        widest = replace(part, nodes=part.widest) if part.widest else part
        from .graph_view import active_line, diagram_width, graph_panel  # with the first graph page

        layout = "diagram" if diagram_width(widest) <= width else "table"
        panel = graph_panel(part, width, frame.ascii_only, layout, frame.labels.data)
        self.update(panel)
        line = active_line(panel)
        scroller = self.parent
        if line is not None and isinstance(scroller, ScrollableContainer):
            # Keep the gate the walk is at in view when the graph is taller than its panel.
            self.call_after_refresh(scroller.scroll_to_region, Region(0, line, 1, 1), animate=False)

    def on_resize(self) -> None:
        if self.frame is not None and self.frame.graph is not None:
            self.show_part(self.frame.graph, self.frame)


class TableView(_Part, LineView):
    """The state table; only the rows that changed are repainted."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, remember=REMEMBER)

    def part(self, frame: Frame) -> StateTable | None:
        return frame.table

    def show_part(self, part: StateTable | None, frame: Frame) -> None:
        if part is not None:
            status = frame.labels.status_column
            self.show((part, status), lambda w, h: table_lines(part, w, status))

    def prepare(self, frame: Frame) -> None:
        part, status = frame.table, frame.labels.status_column
        if part is not None:
            self.prepare_content((part, status), lambda w, h: table_lines(part, w, status))


class PlotView(_Part, LineView):
    """A plot panel: the data plot, or the error curve or surface."""

    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def __init__(self, which: str, *, color: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, remember=REMEMBER)
        self.which = which
        """The frame's field this panel draws: `data_plot` or `error_plot`."""
        self.color = color

    def part(self, frame: Frame) -> tuple[Any, bool]:
        return getattr(frame, self.which), frame.ascii_only

    def show_part(self, part: tuple[Any, bool], frame: Frame) -> None:
        if isinstance(part[0], (DataPlot, CurvePlot, SurfacePlot)):
            self.show(part, self._maker_for(part))

    def prepare(self, frame: Frame) -> None:
        part = self.part(frame)
        if isinstance(part[0], (DataPlot, CurvePlot, SurfacePlot)):
            self.prepare_content(part, self._maker_for(part))

    def _maker_for(self, part: tuple[Any, bool]) -> Any:
        plot, ascii_only = part
        # plotext and numpy are imported at the first plot: a text page draws none.
        from ..plots import Style, drawn

        style = Style(ascii_only=ascii_only, color=self.color)
        return lambda w, h: drawn(plot, w, h, style)
