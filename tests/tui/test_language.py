"""The app in Korean (issue 15): `L` switches on the spot, Korean needs UTF-8, a Korean input method types answers."""

from __future__ import annotations

import re

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.progress import ProgressStore
from backprop_tutor.tui.launch import make_app
from tests.support import LESSONS
from tests.tui.screen_text import read_screen
from tests.tui.test_graph_pages import graph_page, panel_text

HANGUL = re.compile("[\uac00-\ud7a3]")


def values_on_wires(text: str) -> list[str]:
    """Every number the graph panel shows, in order (the step, the values and gradients revealed)."""
    return re.findall(r"-?\d+(?:\.\d+)?", text)


def saved_language(folder) -> str:
    store = ProgressStore(folder)
    store.load()
    return store.language


async def test_L_on_lesson04_mid_backward_keeps_the_step_and_the_revealed_values(tmp_path):
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    store = ProgressStore(tmp_path)
    app = make_app(lesson, page=graph_page(lesson), store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        await pilot.press("space", "space")  # one whole update: forward, backward, the update
        await pilot.press(*["space"] * (session.run.events_per_step() - 1))
        await pilot.press(*["space"] * (session.run.forward_events + 2))  # step 1: forward, then two backward events
        run = session.run
        forward = run.forward_events
        assert forward < run.event < run.events_per_step(), "mid-backward"
        before = (session.page_index, run.step, run.event, id(run), id(run.trace))
        english = panel_text(app)
        revealed = values_on_wires(english)
        tight = re.sub(r"\s*=\s*", "=", english)
        assert all(v in tight for v in ("∂E/∂E=1", "∂E/∂e=3.2", "=2.6", "=2.56")) and "back-propagation" in english
        await pilot.press("L")  # switch to Korean
        run = session.run
        assert (session.page_index, run.step, run.event, id(run), id(run.trace)) == before  # nothing recomputed
        korean = panel_text(app)
        assert values_on_wires(korean) == revealed and "역전파" in korean
        screen = read_screen(app).text()
        assert HANGUL.search(screen.splitlines()[0])  # the header: the Korean page title
        assert "? 도움말" in screen and "q 끝" in screen
        assert saved_language(tmp_path) == "ko" and ProgressStore(tmp_path).get("lesson04").page == session.page_index
        await pilot.press("space")  # the walk goes on in Korean from where it was
        assert session.run.event == before[2] + 1
        await pilot.press("L")  # and back to English, still there
        assert (session.lesson.language, session.run.step) == ("en", before[1])
        assert "back-propagation" in panel_text(app) and saved_language(tmp_path) == "en"


async def test_korean_cannot_be_shown_in_ascii_mode_one_line_says_so_and_the_lesson_is_english():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=0, ascii_only=True, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session.lesson.language == "en"
        assert app.frame.message == "This terminal cannot show Korean (no UTF-8, or --ascii): the tutor runs in English."
        await pilot.press("L")  # still no Korean
        assert app.session.lesson.language == "en" and "cannot show Korean" in app.frame.message
        assert all(ord(c) < 128 for c in read_screen(app).text())


async def test_a_lesson_without_korean_text_says_so_and_runs_in_english(tmp_path):
    source = (LESSONS / "lesson03.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(source, encoding="utf-8")
    app = make_app(load_lesson(tmp_path / "mine.yaml"), page=0, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session.lesson.language == "en" and "no Korean text" in app.frame.message


@pytest.mark.parametrize(
    ("keys", "typed"),
    [
        (["full_width_digit_one", "full_width_full_stop", "full_width_digit_two"], "1.2"),  # １．２
        (["full_width_hyphen_minus", "full_width_digit_one"], "-1"),  # －１
    ],
)
async def test_full_width_digits_from_a_korean_input_method_are_an_answer(keys, typed):
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    index = next(i for i, p in enumerate(lesson.pages) if p.question and p.question.predict == "next_w")
    app = make_app(lesson, page=index, language="ko")
    characters = {"full_width_digit_one": "１", "full_width_digit_two": "２", "full_width_full_stop": "．",
                  "full_width_hyphen_minus": "－"}
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        session.press("a")  # open the answer box
        for key in keys:
            session.press(key, characters[key])
        assert session.draft == typed
        live = session.run.values()["next_w"]
        session.draft = ""
        for character in f"{live}".replace("-", "－").replace(".", "．").translate(str.maketrans("0123456789", "０１２３４５６７８９")):
            session.press("x", character)
        frame = session.press("enter")  # sent
        assert "맞았습니다" in frame.message, frame.message
        await pilot.pause()


async def test_hangul_letters_typed_in_hangul_mode_are_the_keys_they_sit_on():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=0, language="ko")
    async with app.run_test(size=(80, 24)):
        session = app.session
        session.press("x", "ㅜ")  # n on a Korean keyboard: the next page
        assert session.page_index == 1
        session.press("x", "ㅠ")  # b: back
        assert session.page_index == 0


async def test_welcome_back_is_said_in_the_language_shown(tmp_path):
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    store = ProgressStore(tmp_path)
    first = make_app(lesson, store=store)
    first.session.go_to_page(3)  # saved: page 4
    app = make_app(lesson, store=ProgressStore(tmp_path), language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session.page_index == 3
        assert app.frame.message == "다시 오셨군요: 13쪽 중 4쪽에서 이어 갑니다. R을 누르면 단원을 처음부터 합니다."
