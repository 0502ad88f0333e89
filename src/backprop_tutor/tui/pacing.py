"""Frames paced to what the terminal can take: Mosh's rule for slow links and held keys.

Over a slow link (SSH at 56 kbit/s) the program can write frames much faster than the terminal
receives them, and sshd buffers whatever is written: held keys would queue seconds of old frames.
So at most one frame is on its way. After a frame is drawn, a cursor-position request
(`ESC[6n`) follows it; the terminal answers only once it has received everything before it.
Until the answer comes, new frames are not drawn: the newest waits (the ones between are
dropped, their scrolls added up) and is drawn when the answer arrives. Every key still reaches
the session at once, so nothing a student typed is lost; only the pictures in between are.

Until the terminal has answered once, a probe unanswered for `FIRST_ANSWER` s holds nothing back
(the start-up frame may take seconds on a slow link, or the terminal may never answer): frames
are drawn as they come, and pacing starts with the first answer. Once answers have come, a frame
waits at most `GIVE_UP` s. Set `TUTOR_NO_PACING=1` to turn pacing off.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..frame import Frame

if TYPE_CHECKING:
    from textual.app import App

PROBE = "\x1b[6n"
"""Device status report, cursor position: every xterm-like terminal answers `ESC[row;colR`."""
FIRST_ANSWER = 2.0
"""Seconds a frame may wait before the terminal has ever answered."""
GIVE_UP = 15.0
"""Seconds without an answer, once answers have come, after which the held frame is drawn anyway."""


class Pacer:
    """One frame in flight; the newest frame waits for the terminal to catch up.

    `write` sends text to the terminal after whatever was drawn last; `clock` is for tests.
    """

    def __init__(self, write: Callable[[str], None], clock: Callable[[], float] = time.monotonic) -> None:
        self._write = write
        self._clock = clock
        self.answers = 0
        """Probes the terminal has answered."""
        self.dropped = 0
        """Frames replaced by a newer one before they were drawn."""
        self._asked_at: float | None = None
        self._held: Frame | None = None

    @property
    def waiting(self) -> bool:
        """True while a probe is out (the terminal has not caught up with the last frame)."""
        return self._asked_at is not None

    def hold(self, frame: Frame) -> bool:
        """True if `frame` must wait; it is kept instead of any frame held before it.

        A frame that quits is never held, nor is any frame when no probe is out or it is late.
        """
        if frame.quit or self._asked_at is None:
            return False
        if self._late():
            self._lost()
            return False
        if self._held is not None:
            self.dropped += 1
            frame = _merged(self._held, frame)
        self._held = frame
        return True

    @property
    def patience(self) -> float:
        """How long an unanswered probe is waited for."""
        return GIVE_UP if self.answers else FIRST_ANSWER

    def drawn(self) -> None:
        """A frame has just been written: ask the terminal to say when it has it."""
        if self._asked_at is None:
            self._asked_at = self._clock()
            self._write(PROBE)

    def answered(self) -> Frame | None:
        """The terminal has caught up: the frame to draw now, if one waited."""
        if self._asked_at is None:
            return None  # an answer to someone else's request, or to a probe given up on
        self._asked_at = None
        self.answers += 1
        return self._take()

    def overdue(self) -> Frame | None:
        """Called now and then while a frame waits: the frame to draw if the terminal is too late."""
        if not self._late():
            return None
        self._lost()
        return self._take()

    def _late(self) -> bool:
        return self._asked_at is not None and self._clock() - self._asked_at > self.patience

    def _lost(self) -> None:
        if self.answers:  # an answering terminal: ask again after the next frame
            self._asked_at = None
        # else the probe stays out: frames go as they come until the terminal first answers

    def _take(self) -> Frame | None:
        frame, self._held = self._held, None
        return frame


def _merged(older: Frame, newer: Frame) -> Frame:
    """`newer`, carrying what `older` did once that drawing `newer` alone would lose."""
    if newer.new_page:
        return newer
    return dataclasses.replace(newer, new_page=older.new_page, scroll=older.scroll + newer.scroll)


def pacer_for(app: App[Any]) -> Pacer | None:
    """A pacer for `app`'s terminal, or None where there is no terminal to ask (tests, a browser)."""
    driver = app._driver  # noqa: SLF001 - Textual keeps its driver private; writes go through its thread
    if driver is None or app.is_headless or os.environ.get("TUTOR_NO_PACING"):
        return None
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # no termios: not a POSIX terminal
        return None
    # Textual's own Linux driver or the app's subclass of it (terminal_output.py); never the web one.
    return Pacer(driver.write) if isinstance(driver, LinuxDriver) else None
