"""`tutor run` (the terminal app) and `tutor serve` (the same app in a browser)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LessonError
from ..safe_text import printable

if TYPE_CHECKING:
    from ..lessons import Lesson
    from ..progress import ProgressStore


def cmd_run(args: argparse.Namespace) -> int:
    """Open the lesson in the terminal app (imported only now: it is the heavy part)."""
    import gc

    gc.disable()  # start-up allocates much and frees little: no collection until the app runs (run_app)
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from ..lessons.cache import load_lesson_cached
    from ..progress import ProgressStore, state_dir

    lesson, page = lesson_and_page(args, load_lesson_cached)  # validated once per edit
    # Textual needs a terminal to draw in and read keys from; piped, it would wait forever.
    # (textual-serve runs us with its web driver named in TEXTUAL_DRIVER: no terminal needed.)
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("tutor run needs a terminal (its input or output is a pipe or a file); "
              "for a run without one, try: tutor trace " + printable(args.lesson[:100]), file=sys.stderr)
        return 1
    store = ProgressStore(state_dir(args.state_dir))
    from ..tui.launch import run_app

    language = run_language(args, store)
    return run_app(
        lesson, ascii_only=args.ascii, no_color=args.no_color, mouse=not args.no_mouse, store=store, restart=args.restart,
        page=page, watch=args.watch, language=language,
    )


def lesson_and_page(args: argparse.Namespace, load: Callable[[Path], Lesson]) -> tuple[Lesson, int | None]:
    """The lesson `args.lesson` names (loaded by `load`) and the 0-based page asked for, if any:
    `lesson03:5` or `--page 5` (a number, a page id or a title's slug), not both."""
    from ..lessons import find_lesson, lessons_dir
    from ..lessons.page_names import find_page, split_page

    name, page_name = split_page(args.lesson)
    if page_name is not None and args.page is not None:
        raise LessonError.at("command line", 0, f"two pages asked for ({args.lesson} and --page): give one")
    lesson = load(find_lesson(name, lessons_dir(args.lessons)))
    page_name = page_name if page_name is not None else args.page
    return lesson, None if page_name is None else find_page(lesson.spec, page_name, lesson.path)


def run_language(args: argparse.Namespace, store: ProgressStore) -> str:
    """The language to run in (`--lang`, `TUTOR_LANG`, the one remembered, the locale); `--lang` is remembered."""
    from ..progress import ProgressError
    from ..words import choose_language

    store.load()  # reads the language remembered with the progress
    language = choose_language(args.lang, saved=store.language)
    if args.lang and language != store.language:
        try:
            store.save_language(language)
        except ProgressError:
            pass  # the app says what is wrong with the progress file when it first saves
    return language


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve `tutor run LESSON` in a browser, to whoever has the printed link (see serve.py)."""
    from ..lessons import load_lesson

    lesson, page = lesson_and_page(args, load_lesson)  # fail here, not in the browser
    try:
        from .. import serve
    except ImportError as exc:  # the `serve` extra is absent; the message says how to add it here
        print(f"tutor serve needs textual-serve; {exc}", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "backprop_tutor", "run", str(lesson.path)]
    if args.state_dir:
        command += ["--state-dir", args.state_dir]
    if getattr(args, "lang", None):
        command += ["--lang", args.lang]
    if page is not None:  # every browser tab opens there; the progress then follows the student
        command += ["--page", str(page + 1)]
    return serve.serve(
        command,
        title=f"backprop-tutor: {lesson.title}",
        host=args.host,
        port=args.port,
        token=args.token or serve.token_from_environment(),
        max_sessions=args.max_sessions,
        allow_remote=args.allow_remote,
    )

