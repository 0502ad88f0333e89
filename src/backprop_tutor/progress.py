"""A student's progress: per lesson the page reached, the answers given, and whether it is done.

Kept in one small JSON file in the user's state directory. Every save is a read-merge-write under
an exclusive lock: the file is re-read under the lock and this window's progress merged into what
is there (an answer right in either stays right, tries are the larger, done is either's), so two
tutors of one lesson never lose each other's answers. It is written to a temporary file, fsynced
and renamed over the old one, so a crash or a closed SSH session never leaves a half-written file.

The file is read as untrusted input: a regular file of at most `MAX_PROGRESS_BYTES`, opened
without blocking (a FIFO in its place is set aside, not waited on), JSON with finite numbers and
the exact types written (`"done": "false"` is damage, not true), every string cleaned for the
terminal. A file that cannot be read is set aside with a timestamp, never overwritten; a file
from a newer version is kept as it is and nothing is saved. A state folder owned by another
user, or writable by others, is not used.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import math
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .safe_text import printable

FILE_NAME = "progress.json"
VERSION = 1
MAX_PROGRESS_BYTES = 1_000_000
"""A progress file larger than this is set aside unread (ours hold a few kilobytes)."""
MAX_PAGE_NUMBER = 1_000_000
"""A page index or count beyond this in a progress file is damage."""
NOTICE = (
    "Written by backprop-tutor (the `tutor` command) to remember where you are. "
    "Do not edit; `tutor reset` forgets a lesson."
)
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


class ProgressError(OSError):
    """Progress cannot be used or saved; the message says why and what to do.

    An `OSError`, so code that reports `exc.strerror` for a failed save shows this message.
    """

    def __init__(self, message: str, code: int = errno.EPERM) -> None:
        super().__init__(code, message)

    def __str__(self) -> str:
        return str(self.strerror)


def state_dir(override: str | Path | None = None) -> Path:
    """Where progress lives: `override`, else $TUTOR_STATE_DIR, else the platform's state dir.

    Raises:
        ProgressError: there is no usable home folder (HOME unset, empty or relative, and no
            absolute XDG_STATE_HOME), so no default place for progress.
    """
    try:
        if override:
            return Path(override).expanduser()
        env = os.environ.get("TUTOR_STATE_DIR")
        if env:
            return Path(env).expanduser()
        xdg = os.environ.get("XDG_STATE_HOME", "")
        home = os.environ.get("HOME")
        if home is not None and not os.path.isabs(home) and not os.path.isabs(xdg):
            raise RuntimeError("HOME is empty or not an absolute path")
        from platformdirs import user_state_dir  # respects XDG_STATE_HOME on Linux

        found = Path(user_state_dir("backprop-tutor", appauthor=False))
        if not found.is_absolute():
            raise RuntimeError(f"the state folder would be {found}, a relative path")
    except (RuntimeError, KeyError, OSError) as exc:  # no home: platformdirs raises RuntimeError
        raise ProgressError(
            f"No place to keep your progress ({exc}): give --state-dir DIR or set TUTOR_STATE_DIR.",
            errno.ENOENT,
        ) from None
    return found


@dataclass
class AnswerRecord:
    """One question: answered right or not, after how many tries."""

    right: bool = False
    tries: int = 0

    def merged(self, other: AnswerRecord) -> AnswerRecord:
        """Both windows' record of one question: right if right in either, the larger number of tries."""
        return AnswerRecord(self.right or other.right, max(self.tries, other.tries))


