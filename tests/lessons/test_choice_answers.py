"""A multiple-choice `answer` names its choice by text, by number or by letter."""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import Question
from backprop_tutor.lessons.choices import choice_index


@pytest.mark.parametrize(
    ("answer", "choices", "index"),
    [
        (2.0, ["1", "2"], 1),  # `answer: 2` reaches the model as 2.0
        (2.0, ["1.0", "2.0"], 1),
        (0.5, ["0.25", "0.50"], 1),
        ("b", ["x", "y"], 1),
        ("y", ["x", "y"], 1),
        ("a", ["b", "a"], 1),  # a choice's own text before a letter
        (3.0, ["1", "2"], None),
        ("c", ["x", "y"], None),
    ],
)
def test_choice_index(answer, choices, index):
    assert choice_index(answer, choices) == index


def test_answer_2_names_the_choice_2():
    q = Question(prompt="Which?", choices=["1", "2", "4"], answer=2, hint="h")
    assert q.correct_choice() == 1
    assert q.accepts("2") and not q.accepts("3")


def test_an_answer_that_is_no_choice_is_still_refused():
    with pytest.raises(ValueError, match="not one of the choices"):
        Question(prompt="Which?", choices=["1", "2"], answer=5, hint="h")
