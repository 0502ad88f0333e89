"""The screen audit (issue 12): every page of every lesson, as a student on a lab terminal sees it.

Each lesson is walked page by page in one app per pass (80×24, 120×40, and 80×24 in ASCII mode),
at the positions a student reaches first: the page as opened, after a few steps, after `]` and
`[`, at the last step, with the composite gate (`c`, graph pages) and the curve along w (`s`,
two-parameter pages) shown, with the answer box open, and after a wrong answer. Every screen is
read as text (`screen_text.read_screen`) and checked against the frame it was drawn from:

- `graph`: every item of the graph panel (a wire's value, a gradient, the where / chain-rule
  line, each local gradient, each composite-gate piece, the three slopes) is whole on one row:
  not cut at the right edge, not wrapped; a panel taller than its place scrolls with a marker;
- `graph-wrap`: when the slide-like diagram is drawn, its spine (w … E) is one row, not bands
  (`──(²)── E=4` on its own line); the table of gates is the layout for a graph too wide;
- `title`: each plot title of the frame is shown, whole or shortened with `…` (`...` in ASCII);
- `header`: the header shows the page and lesson titles, or is shortened with `…`;
- `table`: the state table shows every column of the frame and the status column, and every
  cell of every row the frame has (turned, a row per quantity: every quantity, and the current
  step's values);
- `runs`: with runs pinned, the table of runs shows its header and, for every run, its mark and
  name, its values and its status (turned, a row per quantity: every quantity, and the page's
  own run's values);
- `legend`: every entry of a plot's legend (`@ α=0.5`, `1 α=0.1`) is whole on one row of the plot;
- `footer`: `? help` and `q quit` are on the bottom line;
- `message`: the message and the status words are on screen in full (or scroll, with a marker);
- `answer-box`: an open answer box is on screen, with what is typed;
- `float-noise`: no number in a plot with |x| < 1e-9 is printed as anything but 0;
- `ascii`: in ASCII mode every character on screen is below 128;
- `draw-error`, `unsettled`: the app reported a drawing error, or its screen kept changing.

All findings of one lesson and pass are collected before the test fails, as a list (lesson, page,
position, size, rule, the offending row). The count of screens checked is printed at the end of
the run (`tests/tui/conftest.py`). Nothing here waits on a clock: a screen is read once two reads
in a row agree.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from textual import events

from backprop_tutor.frame import Frame, GraphNode, GraphPart
from backprop_tutor.cli.new_lesson import starter_files
from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.lessons.translation import translations_of
from backprop_tutor.tui.launch import make_app
from backprop_tutor.words import Words
from backprop_tutor.words.en import EN
from backprop_tutor.words.ko import KO

from tests.support import LESSONS
from tests.tui.screen_text import ScreenText, read_screen, visible_region, whole_widget_rows, widget_rows


@dataclass(frozen=True)
class AuditPass:
    """One walk of every lesson: a terminal size, and whether the app runs ASCII-only."""

    width: int
    height: int
    ascii_only: bool = False
    language: str = "en"

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}" + (" ascii" if self.ascii_only else "") + (
            f" {self.language}" if self.language != "en" else ""
        )


PASSES = (
    AuditPass(80, 24),
    AuditPass(120, 40),
    AuditPass(80, 24, ascii_only=True),
    AuditPass(80, 24, language="ko"),
    AuditPass(120, 40, language="ko"),
)
"""The lab terminal, a bigger window, the lab terminal without UTF-8, and the first two in Korean."""


def footer_keys(language: str) -> tuple[str, ...]:
    """What the footer shows on every screen: `? help` and `q quit`, in the screen's language."""
    words = Words(language)
    return (words("key.help"), words("key.quit"))


HANGUL = re.compile("[\uac00-\ud7a3]")

SETTLE_ROUNDS = 12
"""Pauses (each one drains the app's message queues) before a still-changing screen is reported."""


@dataclass(frozen=True)
class Finding:
    """One rule broken on one screen."""

    lesson: str
    page: int
    """1-based, as the header shows it."""
    page_title: str
    position: str
    size: str
    rule: str
    detail: str
    row: str

    def line(self) -> str:
        return (
            f"{self.lesson} p{self.page} ({self.page_title}) [{self.position}] {self.size}: "
            f"[{self.rule}] {self.detail}\n      row: {self.row!r}"
        )


