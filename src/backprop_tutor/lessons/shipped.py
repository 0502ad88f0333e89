"""The shipped course, checked before it ships: a student's very first `tutor run` of a shipped
lesson reads no YAML and imports no pydantic, as a warm start does.

`checked/` beside this module holds each shipped lesson (`<id>.json`) and translation
(`<language>/<id>.json`) as `cache.py` keeps a validated one, with the hash of the bytes it was
made from (the lesson file, each CSV it reads, and for a translation the English lesson too).
Only a lesson file in the package's own course folder is looked up here, and only used when every
hash matches: the checks are part of the package, trusted as its code is, and an edited course
file is simply validated at run time. `python -m backprop_tutor.lessons.shipped` makes them again
from the course; a test fails while one is missing or out of date.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import lesson_files, shipped_root
from .data import MAX_CSV_BYTES, resolve_csv
from .files import read_limited
from .plain import as_data, spec_from_data

if TYPE_CHECKING:
    from .lesson import Lesson

CHECKED = Path(__file__).resolve().parent / "checked"
"""Where the checks of the shipped course live (inside the package)."""
FORMAT = 1


def sha256(raw: bytes) -> str:
    """The hex SHA-256 of `raw`: what a check names the bytes it was made from by."""
    return hashlib.sha256(raw).hexdigest()


def checksum(data: Any) -> str:
    """A hash of JSON-ready `data`, the same for equal data (how a translation names its English lesson)."""
    return sha256(json.dumps(data, sort_keys=True, allow_nan=False).encode())


def shipped_spec(path: Path, source: str) -> Any:
    """The checked spec of the lesson at `path` whose bytes hash to `source`, if it is a shipped
    lesson with an up-to-date check; else None (validate it)."""
    entry = _entry_for(path, CHECKED / f"{path.stem}.json", source)
    if entry is None or not _same_data(entry.get("data"), path):
        return None
    return _spec(entry)


def shipped_translation(english: Lesson, language: str, source: str, lesson: str) -> Any:
    """The checked spec of the `language` text of the shipped `english` lesson, if its check was
    made from text whose bytes hash to `source` against an English lesson whose checksum is `lesson`."""
    entry = _entry_for(english.path, CHECKED / language / f"{english.path.stem}.json", source)
    if entry is None or entry.get("lesson") != lesson:
        return None
    return _spec(entry)


def _entry_for(path: Path, file: Path, source: str) -> dict[str, Any] | None:
    try:
        if path.resolve().parent != (shipped_root() / "lessons").resolve():
            return None  # another course's folder: its files are checked where they are read
        entry = json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):  # no check shipped for it (a lesson added since)
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("source") != source:
        return None
    return entry


def _same_data(data: object, path: Path) -> bool:
    """True when the CSVs the lesson reads are the bytes they were when it was checked."""
    if not isinstance(data, list):
        return False
    try:
        return all(isinstance(d, list) and len(d) == 2 and isinstance(d[0], str) and _data_entry(d[0], path) == d for d in data)
    except Exception:  # noqa: BLE001 - a moved or unreadable CSV: validate the lesson, which says what is wrong
        return False


def _data_entry(name: str, lesson_path: Path) -> list[str]:
    return [name, sha256(read_limited(resolve_csv(name, lesson_path, 0), MAX_CSV_BYTES, "a data file"))]


def _spec(entry: dict[str, Any]) -> Any:
    try:
        return spec_from_data(entry["spec"])
    except Exception:  # noqa: BLE001 - a damaged check: the lesson is validated instead
        return None


# -- making the checks ----------------------------------------------------------------------------


def checks_for(lesson_path: Path) -> dict[Path, dict[str, Any]]:
    """The checks of one course lesson and its translations, by the file each goes to: the lesson
    validated as `tutor run` would, from the files as they are now.

    Raises:
        LessonError: the lesson or a translation has problems (nothing is checked then).
    """
    from .loader import load_lesson
    from .translation import LANGUAGES, load_translated, translation_path

    lesson = load_lesson(lesson_path)
    spec = as_data(lesson.spec)
    csvs = sorted({exp.csv for exp in lesson.experiments() if exp.csv is not None})
    checks = {
        CHECKED / f"{lesson_path.stem}.json": {
            "format": FORMAT,
            "source": sha256(lesson_path.read_bytes()),
            "data": [_data_entry(name, lesson_path) for name in csvs],
            "spec": spec,
        }
    }
    for language in LANGUAGES:
        text = translation_path(lesson_path, language)
        if text.is_file():
            raw = text.read_bytes()
            translated = load_translated(lesson, text, language, raw)
            checks[CHECKED / language / f"{lesson_path.stem}.json"] = {
                "format": FORMAT, "source": sha256(raw), "lesson": checksum(spec), "spec": as_data(translated.spec),
            }
    return checks


def course_checks() -> dict[Path, dict[str, Any]]:
    """The checks of every lesson of the shipped course."""
    checks: dict[Path, dict[str, Any]] = {}
    for path in lesson_files(shipped_root() / "lessons"):
        checks.update(checks_for(path))
    return checks


def encoded(entry: dict[str, Any]) -> bytes:
    """A check as its file holds it (sorted keys, one line: the same bytes for the same check)."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode() + b"\n"


def main() -> int:
    """Write the checks of the shipped course afresh (and remove those of lessons gone)."""
    checks = course_checks()
    for old in CHECKED.rglob("*.json"):
        if old not in checks:
            old.unlink()
    for file, entry in checks.items():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(encoded(entry))
    print(f"{len(checks)} checks in {CHECKED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
