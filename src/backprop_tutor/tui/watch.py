"""`tutor run FILE --watch`: the app, polling its lesson's files and reloading when one is saved.

A stat of each file on a Textual timer (a few files, twice a second) costs next to nothing and
works on network home folders where change notifications do not; without `--watch` the plain
`TutorApp` runs and nothing is polled. What a reload means is the session's (`reloading.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..session import Session
from ..session.reloading import reload, watched_files
from .app import TutorApp

POLL_INTERVAL = 0.5
"""Seconds between looks at the lesson's files."""

Signature = tuple[tuple[str, int, int], ...]
"""Each watched file's path, modification time (ns) and size; -1s for one that cannot be read."""


def signature(paths: tuple[Path, ...]) -> Signature:
    """What changes when any of `paths` is saved, replaced, removed or restored: one stat each."""
    seen = []
    for path in paths:
        try:
            info = os.stat(path)
            seen.append((str(path), info.st_mtime_ns, info.st_size))
        except (OSError, ValueError):  # mid-save, or removed: the next save changes it again
            seen.append((str(path), -1, -1))
    return tuple(seen)


class WatchingApp(TutorApp):
    """The step-through app that reloads its lesson when the file (or a CSV it reads) changes."""

    def __init__(self, session: Session, *, color: bool = True, interval: float = POLL_INTERVAL) -> None:
        super().__init__(session, color=color)
        self.interval = interval
        self.reloads = 0
        """How many times the files changed and the session was asked to reload (tests wait on it)."""
        self._files = watched_files(session.lesson)
        self._seen = signature(self._files)

    def on_mount(self) -> None:
        """Start polling (Textual calls `TutorApp.on_mount` too: it draws the first frame)."""
        self.set_interval(self.interval, self.check_files)

    def check_files(self) -> bool:
        """Reload and redraw if a watched file changed since the last look; True if it did."""
        now = signature(self._files)
        if now == self._seen:
            return False
        self.reloads += 1
        self.show(reload(self.session))
        files = watched_files(self.session.lesson)  # an edit may name another CSV
        # `now` was taken before the reload read the files: a save since then is seen next time.
        self._seen = now if files == self._files else signature(files)
        self._files = files
        return True
