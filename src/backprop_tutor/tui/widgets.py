"""Small widgets over plain renderables: a plot that owns its plotext figure, the state table."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from ..engine import State
from ..lessons.templates import format_number

PlotDrawer = Callable[[int, int], str]
"""Draws a plot at (width, height) and returns plotext's text."""


class PlotView(Widget):
    """A plot sized to the widget; it redraws only when its drawer or its size changes."""

    DEFAULT_CSS = """
    PlotView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawer: PlotDrawer | None = None
        self._key: object = None
        self._cache: tuple[object, int, int, Text] | None = None

    def show(self, key: object, drawer: PlotDrawer) -> None:
        """Draw with `drawer`; `key` names what it draws, so an unchanged plot is not redrawn."""
        if key == self._key and self._drawer is not None:
            return
        self._key, self._drawer = key, drawer
        self.refresh()

    def render(self) -> Text:
        """plotext's output for the current size, from the cache when nothing changed."""
        width, height = self.size.width, self.size.height
        if self._drawer is None or width < 8 or height < 4:
            return Text("")
        if self._cache and self._cache[:3] == (self._key, width, height):
            return self._cache[3]
        text = Text.from_ansi(self._drawer(width, height), no_wrap=True, end="")
        self._cache = (self._key, width, height, text)
        return text


def state_table(
    states: list[State],
    names: tuple[str, ...],
    current: int,
    ascii_only: bool = False,
    hidden: frozenset[str] = frozenset(),
    width: int = 80,
) -> Table:
    """The last few states: step, parameters, E, slopes, status; the current one highlighted.

    `hidden` blanks columns of the current row ("E", "grad") that a graph page has not
    computed yet in its walk: a number is never shown before the student has seen it made.
    """
    d = "d" if ascii_only else "∂"
    table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False, header_style="bold")
    table.add_column("step", justify="right")
    for name in names:
        table.add_column(name, justify="right")
    table.add_column("E", justify="right")
    # Slopes need room: with several parameters on a narrow screen they are left to the text.
    sloped = names[:2] if len(names) == 1 or width >= 60 else ()
    for name in sloped:
        table.add_column(f"{d}E/{d}{name}", justify="right")
    table.add_column("status")
    for s in states:
        now = s.step == current
        row = [str(s.step), *(_short(s.params[n]) for n in names)]
        row += ["" if now and "E" in hidden else _short(s.loss)]
        row += ["" if now and "grad" in hidden else _short(s.grad[n]) for n in sloped] + [s.status]
        table.add_row(*row, style="reverse" if s.step == current else "")
    return table


def _short(value: float) -> str:
    text = format_number(value)
    return text if len(text) <= 7 else f"{value:.4g}"
