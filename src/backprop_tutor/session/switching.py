"""`L`: the other language on the spot, at the same page and step, with nothing recomputed.

The session keeps its runs, answers and cursor by page index; only the lesson text (the other
language's `Lesson`, sharing the English experiments and data) and the app's words change, and
the next frame is built from them. The choice is remembered with the user's progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import LessonError
from ..words import Words

if TYPE_CHECKING:
    from ..lessons import Lesson
    from .session import Session

ENGLISH = "en"


def other_language(language: str) -> str:
    """The language `L` switches to from `language`."""
    return "ko" if language == "en" else "en"


def lesson_for(session: Session, language: str) -> Lesson | None:
    """The session's lesson in `language`, read once when first wanted (None: it cannot be shown in it)."""
    if language in session.languages:
        return session.languages[language]
    if session.glyphs.ascii_only and language != ENGLISH:
        return None  # this terminal shows ASCII only: Hangul would be question marks
    from ..lessons.cache import translation_cached  # read only when a language is first wanted

    english = session.languages.get(ENGLISH, session.lesson)
    try:
        lesson = translation_cached(english, language)  # YAML only when the cache lacks this translation
    except LessonError:  # a broken translation (`tutor validate` names it): the lesson stays readable
        lesson = None
    if lesson is not None:
        session.languages[language] = lesson
    return lesson


def show_in(session: Session, language: str) -> bool:
    """Show the session's lesson in `language` from now on; False (and a message why) when it cannot be."""
    if language == session.lesson.language:
        return True
    lesson = lesson_for(session, language)
    if lesson is None:
        # Said in English when Korean cannot be shown at all.
        words = Words() if session.glyphs.ascii_only else session.words
        session.message = words("cannot_show" if session.glyphs.ascii_only else "no_translation")
        return False
    session.lesson = lesson
    session.words = Words(language)
    return True


def switch_language(session: Session) -> None:
    """`L`: the other language, keeping page, step and what the walk revealed; remembered."""
    if show_in(session, other_language(session.lesson.language)):
        session.message = session.words("language_now")
        remember(session)
        session.save()


def remember(session: Session) -> None:
    """Keep the session's language with the user's progress (a failure only costs the memory)."""
    store = session.store
    if store is None:
        return
    try:
        store.save_language(session.lesson.language)
    except OSError:
        pass  # the next save of the place says what is wrong with the folder
