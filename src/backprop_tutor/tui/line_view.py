"""A widget that repaints only the cells that changed.

Textual repaints a widget's whole area when its content changes; over a slow SSH link that is
most of what a step costs (a plot of 40×10 cells is rewritten for the ten cells its marker
moved). `LineView` renders its content to strips itself, compares them with what is on screen,
and marks dirty only the span of each line that differs. Its content comes from a `make`
function called with the widget's size, and a key saying what the content shows: an unchanged
key costs nothing at all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from .ansi_lines import ansi_lines

Lines = list[list[Segment]]
"""Content already as lines of segments, each line as wide as the view."""
Maker = Callable[[int, int], "RenderableType | str | Lines"]
"""Builds the content for (width, height): a rich renderable, text with ANSI codes, or `Lines`."""


class LineView(Widget):
    """Shows what `make(width, height)` builds; repaints only what changed since last time.

    Args:
        auto_height: take as many lines as the content needs (a layout only when that changes).
        remember: how many renderings to keep by key and size, so that going back to content
            shown before (a rewind, a page revisited) builds nothing. A key must then name all
            the content shows.
    """

    DEFAULT_CSS = """
    LineView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, auto_height: bool = False, remember: int = 0) -> None:
        super().__init__(id=id)
        self.auto_height = auto_height
        self.remember = remember
        self._memory: OrderedDict[object, list[list[Segment]]] = OrderedDict()
        self._maker: Maker | None = None
        self._shown_key: object = None
        self._strips: list[Strip] = []
        self._lines: Lines = []
        """What the strips were made from: a line equal to its new rendering is not repainted."""
        self._built_size: tuple[int, int] = (0, 0)
        self._scheduled = False
        self._rendered: tuple[Maker, int, int, list[list[Segment]]] | None = None
        if auto_height:
            self.styles.height = "auto"  # measured by get_content_height, so the first layout is right

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """An auto-height view is as tall as its content at `width` (drawn from the same rendering)."""
        if not self.auto_height or self._maker is None or width <= 0:
            return 1
        return max(len(self._lines_at(width, 10_000)), 1)

    def show(self, key: object, make: Maker) -> None:
        """Show what `make` builds; `key` names it, so the same key again does nothing."""
        if key == self._shown_key and self._maker is not None:
            return
        self._shown_key, self._maker = key, make
        # Build later, once: keys that arrive faster than frames (a held key) cost one build.
        if not self._scheduled:
            self._scheduled = True
            self.call_later(self._build_pending)

    def _build_pending(self) -> None:
        self._scheduled = False
        self._rebuild(full=False)

    def on_resize(self) -> None:
        """A new size: build again and repaint everything."""
        self._rebuild(full=True)

    @property
    def plain(self) -> str:
        """What the widget shows, as plain text (for tests and exports)."""
        return "\n".join(strip.text.rstrip() for strip in self._strips)

    def render_line(self, y: int) -> Strip:
        """One line of the cached content (blank below it)."""
        if y < len(self._strips):
            return self._strips[y]
        # Never a style of None: Textual's NO_COLOR filter needs one on every segment.
        return Strip.blank(self.size.width, self.rich_style)

    # -- building --------------------------------------------------------------------------------

    def _rebuild(self, full: bool) -> None:
        width, height = self.size.width, self.size.height
        if self._maker is None or width <= 0 or not self.is_mounted:
            return
        if self.auto_height:
            height = 10_000  # as many lines as the content takes
        elif height <= 0:
            return
        rendered = self._lines_at(width, height)
        if self.auto_height and max(len(rendered), 1) != self.size.height:
            self.refresh(layout=True)  # the one case that needs a layout
            full = True
        old_lines, old_strips = self._lines, self._strips
        full = full or (width, height) != self._built_size or len(old_lines) != len(rendered)
        # A line equal to the one on screen keeps its strip; only the others are compared cell by cell.
        strips = [
            old_strips[y] if not full and line == old_lines[y] else Strip(line, width) for y, line in enumerate(rendered)
        ]
        self._strips, self._lines = strips, rendered
        if full:
            self._built_size = (width, height)
            self.refresh()
            return
        for y, (old_strip, strip) in enumerate(zip(old_strips, strips)):
            if strip is not old_strip and (span := _changed_span(old_lines[y], rendered[y], y, width)) is not None:
                self.refresh(span)

    def _lines_at(self, width: int, height: int) -> list[list[Segment]]:
        """The content's lines at this size, rendered once for both measuring and drawing."""
        assert self._maker is not None
        done = self._rendered
        if done is not None and done[0] is self._maker and done[1:3] == (width, height):
            return done[3]
        base = self.rich_style  # the widget's own colours under the content's (worked out anew each time: ask once)
        memo = self._memo_key(self._shown_key, width, height, base)
        if memo is not None and (kept := self._memory.get(memo)) is not None:
            self._memory.move_to_end(memo)
            self._rendered = (self._maker, width, height, kept)
            return kept
        rendered = self._lines_for(self._maker, width, height, base)
        self._rendered = (self._maker, width, height, rendered)
        if memo is not None:
            self._keep(memo, rendered)
        return rendered

    def prepare_content(self, key: object, make: Maker) -> None:
        """Render what `make` builds at the present size into the memory, for a `show(key, make)`
        to come (nothing changes on screen). Only with `remember`."""
        width, height = self.size.width, 10_000 if self.auto_height else self.size.height
        if not self.remember or width <= 0 or height <= 0 or not self.is_mounted:
            return
        base = self.rich_style
        memo = self._memo_key(key, width, height, base)
        if memo is not None and memo not in self._memory:
            self._keep(memo, self._lines_for(make, width, height, base))

    def _keep(self, memo: object, rendered: list[list[Segment]]) -> None:
        self._memory[memo] = rendered
        if len(self._memory) > self.remember:
            self._memory.popitem(last=False)

    def _memo_key(self, key: object, width: int, height: int, base: Style) -> object | None:
        """What names a rendering in the memory (None: not remembered, e.g. an unhashable key)."""
        if not self.remember:
            return None
        memo = (key, width, height, base)  # the widget's colours go under the content
        try:
            hash(memo)
        except TypeError:
            return None
        return memo

    def _lines_for(self, make: Maker, width: int, height: int, base: Style) -> list[list[Segment]]:
        content = make(width, height)
        fast = ansi_lines(content, width, None if self.auto_height else height) if isinstance(content, str) else None
        if fast is not None:
            rendered = fast
        elif isinstance(content, list):
            rendered = content if self.auto_height else _to_height(content, width, height)
        else:
            if isinstance(content, str):
                content = Text.from_ansi(content, no_wrap=True, end="")
            console = self.app.console
            options = console.options.update(width=width, height=None if self.auto_height else height)
            rendered = console.render_lines(content, options, pad=True, new_lines=False)
            if not self.auto_height:
                rendered = rendered[:height]
        return [list(Segment.simplify(Segment.apply_style(line, base))) for line in rendered]

def _to_height(lines: Lines, width: int, height: int) -> Lines:
    """`lines` cut or padded with blank lines to `height`, as rich's `render_lines` gives them."""
    return lines[:height] + [[Segment(" " * width)] for _ in range(height - len(lines))]


def _changed_span(old: list[Segment], new: list[Segment], y: int, width: int) -> Region | None:
    """The part of line `y` where `new` differs from `old`, from the first cell to the last that
    changed (None: the same cells, only cut into segments differently)."""
    old_cells, new_cells = _cells(old), _cells(new)
    if old_cells == new_cells:
        return None
    if len(old_cells) != width or len(new_cells) != width:  # wide characters: cells are not characters
        return Region(0, y, width, 1)
    start = next(i for i, (a, b) in enumerate(zip(old_cells, new_cells)) if a != b)
    end = width - next(i for i, (a, b) in enumerate(zip(reversed(old_cells), reversed(new_cells))) if a != b)
    return Region(start, y, end - start, 1)


def _cells(line: list[Segment]) -> list[tuple[str, Style | None]]:
    """A line as (character, style) per character, for finding what changed."""
    return [(char, segment.style) for segment in line for char in segment.text]
