"""The state table's own line drawing gives exactly what rich's `Table` lays out for it.

`state_table.table_lines` places the frame's cells in their columns by hand (a step must not pay
for a table layout). The reference here is rich itself, configured as the app configured it
before: for every table a walk through the course makes (each lesson's run pages, the steps of
the run, compared runs, Korean status words), at widths from narrow to wide, both give the same
characters in the same styles.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table

from backprop_tutor.frame import StateTable
from backprop_tutor.lessons import load_lesson
from backprop_tutor.session import Session
from backprop_tutor.tui.state_table import table_lines, table_turns

from tests.support import LESSONS

BASE = Style.parse("#e0e0e0 on #121212")
"""A widget's colours, as LineView puts them under the content."""


def rich_table(table: StateTable, width: int, status: str) -> Table:
    """The state table as rich lays it out (the app's drawing until the table drew itself)."""
    rows = [[*r.cells, r.status] for r in table.rows]
    names = [*table.columns, status]
    widest = table.widest if len(table.widest) == len(names) else (0,) * len(names)
    widths = [max(cell_len(names[i]), widest[i], *(cell_len(r[i]) for r in rows)) + 1 for i in range(len(names))]
    if sum(widths) <= width + 1:
        out = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False, header_style="bold")
        for i, name in enumerate(names):
            left = i == len(names) - 1 or (table.runs and i == 0)
            out.add_column(name, justify="left" if left else "right", min_width=widths[i] - 1)
        for row, cells in zip(table.rows, rows):
            out.add_row(*cells, style="reverse" if row.current else "")
        return out
    label = max(cell_len(n) for n in names) + 1
    shown: list[int] = []
    used = label
    for r in range(len(rows)) if table.runs else reversed(range(len(rows))):
        need = max(cell_len(c) for c in rows[r]) + 1
        if shown and used + need > width + 1:
            break
        shown.append(r) if table.runs else shown.insert(0, r)
        used += need
    out = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False, show_header=False)
    out.add_column(style="bold")
    for r in shown:
        out.add_column(justify="right", style="reverse" if table.rows[r].current else "")
    for i, name in enumerate(names):
        out.add_row(name, *(rows[r][i] for r in shown), style="bold" if i == 0 else "")
    return out


def normal(lines: list[list[Segment]]) -> list[list[tuple[str, Style]]]:
    """Lines as LineView keeps them: the widget's colours under, equal neighbours merged."""
    return [[(s.text, s.style) for s in Segment.simplify(Segment.apply_style(line, BASE))] for line in lines]


def tables() -> list[tuple[str, StateTable, str]]:
    """Every state table a walk through the course shows: each run page stepped, a run pinned and
    α changed (a table of runs), in English and Korean."""
    found: dict[tuple[StateTable, str], str] = {}
    for path in sorted(LESSONS.glob("lesson*.yaml")):
        for language in ("en", "ko"):
            lesson = load_lesson(path)
            session = Session(lesson)
            if language == "ko":
                from backprop_tutor.session.switching import show_in

                show_in(session, "ko")
            for index, page in enumerate(lesson.pages):
                if page.experiment is None:
                    continue
                session.go_to_page(index)
                frames = [session.frame()]
                frames += [session.press("space") for _ in range(9)]
                frames += [session.press("v"), session.press("]"), session.press("space")]
                for f in frames:
                    if f.table is not None:
                        found.setdefault((f.table, f.labels.status_column), f"{path.stem} p{index + 1} {language}")
    return [(where, table, status) for (table, status), where in found.items()]


TABLES = tables()


def test_the_walk_finds_both_layouts_and_tables_of_runs():
    turned = [t for _, t, s in TABLES if table_turns(t, 38, s)]
    assert turned and len(turned) < len(TABLES)
    assert any(t.runs for _, t, _ in TABLES)
    assert any(not s.isascii() for _, _, s in TABLES)  # Korean status words take two cells a syllable


@pytest.mark.parametrize("width", [24, 31, 38, 45, 57, 70])
def test_lines_are_what_rich_lays_out(width):
    console = Console(width=width, color_system="truecolor", legacy_windows=False)
    options = console.options.update(width=width, height=None)
    for where, table, status in TABLES:
        theirs = console.render_lines(rich_table(table, width, status), options, pad=True, new_lines=False)
        ours = table_lines(table, width, status)
        assert normal(ours) == normal(theirs), (where, width, table)
        assert all(sum(cell_len(s.text) for s in line) == width for line in ours)
