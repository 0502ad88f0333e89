"""Building and running the app: one `make_app` for the command line and the tests."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..lessons import Lesson
from ..session import Session, Store
from ..session.switching import show_in
from .app import TutorApp


def make_app(
    lesson: Lesson,
    *,
    ascii_only: bool = False,
    no_color: bool = False,
    page: int | None = None,
    store: Store | None = None,
    restart: bool = False,
    export_dir: Path | None = None,
    watch: bool = False,
    language: str = "en",
) -> TutorApp:
    """The app for `lesson`, shared by the command line and the tests.

    With a progress `store` the lesson resumes where the student left off (unless `restart`
    or an explicit `page`), and progress is saved as they go. With `watch` the app reloads the
    lesson whenever its file, or a CSV it reads, is saved (see watch.py). `language` is the one to
    show the lesson in (`en`, or `ko` when the lesson has Korean text and the terminal can show it).
    """
    session = Session(lesson, page=page or 0, ascii_only=ascii_only, store=store, export_dir=export_dir)
    show_in(session, language)  # first: "Welcome back" in the language shown
    notice = session.message  # why Korean cannot be shown, if it cannot: said before anything else
    if page is None:
        session.resume(restart=restart)
    session.message = notice or session.message
    if watch:
        from .watch import WatchingApp

        return WatchingApp(session, color=not no_color)
    return TutorApp(session, color=not no_color)


def wants_ascii(environ: Mapping[str, str] | None = None, coerced: bool | None = None) -> bool:
    """True when the locale the user set cannot show UTF-8.

    Under `LANG=C` (or no locale at all) Python itself sets `LC_CTYPE=C.UTF-8` before any of
    our code runs (PEP 538) and turns on its UTF-8 mode: that LC_CTYPE is Python's, not the
    user's, so it is passed over and the user's own LANG decides.
    """
    env = os.environ if environ is None else environ
    if coerced is None:
        coerced = bool(sys.flags.utf8_mode) and not env.get("PYTHONUTF8")
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(var)
        if var == "LC_CTYPE" and coerced and value == "C.UTF-8":
            continue
        if value:
            return "utf-8" not in value.lower() and "utf8" not in value.lower()
    return True


def wants_no_colour(no_color: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Monochrome when asked, when NO_COLOR is set (no-color.org), or on a `TERM=dumb` terminal."""
    env = os.environ if environ is None else environ
    return no_color or bool(env.get("NO_COLOR")) or env.get("TERM") == "dumb"


def run_app(
    lesson: Lesson,
    *,
    ascii_only: bool = False,
    no_color: bool = False,
    mouse: bool = True,
    store: Store | None = None,
    restart: bool = False,
    page: int | None = None,
    watch: bool = False,
    language: str = "en",
) -> int:
    """Run the app in this terminal; returns the exit status. Progress is saved however it ends.

    `page` opens that page (0-based) instead of resuming; `watch` reloads the lesson on each save.
    """
    no_color = wants_no_colour(no_color)
    if no_color:
        os.environ["NO_COLOR"] = "1"  # Textual's own drawing follows the convention too
    mouse = mouse and not os.environ.get("TUTOR_NO_MOUSE")
    app = make_app(
        lesson, ascii_only=ascii_only or wants_ascii(), no_color=no_color, store=store, restart=restart, page=page,
        watch=watch, language=language,
    )
    # What start-up built lives as long as the app: collections need not walk it again and again.
    gc.freeze()
    gc.enable()
    try:
        app.run(mouse=mouse)
    finally:
        app.session.save()
    if app.session.save_failed:
        print(f"tutor: {app.session.words('cli.not_saved', why=app.session.message)}", file=sys.stderr)
        return 1
    return app.return_code or 0
