"""Live numbers in lesson text: filled in without evaluating anything, checked at load time."""

from __future__ import annotations

import pytest

from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.templates import render


def test_render_fills_known_names_and_keeps_literal_braces():
    text = render("w = {w}, next {next_w:.2f}, set {{a}}", {"w": 3.0, "next_w": 2.6})
    assert text == "w = 3, next 2.60, set {a}"


def test_render_never_evaluates():
    assert render("{w.__class__}", {"w": 3.0}) == "{w.__class__}"


def test_a_hint_naming_an_unknown_variable_is_refused(tmp_path):
    lesson = tmp_path / "l.yaml"
    lesson.write_text(
        "title: t\npages:\n  - title: p\n    experiment: {id: e, points: [[1, 1]]}\n"
        "    question:\n      prompt: next w?\n      predict: next_w\n      hint: look at {wieght}\n"
    )
    with pytest.raises(LessonError) as caught:
        load_lesson(lesson)
    problem = caught.value.problems[0]
    assert problem.line == 8 and "{wieght}" in problem.message


def test_a_negative_number_after_an_operator_is_bracketed():
    text = render("next w = {w} − {alpha}·{slope} = {next_w}; slope {slope}", {"w": -1.0, "alpha": 1.0, "slope": -4.0, "next_w": 3.0})
    assert text == "next w = -1 − 1·(-4) = 3; slope -4"