# -- where the walk stops on each page -------------------------------------------------------------


def positions(app) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The positions of the page on screen, each as (name, keys pressed to reach it from the one
    before). Lazy: a wrong reply is chosen when the walk gets there, from the live values then."""
    session = app.session
    yield "start", ()
    yield "steps", ("space", "space", "space")  # three updates (or graph events)
    run = session.run
    if run is not None and run.graph:
        # Graph pages: the rest of the step's events, then the update itself.
        yield "full pass", ("space",) * max(run.events_per_step() - run.event, 0)
        yield "composite c", ("c",)  # the composite gate, everything revealed
        yield "gates c", ("c",)  # every gate again
        yield "updated", ("space",)  # the update sub-step: w changes
    yield "alpha ]", ("right_square_bracket",)  # double α mid-run: the old future stays as x
    yield "alpha [", ("left_square_bracket",)  # halve it again: one more fork
    if run is not None and not run.graph:
        yield "pin v", ("v",)  # the run pinned: the table of runs, the legend, the message
        # Until something happens, stopped by a key if it is still running: why it stopped, settled.
        yield "until u", ("u", "escape")
    yield "end", ("end",)  # the last recorded step
    if run is not None and len(run.names) == 2:
        yield "curve s", ("s",)  # the curve along w instead of the surface
        yield "surface s", ("s",)  # the surface again
    yield "answer box", ("a",)  # open the answer box
    reply = wrong_reply(session)
    if reply is not None:
        yield "wrong answer", (*reply, "enter")  # a wrong reply, sent


AUDITED_TWICE = {"gates c", "surface s"}
"""Positions that only undo the one before (that screen was audited already)."""

CHARACTERS = {
    "space": " ",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "enter": "\r",
    "end": None,
    "minus": "-",
    "full_stop": ".",
}
"""The character each key name types (a single character types itself)."""
KEY_NAMES = {"-": "minus", ".": "full_stop"}


async def press(pilot, app, keys: tuple[str, ...]) -> None:
    """Each key as the terminal sends it (a Key event to the app, through its bindings and
    `on_key`), the app's queues drained after each. Pilot.press would do the same and also wait
    twice per key for the process to look idle (20 ms sleeps): ~80 ms a key, minutes over the audit."""
    for key in keys:
        name = KEY_NAMES.get(key, key)
        event = events.Key(name, CHARACTERS.get(name, key if len(key) == 1 else None))
        event.set_sender(app)
        app.post_message(event)
        await pilot.pause(0)  # drain the queues (a yield, not a timed wait)


def wrong_reply(session) -> str | None:
    """A reply the page's question does not accept (None: the page asks nothing)."""
    q = session.page.question
    if q is None:
        return None
    live = None
    if q.predict is not None:
        run = session.run
        value = run.values().get(q.predict) if run is not None else None
        live = float(value) if isinstance(value, (int, float)) else None
    candidates = [str(i + 1) for i in range(len(q.choices))] if q.choices else ["12345", "-777", "0.5"]
    return next((c for c in candidates if not q.accepts(c, live=live)), None)


async def settled(pilot, app) -> tuple[ScreenText, bool]:
    """The screen once three reads in a row agree (and the frame is the same), and whether they did.

    Each round drains every queue and lays out and paints what is dirty; work that round queued
    (a panel's build, the layout report) runs in the next one, so two quiet rounds mean done."""
    last, quiet = None, 0
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause(0)
        now = (id(app.frame), read_screen(app))
        quiet = quiet + 1 if now == last else 0
        if quiet == 2:
            return now[1], True
        last = now
    assert last is not None
    return last[1], False


# -- the rules -------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """`text` without any whitespace: a line wrapped at a space still matches."""
    return re.sub(r"\s+", "", text)


def item_pattern(item: str) -> re.Pattern[str]:
    """`item` as a whole: not the tail of a longer name or number, not the head of one."""
    return re.compile(r"(?<![\w.=/∂])" + re.escape(item) + r"(?![\w.])")


def row_with_start(rows: list[str], text: str) -> str:
    """The row holding the longest beginning of `text` (the row where it was cut or wrapped)."""
    for k in range(len(text), 0, -1):
        head = text[:k].strip()
        if len(head) < 3 and k < len(text):
            break
        for row in rows:
            if head and head in row:
                return row.rstrip()
    return "(nowhere on screen)"


