"""`tutor run FILE --watch` with Pilot: the lesson file edited under the running app.

A typo shows its `PATH:LINE: message` on screen with the last good page still drawn; the fix
brings the edited page back on the same step. The first test waits on the app's own poll (its
`reloads` count, looked at between `pilot.pause()`s, a bounded number of times); the others
trigger the look directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backprop_tutor.cli.new_lesson import starter_files
from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app
from backprop_tutor.tui.watch import WatchingApp

from tests.tui.screen_text import read_screen

GRAPH_PAGE = 3
"""The starter's graph page (0-based)."""
TEXT = "Press space to walk the gates"


@pytest.fixture
def lesson_file(tmp_path: Path, monkeypatch) -> Path:
    """The starter lesson, named as an instructor would in its folder (so messages are short)."""
    monkeypatch.chdir(tmp_path)
    for name, text in starter_files("watched").items():
        Path(name).write_text(text, encoding="utf-8")
    return Path("watched.yaml")


def save(path: Path, text: str) -> None:
    """Write `text` and move the modification time on, as an editor's save does (even within one clock tick)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def screen(app) -> str:
    return " ".join(read_screen(app).text().split())  # wrapped lines joined, to find a sentence


async def wait_for_reload(app: WatchingApp, pilot, count: int) -> None:
    """Until the app's poll has reloaded `count` times (bounded: the poll runs every 0.05 s here)."""
    for _ in range(400):
        if app.reloads >= count:
            await pilot.pause()  # the frame it showed, laid out
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the app reloaded {app.reloads} times, not {count}")


async def test_a_typo_then_the_fix_on_the_same_step(lesson_file):
    good = lesson_file.read_text(encoding="utf-8")
    app = make_app(load_lesson(lesson_file), page=GRAPH_PAGE, watch=True)
    assert isinstance(app, WatchingApp)
    app.interval = 0.05
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space")  # two forward events: h, then e
        run = app.session.run
        assert (run.step, run.event) == (0, 2)
        typo = good.replace("Press space to walk the gates", "Press space to walk the gates, edited", 1)
        typo = typo.replace("      gradient: backprop", "      gradient: backprp", 1)
        save(lesson_file, typo)
        await wait_for_reload(app, pilot, 1)
        line = next(n for n, text in enumerate(typo.splitlines(), 1) if "backprp" in text)
        shown = screen(app)
        assert f"{lesson_file.name}:{line}:" in shown  # the problem, at its line (the path may wrap)
        assert "gradient" in shown and "last good version" in shown
        assert TEXT in shown and "edited" not in shown  # the last good page stays
        assert app.session.page_index == GRAPH_PAGE

        fixed = good.replace("Press space to walk the gates", "Press space to walk the gates, edited", 1)
        save(lesson_file, fixed)
        await wait_for_reload(app, pilot, 2)
        shown = screen(app)
        assert "edited" in shown and "last good version" not in shown
        assert f"{lesson_file.name}:" not in shown.replace(f"Reloaded {lesson_file.name}", "")
        run = app.session.run
        assert app.session.page_index == GRAPH_PAGE and (run.step, run.event) == (0, 2)
        assert "forward pass (2/" in shown  # the graph drawn at the same event


async def test_a_step_kept_and_a_page_found_by_its_key_after_pages_moved(lesson_file):
    good = lesson_file.read_text(encoding="utf-8")
    page = 1  # "Gradient descent from w = 3"
    app = make_app(load_lesson(lesson_file), page=page, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.press("space")  # three updates
        assert app.session.run.step == 3
        first_page = good.index("  - title: What this lesson shows")
        new_page = "  - title: A new first page\n    text: Inserted.\n\n"
        save(lesson_file, good[:first_page] + new_page + good[first_page:])
        assert app.check_files()
        await pilot.pause()
        assert app.session.page_index == page + 1  # the same page, now one further on
        assert app.session.run.step == 3
        assert app.session.page.title == "Gradient descent from w = 3"
        assert not app.check_files()  # nothing changed since


async def test_a_removed_page_leaves_the_student_on_the_nearest(lesson_file):
    good = lesson_file.read_text(encoding="utf-8")
    app = make_app(load_lesson(lesson_file), page=5, watch=True)  # the last page
    async with app.run_test(size=(80, 24)) as pilot:
        last = good.index("  # 7. A multiple-choice question")
        save(lesson_file, good[:last])
        assert app.check_files()
        await pilot.pause()
        assert app.session.page_count == 5 and app.session.page_index == 4


async def test_an_edited_csv_is_reloaded_too(lesson_file):
    csv = lesson_file.with_suffix(".csv")
    app = make_app(load_lesson(lesson_file), page=4, watch=True)  # the CSV page
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.session.run.data.y.tolist() == [1, 2, 3]
        save(csv, "x,y\n1,1\n2,2\n3,3\n4,4\n")
        assert app.check_files()
        await pilot.pause()
        assert app.session.run.data.y.tolist() == [1, 2, 3, 4]
        save(csv, "x,y\n1,1\n2,two\n")
        assert app.check_files()
        assert f"{csv.name}:3:" in app.session.reload_problem  # the data file's line
        assert "Reloaded" not in app.session.frame().message  # the good save before is not this one
        await pilot.pause()
        # The CSV's path is absolute and long (xdist's folders make it longer): folded across
        # lines of the left column, with the plots beside it on the same rows.
        left = app.query_one("#left").region
        column = "".join(row[left.x : left.right] for row in read_screen(app).text().splitlines())
        assert f"{csv.name}:3:" in "".join(column.split()), read_screen(app).text()
        assert app.session.run.data.y.tolist() == [1, 2, 3, 4]


def test_without_watch_nothing_polls(lesson_file):
    app = make_app(load_lesson(lesson_file))
    assert not isinstance(app, WatchingApp)
