"""A question's choices on a lab terminal: a choice that wraps goes on under its own text."""

from __future__ import annotations

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app
from tests.support import LESSONS
from tests.tui.screen_text import whole_widget_rows


async def test_a_long_choice_wraps_under_its_text_not_its_number():
    lesson = load_lesson(LESSONS / "lesson08.yaml")
    page = next(i for i, p in enumerate(lesson.pages) if p.question and p.question.choices)
    app = make_app(lesson, page=page)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = [row.rstrip() for row in whole_widget_rows(app.query_one("#question"))]
        first = next(i for i, row in enumerate(rows) if row.lstrip().startswith("1) "))
        indent = rows[first].index("1) ") + len("1) ")
        assert rows[first + 1].strip() and not rows[first + 1].lstrip().startswith("2)"), rows  # it wraps at 80×24
        assert len(rows[first + 1]) - len(rows[first + 1].lstrip()) == indent, rows
        assert rows[first + 2].lstrip().startswith("2) "), rows
