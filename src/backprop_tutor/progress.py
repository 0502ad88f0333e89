"""A student's progress: per lesson the page reached, the answers given, and whether it is done.

Kept in one small JSON file in the user's state directory. Every save is a read-merge-write under
an exclusive lock, written to a temporary file, fsynced and renamed over the old one, so a crash,
a closed SSH session or a second tutor running at the same time never leaves a half-written or
mixed file. A file that cannot be read is set aside with a timestamp, never overwritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "progress.json"
VERSION = 1
NOTICE = (
    "Written by backprop-tutor (the `tutor` command) to remember where you are. "
    "Do not edit; `tutor reset` forgets a lesson."
)


def state_dir(override: str | Path | None = None) -> Path:
    """Where progress lives: `override`, else $TUTOR_STATE_DIR, else the platform's state dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("TUTOR_STATE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_state_dir  # respects XDG_STATE_HOME on Linux

    return Path(user_state_dir("backprop-tutor", appauthor=False))


@dataclass
class AnswerRecord:
    """One question: answered right or not, after how many tries."""

    right: bool = False
    tries: int = 0


@dataclass
class LessonProgress:
    """Where a student is in one lesson."""

    page: int = 0
    page_title: str = ""
    pages: int = 0
    done: bool = False
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    """Keyed by the page's title, so answers survive pages being added or removed."""
    updated: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the file."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        """Read one lesson's entry; raises ValueError when it is not what we write."""
        if not isinstance(data, dict):
            raise ValueError("a lesson entry is not a mapping")
        answers = data.get("answers", {})
        if not isinstance(answers, dict):
            raise ValueError("answers is not a mapping")
        return cls(
            page=int(data.get("page", 0)),
            page_title=str(data.get("page_title", "")),
            pages=int(data.get("pages", 0)),
            done=bool(data.get("done", False)),
            answers={str(k): AnswerRecord(bool(v.get("right")), int(v.get("tries", 0))) for k, v in answers.items()},
            updated=float(data.get("updated", 0.0)),
        )

    def resume_page(self, titles: list[str]) -> int:
        """The page to resume on in a lesson whose pages are now `titles`.

        The same title if it still exists (the nearest such page if several), else the same index,
        clamped to the lesson: a lesson edited since keeps the student close to where they were.
        """
        if not titles:
            return 0
        matches = [i for i, t in enumerate(titles) if t == self.page_title]
        if matches:
            return min(matches, key=lambda i: abs(i - self.page))
        return max(0, min(self.page, len(titles) - 1))


class ProgressStore:
    """The progress file of one user.

    Args:
        folder: the state directory (created on the first save).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.notice = ""
        """Set once when an unreadable file was set aside: what to tell the student."""

    # -- reading ---------------------------------------------------------------------------------

    def load(self) -> dict[str, LessonProgress]:
        """Every lesson's progress; an unreadable file is set aside and an empty one assumed."""
        try:
            return self._read()
        except OSError as exc:
            self.notice = f"Could not read your progress ({exc.strerror}); starting without it."
            return {}

    def get(self, lesson_id: str) -> LessonProgress | None:
        """One lesson's progress, if any."""
        return self.load().get(lesson_id)

    @staticmethod
    def _parse(raw: bytes) -> dict[str, LessonProgress]:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not valid JSON ({exc})") from None
        if not isinstance(document, dict) or not isinstance(document.get("lessons"), dict):
            raise ValueError("not a progress file")
        try:
            return {str(k): LessonProgress.from_json(v) for k, v in document["lessons"].items()}
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"a lesson entry is damaged ({exc})") from None

    def _set_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{FILE_NAME}.unreadable-{stamp}")
        try:
            os.replace(self.path, aside)
            self.notice = f"Your progress file was unreadable ({why}); it was kept as {aside.name} and a new one started."
        except OSError:
            self.notice = f"Your progress file was unreadable ({why}); starting without it."

    # -- writing ---------------------------------------------------------------------------------

    def save(self, lesson_id: str, progress: LessonProgress) -> None:
        """Record one lesson's progress (merged with what other tutors of this user saved)."""
        progress.updated = time.time()
        with self._locked():
            current = self._read()
            current[lesson_id] = progress
            self._write(current)

    def forget(self, lesson_id: str | None = None) -> list[str]:
        """Forget one lesson (or all); returns the ids forgotten."""
        with self._locked():
            current = self._read()
            gone = list(current) if lesson_id is None else [lesson_id] if lesson_id in current else []
            for key in gone:
                del current[key]
            self._write(current)
        return gone

    def _read(self) -> dict[str, LessonProgress]:
        """The file's lessons ({} when there is none; a damaged file is set aside)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            return self._parse(raw)
        except ValueError as exc:
            self._set_aside(str(exc))
            return {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{FILE_NAME}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, lessons: dict[str, LessonProgress]) -> None:
        document = {
            "_comment": NOTICE,
            "version": VERSION,
            "lessons": {k: v.to_json() for k, v in sorted(lessons.items())},
        }
        data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
