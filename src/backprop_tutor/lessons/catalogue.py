"""Where lessons live and how a name like `lesson03`, `3` or a path finds one."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from ..errors import LessonError
from ..safe_text import printable


def shipped_root() -> Path:
    """The folder holding the shipped `lessons/` and `data/` (inside the wheel, or the checkout)."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "course"
    if (inside / "lessons").is_dir():
        return inside
    return package.parent.parent  # running from a source checkout: src/backprop_tutor -> repo


LESSONS_VARIABLE = "TUTOR_LESSONS"
"""The environment variable naming a class's lessons folder (`--lessons` wins over it)."""
OWN_LESSONS = Path("lessons")
"""Where `tutor new` writes, relative to the current folder: a name the course lacks is looked for here."""


def lessons_dir(override: str | Path | None = None) -> Path:
    """The lessons folder: `override` if given, else `$TUTOR_LESSONS`, else the shipped one.

    A folder that holds no lesson files but a `lessons/` folder (a course laid out as the shipped
    one, `lessons/` beside `data/`) means that `lessons/`.
    """
    chosen = override or os.environ.get(LESSONS_VARIABLE)
    if not chosen:
        return shipped_root() / "lessons"
    folder = Path(chosen)
    try:
        nested = not any(p.suffix in (".yaml", ".yml") for p in folder.iterdir()) and (folder / "lessons").is_dir()
    except OSError:  # missing or unreadable: `lesson_files` says so
        nested = False
    return folder / "lessons" if nested else folder


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files in `folder`, sorted by name."""
    if not folder.is_dir():
        raise LessonError.at(folder, 0, "lessons folder not found")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def course_files(folder: Path) -> list[Path]:
    """The lessons `tutor list` and `tutor check` go through: those in `folder`, then those in
    `./lessons` (where `tutor new` writes) that `folder` does not have, as `tutor run` finds them
    (unless `./lessons` is the shipped course: a checkout's own folder)."""
    files = lesson_files(folder)
    try:
        own = OWN_LESSONS.resolve()
        if not OWN_LESSONS.is_dir() or own in (folder.resolve(), (shipped_root() / "lessons").resolve()):
            return files
        ids = {p.stem for p in files}
        return files + [p for p in lesson_files(OWN_LESSONS) if p.stem not in ids]
    except (OSError, RuntimeError, LessonError):  # an unreadable ./lessons: the course alone
        return files


def lesson_id_for(name: str) -> str:
    """The lesson id a student means: `3` is `lesson03`; anything else is itself."""
    # isdecimal, not isdigit: "³" is a digit that int() refuses; the length keeps int() cheap.
    return f"lesson{int(name):02d}" if name.isascii() and name.isdecimal() and len(name) < 10 else name


def progress_key_for(path: Path) -> str:
    """What progress remembers the lesson at `path` by: a shipped lesson's id, else the full path.

    Keyed by where the lesson comes from, another `lesson01.yaml` is not the shipped lesson01.
    """
    try:
        real = path.resolve()
        shipped = (shipped_root() / "lessons").resolve()
    except (OSError, RuntimeError):  # a symlink loop: a name, still not the shipped lesson's
        return printable(str(path.absolute()))
    if real.parent == shipped:
        return printable(real.stem)
    return printable(str(real))


def find_lesson(name: str, folder: Path) -> Path:
    """The file for `name`: a path to a YAML file, a lesson id (`lesson03`) or a number (`3`).

    Raises:
        LessonError: the lesson does not exist; says which do and the closest match.
    """
    as_path = Path(name)
    try:
        exists = as_path.exists()
    except (OSError, ValueError):  # a name too long, or holding a NUL: not a path we can open
        exists = False
    if as_path.suffix in (".yaml", ".yml") or exists:
        if not exists:
            raise LessonError.at(as_path, 0, "no such lesson file")
        return as_path
    files = lesson_files(folder)
    ids = [p.stem for p in files]
    wanted = lesson_id_for(name)
    if wanted in ids:
        return files[ids.index(wanted)]
    own = OWN_LESSONS / f"{wanted}.yaml"
    try:
        if folder.resolve() != OWN_LESSONS.resolve() and own.is_file():  # written here by `tutor new`
            return own
    except (OSError, RuntimeError, ValueError):  # a name the file system refuses: not here either
        pass
    close = difflib.get_close_matches(wanted[:100], ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise LessonError.at(folder, 0, f"no lesson {name[:100]!r}{hint} (lessons: {', '.join(map(printable, ids)) or 'none'})")
