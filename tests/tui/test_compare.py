"""Pinned runs and `u` in the app: driven with Pilot at 80×24 and read off the screen.

The numbers are the lecture's: from w = 3 on (1, 1), α = 0.1 gives 2.6, 2.28, 2.024; α = 1
bounces 3, −1, 3, −1; α = 2 runs away 3, −5, 19, −53 (w_{k+1} − 1 = (1 − 2α)(w_k − 1)).
"""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS
from tests.tui.screen_text import read_screen, widget_rows


def page_of(lesson, experiment_id):
    return next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == experiment_id)


@pytest.fixture
def lesson03():
    return load_lesson(LESSONS / "lesson03.yaml")


def table_words(app) -> list[list[str]]:
    """The table's rows on screen as words, from its header (the rule above it left out)."""
    rows = [row.split() for row in widget_rows(read_screen(app), app.query_one("#table")) if row.strip()]
    return rows[next(i for i, words in enumerate(rows) if words[0] == "step"):]


def runs_on_screen(app) -> dict[str, list[str]]:
    """Each run's row of the table on screen: its mark → the rest of the row's words."""
    return {words[0]: words[1:] for words in table_words(app) if words[0] in "@123"}


async def test_three_pinned_runs_step_together_on_screen_and_rewind_to_the_start(lesson03):
    app = make_app(lesson03, page=page_of(lesson03, "l2-alpha-0.5"))
    async with app.run_test(size=(80, 24)) as pilot:
        seen: dict[str, list[str]] = {"1": [], "2": [], "3": []}
        for k in range(4):
            if k:
                await pilot.press("space")  # one update, every run
            rows = runs_on_screen(app)
            for mark in seen:
                seen[mark].append(rows[mark][1])  # after the mark: the name, then w
        assert seen == {
            "1": ["3", "2.6", "2.28", "2.024"],
            "2": ["3", "-1", "3", "-1"],
            "3": ["3", "-5", "19", "-53"],
        }
        legend = " ".join(widget_rows(read_screen(app), app.query_one("#data-plot")))
        assert "@ α=0.5  1 α=0.1  2 α=1  3 α=2" in legend
        for _ in range(3):
            await pilot.press("left")  # rewind one, every run
        rows = runs_on_screen(app)
        assert table_words(app)[0][:2] == ["step", "0"]
        assert all(rows[mark][1:3] == ["3", "4"] for mark in "@123")


async def test_pin_fork_step_rewind_and_unpin_with_keys(lesson03):
    app = make_app(lesson03, page=page_of(lesson03, "l2-alpha-0.1"))
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        await pilot.press("space")  # w = 2.6
        await pilot.press("v")  # pin α = 0.1 at step 1
        assert len(session.page_pins) == 1
        await pilot.press("right_square_bracket")  # α = 0.5 from step 1: the page's run forks
        await pilot.press("space")  # 2.6 − 0.5·3.2 = 1; the pin: 2.6 − 0.1·3.2 = 2.28
        rows = runs_on_screen(app)
        assert rows["@"][:2] == ["α=0.5", "1"] and rows["1"][:2] == ["α=0.1", "2.28"]
        await pilot.press("left")  # rewind both
        rows = runs_on_screen(app)
        assert rows["@"][1] == rows["1"][1] == "2.6"
        await pilot.press("V")  # unpin
        assert len(session.page_pins) == 0
        words = table_words(app)
        assert words[0] == ["step", "w", "E", "∂E/∂w", "status"]  # the table of steps is back


async def test_u_stops_at_divergence_with_the_step_on_screen(lesson03):
    app = make_app(lesson03, page=page_of(lesson03, "l2-alpha-2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")  # until something happens
        screen = " ".join(row.strip() for row in read_screen(app).rows)
        assert "Stopped at step 3: diverged." in screen
        assert app.session.run.state.params["w"] == -53
        assert app._player is None  # nothing left ticking


async def test_a_long_u_runs_in_frames_and_a_key_stops_it(tmp_path, monkeypatch):
    import backprop_tutor.tui.app as tui_app

    monkeypatch.setattr(tui_app, "UNTIL_INTERVAL", 3600.0)  # the test ticks by hand: no clock decides
    path = tmp_path / "slow.yaml"
    path.write_text(
        "title: Slow\npages:\n  - title: Creep\n    experiment:\n      id: creep\n"
        "      points: [[1, 1]]\n      init: {w: 3}\n      alpha: 0.0001\n      steps: 5000\n",
        encoding="utf-8",
    )
    app = make_app(load_lesson(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")  # the first stretch now, the rest on the app's timer
        assert app.session.until is not None and app._player is not None
        assert app.session.run.step == 25
        app._tick()  # what the timer calls: the next stretch, drawn
        assert app.session.run.step == 50 and "step 50" in app.frame.message
        await pilot.press("p")  # any key stops it (p then plays, as it would)
        assert app.session.until is None and app.session.playing
        await pilot.press("p")  # pause
        assert app._player is None and not app.session.playing
