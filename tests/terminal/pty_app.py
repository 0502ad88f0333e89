"""Run `tutor` in a real pseudo-terminal and read what it writes, for tests of the terminal."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

from tests.terminal.sgr_screen import SgrScreen


class PtyApp:
    """`python -m backprop_tutor ARGS` under a pty of `cols`×`rows`."""

    def __init__(
        self,
        args: list[str],
        cols: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
        cwd: os.PathLike[str] | str | None = None,
        answer: bool = False,
    ) -> None:
        """`answer`: reply to cursor-position requests (the app's pacing probe), as a terminal does."""
        self.answer = answer
        self.output = bytearray()
        self.screen = SgrScreen(cols, rows, strict=False)
        """What a terminal shows after the output so far (the app writes only cells that change)."""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            # The pty has its size: COLUMNS and LINES (pytest's workers set them) would override it.
            inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
            os.execvpe(sys.executable, [sys.executable, "-m", "backprop_tutor", *args],
                       {**inherited, "TERM": "xterm-256color", **(env or {})})
        self.status: int | None = None
        self.closed = False
        """True once the pty has nothing more to read (the app is gone)."""

    def read_until(self, marker: bytes, timeout: float = 20.0) -> bool:
        """Read output until `marker` appears in what was read since the call (or time runs out)."""
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.output[start:]:
                return True
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    self.closed = True
                    return marker in self.output[start:]
                self.output += chunk
                asked = len(self.screen.reports)
                self.screen.feed_bytes(chunk)
                for row, col in self.screen.reports[asked:] if self.answer else ():
                    os.write(self.fd, f"\x1b[{row};{col}R".encode())
        return False

    def read_until_shown(self, text: str, timeout: float = 20.0, row: int | None = None) -> bool:
        """Read output until the screen shows `text` on one of its rows (on `row`, from 1, if given)."""
        deadline = time.monotonic() + timeout
        while not self.shows(text, row):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return False
            self.read_until(b"\x00never", timeout=min(0.1, left))
        return True

    def shows(self, text: str, row: int | None = None) -> bool:
        """True if the screen shows `text` on one of its rows (on `row`, from 1, if given)."""
        lines = self.screen.text().splitlines()
        return any(text in line for line in (lines[row - 1: row] if row else lines))

    def send(self, keys: bytes) -> None:
        """Type keys."""
        os.write(self.fd, keys)

    def resize(self, cols: int, rows: int) -> None:
        """Change the terminal's size, as a window resize does."""
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen.resize(cols, rows)
        os.kill(self.pid, signal.SIGWINCH)

    def wait(self, timeout: float = 20.0) -> int | None:
        """Read until the app exits; its exit status (None if it did not exit in time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.read_until(b"\x00never", timeout=0.3)  # what is left in the pty
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            self.read_until(b"\x00never", timeout=0.1)
        return None

    def close(self) -> None:
        """Kill the app if it still runs."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        os.close(self.fd)
