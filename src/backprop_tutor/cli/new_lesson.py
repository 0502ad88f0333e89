"""`tutor new NAME [--from LESSON]`: a lesson to start from, written where `tutor` finds it.

The starter (`lessons/starter.yaml`, shipped in the package) shows every kind of page, each
with a comment; it validates and passes `tutor check` as written. `--from` copies a lesson
instead, with the CSV files it reads and its translations (`ko/NAME.yaml` beside the copy,
where the loader looks for them). Nothing is ever overwritten: each file is created new.
"""

from __future__ import annotations

import argparse
import re
from importlib import resources
from pathlib import Path

from ..errors import LessonError
from ..safe_text import printable

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
"""A lesson id that is also a plain file name: letters, digits, `_ . -`, at most 40."""


def starter_files(name: str) -> dict[str, str]:
    """The starter lesson for id `name`: file name -> text (the lesson and its CSV)."""
    package = resources.files("backprop_tutor.lessons")
    lesson = package.joinpath("starter.yaml").read_text(encoding="utf-8")
    data = package.joinpath("starter.csv").read_text(encoding="utf-8")
    csv_name = f"{name}.csv"
    lesson = (
        lesson.replace("STARTER_ID", name).replace("STARTER_TITLE", f"{name}: a starter lesson")
        .replace("STARTER_CSV", csv_name)
    )
    return {f"{name}.yaml": lesson, csv_name: data}


def copied_files(name: str, source: str, lessons: str | None) -> dict[str, str]:
    """Lesson `source` (validated first) under id `name`, its translations and the CSV files it reads, by name."""
    from ..lessons import find_lesson, lessons_dir, load_lesson
    from ..lessons.translation import translations_of

    lesson = load_lesson(find_lesson(source, lessons_dir(lessons)))
    files = {f"{name}.yaml": lesson.path.read_text(encoding="utf-8-sig")}
    for language, path in translations_of(lesson.path):
        # Where the loader looks for the copy's translation: `<language>/<name>.yaml` beside it.
        text = path.read_text(encoding="utf-8-sig")
        files[f"{language}/{name}.yaml"] = text.replace(f"lessons/{lesson.path.name}", f"lessons/{name}.yaml", 1)
    for exp in lesson.experiments():
        if exp.csv is not None:
            csv_path = Path(lesson.datasets[exp.id].source)
            files[Path(exp.csv).name] = csv_path.read_text(encoding="utf-8-sig")
    return files


def cmd_new(args: argparse.Namespace) -> int:
    """Write the starter (or a copy of `--from`) into `--into` (./lessons); refuse to overwrite."""
    name = args.name.removesuffix(".yaml")
    if not NAME_PATTERN.fullmatch(name):
        raise LessonError.at(
            "command line", 0, f"{printable(args.name[:60])!r} cannot be a lesson id: use letters, digits, _ . - (at most 40)"
        )
    folder = Path(args.into)
    files = copied_files(name, args.source, args.lessons) if args.source else starter_files(name)
    lesson_file = folder / f"{name}.yaml"
    if lesson_file.exists():
        raise LessonError.at(lesson_file, 0, "already exists: tutor new never overwrites, pick another NAME")
    clashes = [folder / f for f, text in files.items() if (folder / f).exists() and _differs(folder / f, text)]
    if clashes:
        raise LessonError.at(clashes[0], 0, "already exists with other data: tutor new never overwrites it")
    written = []
    for file_name, text in files.items():
        path = folder / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # the same data, from another copy of the same lesson: shared
            continue
        with path.open("x", encoding="utf-8") as out:  # created new, or FileExistsError
            out.write(text)
        written.append(str(path))
    print(f"Wrote {', '.join(map(printable, written))}.")
    print(f"Next: tutor validate {printable(str(lesson_file))}, then tutor run {printable(str(lesson_file))} --watch")
    return 0


def _differs(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8-sig") != text
    except (OSError, UnicodeDecodeError):
        return True
