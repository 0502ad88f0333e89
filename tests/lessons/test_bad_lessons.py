"""One broken lesson per kind of fault: each names the file, the line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.data import parse_csv

BAD = Path(__file__).parent / "bad"

EXPECTED = {  # file -> (line, words the message must contain)
    "syntax_error.yaml": (5, "YAML syntax"),
    "tab_indent.yaml": (3, "tab"),
    "duplicate_key.yaml": (4, "duplicate key 'title'"),
    "unknown_key.yaml": (7, "did you mean 'alpha'"),
    "wrong_type.yaml": (7, "alpha"),
    "missing_title.yaml": (1, "missing required key 'title'"),
    "empty.yaml": (1, "empty"),
    "binary.yaml": (2, "binary"),
    "python_tag.yaml": (1, "not allowed"),
    "alias_bomb.yaml": (0, "too many"),
    "nan_alpha.yaml": (7, "alpha"),
    "huge_steps.yaml": (7, "steps"),
    "unknown_variable.yaml": (5, "{weather}"),
    "csv_escape.yaml": (6, "no .."),
    "csv_missing.yaml": (6, "not found"),
    "bad_points.yaml": (7, "[x1, x2, y]"),
}


def test_every_bad_file_is_covered():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_lesson_names_file_line_and_problem(name):
    line, words = EXPECTED[name]
    with pytest.raises(LessonError) as caught:
        load_lesson(BAD / name)
    problem = caught.value.problems[0]
    assert Path(problem.path).name == name
    if line:
        assert problem.line == line, str(problem)
    assert words in problem.message, str(problem)
    assert str(problem).startswith(f"{problem.path}:{problem.line}: ")


def test_python_tag_is_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    bad = tmp_path / "x.yaml"
    bad.write_text(f'title: !!python/object/apply:os.system ["touch {marker}"]\npages: [{{title: a}}]\n')
    with pytest.raises(LessonError):
        load_lesson(bad)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("x,y\n1,1\n2,two\n", 3, "not a number"),
        ("x,y\n1,1\n2\n", 3, "1 values"),
        ("x,y\n", 2, "no data rows"),
        ("a,b\n1,1\n", 1, "header"),
        ("", 1, "no header"),
        ("x,y\n1,1e400\n", 2, "not a usable number"),
    ],
)
def test_bad_csv_names_the_line(text, line, words):
    with pytest.raises(LessonError) as caught:
        parse_csv(text, "d.csv")
    problem = caught.value.problems[0]
    assert problem.line == line and words in problem.message, str(problem)


def test_csv_with_wrong_number_of_inputs():
    with pytest.raises(LessonError, match="2 input column"):
        parse_csv("x1,x2,y\n1,2,3\n", "d.csv", inputs=1)