@dataclass
class LessonProgress:
    """Where a student is in one lesson."""

    page: int = 0
    page_title: str = ""
    pages: int = 0
    done: bool = False
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    """Keyed by the page's key (`Page.key`: its id, else its title as a slug); files written
    before page keys hold titles, which `answer_for` still finds."""
    updated: float = 0.0
    page_key: str = ""
    """The key of the page reached (empty in files written before page keys)."""

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the file."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        """Read one lesson's entry; raises ValueError when it is not exactly what we write.

        Types are checked, not coerced: `"done": "false"` or `"page": 1.5` is damage. Strings are
        cleaned for the terminal (`safe_text.printable`).
        """
        if not isinstance(data, dict):
            raise ValueError("a lesson entry is not a mapping")
        answers = _typed(data, "answers", dict, {})
        return cls(
            page=_count(data, "page"),
            page_title=printable(_typed(data, "page_title", str, "")),
            pages=_count(data, "pages"),
            done=_typed(data, "done", bool, False),
            answers={_key(k): _answer(k, v) for k, v in answers.items()},
            updated=_time(data),
            page_key=printable(_typed(data, "page_key", str, "")),
        )

    def merged(self, mine: LessonProgress) -> LessonProgress:
        """What is on disk (`self`) with one window's progress (`mine`) saved over it.

        The page is the one `mine` shows; an answer right in either stays right, the tries are
        the larger, and the lesson is done if either says so.
        """
        answers = dict(self.answers)
        for key, record in mine.answers.items():
            answers[key] = answers[key].merged(record) if key in answers else record
        return LessonProgress(
            page=mine.page,
            page_title=mine.page_title,
            pages=mine.pages,
            done=self.done or mine.done,
            answers=answers,
            updated=mine.updated,
            page_key=mine.page_key,
        )

    def answer_for(self, key: str, title: str = "") -> AnswerRecord | None:
        """The answer remembered for the page with this key (or, in an older file, this title)."""
        record = self.answers.get(key)
        if record is None and title:
            record = self.answers.get(title)
        return record

    def resume_page(self, titles: list[str], keys: list[str] | None = None) -> int:
        """The page to resume on in a lesson whose pages are now `titles` (and `keys`).

        The same page key if it still exists, else the same title (the nearest such page if
        several), else the same index, clamped to the lesson: a lesson edited since keeps the
        student close to where they were.
        """
        if not titles:
            return 0
        if keys is not None and self.page_key:
            matches = [i for i, k in enumerate(keys) if k == self.page_key]
            if matches:
                return min(matches, key=lambda i: abs(i - self.page))
        matches = [i for i, t in enumerate(titles) if t == self.page_title]
        if matches:
            return min(matches, key=lambda i: abs(i - self.page))
        return max(0, min(self.page, len(titles) - 1))


def _typed(data: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    value = data.get(name, default)
    # type(), not isinstance: True is an int to isinstance, and 1 is not a bool here.
    if type(value) is not kind:
        raise ValueError(f"{name} is {type(value).__name__}, not {kind.__name__}")
    return value


def _count(data: dict[str, Any], name: str) -> int:
    value = _typed(data, name, int, 0)
    if not 0 <= value <= MAX_PAGE_NUMBER:
        raise ValueError(f"{name} = {value} is out of range")
    return value


def _time(data: dict[str, Any]) -> float:
    value = data.get("updated", 0.0)
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError("updated is not a time")
    return float(value)


def _key(key: str) -> str:
    return printable(key)


def _answer(key: str, value: Any) -> AnswerRecord:
    if not isinstance(value, dict):
        raise ValueError(f"the answer for {printable(key)[:40]!r} is not a mapping")
    tries = _typed(value, "tries", int, 0)
    if not 0 <= tries <= 10**9:
        raise ValueError("tries is out of range")
    return AnswerRecord(_typed(value, "right", bool, False), tries)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise ValueError(f"the number {text[:20]} is not finite")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number we write")


class _Newer(Exception):
    """The file was written by a newer version of the tutor."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def parse_progress(raw: bytes) -> dict[str, LessonProgress]:
    """The lessons of a progress file's bytes.

    Raises:
        ValueError: the bytes are not a progress file we can read (the message says why).
    """
    try:
        document = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, a non-finite number, an integer of 5,000 digits
        raise ValueError(f"not valid JSON ({str(exc)[:100]})") from None
    if not isinstance(document, dict) or not isinstance(document.get("lessons"), dict):
        raise ValueError("not a progress file")
    version = document.get("version", VERSION)
    if type(version) is not int or version < 1:
        raise ValueError("its version is not a number we write")
    if version > VERSION:
        raise _Newer(version)
    try:
        return {_key(k): LessonProgress.from_json(v) for k, v in document["lessons"].items()}
    except ValueError as exc:
        raise ValueError(f"a lesson entry is damaged ({exc})") from None


