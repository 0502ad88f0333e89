"""The session's side of the progress file: what is saved, and how a lesson resumes.

The store merges every save with what is on disk (another window of the same student may have
saved since), so a save here never loses an answer given elsewhere. Answers are remembered by
each page's key and the lesson by where it comes from (`Lesson.progress_key`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..progress import AnswerRecord, LessonProgress
from .questions import Answer

if TYPE_CHECKING:
    from .run import Run
    from .session import Session


def save(session: Session) -> None:
    """Write where the student is (atomically); a failure is told on the message line, never raised."""
    if session.store is None:
        return
    try:
        session.store.save(session.lesson.progress_key, to_progress(session))
    except OSError as exc:
        if not session.save_failed:  # said once; the exit status says it again at the end
            session.message = session.words("save_failed", why=exc.strerror or exc)
        session.save_failed = True
    else:
        session.save_failed = False


def to_progress(session: Session) -> LessonProgress:
    """Where the student is, for the progress file."""
    pages = session.lesson.pages
    run = session.runs.get(session.page_index)
    # The lesson's own run only: a run forked (α changed, w moved) starts again from its start.
    step, event = (run.step, run.event) if run is not None and run.previous is None else (0, 0)
    answers = {
        pages[index].key: AnswerRecord(answer.right, answer.tries)
        for index, answer in session.answers.items()
        if answer.tries
    }
    return LessonProgress(
        page=session.page_index,
        page_title=session.page.title,
        pages=session.page_count,
        done=session.page_index == session.page_count - 1,
        answers=answers,
        page_key=session.page.key,
        step=step,
        event=event,
    )


def restore(session: Session, progress: LessonProgress) -> None:
    """Open on the page the student reached, at its step, with their answers remembered."""
    pages = session.lesson.pages
    session.page_index = progress.resume_page([p.title for p in pages], [p.key for p in pages])
    for index, page in enumerate(pages):
        record = progress.answer_for(page.key, page.title)
        if record is not None:
            session.answers[index] = Answer(tries=record.tries, right=record.right)
    run = session.run if progress.step and pages[session.page_index].key == progress.page_key else None
    if run is not None:
        place(run, progress.step, progress.event)


def place(run: Run, step: int, event: int) -> None:
    """Move a fresh run to `step` (and `event` on a graph page), or as near as it records."""
    if step > run.experiment.steps:
        run.record_story()
    run.trace.extend_to(step)
    run.step = min(step, run.trace.last)
    if run.graph:
        run.event = min(event, run.events_per_step())


def resume(session: Session, restart: bool = False) -> None:
    """Open where the student left off (unless `restart`), saying so on the message line."""
    store = session.store
    if store is None:
        return
    saved = None if restart else store.get(session.lesson.progress_key)
    if saved is not None:
        restore(session, saved)
        run = session.runs.get(session.page_index)
        if run is not None and run.step:
            session.message = session.words(
                "welcome_back_step", page=session.page_index + 1, pages=session.page_count, step=run.step
            )
        elif session.page_index > 0:
            session.message = session.words("welcome_back", page=session.page_index + 1, pages=session.page_count)
    if store.notice:
        session.message = session.words.say(store.notice)
