"""The student's commands: which lessons there are, where they stand, and forgetting it."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import TYPE_CHECKING

from ..errors import LessonError
from ..safe_text import printable
from ..text_cells import pad_to_cells

if TYPE_CHECKING:
    from ..progress import ProgressStore
    from ..words import Words

YES = ("y", "yes", "예", "네", "응")
"""Replies to `tutor reset`'s question that mean yes (typed with a Korean input method too)."""


def _store(args: argparse.Namespace) -> ProgressStore:
    """The user's progress store (`ProgressError` when there is no place for it)."""
    from ..progress import ProgressStore, state_dir

    return ProgressStore(state_dir(args.state_dir))


def _words(args: argparse.Namespace, store: ProgressStore | None) -> Words:
    """The words to print in: `--lang`, `TUTOR_LANG`, the language chosen last, the locale."""
    from ..words import Words, choose_language

    return Words(choose_language(getattr(args, "lang", None), saved=store.language if store is not None else ""))


def cmd_list(args: argparse.Namespace) -> int:
    """One line per lesson: its id, whether it is new, in progress or done, then its title."""
    from ..lessons import lessons_dir
    from ..lessons.catalogue import course_files, progress_key_for
    from ..lessons.titles import read_title
    from ..lessons.translation import translation_path
    from ..progress import ProgressError

    files = course_files(lessons_dir(args.lessons))
    store: ProgressStore | None = None
    try:
        store = _store(args)
        saved = store.load()
        notice = store.notice
    except ProgressError as exc:  # no home folder: the lessons are still worth listing
        saved, notice = {}, str(exc)
    say = _words(args, store)
    if notice:
        print(say.say(notice), file=sys.stderr)
    for path in files:
        title = read_title(path)
        if say.language != "en" and title is not None:
            title = read_title(translation_path(path, say.language)) or title
        shown = title if title is not None else say("cli.invalid")
        entry = saved.get(progress_key_for(path))
        mark = say("cli.new" if entry is None else "cli.done" if entry.done else "cli.in_progress")
        print(f"{printable(path.stem):<10} {pad_to_cells(mark, 12)} {printable(shown)}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    """Print where the student is in each lesson (or the raw entries as JSON)."""
    store = _store(args)
    saved = store.load()  # every string in it is cleaned for the terminal as it is read
    say = _words(args, store)
    if store.notice:
        print(say.say(store.notice), file=sys.stderr)
    if args.json:
        print(json.dumps({k: v.to_json() for k, v in sorted(saved.items())}, indent=2, ensure_ascii=False))
        return 0
    if not saved:
        print(say("cli.no_progress", path=printable(str(store.path))))
        return 0
    for lesson_key, entry in sorted(saved.items()):
        asked = _question_keys(lesson_key)
        if asked is None:  # the lesson is gone or broken: only what the file remembers
            score = say("cli.answered_right", right=sum(a.right for a in entry.answers.values()), asked=len(entry.answers))
        else:
            right = sum(1 for key in asked if key in entry.answers and entry.answers[key].right)
            score = say("cli.questions_right", right=right, asked=len(asked))
        state = say("cli.done" if entry.done else "cli.in_progress")
        line = say("cli.progress_line", page=entry.page + 1, pages=entry.pages, score=score, title=printable(entry.page_title))
        print(f"{printable(lesson_key):<10} {pad_to_cells(state, 12)} {line}")
    return 0


def _question_keys(lesson_key: str) -> list[str] | None:
    """The keys of the pages that ask a question in the lesson progress knows as `lesson_key`
    (a shipped lesson's id, or a lesson file's full path); None if it cannot be read now."""
    from pathlib import Path

    from ..lessons import load_lesson, shipped_root

    path = Path(lesson_key) if Path(lesson_key).is_absolute() else shipped_root() / "lessons" / f"{lesson_key}.yaml"
    try:
        lesson = load_lesson(path)
    except (LessonError, OSError, ValueError):
        return None
    return [page.key for page in lesson.pages if page.question is not None]


def cmd_reset(args: argparse.Namespace) -> int:
    """Forget progress after a confirmation.

    A lesson is named as `tutor run` names it (`3`, `lesson03`, a path), or by the key
    `tutor progress` shows; a name that is neither is an error, not "nothing to forget".
    """
    store = _store(args)
    key = None if args.lesson is None else _reset_key(args.lesson, args.lessons, store)
    say = _words(args, store)
    what = say("cli.progress_in", lesson=printable(key)) if key else say("cli.all_progress")
    if not args.yes:
        if not sys.stdin.isatty():
            print(say("cli.not_forgetting", what=what), file=sys.stderr)
            return 1
        reply = unicodedata.normalize("NFKC", input(say("cli.forget_question", what=what))).strip().lower()
        if reply not in YES:
            print(say("cli.nothing_forgotten"))
            return 0
    gone = store.forget(key)
    print(say("cli.forgot", lessons=", ".join(map(printable, gone))) if gone else say("cli.nothing_to_forget"))
    return 0


def _reset_key(name: str, lessons: str | None, store: ProgressStore) -> str:
    """The progress key `tutor reset NAME` means; a `LessonError` for a lesson that does not exist."""
    from ..lessons import find_lesson, lessons_dir
    from ..lessons.catalogue import lesson_id_for, progress_key_for

    if name in store.load() or lesson_id_for(name) in store.load():  # also a lesson whose file is gone
        return name if name in store.load() else lesson_id_for(name)
    path = find_lesson(name, lessons_dir(lessons))
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        raise LessonError.at(path, 0, "not a lesson file: name a lesson as tutor list shows it, or its .yaml file")
    return progress_key_for(path)

