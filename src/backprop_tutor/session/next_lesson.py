"""Where a lesson's last page points: the next lesson of its folder, as `tutor run` opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import LessonError

if TYPE_CHECKING:
    from ..lessons import Lesson
    from ..words import Words


def next_lesson(lesson: Lesson, language: str) -> tuple[str, str] | None:
    """The lesson after `lesson` in its folder: the name `tutor run` takes and its title in
    `language` (its English one if it has none), or None after the last."""
    from ..lessons import lesson_files, lessons_dir, shipped_root
    from ..lessons.titles import read_title  # YAML: read only on a lesson's last page
    from ..lessons.translation import translation_path

    folder = lesson.path.parent
    try:
        files = lesson_files(folder)
        stems = [p.stem for p in files]
        at = stems.index(lesson.path.stem)
        # A name finds a lesson of the course folder; another folder's lesson is named by its path.
        course = {lessons_dir().resolve(), (shipped_root() / "lessons").resolve()}
        by_name = folder.resolve() in course
    except (LessonError, OSError, RuntimeError, ValueError):
        return None
    if at + 1 >= len(files):
        return None
    following = files[at + 1]
    title = read_title(following) or following.stem
    if language != "en":
        title = read_title(translation_path(following, language)) or title
    return (following.stem if by_name else str(following)), title


def last_page(lesson: Lesson, words: Words, key: str) -> str:
    """`key`'s words (`last_page`, `lesson_end`) with the next lesson to run, or the course's end."""
    found = next_lesson(lesson, words.language)
    if found is None:
        return words(f"{key}.course")
    return words(key, name=found[0], title=found[1])
