"""What a student is doing in a lesson, without Textual: each key press becomes one frame.

`Session` holds the page, the run on it (a cursor over recorded states), the answers and the
progress; `Session.press` turns a key into the next `Frame`, the whole screen as plain values,
which the view only draws.
"""

# Where a session keeps progress: faces pass one through without knowing its kind.
from ..progress import ProgressStore as Store
from .questions import Answer
from .run import Run
from .session import Session

__all__ = ["Answer", "Run", "Session", "Store"]
