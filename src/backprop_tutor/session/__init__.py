"""What a student is doing in a lesson, without Textual: each key press becomes one frame.

`Session` holds the page, the run on it (a cursor over recorded states), the answers and the
progress; `Session.press` turns a key into the next `Frame`, the whole screen as plain values,
which the view only draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Where a session keeps progress: faces pass one through without knowing its kind.
from ..progress import ProgressStore as Store
from .questions import Answer
from .session import Session

if TYPE_CHECKING:
    from .run import Run

__all__ = ["Answer", "Run", "Session", "Store"]


def __getattr__(name: str) -> Any:
    """`Run` (the engine, numpy) is imported when first named: a text page needs neither."""
    if name == "Run":
        from .run import Run

        return Run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
