"""`--watch` in Korean (issues 15 and 16): a reload reads the translation on screen again, and watches it."""

from __future__ import annotations

import shutil

from backprop_tutor.lessons import load_lesson
from backprop_tutor.session import Session
from backprop_tutor.session.reloading import reload, watched_files
from backprop_tutor.session.switching import show_in

from tests.support import LESSONS


def test_a_reload_keeps_the_korean_text_and_reads_its_edits(tmp_path):
    shutil.copy(LESSONS / "lesson03.yaml", tmp_path / "lesson03.yaml")
    (tmp_path / "ko").mkdir()
    korean = tmp_path / "ko" / "lesson03.yaml"
    shutil.copy(LESSONS / "ko" / "lesson03.yaml", korean)
    session = Session(load_lesson(tmp_path / "lesson03.yaml"), page=1)
    assert show_in(session, "ko")
    assert korean in watched_files(session.lesson)
    session.step()
    korean.write_text(korean.read_text(encoding="utf-8").replace("한 걸음의 크기", "걸음 하나의 크기"), encoding="utf-8")
    frame = reload(session)
    assert session.lesson.language == "ko" and session.lesson.pages[0].title == "걸음 하나의 크기"
    assert session.run.step == 1 and "다시 읽었습니다" in frame.message
    korean.write_text(korean.read_text(encoding="utf-8").replace("{slope}", "{slpoe}", 1), encoding="utf-8")
    frame = reload(session)  # a broken translation: the last good version stays, the problem is said
    assert f"{korean}:" in frame.message and "{slpoe}" in frame.message and session.lesson.language == "ko"
