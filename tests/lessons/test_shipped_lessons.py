"""The shipped course loads, and each lesson's experiments carry the lecture's settings."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.experiments import check_expectations, make_trace

from tests.support import LESSONS

IDS = [f"lesson0{i}" for i in range(1, 9)]


def test_the_eight_lessons_exist():
    assert [p.stem for p in lesson_files(LESSONS)] == IDS


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_loads_and_its_expectations_hold(lesson_id):
    lesson = load_lesson(LESSONS / f"{lesson_id}.yaml")
    assert lesson.id == lesson_id
    for exp in lesson.experiments():
        assert check_expectations(exp, make_trace(exp, lesson.datasets[exp.id])) == []


def test_lesson05_reads_a_csv():
    lesson = load_lesson(LESSONS / "lesson05.yaml")
    data = next(iter(lesson.datasets.values()))
    assert data.X.ravel().tolist() == [1, 2, 3] and data.y.tolist() == [1, 2, 3]


def test_every_question_accepts_its_answer():
    for path in lesson_files(LESSONS):
        for page in load_lesson(path).pages:
            q = page.question
            if q is None or q.predict:  # predict questions are checked against the run in tests/course
                continue
            right = q.choices[q.correct_choice()] if q.choices else str(q.answer)
            assert q.accepts(right), (path.name, page.title)
            wrong = "zzz" if q.choices else str(float(q.answer) + 1000)
            assert not q.accepts(wrong)
