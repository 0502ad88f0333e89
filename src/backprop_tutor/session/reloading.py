"""`tutor run FILE --watch`: the lesson read again after an edit, the student left where they were.

`reload(session)` is the one call: it reads the lesson file (and its data) again and returns the
frame to draw. A good edit replaces the lesson and keeps the page (found by its key, else the
nearest by number), the step on it and the answers given; a broken edit keeps the last good
version on screen and says `PATH:LINE: message` until the file is fixed. Which files to watch
is said here too: the view only stats what it is told to (tui/watch.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LessonError
from ..lessons import Lesson, load_lesson
from .questions import Answer
from .saving import place

if TYPE_CHECKING:
    from ..frame import Frame
    from .session import Session

def watched_files(lesson: Lesson) -> tuple[Path, ...]:
    """The lesson's file, its translations and the CSV files its experiments read."""
    csvs = {
        Path(lesson.datasets[exp.id].source)
        for exp in lesson.experiments()
        if exp.csv is not None and exp.id in lesson.datasets
    }
    from ..lessons.translation import translations_of

    return (lesson.path, *(path for _, path in translations_of(lesson.path)), *sorted(csvs))


def reload(session: Session) -> Frame:
    """Read the session's lesson again and return the frame to draw.

    On success the new lesson replaces the old one, on the same page and step where they still
    exist (the nearest where they do not). On a `LessonError` the old lesson stays and the first
    problem is shown, as `PATH:LINE: message`, on every frame until a later reload succeeds.
    """
    from ..lessons.translation import ENGLISH, lesson_in

    language = session.lesson.language
    try:
        english = load_lesson(session.lesson.path)
        lesson = lesson_in(english, language) or english  # in the language on screen, its translation read again too
    except LessonError as exc:
        more = len(exc.problems) - 1
        problem = str(exc.problems[0]) + (f" (and {more} more)" if more > 0 else "")
        session.reload_problem = session.words("reload_kept", problem=problem)
        session.message = ""  # an earlier "Reloaded …" would read as if this save had loaded
        return session.frame()
    _replace(session, lesson)
    session.languages = {ENGLISH: english, lesson.language: lesson}
    session.reload_problem = ""
    session.message = session.words("reloaded", name=lesson.path.name, page=session.page_index + 1, pages=session.page_count)
    return session.frame()


def _replace(session: Session, lesson: Lesson) -> None:
    """Put `lesson` in the session: the same page and step, the answers kept by page key."""
    old_pages = session.lesson.pages
    old_index = session.page_index
    old_run = session.runs.get(old_index)
    new_keys = [page.key for page in lesson.pages]
    answers: dict[int, Answer] = {}
    for index, answer in session.answers.items():
        key = old_pages[index].key if index < len(old_pages) else None
        if key in new_keys:
            answers[new_keys.index(key)] = Answer(tries=answer.tries, right=answer.right)
    key = old_pages[old_index].key
    page = new_keys.index(key) if key in new_keys else min(old_index, len(lesson.pages) - 1)
    session.lesson = lesson
    session.runs.clear()
    session.pins.clear()  # pinned runs belong to the old lesson's pages: the new `compare:` lists pin afresh
    session.until = None
    session.answers = answers
    session.page_index = page
    session.draft, session.answering, session.playing = "", False, False
    run = session.run
    if run is not None and old_run is not None:
        place(run, old_run.step, old_run.event)