def scroll_marker(app, screen: ScreenText, container_id: str) -> bool:
    """True if the screen says the container scrolls: its scrollbar, or ↑↓ on the footer."""
    container = app.query_one(container_id)
    if container.show_vertical_scrollbar and container.scrollbar_size_vertical > 0:
        return True
    footer = " ".join(footer_rows(app, screen))
    return "↑↓" in footer or ("up" in footer and "down" in footer)


def footer_rows(app, screen: ScreenText) -> list[str]:
    keys = app.query("#keys")
    rows = widget_rows(screen, keys.first()) if keys else []
    return rows or screen.rows[-1:]


def graph_items(part: GraphPart, ascii_only: bool) -> list[str]:
    """The pieces of the graph panel's text that must each be read whole on one row.

    A tuple field is a run of items the view may wrap between (never inside one); a formula
    string wraps only at its `=` (the chain rule) or `;` (the where line's updates)."""
    label, colon, rest = part.where.partition(": ")
    updates = colon and all(" = " in item for item in rest.split("; "))  # `updated: w = …; b = …`, any language
    items = [*(rest.split("; ") if updates else [part.where]), *part.chain.split(" = ")]
    for line in part.composite:
        items += [line] if isinstance(line, str) else list(line)
    for field in (part.local, part.slopes):
        items += [field] if isinstance(field, str) else list(field)
    return [item.strip() for item in items if item and item.strip()]


def node_items(part: GraphPart, ascii_only: bool) -> list[tuple[str, re.Pattern[str]]]:
    """Each value and gradient the walk has revealed, as a pattern on a row with spaces around
    `=` dropped: `h=3` in the diagram, `h = w × x = 3` in the table of gates, `∂E/∂h=4` in both."""
    if part.composite:
        return []
    d = "d" if ascii_only else "∂"
    out = []
    for node in part.nodes:
        name = re.escape(node.name)
        if node.value is not None:
            value = re.escape(node.value)
            out.append((f"{node.name}={node.value}", re.compile(rf"(?<![\w.∂/]){name}(?:=[^=]*?)?={value}(?![\w.])")))
        if node.grad is not None:
            grad = f"{d}E/{d}{node.name}={node.grad}"
            out.append((grad, re.compile(r"(?<![\w.])" + re.escape(grad) + r"(?![\w.])")))
    return out


def tight(row: str) -> str:
    """`row` with the spaces around each `=` dropped."""
    return re.sub(r"\s*=\s*", "=", row)


WIRE = re.compile(r"[─-]\(.{1,3}\)[─-]")
"""A gate on the diagram's spine, `─(×)─`: the diagram is drawn (not the table of gates)."""


def spine_labels(part: GraphPart) -> list[str]:
    """The diagram's top row as the frame describes it: from the first weight along to E."""
    by_name = {node.name: node for node in part.nodes}
    spine: list[GraphNode] = []
    node: GraphNode | None = by_name.get("E")
    while node is not None:
        spine.append(node)
        node = by_name.get(node.parents[0]) if node.kind == "gate" and node.parents else None
    spine.reverse()
    return [f"{n.name}={n.value}" if n.value is not None else n.name for n in spine]


