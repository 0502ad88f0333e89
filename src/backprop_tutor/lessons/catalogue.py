"""Where lessons live and how a name like `lesson03`, `3` or a path finds one."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import LessonError


def shipped_root() -> Path:
    """The folder holding the shipped `lessons/` and `data/` (inside the wheel, or the checkout)."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "course"
    if (inside / "lessons").is_dir():
        return inside
    return package.parent.parent  # running from a source checkout: src/backprop_tutor -> repo


def lessons_dir(override: str | Path | None = None) -> Path:
    """The lessons folder: `override` if given, else the shipped one."""
    return Path(override) if override else shipped_root() / "lessons"


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files in `folder`, sorted by name."""
    if not folder.is_dir():
        raise LessonError.at(folder, 0, "lessons folder not found")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


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
    # isdecimal, not isdigit: "³" is a digit that int() refuses; the length keeps int() cheap.
    wanted = f"lesson{int(name):02d}" if name.isascii() and name.isdecimal() and len(name) < 10 else name
    if wanted in ids:
        return files[ids.index(wanted)]
    close = difflib.get_close_matches(wanted[:100], ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise LessonError.at(folder, 0, f"no lesson {name[:100]!r}{hint} (lessons: {', '.join(ids) or 'none'})")
