"""The app's screen as text: one string per terminal row, and the rows a widget occupies.

Read from Textual's compositor (`Screen._compositor.render_strips()`), the same strips that
`App.export_screenshot()` prints into its SVG, so what is read here is what a terminal would
show, without parsing SVG. `_compositor` is private; it is the one place that knows the whole
screen after layout, and Textual's own `export_screenshot` reads it the same way (Textual 8.2).

A double-width character takes two cells: its second cell is kept as `WIDE_FILLER`, so a column
of the screen is an index into a row, and a widget's region (screen coordinates) slices it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import App
from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

WIDE_FILLER = "\0"
"""The second cell of a double-width character (dropped from the text a test reads)."""


@dataclass(frozen=True)
class ScreenText:
    """The screen, cell by cell: `cells[y][x]` is the character at column x of row y."""

    cells: tuple[tuple[str, ...], ...]

    @property
    def width(self) -> int:
        """Columns."""
        return len(self.cells[0]) if self.cells else 0

    @property
    def rows(self) -> list[str]:
        """Every row as text (trailing spaces kept, so each is the screen's width)."""
        return [_join(row) for row in self.cells]

    def region_rows(self, region: Region) -> list[str]:
        """The rows of `region` (screen coordinates), each cut to the region's columns."""
        region = region.intersection(Region(0, 0, self.width, len(self.cells)))
        return [_join(self.cells[y][region.x : region.right]) for y in range(region.y, region.bottom)]

    def text(self) -> str:
        """The whole screen, rows joined by newlines, trailing spaces dropped."""
        return "\n".join(row.rstrip() for row in self.rows)


def _join(cells: tuple[str, ...]) -> str:
    return "".join(c for c in cells if c != WIDE_FILLER)


def read_screen(app: App) -> ScreenText:
    """What the app's screen shows now, as cells."""
    return ScreenText(_cells(app.screen._compositor.render_strips(), app.size.width))


def _cells(strips: list[Strip], width: int) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    for strip in strips:
        cells: list[str] = []
        for segment in strip:
            if segment.control:
                continue
            for char in segment.text:
                size = cell_len(char)
                if size == 0:  # a combining mark: part of the cell before it
                    if cells:
                        cells[-1] += char
                    continue
                cells.append(char)
                cells.extend(WIDE_FILLER * (size - 1))
        rows.append(tuple((cells + [" "] * width)[:width]))
    return tuple(rows)


def whole_widget_rows(widget: Widget) -> list[str]:
    """Every row `widget` draws at its size, also those its scrolling container hides now."""
    width, height = widget.outer_size
    if width <= 0 or height <= 0:
        return []
    return [_join(row) for row in _cells(widget.render_lines(Region(0, 0, width, height)), width)]


def visible_region(widget: Widget) -> Region | None:
    """Where `widget` is on screen, cut by its container's scroll window (None: not shown)."""
    if not widget.display or not widget.is_mounted:
        return None
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:  # not in the current layout (hidden, or another screen)
        return None
    region = geometry.visible_region
    return region if region.area else None


def widget_rows(screen: ScreenText, widget: Widget) -> list[str]:
    """The rows `widget` shows on `screen` (empty when it is not on screen)."""
    region = visible_region(widget)
    return screen.region_rows(region) if region is not None else []
