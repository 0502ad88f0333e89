"""What the app says about pins, `u` and the plots' legend, in the page's language (issue 15).

The English is `until.py`'s own (`tutor trace --until` prints it): the word tables' `until.*`
entries must say exactly that, so a stop reads the same on the command line and in the app.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from backprop_tutor.engine import Trace
from backprop_tutor.lessons import Lesson, load_lesson
from backprop_tutor.lessons.translation import lesson_in
from backprop_tutor.session import Session
from backprop_tutor.until import Until, first_stop
from backprop_tutor.words import Words
from tests.session.test_pins import key, one_page
from tests.support import LESSONS

HANGUL = re.compile("[\uac00-\ud7a3]")


@functools.cache
def korean(stem: str) -> Lesson:
    translated = lesson_in(load_lesson(LESSONS / f"{stem}.yaml"), "ko")
    assert translated is not None
    return translated


def korean_page(stem: str, experiment: str) -> Session:
    les = korean(stem)
    return Session(les, next(i for i, p in enumerate(les.pages) if p.experiment and p.experiment.id == experiment))


def korean_one_page(folder: Path, settings: str) -> Session:
    english = load_lesson(one_page(folder, settings))
    (folder / "ko").mkdir()
    (folder / "ko" / "one.yaml").write_text("title: 한 쪽\npages:\n  from-3:\n    title: 3에서\n", encoding="utf-8")
    translated = lesson_in(english, "ko")
    assert translated is not None and translated.language == "ko"
    return Session(translated)


def test_v_and_V_say_what_they_did_in_korean():
    session = korean_page("lesson03", "l2-alpha-0.1")
    assert key(session, "v").message.startswith("1번으로 고정했습니다.")
    key(session, "space")
    assert key(session, "v").message.startswith("이 실행은 이미 고정되어 있습니다")
    assert key(session, "V").message == "실행 1개의 고정을 해제했습니다."
    assert key(session, "V").message == "고정된 실행이 없습니다: v로 화면의 실행을 고정합니다."
    for _ in range(3):
        key(session, "v")
        key(session, "+")  # another run each time: w moved by hand
    assert key(session, "v").message == "이미 실행 3개가 고정되어 있습니다: V로 모두 해제합니다."
    frame = session.frame()
    # Runs alike in every setting (w moved by hand) are named by number, in Korean.
    assert frame.data_plot.legend == ("@ 이 실행", "1 실행 1", "2 실행 2", "3 실행 3")
    assert key(session, "V").message == "실행 3개의 고정을 해제했습니다."
    assert korean_page("lesson04", "graph").press("v", "v").message.startswith("실행 비교는 플롯에서 합니다")


def test_u_says_why_it_stopped_in_korean_and_names_a_pinned_run():
    session = korean_page("lesson03", "l2-alpha-0.5")
    assert key(session, "u").message == "1단계에서 멈춤: 수렴했습니다(converged)."
    assert key(session, "u").message == "2단계에서 멈춤: 실행 2에서 진동합니다(oscillating)."
    assert key(session, "u").message == "3단계에서 멈춤: 실행 3에서 발산했습니다(diverged)."
    frame = session.frame()
    assert frame.table.rows[3].status == "발산"


def test_u_overshoot_below_and_a_key_in_korean(tmp_path: Path):
    session = korean_one_page(tmp_path, "alpha: 0.75\n      until_loss: 0.001\n      steps: 5000")
    message = key(session, "u").message
    assert message == "1단계에서 멈춤: 지나침(overshoot): 기울기의 부호가 바뀌어(4 → -2) w가 바닥을 건너뛰었습니다."
    message = key(session, "u").message
    assert re.fullmatch(r"\d+단계에서 멈춤: E = \S+, 0\.001보다 작아졌습니다\.", message), message


def test_a_long_u_and_its_interruption_in_korean(tmp_path: Path):
    session = korean_one_page(tmp_path, "alpha: 0.0001\n      steps: 5000")
    assert key(session, "u").message == "무언가 일어날 때까지 진행: 25단계 (아무 키나 누르면 멈춤)."
    assert key(session, "u").message == "25단계에서 멈춤(키 입력)."
    key(session, "u")
    while session.until is not None:
        frame = session.tick()
    assert frame.message == "1025단계에서 멈춤: 1000번 업데이트하는 동안 아무 일도 없었습니다(u를 누르면 이어서 진행)."


def test_an_overflowed_run_and_the_last_step_in_korean(tmp_path: Path):
    session = korean_one_page(tmp_path, "alpha: 1000\n      steps: 400")
    assert key(session, "u").message == "3단계에서 멈춤: 발산했습니다(diverged)."
    key(session, "u")  # on until the numbers overflow
    while session.until is not None:
        message = session.tick().message
    assert re.fullmatch(r"\d+단계에서 멈춤: 수가 넘쳐\(overflow\) 실행이 여기서 끝납니다\.", message), message
    slow = korean_one_page(tmp_path / "slow", "alpha: 0.0001\n      steps: 1000") if (tmp_path / "slow").mkdir() is None else None
    assert slow is not None
    key(slow, "G")  # the last recorded step
    assert key(slow, "u").message == f"{slow.run.step}단계에서 멈춤: 기록된 마지막 단계입니다. r을 누르면 처음부터 다시 합니다."


@pytest.mark.parametrize(
    ("settings", "until", "reason"),
    [
        ("alpha: 0.75", Until.anything(), "overshoot"),
        ("alpha: 0.75", Until(sign_change=True), "sign-change"),
        ("alpha: 0.1", Until(below=0.01), "below"),
        ("alpha: 2", Until(status_change=True), "diverged"),
        ("alpha: 1", Until(status_change=True), "oscillating"),
        ("alpha: 0.5", Until(status_change=True), "converged"),
    ],
)
def test_every_stop_is_worded_from_its_values_in_both_languages(tmp_path, settings, until, reason):
    from backprop_tutor.session.run import Run

    lesson = load_lesson(one_page(tmp_path, settings + "\n      steps: 200"))
    run = Run.start(lesson.pages[0].experiment, lesson.datasets["from-3"])
    trace: Trace = run.trace
    stop = first_stop(trace, until)
    assert stop is not None and stop.reason == reason
    assert Words("en")(f"until.{stop.reason}", **stop.values) == stop.words  # what `tutor trace --until` prints
    said = Words("ko")(f"until.{stop.reason}", **stop.values)
    assert HANGUL.search(said) and all(value in said for value in stop.values.values())


def test_a_korean_export_has_korean_headings_and_english_machine_fields(tmp_path: Path):
    import csv

    session = korean_page("lesson03", "l2-alpha-0.1")
    session.export_dir = tmp_path
    key(session, "space")
    key(session, "v")
    key(session, "+")  # w by hand after the start: two runs alike in every setting, named by number
    for _ in range(2):
        key(session, "space")
    message = key(session, "e").message
    assert message == f"{tmp_path}에 lesson03-l2-alpha-0.1-trace.csv와 lesson03-l2-alpha-0.1-trace.txt를 저장했습니다"
    text = (tmp_path / "lesson03-l2-alpha-0.1-trace.txt").read_text(encoding="utf-8")
    heading, runs = text.splitlines()[0], text.splitlines()[2]
    assert heading == "lesson03 / l2-alpha-0.1, 3단계, alpha = 0.1, 진행"
    assert runs == "실행: @ 이 실행, 1 실행 1"
    assert "데이터 o" in text and "@의 기울기" in text  # the plots' titles, as on screen
    with (tmp_path / "lesson03-l2-alpha-0.1-trace.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0])[:4] == ["lesson", "experiment", "run", "step"] and "status" in rows[0]
    assert {r["run"] for r in rows} == {"now", "pin 1"}  # machine fields: English in every language
    assert {r["status"] for r in rows} == {"running"}
    assert not any(HANGUL.search(value) for r in rows for value in r.values())
