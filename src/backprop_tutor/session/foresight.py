"""The frame the next step would show, built without taking it.

A student on a run presses Space again and again. The view can render that next frame while it
waits for the key (tui/app.py does, once the key has been idle a moment), so the key finds its
plots and table already drawn: the same work, done before the key instead of after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..frame import Frame
    from .session import Session


def next_step_frame(session: Session) -> Frame | None:
    """The frame `session.press("space")` would return now, or None when that key would do
    anything but one plain update (no run, a graph page, the end of what is recorded, an answer
    being typed, the help open, playing or a `u` under way). Nothing of `session` changes."""
    run = session.run
    if run is None or run.graph or session.answering or session.help_open or session.playing or session.until is not None:
        return None
    run.trace.extend_to(run.step + 1)  # what `Run.forward` records first (deterministic: the key finds it done)
    if run.step >= run.trace.last:  # the end of what may be recorded: the key says why, or records the story
        return None
    from .framing import build_frame

    kept = run.step, session.message, session._scroll, session._new_page
    run.step, session.message, session._scroll, session._new_page = run.step + 1, "", 0, False  # as `step` sets them
    try:
        return build_frame(session)
    finally:
        run.step, session.message, session._scroll, session._new_page = kept
