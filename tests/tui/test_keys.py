"""Each key of the app, driven with Pilot at 80×24, checked on the session it drives."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


def page_of(lesson, experiment_id):
    return next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == experiment_id)


@pytest.fixture
def lesson02():
    return load_lesson(LESSONS / "lesson02.yaml")


async def test_step_rewind_and_fork_on_the_l1_run(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l1-from-4"))
    async with app.run_test(size=(80, 24)) as pilot:
        run = app.session.run
        for _ in range(3):
            await pilot.press("space")  # one update each: 4 → 3 → 2 → 1
        assert run.state.params["w"] == 1
        await pilot.press("left")  # rewind one
        assert run.state.params["w"] == 2 and run.step == 2
        old = run.trace
        await pilot.press("right_square_bracket")  # double α at step 2: a new future
        assert run.alpha == 2 and run.trace is not old and run.previous is old
        await pilot.press("space")  # one update with α = 2: 2 - 2·1 = 0
        assert run.state.params["w"] == 0
        assert old.state(3).params["w"] == 1  # the old future is kept


@pytest.mark.parametrize("key", ["right", "l"])
async def test_other_step_keys(lesson02, key):
    app = make_app(lesson02, page=page_of(lesson02, "l1-from-4"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)  # one update
        assert app.session.run.state.params["w"] == 3


@pytest.mark.parametrize("key", ["h", "backspace"])
async def test_other_rewind_keys(lesson02, key):
    app = make_app(lesson02, page=page_of(lesson02, "l1-from-4"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space")  # two updates
        await pilot.press(key)  # rewind one
        assert app.session.run.step == 1


async def test_first_and_last(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l1-from-4"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")  # last recorded step
        run = app.session.run
        assert run.step == run.experiment.steps
        await pilot.press("g")  # first
        assert run.step == 0
        await pilot.press("G")  # last again
        assert run.step == run.experiment.steps


async def test_pages_move_with_n_and_b(lesson02):
    app = make_app(lesson02)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")  # next page
        assert app.session.page_index == 1
        await pilot.press("pagedown")  # next page
        assert app.session.page_index == 2
        await pilot.press("b")  # previous page
        assert app.session.page_index == 1


async def test_help_opens_and_closes(lesson02):
    app = make_app(lesson02)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")  # help
        assert app.frame.help and app.query_one("#help").display and not app.query_one("#body").display
        await pilot.press("escape")  # close it
        assert not app.frame.help and not app.query_one("#help").display and app.query_one("#body").display


@pytest.mark.parametrize("language", ["en", "ko"])
async def test_every_row_of_the_help_shows_on_a_lab_terminal(lesson02, language):
    """The help is the one place every key is named: at 80×24 none may fall off its bottom
    (`q quit` and `--no-mouse` are its last rows)."""
    from tests.tui.screen_text import read_screen

    app = make_app(lesson02, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")  # help
        await pilot.pause()
        screen = read_screen(app).text()
        for keys, _what in app.frame.help:
            assert keys in screen, (language, keys)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_quit_keys_exit(lesson02, key):
    app = make_app(lesson02)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)  # quit
        await pilot.pause()
        assert not app.is_running


async def test_moving_w_by_hand_forks():
    lesson01 = load_lesson(LESSONS / "lesson01.yaml")
    app = make_app(lesson01, page=page_of(lesson01, "rotation"))  # a lab page
    async with app.run_test(size=(80, 24)) as pilot:
        start = app.session.run.state.params["w"]
        await pilot.press("plus", "plus")  # w + 0.1, twice
        assert app.session.run.state.params["w"] == pytest.approx(start + 0.2)
        await pilot.press("minus")  # w - 0.1
        assert app.session.run.state.params["w"] == pytest.approx(start + 0.1)
        assert app.session.run.previous is not None  # the old future is kept


async def test_minus_starts_a_negative_answer_on_a_question_page(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus", "1")  # typed into the answer box, w untouched
        assert app.session.draft == "-1" and app.frame.answer.text == "-1" and app.frame.answer.active
        assert app.session.run.state.params["w"] == 3


async def test_a_digit_opens_the_answer_box_and_is_kept(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "full_stop", "6")  # three keys, all typed
        assert app.session.draft == "2.6" and app.frame.answer.active


async def test_halving_alpha_and_reset(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket")  # halve α
        assert app.session.run.alpha == pytest.approx(0.05)
        await pilot.press("space", "r")  # one update, then reset
        assert app.session.run.alpha == pytest.approx(0.1) and app.session.run.step == 0


async def test_a_question_takes_an_answer_and_gives_a_hint(lesson02):
    index = next(i for i, p in enumerate(lesson02.pages) if p.question and not p.question.choices and p.experiment is None)
    question = lesson02.pages[index].question
    app = make_app(lesson02, page=index)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"12345", "enter")  # a wrong answer
        assert not app.session.answer.right and question.hint in app.session.message
        assert app.session.draft == ""  # a wrong answer is sent and the box emptied
        await pilot.press(*str(question.answer).removesuffix(".0"), "enter")  # the right one
        assert app.session.answer.right


async def test_play_steps_by_itself_and_pauses(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")  # play
        assert app.frame.playing and app._player is not None
        app._player.pause()  # on a loaded machine the real timer could add a tick of its own
        app._tick()  # what the play timer calls: one update, no key pressed
        app._tick()
        # This page pins L1 beside its L2 run: the table of runs is headed by the step, and plays too.
        assert app.session.run.step == 2 and app.frame.table.columns[0] == "step 2"
        assert [r.step for r in app.session.page_pins.runs] == [2]
        await pilot.press("p")  # pause
        assert not app.frame.playing and app._player is None and "Paused" in app.frame.message
        app._tick()  # a tick that was already queued does nothing once paused
        assert app.session.run.step == 2


async def test_step_then_rewind_gives_the_same_screen():
    lesson03 = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson03, page=page_of(lesson03, "l1-alpha-2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space")  # into the bounce
        before = app.export_screenshot()
        await pilot.press("space", "left")  # one more, and back
        assert app.export_screenshot() == before


async def test_survives_small_terminals(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        for size in [(40, 12), (20, 6), (120, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.press("space")  # keep stepping while resized
        assert app.session.run.step == 4


async def test_a_wrong_prediction_gives_a_hint_and_keeps_the_step(lesson02):
    app = make_app(lesson02, page=page_of(lesson02, "l2-from-3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "enter")  # wrong: the next w is 2.6
        assert app.session.run.step == 0 and "Hint" in app.session.message
        await pilot.press("escape", "a", *"2.6", "enter")  # right now
        assert app.session.run.step == 1 and app.session.answer.right
        assert "2.6" in app.session.message


@pytest.mark.parametrize("no_color", [False, True])
async def test_without_colour_a_long_text_has_no_scrollbar_the_footer_says_so(monkeypatch, no_color):
    """NO_COLOR hides the scrollbar's track, leaving its thumb a stray block (lesson04 p4 in
    Korean at 80×24): no scrollbar then, and the footer's ↑↓ key is the sign the text goes on."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(load_lesson(LESSONS / "lesson04.yaml"), page=3, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scroller = app.query_one("#text-scroll")
        assert scroller.max_scroll_y > 0  # the text goes on below
        assert scroller.styles.scrollbar_size_vertical == (0 if no_color else 1)
        assert any(key.startswith("↑↓") for key in app.frame.keys)
