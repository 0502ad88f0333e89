"""Every page of every shipped lesson draws, steps, rewinds and survives small terminals."""

from __future__ import annotations

import re

import pytest

from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


@pytest.mark.parametrize("path", lesson_files(LESSONS), ids=lambda p: p.stem)
async def test_every_page_steps_and_rewinds_without_a_drawing_error(path):
    lesson = load_lesson(path)
    app = make_app(lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        for index in range(len(lesson.pages)):
            app.session.go_to_page(index)
            app.show(app.session.frame())
            await pilot.press("space", "space", "right_square_bracket", "space", "end", "left", "home", "s", "c")
            await pilot.pause()
            assert "Could not draw" not in app.session.message, (lesson.pages[index].title, app.session.message)
        await pilot.resize_terminal(40, 12)
        await pilot.press("space", "left")
        assert "Could not draw" not in app.session.message


SVG_CHROME = {"#ff5f57", "#febc2e", "#28c840", "#c5c8c6"}
"""The screenshot's window buttons and default foreground: not the app's colours."""


def colours(svg: str) -> set[str]:
    """The colours a screenshot paints with, other than greys and the window's own."""
    found = set(re.findall(r"fill[:=]\s*\"?(#[0-9a-fA-F]{6})", svg))
    return {c for c in found if not (c[1:3] == c[3:5] == c[5:7]) and c not in SVG_CHROME}


@pytest.mark.parametrize("lesson_id", ["lesson03", "lesson07"])
async def test_every_page_draws_without_colour(monkeypatch, lesson_id):
    # Textual's NO_COLOR filter needs a style on every segment; one widget once gave it None.
    monkeypatch.setenv("NO_COLOR", "1")
    lesson = load_lesson(LESSONS / f"{lesson_id}.yaml")
    app = make_app(lesson, no_color=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(len(lesson.pages)):
            await pilot.press("space", "space")  # step
            await pilot.pause()
            assert colours(app.export_screenshot()) == set(), app.session.page.title
            await pilot.press("n", "n")  # on (a question asks once)
        assert app.is_running


async def test_the_colour_check_sees_colour():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert colours(app.export_screenshot())  # the plots' cyan and yellow, the header's blue
