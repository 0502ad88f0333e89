"""Where progress lives and how it is saved: read-merge-write under a lock, atomically."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..safe_text import printable
from ..words import Phrase
from .records import LANGUAGE_CODES, VERSION, LessonProgress, Newer, parse_file

FILE_NAME = "progress.json"
MAX_PROGRESS_BYTES = 1_000_000
"""A progress file larger than this is set aside unread (ours hold a few kilobytes)."""
NOTICE = (
    "Written by backprop-tutor (the `tutor` command) to remember where you are. "
    "Do not edit; `tutor reset` forgets a lesson."
)
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


class ProgressError(OSError):
    """Progress cannot be used or saved; the message says why and what to do.

    An `OSError`, so code that reports `exc.strerror` for a failed save shows this message. The
    message is a `Phrase`: English as it stands, and `Words.say` words it in the user's language.
    """

    def __init__(self, message: str, code: int = errno.EPERM) -> None:
        super().__init__(code, message)

    def __str__(self) -> str:
        return self.strerror if isinstance(self.strerror, str) else str(self.strerror)


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
        raise ProgressError(Phrase("progress.no_place", why=str(exc)), errno.ENOENT) from None
    return found


class ProgressStore:
    """The progress file of one user.

    Args:
        folder: the state directory (created, private to the user, on the first save).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.notice = ""
        """What to tell the student about their progress file (set aside, newer, not usable): a
        `Phrase` (English; `Words.say` words it in the user's language), or "" for nothing."""
        self.can_save = True
        """False once saving is known to be impossible (a newer file, a folder not the user's):
        the tutor runs on, `save` raises `ProgressError`, and `problem` says why."""
        self.problem = ""
        """Why progress cannot be saved (empty while it can)."""
        self.language = ""
        """The language the user last chose (`--lang`, `L`), as the file last read says ("" for none)."""

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
            self.notice = Phrase("progress.could_not_read", why=exc.strerror or str(exc))
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
            raise ProgressError(Phrase("progress.folder_in_file", where=printable(str(self.folder)))) from None
        where = printable(str(self.folder))
        if not stat.S_ISDIR(info.st_mode):
            raise ProgressError(Phrase("progress.not_a_folder", where=where), errno.ENOTDIR)
        if info.st_uid != os.geteuid():
            raise ProgressError(Phrase("progress.foreign_folder", where=where, uid=info.st_uid))
        # Group-writable is fine only for the user's own (private) group.
        if info.st_mode & stat.S_IWOTH or (info.st_mode & stat.S_IWGRP and info.st_gid != os.getegid()):
            raise ProgressError(Phrase("progress.open_folder", where=where, mode=f"{stat.S_IMODE(info.st_mode):o}"))

    def _read(self) -> dict[str, LessonProgress]:
        """The file's lessons ({} when there is none; a damaged file is set aside)."""
        try:
            fd = os.open(self.path, _READ_FLAGS)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            if exc.errno in (errno.ENXIO, errno.ELOOP):  # a socket, a symlink loop
                self._set_aside(Phrase("progress.not_regular"))
                return {}
            raise
        try:
            info = os.fstat(fd)
            most = f"{MAX_PROGRESS_BYTES:,}"
            if not stat.S_ISREG(info.st_mode):
                raw = None
                why = Phrase("progress.a_folder" if stat.S_ISDIR(info.st_mode) else "progress.a_device")
            elif info.st_size > MAX_PROGRESS_BYTES:
                raw = None
                why = Phrase("progress.too_large", size=f"{info.st_size:,}", most=most)
            else:
                raw = _read_at_most(fd, MAX_PROGRESS_BYTES + 1)
                why = Phrase("progress.over", most=most)
        finally:
            os.close(fd)
        if raw is None or len(raw) > MAX_PROGRESS_BYTES:
            self._set_aside(why)
            return {}
        try:
            lessons, self.language = parse_file(raw)
            return lessons
        except Newer as newer:
            message = Phrase("progress.newer", version=newer.version, ours=VERSION)
            self._cannot_save(message)
            self.notice = message
            return {}
        except ValueError as exc:
            self._set_aside(str(exc))
            return {}

    def _set_aside(self, why: str) -> None:
        """Rename the unreadable file out of the way; `why` is a `Phrase` of ours, or the parser's English."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{FILE_NAME}.unreadable-{stamp}")
        number = 2
        while os.path.lexists(aside):  # never over an earlier one
            aside = self.path.with_name(f"{FILE_NAME}.unreadable-{stamp}-{number}")
            number += 1
        why = why if isinstance(why, Phrase) else printable(why)
        try:
            os.rename(self.path, aside)
            self.notice = Phrase("progress.set_aside", why=why, name=aside.name)
        except OSError:
            self.notice = Phrase("progress.unreadable", why=why)

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
        with self._changing("progress.cannot_save"):
            current = self._read()
            self._refuse_if_unsavable()
            before = current.get(lesson_key)
            saved = before.merged(progress) if before is not None else progress
            current[lesson_key] = saved
            self._write(current)
        return saved

    def save_language(self, language: str) -> None:
        """Remember the language the user chose, beside their lessons' progress.

        Raises:
            ProgressError: as `save` does.
        """
        if language not in LANGUAGE_CODES:
            raise ValueError(f"not a language the tutor speaks: {language!r}")
        with self._changing("progress.cannot_save_language"):
            current = self._read()
            self._refuse_if_unsavable()
            self.language = language
            self._write(current)

    def forget(self, lesson_key: str | None = None) -> list[str]:
        """Forget one lesson (or all); returns the keys forgotten.

        Raises:
            ProgressError: as `save` does.
        """
        with self._changing("progress.cannot_forget"):
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
    def _changing(self, failed: str) -> Iterator[None]:
        """Lock the file for a change; any failure becomes one `ProgressError` saying what failed (the `failed` phrase)."""
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
            raise ProgressError(Phrase(failed, where=where, why=exc.strerror or str(exc)), exc.errno or errno.EIO) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._check_folder()
        lock_path = self.folder / f"{FILE_NAME}.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProgressError(Phrase("progress.bad_lock", path=printable(str(lock_path))), errno.EIO)
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
        if self.language:
            document["language"] = self.language
        data = (json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
        if len(data) > MAX_PROGRESS_BYTES:  # never write what would be refused when read
            raise ProgressError(Phrase("progress.would_be_too_large", most=f"{MAX_PROGRESS_BYTES:,}"), errno.EFBIG)
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
