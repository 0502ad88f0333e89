"""What the app writes to the terminal, in fewer bytes: each write costs what it changes.

Textual 8.2 writes each run of cells with its whole style and a reset after it
(`Strip.render_style`: `ESC[38;2;224;224;224;48;2;18;18;18m text ESC[0m`), each line or chop of a
line after an absolute cursor move, a line feed between the lines of an update
(`LayoutUpdate`/`ChopsUpdate.render_segments`), and every cell of every chop it repaints, changed
or not (the tutor's resize to 100×30 wrote three full repaints, the third the same as the second).
`LeanEncoder` (lean_encoder.py) rewrites that output on its way to the terminal (`LeanDriver.write`),
keeping what the terminal ends up showing:

- **Styles** (`sgr_state.py`): the style Textual's output means (`want`) and the one the terminal
  has (`have`) are both kept; a style is written just before the text it applies to, and then only
  what differs, so a reset followed by the same style costs nothing.
- **Cells**: what each cell shows (character, style, hyperlink) is remembered, and a cell Textual
  writes again with what it already shows is skipped. The memory is dropped whenever it could be
  wrong: the terminal's size changed (or SIGWINCH came), a sequence that may scroll, erase or
  switch screens was written, or text went where the cursor is not known.
- **Cursor moves** are made only before something is written, and as the shortest of an absolute
  move, a column (`ESC[nG`), a carriage return, a move forward or the same cells written again; a
  line feed straight before an absolute move is dropped when the write shows that row exists.

Anything else is passed on unchanged after the terminal's cursor and style are brought to where the
original output has them, and every write ends that way too: writes others make through the driver
(the pacing probe, Textual's mode switches) see what they would have seen.

What it relies on, besides the escape sequences themselves (checked by tests that run the app's own
frames through a terminal emulator in four colour modes): Textual writes with automatic margins
off (`ESC[?7l`) and crops every line to the screen, so text never moves to another row; characters
take the cells rich says (`rich.cells`, as Textual lays them out). A style parameter it cannot read
is passed on with the style marked unknown until the next reset; a write that ends inside an
escape sequence turns the encoder off for good. `TUTOR_OUTPUT=plain` writes exactly what Textual
writes, `TUTOR_OUTPUT=styles` leaves out the cell memory (to compare).

Textual's insides this leans on (textual is pinned to 8.2.x in pyproject.toml): every byte for the
terminal goes through `LinuxDriver.write` (Textual's own writes, the pacing probe); the driver
writes to `LinuxDriver._file` (stderr), whose size is read before each write; its SIGWINCH handler
is set in `start_application_mode` and is chained here, not replaced.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Any

from .lean_encoder import LeanEncoder

if TYPE_CHECKING:
    from textual.driver import Driver


def forget_screen(driver: Driver | None) -> None:
    """Let `driver` (a lean one) write the next cells whatever it remembers of the terminal: another
    program wrote on it (`ctrl+r`, the view's redraw)."""
    encoder = getattr(driver, "encoder", None)
    if isinstance(encoder, LeanEncoder):
        encoder.lose_terminal()


def lean_driver(base: type[Driver]) -> type[Driver]:
    """`base` writing through a `LeanEncoder` if it is Textual's Linux driver (a terminal); else `base`.

    Not for the web driver (`tutor serve`), the headless one (tests) or Windows.
    """
    mode = os.environ.get("TUTOR_OUTPUT", "")
    if mode == "plain":
        return base
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # no termios: not a POSIX terminal
        return base
    if not issubclass(base, LinuxDriver):
        return base

    class LeanDriver(base):  # type: ignore[valid-type, misc]
        """Textual's driver; what it writes goes through a `LeanEncoder` first."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.encoder = LeanEncoder(remember=mode != "styles")

        def start_application_mode(self) -> None:
            super().start_application_mode()
            textual_handler = signal.getsignal(signal.SIGWINCH)

            def on_resize(signum: int, frame: Any) -> None:
                self.encoder.stale = True
                if callable(textual_handler):
                    textual_handler(signum, frame)

            signal.signal(signal.SIGWINCH, on_resize)

        def write(self, data: str) -> None:
            try:  # the terminal the output goes to (Textual writes to stderr)
                self.encoder.resize(*os.get_terminal_size(self._file.fileno()))
            except (OSError, ValueError, AttributeError):
                self.encoder.stale = True
            super().write(self.encoder.encode(data))

    LeanDriver.__name__ = LeanDriver.__qualname__ = f"Lean{base.__name__}"
    return LeanDriver
