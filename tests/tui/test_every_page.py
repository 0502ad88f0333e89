"""Every page of every shipped lesson draws, steps, rewinds and survives small terminals."""

from __future__ import annotations

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


@pytest.mark.parametrize("lesson_id", ["lesson03", "lesson07"])
async def test_every_page_draws_without_colour(monkeypatch, lesson_id):
    # Textual's NO_COLOR filter needs a style on every segment; one widget once gave it None.
    monkeypatch.setenv("NO_COLOR", "1")
    lesson = load_lesson(LESSONS / f"{lesson_id}.yaml")
    app = make_app(lesson, no_color=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(len(lesson.pages)):
            await pilot.press("space", "space", "n", "n")  # step, then on (a question asks once)
        await pilot.pause()
        assert app.is_running
