"""A run that blows up is drawn as one: the app keeps running (it once died on int(inf))."""

from __future__ import annotations

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


async def test_lesson08_alpha_doubled_fourteen_times_then_nine_updates():
    lesson = load_lesson(LESSONS / "lesson08.yaml")
    page = next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == "lab01")
    app = make_app(lesson, page=page)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["right_square_bracket"] * 14, *["space"] * 9)
        await pilot.pause()
        assert app.is_running and app.frame.status.startswith("Diverged")
        assert "Could not draw" not in app.frame.message
        assert "too large to draw" in app.query_one("#error-plot").plain


async def test_a_lesson_infinite_from_its_first_step_opens(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(
        "title: Huge\npages:\n  - title: Far off\n    text: 'E = {E}'\n"
        "    experiment: {id: far, points: [[1e12, -1e12]], init: {w: 1e12}, dtype: float32, steps: 3}\n"
    )
    app = make_app(load_lesson(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "left", "end")
        await pilot.pause()
        assert app.is_running and "too large to draw" in app.query_one("#error-plot").plain
