"""`tutor check` in a lesson's other languages: every page's frame built, at its first and last step.

A translation shares the English experiments, so their `expect`s hold in every language once
they hold in English; what can still break is the text: a template, a choice, a frame part in
the other language's words. Each page is opened, its run walked to its last recorded step and
back, and its frame built each time, as `tutor run --lang` would show it.
"""

from __future__ import annotations

from ..lessons import Lesson
from .session import Session


def replay_pages(lesson: Lesson) -> list[str]:
    """The problems met building every page's frames of `lesson` (empty: all pages drew)."""
    session = Session(lesson)
    problems = []
    for index, page in enumerate(lesson.pages):
        try:
            session.go_to_page(index)
            session.frame()
            run = session.run
            if run is not None:
                run.last()
                session.frame()
                run.first()
            if page.question is not None:
                session.press("a")  # the answer box open, in this language's words
                session.press("escape")
        except Exception as exc:  # noqa: BLE001 - a broken page is reported with the others, not raised
            problems.append(f"page {index + 1} ({page.key}): its frame could not be built ({type(exc).__name__}: {exc})")
    return problems
