"""A session's state turned into one `Frame`: header, text, table, plots, graph, question, keys.

Every string of the frame passes `safe_text.printable` here, and in ASCII mode `Glyphs.text`
too (lesson text included), so nothing the view draws from a frame can send a control sequence,
or a character a non-UTF-8 terminal would garble.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..frame import CurvePlot, Frame, Header, SurfacePlot, ViewLabels
from ..number_format import format_number
from ..safe_text import printable
from .keys import help_rows

if TYPE_CHECKING:
    from .session import Session


BIG_GRAPH_ROWS = 40
"""Below this many rows, a big graph takes the whole right column."""
WIDE_FOOTER = 100
"""From this many columns the footer also names `u` and `v` (the help always does)."""
SMALLEST = (80, 24)
"""The smallest window every panel of every page is laid out for."""


def build_frame(session: Session) -> Frame:
    """The frame for where `session` stands now."""
    run = session.run
    g = session.glyphs
    table = data = error = graph = None
    status = status_words(session)
    # A big graph (several inputs, a bias) needs the whole right column on a small screen: the
    # error curve waits for a taller window.
    big_graph = run is not None and run.graph and len(run.names) > 2 and session.screen_size[1] < BIG_GRAPH_ROWS
    words = session.words
    if run is not None:
        from . import compose  # with the engine and numpy: only once a page has a run
        from .compare_parts import Compared, curve_anchors, runs_table, with_pins

        pinned = session.pinned_runs()
        compared = Compared.of(run, pinned, g, words) if pinned else None
        table = runs_table(compared, words) if compared else compose.state_table(run, g, words)
        if run.graph:
            graph = compose.graph_part(run, g, session.composite, words)
        else:
            data = compose.data_plot(run, words)
        error_plot: CurvePlot | SurfacePlot
        if len(run.names) == 2 and session.surface:
            error_plot = compose.surface_plot(run, words)
        else:
            error_plot = compose.curve_plot(run, words, curve_anchors(compared) if compared else ())
        if compared:
            data, error_plot = with_pins(compared, data, error_plot)
        error = None if big_graph else error_plot
    frame = Frame(
        header=Header(
            session.lesson.id, session.page_index + 1, session.page_count, session.page.title, session.lesson.title,
            g.separator,
        ),
        text=session.page_text(),
        status=status,
        message="  ".join(m for m in (session.reload_problem, session.message) if m),
        keys=footer_keys(session),
        table=table,
        data_plot=data,
        error_plot=error,
        graph=graph,
        question=session.question_part(),
        answer=session.answer_box(),
        big_graph=big_graph,
        help=help_rows(words) if session.help_open else (),
        playing=session.playing,
        running_until=session.until is not None,
        new_page=session._new_page,
        scroll=session._scroll,
        redraw=session._redraw,
        quit=session.quitting,
        ascii_only=g.ascii_only,
        labels=ViewLabels(words("help.title"), words("table.status"), words("graph.data")),
    )
    # Lessons and the progress file are checked when read; this is the last line of defence,
    # so no string of a frame can reach the terminal as a control sequence.
    clean = (lambda text: printable(g.text(text), multiline=True)) if g.ascii_only else _clean
    return _strings(frame, clean)


def _clean(text: str) -> str:
    return printable(text, multiline=True)


def footer_keys(session: Session) -> tuple[str, ...]:
    """The keys that apply on this page, most useful first (`? help` and `q quit` always last)."""
    g, say = session.glyphs, session.words
    if session.help_open:
        return (say("key.close"),)
    if session.answering:
        box = (say("key.send"), say("key.leave"), say("key.erase"))
        works = {c for c in ("n", "b", "?", "q") if session.box_key(c)}
        if not {"?", "q"} <= works:  # a choice's text may use them: they type, Esc first
            return (*box, say("key.then_help"))
        page = [say("key.page") if "b" in works else say("key.next")] if "n" in works else []
        return (*box, *page, say("key.help"), say("key.quit"))
    run = session.run
    keys: list[str] = []
    columns, rows = session.screen_size
    if columns < SMALLEST[0] or rows < SMALLEST[1]:
        # Said first: on a window this small, panels (the question too) may be hidden.
        keys.append(say("key.too_small", columns=columns, rows=rows, width=SMALLEST[0], height=SMALLEST[1]))
    if run is not None:
        keys += [say("key.step_ascii"), say("key.back_ascii")] if g.ascii_only else [say("key.step"), say("key.back")]
    # A narrow footer drops keys from its end (before ? and q): the ways on come first, the page
    # and the text or graph going on below (without colour the only sign of it), then the run's
    # own keys, and `a answer` last (the answer box says it too).
    keys.append(say("key.page"))
    if run is not None and run.graph and session.graph_scrolls:
        keys.append(say("key.graph"))
    elif session.text_scrolls:
        keys.append(say("key.text"))
    if run is not None:
        if run.experiment.lab or not run.graph:
            keys.append(say("key.move") + (say("key.move_b") if "b" in run.names else ""))
        keys.append(f"[ ] {g.alpha}={format_number(run.alpha)}")
        if columns >= WIDE_FOOTER:
            keys += [say("key.until")] + ([] if run.graph else [say("key.pin")])
    if session.page.question is not None:
        keys.append(say("key.answer"))
    keys += [say("key.help"), say("key.quit")]
    return tuple(keys)


def _strings(value: Any, text: Callable[[str], str]) -> Any:
    """`value` with every string in it passed through `text` (dataclasses and tuples walked)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, tuple):
        if value and isinstance(value[0], float):
            return value  # numbers for a plot: nothing to clean
        return tuple(_strings(item, text) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _strings(getattr(value, f.name), text) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def status_words(session: Session) -> str:
    """The run's status at the cursor, in words (empty while it simply runs)."""
    run = session.run
    if run is None:
        return ""
    if run.overflowed:
        return session.words("status.stopped")
    return session.words.status(run.state.status)
