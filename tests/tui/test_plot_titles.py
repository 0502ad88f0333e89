"""Plot titles say what they must whole at 80×24: a shorter wording rather than a title cut with `…`."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS
from tests.tui.screen_text import read_screen


def top_row(app, selector: str) -> str:
    return read_screen(app).region_rows(app.query_one(selector).region)[0].strip()


@pytest.mark.parametrize(("stem", "page", "keys"), [
    ("lesson03", 4, ["space"] * 3 + ["right_square_bracket"]),  # α 0.1 → 0.5 at step 3: slope 2.048
    ("lesson02", 15, ["right_square_bracket"]),  # the slope 2.0480051 would leave no room
    ("lesson07", 5, ["right_square_bracket"]),  # E(w1) and a negative slope
])
async def test_the_old_future_s_key_is_whole_at_80x24(stem, page, keys):
    app = make_app(load_lesson(LESSONS / f"{stem}.yaml"), page=page - 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert app.frame.error_plot.old_future  # the x marks are drawn: their key must be too
        title = top_row(app, "#error-plot")
        assert title.endswith("x: old future") and "…" not in title, title


async def test_the_korean_surface_title_is_whole_at_80x24():
    app = make_app(load_lesson(LESSONS / "lesson06.yaml"), page=6, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.frame.error_plot.title.startswith("E(w1,w2)")
        assert top_row(app, "#error-plot") == app.frame.error_plot.title