class ProgressStore:
    """The progress file of one user.

    Args:
        folder: the state directory (created, private to the user, on the first save).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.notice = ""
        """What to tell the student about their progress file (set aside, newer, not usable)."""
        self.can_save = True
        """False once saving is known to be impossible (a newer file, a folder not the user's):
        the tutor runs on, `save` raises `ProgressError`, and `problem` says why."""
        self.problem = ""
        """Why progress cannot be saved (empty while it can)."""

    # -- reading ---------------------------------------------------------------------------------

    def load(self) -> dict[str, LessonProgress]:
        """Every lesson's progress; an unreadable file is set aside and an empty one assumed. Never raises."""
        try:
            self._check_folder()
            return self._read()
        except ProgressError as exc:
            self._cannot_save(str(exc))
            self.notice = str(exc)
            return {}
        except OSError as exc:
            self.notice = f"Could not read your progress ({exc.strerror or exc}); starting without it."
            return {}

    def get(self, lesson_key: str) -> LessonProgress | None:
        """One lesson's progress, if any (`Lesson.progress_key`)."""
        return self.load().get(lesson_key)

    def _cannot_save(self, why: str) -> None:
        self.can_save = False
        self.problem = why

    def _check_folder(self) -> None:
        """Refuse a state folder another user owns or others may write: they could forge or break our file."""
        try:
            info = os.stat(self.folder)
        except FileNotFoundError:
            return
        except NotADirectoryError:
            raise ProgressError(f"The state folder {printable(str(self.folder))} is inside a file: choose another with --state-dir.") from None
        where = printable(str(self.folder))
        if not stat.S_ISDIR(info.st_mode):
            raise ProgressError(f"The state folder {where} is not a folder: choose another with --state-dir.", errno.ENOTDIR)
        if info.st_uid != os.geteuid():
            raise ProgressError(
                f"The state folder {where} belongs to another user (uid {info.st_uid}): not using it. "
                "Choose your own with --state-dir or TUTOR_STATE_DIR."
            )
        # Group-writable is fine only for the user's own (private) group.
        if info.st_mode & stat.S_IWOTH or (info.st_mode & stat.S_IWGRP and info.st_gid != os.getegid()):
            raise ProgressError(
                f"The state folder {where} can be written by other users (mode {stat.S_IMODE(info.st_mode):o}): "
                f"not using it. Run chmod go-w on it, or choose another with --state-dir."
            )

    def _read(self) -> dict[str, LessonProgress]:
        """The file's lessons ({} when there is none; a damaged file is set aside)."""
        try:
            fd = os.open(self.path, _READ_FLAGS)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            if exc.errno in (errno.ENXIO, errno.ELOOP):  # a socket, a symlink loop
                self._set_aside("not a regular file")
                return {}
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raw = None
                why = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device?)"
            elif info.st_size > MAX_PROGRESS_BYTES:
                raw = None
                why = f"{info.st_size:,} bytes, more than the {MAX_PROGRESS_BYTES:,} a progress file may hold"
            else:
                raw = _read_at_most(fd, MAX_PROGRESS_BYTES + 1)
                why = f"over {MAX_PROGRESS_BYTES:,} bytes"
        finally:
            os.close(fd)
        if raw is None or len(raw) > MAX_PROGRESS_BYTES:
            self._set_aside(why)
            return {}
        try:
            return parse_progress(raw)
        except _Newer as newer:
            message = (
                f"Your progress file was written by a newer backprop-tutor (format {newer.version}; this one "
                f"writes {VERSION}): it is kept as it is, and nothing is saved while this version runs."
            )
            self._cannot_save(message)
            self.notice = message
            return {}
        except ValueError as exc:
            self._set_aside(str(exc))
            return {}

    def _set_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{FILE_NAME}.unreadable-{stamp}")
        number = 2
        while os.path.lexists(aside):  # never over an earlier one
            aside = self.path.with_name(f"{FILE_NAME}.unreadable-{stamp}-{number}")
            number += 1
        why = printable(why)
        try:
            os.rename(self.path, aside)
            self.notice = f"Your progress file was unreadable ({why}); it was kept as {aside.name} and a new one started."
        except OSError:
            self.notice = f"Your progress file was unreadable ({why}); starting without it."

    # -- writing ---------------------------------------------------------------------------------

    def save(self, lesson_key: str, progress: LessonProgress) -> LessonProgress:
        """Record one lesson's progress, merged with what other tutors of this user saved.

        Returns:
            The lesson's progress as now saved (this window's page, both windows' answers).

        Raises:
            ProgressError: progress cannot be saved (a full disk, a read-only or foreign folder,
                a newer file); the message says why and is fit to show.
        """
        progress.updated = time.time()
        with self._changing("save your progress"):
            current = self._read()
            self._refuse_if_unsavable()
            before = current.get(lesson_key)
            saved = before.merged(progress) if before is not None else progress
            current[lesson_key] = saved
            self._write(current)
        return saved

    def forget(self, lesson_key: str | None = None) -> list[str]:
        """Forget one lesson (or all); returns the keys forgotten.

        Raises:
            ProgressError: as `save` does.
        """
        with self._changing("forget your progress"):
            current = self._read()
            self._refuse_if_unsavable()
            gone = list(current) if lesson_key is None else [lesson_key] if lesson_key in current else []
            for key in gone:
                del current[key]
            if gone:
                self._write(current)
        return gone

    def _refuse_if_unsavable(self) -> None:
        if not self.can_save:
            raise ProgressError(self.problem)

    @contextlib.contextmanager
    def _changing(self, what: str) -> Iterator[None]:
        """Lock the file for a change; any failure becomes one `ProgressError` saying what failed."""
        self._refuse_if_unsavable()
        try:
            self._check_folder()
            with self._locked():
                yield
        except ProgressError as exc:
            if exc.errno == errno.EPERM:
                self._cannot_save(str(exc))
            raise
        except OSError as exc:
            where = printable(str(self.folder))
            raise ProgressError(f"Could not {what} in {where}: {exc.strerror or exc}.", exc.errno or errno.EIO) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._check_folder()
        lock_path = self.folder / f"{FILE_NAME}.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProgressError(f"{printable(str(lock_path))} is not a regular file: remove it.", errno.EIO)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _write(self, lessons: dict[str, LessonProgress]) -> None:
        document = {
            "_comment": NOTICE,
            "version": VERSION,
            "lessons": {k: v.to_json() for k, v in sorted(lessons.items())},
        }
        data = (json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
        if len(data) > MAX_PROGRESS_BYTES:  # never write what would be refused when read
            raise ProgressError(
                f"Your progress would take over {MAX_PROGRESS_BYTES:,} bytes: forget some lessons with tutor reset.",
                errno.EFBIG,
            )
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


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(65536, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
