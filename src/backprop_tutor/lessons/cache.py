"""Validated lessons kept as plain data, so that a warm `tutor run` reads no YAML and imports no pydantic.

A lesson that passed `load_lesson` is written to `<cache>/lessons/<key>.json`, where `<cache>`
is `$TUTOR_CACHE_DIR` or the user cache folder (platformdirs) and the key a hash of the code
version, the lesson's absolute path and its bytes. An edited lesson has another key, so it is
validated again (its errors still `PATH:LINE:`). A translation (`ko/<id>.yaml`) that passed its
checks is kept the same way, as the whole translated lesson, keyed also by a checksum of the
English lesson it was checked against: an edit of either file means checking it again.

Nothing in a cache file is trusted: it is used only if it is a regular file of this user's that
no one else may write, small enough, valid JSON with the right format, code version, path and
source hash, a checksum that matches its content, and a lesson's shape. A file that fails any
check is ignored and written again from the lesson itself. A cache that cannot be written costs
nothing: the lesson is just validated each time. Data (points, CSV files) are loaded as for a
fresh lesson, with the same checks, every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LessonError
from ..safe_text import printable
from .data import MAX_CSV_BYTES, resolve_csv
from .files import read_limited
from .lesson import LazyDatasets, Lesson, load_datasets
from .limits import MAX_FILE_BYTES
from .plain import BadData, as_data, spec_from_data
from .shipped import checksum as _checksum
from .shipped import sha256, shipped_spec, shipped_translation

FORMAT = 1
"""The layout of a cache file; another number is not read."""
MAX_CACHE_BYTES = 4 * MAX_FILE_BYTES
"""A cache file larger than this is not read (a lesson's JSON is about its YAML's size)."""
ENV = "TUTOR_CACHE_DIR"

_code: str | None = None


def cache_dir(environ: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """Where cached lessons go: `$TUTOR_CACHE_DIR/lessons`, else the user cache folder's."""
    env = os.environ if environ is None else environ
    if env.get(ENV):
        return Path(env[ENV]) / "lessons"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backprop-tutor", appauthor=False)) / "lessons"


def code_version() -> str:
    """A hash of the package version and of the code that validates lessons: new code, new cache."""
    global _code
    if _code is None:
        digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
        for source in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        _code = digest.hexdigest()
    return _code


def load_lesson_cached(path: Path, folder: Path | None = None) -> Lesson:
    """`load_lesson(path)`, from the cache when it holds this very file validated by this very code.

    Raises:
        LessonError: as `load_lesson` (a lesson with problems is never cached).
    """
    raw = read_limited(path, MAX_FILE_BYTES, "a lesson")
    where = path.resolve()
    source = sha256(raw)
    folder, key = _place(folder, f"{where}\0{source}")
    # The course as it shipped (checked before it shipped), else this user's cache.
    spec = shipped_spec(path, source)
    if spec is None and folder is not None:
        spec = _read(folder / f"{key}.json", where, source, path)
    if spec is not None:
        return Lesson(printable(path.stem), path, spec, LazyDatasets(lambda: load_datasets(spec, path, {})))
    from .loader import load_lesson

    lesson = load_lesson(path)
    if folder is not None:
        _write(folder, f"{key}.json", _entry(lesson, where, source))
    return lesson


def translation_cached(english: Lesson, language: str, folder: Path | None = None) -> Lesson | None:
    """`translation.lesson_in(english, language)`, from the cache when it holds this very translation,
    checked against this very English lesson by this very code.

    Raises:
        LessonError: as `lesson_in` (a translation with problems is never cached).
    """
    from .translation import ENGLISH, LANGUAGES, translation_path

    if language == ENGLISH:
        return english
    path = translation_path(english.path, language)
    if language not in LANGUAGES or not path.is_file():
        return None
    raw = read_limited(path, MAX_FILE_BYTES, "a translation")
    where = path.resolve()
    source = sha256(raw)
    lesson = _checksum(as_data(english.spec))
    spec = shipped_translation(english, language, source, lesson)
    folder, key = _place(folder, f"{where}\0{source}\0{english.path.resolve()}\0{lesson}")
    if spec is None and folder is not None:
        spec = _read(folder / f"{key}.json", where, source, english.path, lesson)
    if spec is not None:
        return dataclasses.replace(english, spec=spec, language=language)
    from .translation import load_translated

    translated = load_translated(english, path, language, raw)
    if folder is not None:
        spec_data = as_data(translated.spec)
        _write(folder, f"{key}.json", {"format": FORMAT, "code": code_version(), "path": str(where), "source": source,
                                       "lesson": lesson, "data": [], "check": _checksum([spec_data, []]), "spec": spec_data})
    return translated


def _place(folder: Path | None, what: str) -> tuple[Path | None, str]:
    """The cache folder and the key of the file for `what` (None: no cache folder can be named, no HOME)."""
    try:
        folder = cache_dir() if folder is None else folder
        return folder, hashlib.sha256(f"{code_version()}\0{what}".encode()).hexdigest()
    except (OSError, ValueError, RuntimeError):
        return None, ""


def _entry(lesson: Lesson, where: Path, source: str) -> dict[str, Any]:
    spec = as_data(lesson.spec)
    csvs = sorted({exp.csv for exp in lesson.experiments() if exp.csv is not None})
    data = [_data_file(name, lesson.path) for name in csvs]
    return {"format": FORMAT, "code": code_version(), "path": str(where), "source": source,
            "data": data, "check": _checksum([spec, data]), "spec": spec}


def _data_file(name: str, lesson_path: Path) -> list[str]:
    """A CSV the lesson reads: its name, where it is, and a hash of its bytes."""
    where = resolve_csv(name, lesson_path, 0)
    return [name, str(where), sha256(read_limited(where, MAX_CSV_BYTES, "a data file"))]


def _read(file: Path, where: Path, source: str, lesson_path: Path, lesson: str = "") -> Any:
    """The spec records in `file`, or None if any check fails (a missing file fails the first).

    `lesson` is, for a translation, the checksum of the English lesson it was checked against.
    """
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES
                or info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        entry = json.loads(raw)
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("code") == code_version()
                and entry.get("path") == str(where) and entry.get("source") == source and entry.get("lesson", "") == lesson
                and entry.get("check") == _checksum([entry.get("spec"), entry.get("data")])):
            return None
        data = entry.get("data")
        # The data was checked with the lesson; a CSV edited since (or moved) means checking it all again.
        if not isinstance(data, list) or any(
            not isinstance(d, list) or len(d) != 3 or not isinstance(d[0], str) or _data_file(d[0], lesson_path) != d
            for d in data
        ):
            return None
        return spec_from_data(entry["spec"])
    except (ValueError, TypeError, RecursionError, BadData, LessonError):  # JSON and Unicode errors are ValueErrors
        return None


def _write(folder: Path, name: str, entry: dict[str, Any]) -> None:
    """Write atomically (a temporary file, then a rename); any failure leaves the cache as it was."""
    try:
        data = json.dumps(entry, allow_nan=False, separators=(",", ":")).encode()
        import tempfile  # only on a miss: it is not free to import

        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    except (OSError, ValueError, TypeError):
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temp, folder / name)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
