"""A session's state turned into one `Frame`: header, text, table, plots, graph, question, keys.

In ASCII mode every string of the frame goes through `Glyphs.text` here, lesson text included,
so nothing the view draws from a frame can send a character a non-UTF-8 terminal would garble.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..number_format import format_number
from . import compose
from ..frame import CurvePlot, Frame, SurfacePlot

if TYPE_CHECKING:
    from .session import Session


def build_frame(session: Session) -> Frame:
    """The frame for where `session` stands now."""
    run = session.run
    g = session.glyphs
    table = data = error = graph = None
    status = session.status_words()
    if run is not None:
        table = compose.state_table(run, g)
        if run.graph:
            graph = compose.graph_part(run, g, session.composite)
        else:
            data = compose.data_plot(run)
        error_plot: CurvePlot | SurfacePlot
        if len(run.names) == 2 and session.surface:
            error_plot = compose.surface_plot(run)
        else:
            error_plot = compose.curve_plot(run)
        error = error_plot
    frame = Frame(
        header=session.header(),
        text=session.page_text(),
        status=status,
        message=session.message,
        keys=footer_keys(session),
        table=table,
        data_plot=data,
        error_plot=error,
        graph=graph,
        question=session.question_part(),
        answer=session.answer_box(),
        big_graph=run is not None and run.graph and len(run.names) > 2,
        help=session.help_rows(),
        playing=session.playing,
        new_page=session._new_page,
        scroll=session._scroll,
        quit=session.quitting,
        ascii_only=g.ascii_only,
    )
    return _in_ascii(frame, g.text) if g.ascii_only else frame


def footer_keys(session: Session) -> tuple[str, ...]:
    """The keys that apply on this page, most useful first (`? help` and `q quit` always last)."""
    g = session.glyphs
    if session.help_open:
        return ("esc close",)
    if session.answering:
        return ("Enter send", "Esc leave", "bksp erase")
    run = session.run
    keys: list[str] = []
    if run is not None:
        keys += ["spc step", "bksp back"] if g.ascii_only else ["spc/→ step", "← back"]
        keys.append(f"[ ] {g.alpha}={format_number(run.alpha)}")
        if run.experiment.lab or not run.graph:
            keys.append("+/- w" + ("  </> b" if "b" in run.names else ""))
    if session.page.question is not None:
        keys.append("a answer")
    if run is not None and run.graph and session.graph_scrolls:
        keys.append("↑↓ graph")
    elif session.text_scrolls:
        keys.append("↑↓ text")
    keys += ["n/b page", "? help", "q quit"]
    return tuple(keys)


def _in_ascii(value: Any, text: Any) -> Any:
    """`value` with every string in it passed through `text` (dataclasses and tuples walked)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, tuple):
        return tuple(_in_ascii(item, text) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _in_ascii(getattr(value, f.name), text) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value
