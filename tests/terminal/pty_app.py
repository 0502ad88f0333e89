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


class PtyApp:
    """`python -m backprop_tutor ARGS` under a pty of `cols`×`rows`."""

    def __init__(
        self,
        args: list[str],
        cols: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
        cwd: os.PathLike[str] | str | None = None,
    ) -> None:
        self.output = bytearray()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            os.execvpe(sys.executable, [sys.executable, "-m", "backprop_tutor", *args],
                       {**os.environ, "TERM": "xterm-256color", **(env or {})})
        self.status: int | None = None

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
                    return marker in self.output[start:]
                if not chunk:
                    return marker in self.output[start:]
                self.output += chunk
        return False

    def send(self, keys: bytes) -> None:
        """Type keys."""
        os.write(self.fd, keys)

    def resize(self, cols: int, rows: int) -> None:
        """Change the terminal's size, as a window resize does."""
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
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
