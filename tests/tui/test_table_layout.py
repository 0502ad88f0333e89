"""The state table turns (a row per quantity) only when its columns do not fit side by side at
some step of the run, and then for the whole run: one layout while the student steps."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


@pytest.mark.parametrize(
    ("lesson", "page", "turned", "tall"),
    [
        ("lesson03", 1, False, False),  # w = 3 → −1 → 3: short numbers, side by side at 80 columns
        # The run ends at w = 1.0000000 with E = 2.5e-15-like cells: side by side they would need
        # 45 columns of the left column's 41, so the table turns from step 0 (four rows: no taller).
        ("lesson04", 3, True, False),
        ("lesson07", 3, True, True),  # four parameters and four slopes: ten rows, no rules
    ],
)
async def test_the_table_turns_only_when_it_must(lesson, page, turned, tall):
    app = make_app(load_lesson(LESSONS / f"{lesson}.yaml"), page=page)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table, question = app.query_one("#table"), app.query_one("#question")
        assert app.has_class("-turned-table") is turned
        # A table no taller than side by side keeps its rule and the question's; a tall one needs the rows.
        assert bool(table.styles.border_top[0]) is not tall
        assert bool(question.styles.border_top[0]) is not tall
        rows = len(app.frame.table.columns) + 2 if tall else 6
        assert table.outer_size.height == rows


async def test_stepping_to_the_end_and_back_keeps_one_layout():
    """lesson03's L2 run from w = 3 with α = 0.1 (2.6, 2.28, …): its numbers grow to 1.4194304 at
    step 7, which once turned the table there and back again on ←."""
    app = make_app(load_lesson(LESSONS / "lesson03.yaml"), page=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = set()
        for key in ["space"] * 12 + ["left"] * 12:
            await pilot.press(key)
            seen.add((app.has_class("-turned-table"), app.query_one("#table").outer_size.height))
        assert app.session.run.step == 0
        assert len(seen) == 1, seen


async def test_a_page_without_a_run_gives_the_question_its_rule_back():
    app = make_app(load_lesson(LESSONS / "lesson07.yaml"), page=4)  # a tall turned table
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.has_class("-tall-table")
        await pilot.press("n")  # the next page has a question and no run
        await pilot.pause()
        assert app.frame.table is None and app.frame.question is not None
        assert not app.has_class("-tall-table")
        assert bool(app.query_one("#question").styles.border_top[0])