def check_graph(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    part = frame.graph
    if part is None:
        return
    widget = app.query_one("#graph")
    shown = visible_region(widget)
    if shown is None:
        out.append(("graph", "the graph panel is not on screen", ""))
        return
    rows = screen.region_rows(shown)
    full = widget.region
    if full.right > shown.right or full.x < shown.x:
        out.append(("graph", f"the graph panel is {full.width} wide but only {shown.width} columns show", rows[0]))
    if full.height > shown.height:
        rows = whole_widget_rows(widget)  # the rest is there to scroll to...
        if not scroll_marker(app, screen, "#graph-scroll"):  # ...if the student can tell
            out.append(
                (
                    "graph",
                    f"{full.height - shown.height} rows of the graph are hidden with no scroll marker",
                    screen.region_rows(shown)[-1],
                )
            )
    for item in graph_items(part, frame.ascii_only):
        pattern = item_pattern(item)
        if not any(pattern.search(row) for row in rows):
            out.append(("graph", f"not whole on one row: {item!r}", row_with_start(rows, item)))
    tight_rows = [tight(row) for row in rows]
    for item, pattern in node_items(part, frame.ascii_only):
        if not any(pattern.search(row) for row in tight_rows):
            out.append(("graph", f"not whole on one row: {item!r}", row_with_start(rows, item.split("=")[0] + "=")))
    if not part.composite and any(WIRE.search(row) for row in rows):
        labels = spine_labels(part)
        spine = re.compile(".*".join(item_pattern(label).pattern for label in labels))
        if len(labels) > 1 and not any(spine.search(row) for row in rows):
            where = [row.rstrip() for row in rows if item_pattern(labels[-1]).search(row)]
            out.append(
                (
                    "graph-wrap",
                    f"the diagram's spine {' … '.join(labels)} is not one row",
                    " / ".join(where) or row_with_start(rows, labels[-1]),
                )
            )


def check_titles(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    ellipsis = "..." if frame.ascii_only else "…"
    for field, widget_id in (("data_plot", "#data-plot"), ("error_plot", "#error-plot")):
        plot = getattr(frame, field)
        if plot is None or not plot.title:
            continue
        title = plot.title
        widget = app.query_one(widget_id)
        rows = widget_rows(screen, widget)
        if not rows:
            why = " (the plot is hidden: big graph)" if app.has_class("-big-graph") else " (the plot is not on screen)"
            out.append(("title", f"{field} title {title!r} missing{why}", ""))
            continue
        if any(title in row for row in rows):
            continue
        shortened = any(title[:k].rstrip() + ellipsis in row for k in range(1, len(title)) for row in rows)
        if shortened:
            continue
        row = row_with_start(rows, title)
        detail = "cut without " + ellipsis if row != "(nowhere on screen)" else "missing"
        out.append(("title", f"{field} title {title!r} {detail}", row))


def check_header(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    ellipsis = "..." if frame.ascii_only else "…"
    rows = widget_rows(screen, app.query_one("#header")) or screen.rows[:1]
    row = rows[0].rstrip()
    h = frame.header
    whole = h.page_title in row and h.lesson_title in row and f"{h.page}/{h.pages}" in row
    if not whole and not row.endswith(ellipsis):
        out.append(
            ("header", f"shortened without {ellipsis} (page title {h.page_title!r}, lesson {h.lesson_title!r})", row)
        )


def check_table(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    table = frame.table
    if table is None:
        return
    rows = widget_rows(screen, app.query_one("#table"))
    if not rows:
        out.append(("table", "the state table is not on screen", ""))
        return
    if table.runs:
        check_runs_table(table, rows, out, frame.labels.status_column)
        return
    tokens = [row.split() for row in rows]
    names = [*table.columns, frame.labels.status_column]
    head = next((i for i, t in enumerate(tokens) if table.columns[0] in t), None)
    if head is None:
        out.append(("table", f"no row with {table.columns[0]!r}", " / ".join(r.rstrip() for r in rows)))
        return
    turned = not any(name in tokens[head] for name in names[1:])  # a row per quantity, a column per step
    if turned:
        labels = {t[0]: t[1:] for t in tokens if t}
        missing = [name for name in names if name not in labels]
        if missing:
            out.append(
                (
                    "table",
                    f"quantities not shown (turned table): {', '.join(missing)}",
                    " / ".join(r.rstrip() for r in rows if r.strip()),
                )
            )
        current = next((r for r in table.rows if r.current), table.rows[-1])
        for name, cell in zip(names, (*current.cells, current.status)):
            if cell and name in labels and cell not in labels[name]:
                row = next(r for r in rows if r.split()[:1] == [name])
                out.append(
                    ("table", f"step {current.cells[0]}: {name} = {cell} not shown (turned table)", row.rstrip())
                )
        return
    missing = [c for c in names if c not in tokens[head]]
    if missing:
        out.append(("table", f"columns not shown: {', '.join(missing)}", rows[head].rstrip()))
    shown = [i for i, c in enumerate(table.columns) if c in tokens[head]]  # a missing column is told once, above
    for row in table.rows:
        want = [row.cells[i] for i in shown if row.cells[i]] + (row.status.split() if "status" in tokens[head] else [])
        if not any(_subsequence(want, t) for t in tokens[head + 1 :]):
            step_row = next((rows[i] for i, t in enumerate(tokens) if i > head and t[:1] == [row.cells[0]]), None)
            out.append(
                (
                    "table",
                    f"step {row.cells[0]}: not every cell shown ({' '.join(want)})",
                    step_row.rstrip() if step_row else "(no such row)",
                )
            )


def check_runs_table(table, rows: list[str], out: list[tuple[str, str, str]], status: str = "status") -> None:
    """A table of runs (a row per run at one step), side by side or turned (a column per run)."""
    tokens = [row.split() for row in rows]
    head = table.columns[0].split()  # `step 3`
    names = [*table.columns, status]
    at = next((i for i, t in enumerate(tokens) if t[: len(head)] == head), None)
    if at is None:
        out.append(("runs", f"no row with {table.columns[0]!r}", " / ".join(r.rstrip() for r in rows)))
        return
    if all(name in tokens[at] for name in names[1:-1]):  # side by side: a row per run (the status's own header may be translated)
        for row in table.rows:
            want = [w for cell in (*row.cells, row.status) for w in cell.split()]
            if not any(_subsequence(want, t) for t in tokens[at + 1 :]):
                out.append(("runs", f"run {row.cells[0]!r}: not every cell shown ({' '.join(want)})", ""))
        return
    labels = {name: next((t[len(name.split()):] for t in tokens if t[: len(name.split())] == name.split()), None) for name in names}
    missing = [name for name, cells in labels.items() if cells is None]
    if missing:
        out.append(("runs", f"quantities not shown (turned): {', '.join(missing)}", " / ".join(r.rstrip() for r in rows)))
        return
    current = next(r for r in table.rows if r.current)
    for name, cell in zip(names[1:], (*current.cells[1:], current.status)):
        if not _subsequence(cell.split(), labels[name] or []):
            out.append(("runs", f"the page's run: {name} = {cell} not shown (turned)", ""))


def check_legend(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    for field, widget_id in (("data_plot", "#data-plot"), ("error_plot", "#error-plot")):
        plot = getattr(frame, field)
        legend = getattr(plot, "legend", ()) if plot is not None else ()
        rows = widget_rows(screen, app.query_one(widget_id)) if legend else []
        for entry in legend:
            if not any(entry in row for row in rows):
                out.append(("legend", f"{field} legend entry {entry!r} not whole on one row", row_with_start(rows, entry)))


def _subsequence(want: list[str], have: list[str]) -> bool:
    it = iter(have)
    return all(any(w == h for h in it) for w in want)


def check_footer(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    row = " ".join(footer_rows(app, screen)).rstrip()
    missing = [k for k in footer_keys(app.session.lesson.language) if k not in row]
    if missing:
        out.append(("footer", f"missing {' and '.join(repr(k) for k in missing)}", row))


def leaves(app):
    """The widgets that draw (no children), on the current screen and displayed."""
    return [w for w in app.screen.walk_children() if not w.children and w.display]


def check_visible_text(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    for what, text in (("message", frame.message), ("status", frame.status)):
        if not text.strip():
            continue
        wanted = squash(text)
        shown = {w: widget_rows(screen, w) for w in leaves(app)}
        if any(wanted in squash("".join(rows)) for rows in shown.values()):
            continue
        scrolls = False
        for w in leaves(app):
            region, seen = w.region, visible_region(w)
            if seen is not None and region.height > seen.height and wanted in squash("".join(whole_widget_rows(w))):
                parent = w.parent
                while parent is not None and not (parent.id and parent.max_scroll_y > 0):
                    parent = parent.parent
                scrolls = parent is not None and scroll_marker(app, screen, f"#{parent.id}")
        if scrolls:
            continue
        head = squash(text)[:12]
        near = next((rows for rows in shown.values() if head and head in squash("".join(rows))), [])
        out.append(
            (
                "message",
                f"{what} not fully visible: {text!r}",
                " / ".join(r.rstrip() for r in near) if near else "(nowhere on screen)",
            )
        )


def check_answer_box(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    box = frame.answer
    if box is None or not box.active:
        return
    widget = app.query("#answer")
    rows = widget_rows(screen, widget.first()) if widget else []
    if not rows:
        out.append(("answer-box", "the open answer box is not on screen", screen.rows[-2].rstrip()))
    elif box.text and box.text not in " ".join(rows):
        out.append(("answer-box", f"what is typed ({box.text!r}) is not shown", rows[0].rstrip()))


NUMBER = re.compile(r"(?<![\w.])[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")
PLAIN_ZERO = re.compile(r"0(?:\.0*)?")


def noise_tokens(row: str) -> list[str]:
    """The numbers in `row` within 1e-9 of 0 not printed as a plain 0 (`-3.33e-16`, `-0`)."""
    found = []
    for match in NUMBER.finditer(row):
        token = match.group()
        if abs(float(token.replace("−", "-"))) < 1e-9 and not PLAIN_ZERO.fullmatch(token.lstrip("+")):
            found.append(token)
    return found


def check_ticks(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    for field, widget_id in (("data_plot", "#data-plot"), ("error_plot", "#error-plot")):
        plot = getattr(frame, field)
        title_head = plot.title[:8].strip() if plot is not None else ""
        for row in widget_rows(screen, app.query_one(widget_id)):
            if title_head and title_head in row:
                continue  # the title's numbers are the run's own (a slope of 1e-12 is true); ticks are the rest
            for token in noise_tokens(row):
                out.append(("float-noise", f"{token} printed for a number that is 0 to 1e-9", row.rstrip()))


def check_ascii(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    if not frame.ascii_only:
        return
    for row in screen.rows:
        odd = sorted({c for c in row if ord(c) >= 128})
        if odd:
            out.append(("ascii", f"not ASCII: {' '.join(odd)}", row.rstrip()))


def check_drawn(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    if EN["draw_failed"].split("(")[0] in frame.message or KO["draw_failed"].split("(")[0] in frame.message:
        out.append(("draw-error", frame.message, ""))


def check_language(app, frame: Frame, screen: ScreenText, out: list[tuple[str, str, str]]) -> None:
    """A Korean screen shows the page in Korean: its text, its title (unless the same), the app's words."""
    session = app.session
    if session.lesson.language != "ko":
        return
    english = session.languages["en"].pages[session.page_index]
    rows = screen.rows
    if frame.text.strip() and not HANGUL.search(frame.text):
        out.append(("language", "the page's text is not Korean", row_with_start(rows, frame.text.strip()[:20])))
    if frame.header.page_title != english.title and not HANGUL.search(rows[0]):
        out.append(("language", f"the header shows no Korean ({frame.header.page_title!r})", rows[0].rstrip()))
    for word in ("help", "quit", "answer", "step", "back", "page"):  # English footer words left over
        if re.search(rf"\b{word}\b", footer_rows(app, screen)[0] if footer_rows(app, screen) else ""):
            out.append(("language", f"the footer says {word!r} in English", footer_rows(app, screen)[0].rstrip()))


CHECKS = (
    check_graph,
    check_titles,
    check_header,
    check_table,
    check_legend,
    check_footer,
    check_visible_text,
    check_answer_box,
    check_ticks,
    check_ascii,
    check_drawn,
    check_language,
)


def audit_screen(app, screen: ScreenText) -> list[tuple[str, str, str]]:
    """Every rule on one screen: (rule, detail, row) for each one broken."""
    out: list[tuple[str, str, str]] = []
    for check in CHECKS:
        check(app, app.frame, screen, out)
    return out


def report(findings: list[Finding], screens: int, name: str) -> str:
    """The findings of one lesson and pass, grouped by rule."""
    lines = [f"{len(findings)} findings on {screens} screens of {name}:"]
    for rule in sorted({f.rule for f in findings}):
        group = [f for f in findings if f.rule == rule]
        lines.append(f"-- {rule} ({len(group)})")
        lines += ["  " + f.line() for f in group]
    return "\n".join(lines)


# -- the audit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("audit_pass", PASSES, ids=lambda p: p.name.replace(" ", "-"))
@pytest.mark.parametrize("path", lesson_files(LESSONS), ids=lambda p: p.stem)
async def test_every_screen_of_the_lesson_passes_the_audit(path, audit_pass, screen_audit):
    if audit_pass.language != "en" and audit_pass.language not in dict(translations_of(path)):
        pytest.skip(f"{path.stem} has no {audit_pass.language} text")
    await audit_lesson(load_lesson(path), audit_pass, screen_audit)


@pytest.mark.parametrize("audit_pass", [p for p in PASSES if p.language == "en"], ids=lambda p: p.name.replace(" ", "-"))
async def test_the_starter_of_tutor_new_passes_the_audit(audit_pass, screen_audit, tmp_path):
    for name, text in starter_files("starter").items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    await audit_lesson(load_lesson(tmp_path / "starter.yaml"), audit_pass, screen_audit)


async def audit_lesson(lesson, audit_pass, screen_audit) -> None:
    """Every page of `lesson` at every audited position, in one pass; fails with the findings."""
    started = time.perf_counter()
    app = make_app(lesson, page=0, ascii_only=audit_pass.ascii_only, language=audit_pass.language)
    assert app.session.lesson.language == audit_pass.language
    findings: list[Finding] = []
    screens = 0
    async with app.run_test(size=(audit_pass.width, audit_pass.height)) as pilot:
        for index, page in enumerate(lesson.pages):
            app.session.go_to_page(index)  # a fresh page, as a student arrives on it
            app.show(app.session.frame())
            for position, keys in positions(app):
                await press(pilot, app, keys)
                screen, steady = await settled(pilot, app)
                if position in AUDITED_TWICE:
                    continue
                screens += 1
                found = audit_screen(app, screen)
                if not steady:
                    found.append(("unsettled", f"the screen still changed after {SETTLE_ROUNDS} pauses", ""))
                findings += [
                    Finding(lesson.id, index + 1, page.title, position, audit_pass.name, rule, detail, row)
                    for rule, detail, row in found
                ]
                screen_audit.positions.add(position)
    screen_audit.record(lesson.id, len(lesson.pages), audit_pass.name, screens, findings, time.perf_counter() - started)
    if findings:
        pytest.fail(report(findings, screens, f"{lesson.id} at {audit_pass.name}"), pytrace=False)


# -- the audit's own tools -------------------------------------------------------------------------


async def test_the_audit_presses_keys_through_the_app_and_reads_what_a_screenshot_shows():
    lesson = load_lesson(LESSONS / "lesson02.yaml")
    index = next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == "l1-from-4")
    app = make_app(lesson, page=index)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, ("space", "space", "space"))  # three updates: 4 → 3 → 2 → 1
        screen, steady = await settled(pilot, app)
        assert steady and app.session.run.step == 3
        svg = app.export_screenshot()
        # The SVG writes each run of text with &#160; for spaces: every word read is in it.
        words = {w for row in screen.rows for w in row.split() if w.isalnum()}
        assert words and all(w in svg for w in words)
        assert all(len(f) == 3 for f in audit_screen(app, screen))  # every rule runs on a real screen
        table = widget_rows(screen, app.query_one("#table"))
        assert any(row.split()[:2] == ["3", "1"] for row in table if row.split())  # step 3, w = 1


@pytest.mark.parametrize(
    ("row", "noise"),
    [
        ("-3.33e-16┤", ["-3.33e-16"]),
        ("   0┤  5┤ -0.5|", []),
        ("1e-12 2.5e+03 -0 0.0", ["1e-12", "-0"]),
        ("  w2|%%%# h = 1.03x + 1.13", []),
    ],
)
def test_float_noise_is_told_from_zero_and_from_real_ticks(row, noise):
    assert noise_tokens(row) == noise


def test_an_item_is_found_whole_and_not_inside_a_longer_one():
    assert item_pattern("x=1").search("     x=1┘        y=1┘")
    assert not item_pattern("x=1").search("x=10")
    assert not item_pattern("w=4").search("∂E/∂w=4")
    assert not item_pattern("local: a = 1, b = 2").search("local: a = 1, b =")


async def test_the_language_rule_finds_an_english_page_on_a_korean_screen():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=1, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await settled(pilot, app)
        assert [f for f in audit_screen(app, screen) if f[0] == "language"] == []
        session = app.session
        session.lesson = session.languages["en"]  # the English text left under Korean words
        session.words = Words("en")
        session.lesson = type(session.lesson)(**{**session.lesson.__dict__, "language": "ko"})
        app.show(session.frame())
        screen, _ = await settled(pilot, app)
        found = {detail for rule, detail, _ in audit_screen(app, screen) if rule == "language"}
        assert "the page's text is not Korean" in found and any("footer says" in d for d in found), found
