"""Building and running the app: one `make_app` for the command line and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..lessons import Lesson
from ..session import Session, Store
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
) -> TutorApp:
    """The app for `lesson`, shared by the command line and the tests.

    With a progress `store` the lesson resumes where the student left off (unless `restart`
    or an explicit `page`), and progress is saved as they go.
    """
    session = Session(lesson, page=page or 0, ascii_only=ascii_only, store=store, export_dir=export_dir)
    if page is None:
        session.resume(restart=restart)
    return TutorApp(session, color=not no_color)


def wants_ascii() -> bool:
    """True when the terminal's locale cannot show UTF-8."""
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(var)
        if value:
            return "utf-8" not in value.lower() and "utf8" not in value.lower()
    return True


def run_app(
    lesson: Lesson,
    *,
    ascii_only: bool = False,
    no_color: bool = False,
    store: Store | None = None,
    restart: bool = False,
) -> int:
    """Run the app in this terminal; returns the exit status. Progress is saved however it ends."""
    no_color = no_color or bool(os.environ.get("NO_COLOR"))
    if no_color:
        os.environ["NO_COLOR"] = "1"  # Textual's own drawing follows the convention too
    app = make_app(lesson, ascii_only=ascii_only or wants_ascii(), no_color=no_color, store=store, restart=restart)
    try:
        app.run()
    finally:
        app.session.save()
    if app.session.save_failed:
        print(f"tutor: your progress could not be saved: {app.session.message}", file=sys.stderr)
        return 1
    return app.return_code or 0
