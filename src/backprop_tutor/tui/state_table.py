"""The state table drawn as lines of segments: a step costs string padding, not a table layout.

The frame already decides every cell's text and, over the whole run, every column's width
(`StateTable.widest`): what is left is placing cells. rich's `Table` would measure every cell
again on every step (~2 ms of a step's CPU at 80×24); here each line is the cells justified in
their columns, styled as rich styles a table with no box: the header row bold, the current step
(a row, or a column once the table turns) reversed, the padding styled with its cell.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from ..frame import StateTable
from .line_view import Lines

TABLE_HEIGHT = 5
"""The state table's rows side by side: a header and four steps."""

_BOLD = Style(bold=True)
_REVERSE = Style(reverse=True)


def table_lines(table: StateTable, width: int, status: str = "status") -> Lines:
    """The state table at `width` cells, every number whole and the status always there.

    When the columns do not fit side by side, the table turns: a row per quantity and a column
    per step, as many recent steps as fit (the app gives it the rows: `table_rows`).
    """
    names = [*table.columns, status]
    rows = [[*r.cells, r.status] for r in table.rows]
    widths = _widths(table, names, rows)
    if sum(widths) <= width + 1:  # side by side (table_turns)
        last = len(names) - 1
        # Each column as wide as its widest cell in the whole run: columns stay put as numbers change.
        # The status reads from the left, and a run's name from its mark.
        left = [i == last or (table.runs and i == 0) for i in range(len(names))]
        cells = [_justify(names[i], widths[i] - 1, left[i]) for i in range(len(names))]
        lines = [_line([(" ".join(cells), _BOLD)], width)]
        for row, texts in zip(table.rows, rows):
            cells = [_justify(texts[i], widths[i] - 1, left[i]) for i in range(len(names))]
            lines.append(_line([(" ".join(cells), _REVERSE if row.current else None)], width))
        return lines
    return _turned(table, names, rows, width)


def _turned(table: StateTable, names: list[str], rows: list[list[str]], width: int) -> Lines:
    """The table with steps as columns (the newest on the right, the current one marked), or
    with runs as columns (the page's own first, then as many pinned runs as fit)."""
    label = max(cell_len(name) for name in names) + 1
    shown: list[int] = []
    used = label
    for r in range(len(rows)) if table.runs else reversed(range(len(rows))):
        need = max(cell_len(cell) for cell in rows[r]) + 1
        if shown and used + need > width + 1:
            break
        if table.runs:
            shown.append(r)
        else:
            shown.insert(0, r)
        used += need
    column = [max(cell_len(rows[r][i]) for i in range(len(names))) for r in shown]
    lines = []
    for i, name in enumerate(names):
        row_style = _BOLD if i == 0 else None
        parts: list[tuple[str, Style | None]] = [(_justify(name, label - 1, True) + " ", _BOLD)]
        for k, r in enumerate(shown):
            text = _justify(rows[r][i], column[k], False) + ("" if k == len(shown) - 1 else " ")
            parts.append((text, _REVERSE if table.rows[r].current else None))
        lines.append(_line([(text, _join(style, row_style)) for text, style in parts], width))
    return lines


def _join(style: Style | None, row: Style | None) -> Style | None:
    if row is None:
        return style
    return row if style is None else style + row


def _justify(text: str, width: int, left: bool) -> str:
    pad = " " * max(width - cell_len(text), 0)
    return text + pad if left else pad + text


def _line(parts: list[tuple[str, Style | None]], width: int) -> list[Segment]:
    """The parts as segments, padded with unstyled blanks to `width` cells."""
    segments = [Segment(text, style) for text, style in parts if text]
    used = sum(cell_len(text) for text, _ in parts)
    if used < width:
        segments.append(Segment(" " * (width - used)))
    return segments


def _widths(table: StateTable, names: list[str], rows: list[list[str]]) -> list[int]:
    """Each column's width with its gap: its name, its cells shown, and its widest cell in the run."""
    widest = table.widest if len(table.widest) == len(names) else (0,) * len(names)
    return [max(cell_len(names[i]), widest[i], *(cell_len(r[i]) for r in rows)) + 1 for i in range(len(names))]


def table_turns(table: StateTable, width: int, status: str = "status") -> bool:
    """True when the table's columns do not fit side by side in `width` cells (Hangul takes two),
    at any step of the run (`StateTable.widest`): the table keeps one layout while it steps."""
    names = [*table.columns, status]
    rows = [[*r.cells, r.status] for r in table.rows]
    return sum(_widths(table, names, rows)) > width + 1


def table_rows(table: StateTable) -> int:
    """The rows the state table may need: a turned table has one per quantity, and a header."""
    return max(TABLE_HEIGHT, len(table.columns) + 2)
