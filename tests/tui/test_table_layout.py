"""The state table turns (a row per quantity) only when its columns do not fit side by side."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


@pytest.mark.parametrize(
    ("lesson", "page", "turned"),
    [
        ("lesson04", 3, False),  # step w E ∂E/∂w status: fits the left column at 80 columns
        ("lesson07", 3, True),  # four parameters and four slopes do not
    ],
)
async def test_the_table_turns_only_when_it_must(lesson, page, turned):
    app = make_app(load_lesson(LESSONS / f"{lesson}.yaml"), page=page)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table, question = app.query_one("#table"), app.query_one("#question")
        assert app.has_class("-turned-table") is turned
        # A table side by side keeps its rule and the question's; a turned one needs the rows.
        assert bool(table.styles.border_top[0]) is not turned
        assert bool(question.styles.border_top[0]) is not turned
        rows = len(app.frame.table.columns) + 2 if turned else 6
        assert table.outer_size.height == rows
