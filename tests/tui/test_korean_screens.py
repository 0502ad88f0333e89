"""Korean on screen where English was left (issue 15): pins and `u`, the legend, a damaged
progress file, and the language key with a Korean input method in Hangul mode.

Driven with Pilot at 80×24 and read off the screen; keys from a Korean input method are fed
through Textual's own terminal parser as the bytes a terminal sends.
"""

from __future__ import annotations

import re

from textual._xterm_parser import XTermParser

from backprop_tutor.lessons import load_lesson
from backprop_tutor.progress import FILE_NAME, ProgressStore
from backprop_tutor.tui.launch import make_app
from tests.support import LESSONS
from tests.tui.screen_text import read_screen

HANGUL = re.compile("[\uac00-\ud7a3]")


def screen_words(app) -> str:
    return " ".join(row.strip() for row in read_screen(app).rows)


async def terminal_sends(app, pilot, text: str) -> None:
    """What a terminal writes for keys typed (`ㅣ`, ctrl+l's `\\x0c`), parsed as Textual's driver parses it."""
    for event in XTermParser().feed(text):
        app.post_message(event)
        await pilot.pause()


async def test_pins_and_u_on_page_3_speak_korean_on_screen():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=2, language="ko")  # page 3: L1, α = 2
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert "1번으로 고정했습니다" in screen_words(app)
        await pilot.press("space", "v")
        assert "이 실행은 이미 고정되어 있습니다" in screen_words(app)
        assert "@ 이 실행  1 실행 1" in screen_words(app)  # the legend: runs alike are named by their marks
        await pilot.press("u")
        words = screen_words(app)
        assert "3단계에서 멈춤: 진동합니다(oscillating)." in words
        for english in ("Pinned", "Stopped", "run 1", "pinned already", "oscillating."):
            assert english not in words, english
        await pilot.press("V")
        assert "실행 1개의 고정을 해제했습니다." in screen_words(app)


async def test_a_damaged_progress_file_is_told_in_korean_on_screen(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"\xff\xfe not json")
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, store=ProgressStore(tmp_path), language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.frame.message.startswith("진도 파일을 읽을 수 없어(")
        assert app.frame.message.endswith("이름으로 보관하고 새로 시작했습니다.")
        assert "진도 파일을 읽을 수 없어" in screen_words(app) and "unreadable (" not in screen_words(app)


async def test_in_hangul_mode_shift_l_steps_and_ctrl_l_switches_the_language():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=2, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        await terminal_sends(app, pilot, "ㅣ")  # Shift+L in Hangul mode: the same jamo as l, a step
        assert session.run.step == 1 and session.lesson.language == "ko"
        await terminal_sends(app, pilot, "\x0c")  # ctrl+l: the input method passes it through
        assert session.lesson.language == "en" and session.run.step == 1
        assert "English (L or ctrl+l: 한국어)." in screen_words(app)
        await terminal_sends(app, pilot, "\x0c")
        assert session.lesson.language == "ko" and HANGUL.search(read_screen(app).rows[0])
        assert "한국어 (L 또는 ctrl+l: English)." in screen_words(app)


async def test_a_wide_korean_footer_names_u_and_v_in_korean():
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    app = make_app(lesson, page=2, language="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        footer = read_screen(app).rows[-1]
        assert "u 멈출 때까지" in footer and "v 고정" in footer and "until" not in footer
