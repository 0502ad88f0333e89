"""One broken lesson per kind of fault: each names the file, the line and what is wrong.

The files live in `bad/`, with the CSVs they name beside them (`data_*.csv`); faults too big
or too odd to commit (a 50 MB file, a million rows, a symlink, a pipe) are built in tmp_path by
the `GENERATED` builders. `tests/cli/test_bad_input_cli.py` runs the same corpus through the
`tutor` command.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from backprop_tutor.engine import Fit, Trace
from backprop_tutor.errors import LessonError, Problem
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons import yaml_source
from backprop_tutor.lessons.data import MAX_CSV_BYTES, MAX_ROWS, parse_csv
from backprop_tutor.lessons.yaml_source import MAX_FILE_BYTES

BAD = Path(__file__).parent / "bad"

EXPECTED = {  # file -> (line, words the message must contain)
    # YAML itself
    # (at the line of the mistake, not where the parser gave up: often the line after, or the end)
    "syntax_error.yaml": (4, "a `[` opened on this line is never closed"),
    "syntax_unclosed_list.yaml": (6, "a `[` opened on this line is never closed"),
    "syntax_unclosed_quote.yaml": (1, "a quote opened on this line is never closed"),
    "syntax_bad_indent.yaml": (4, "does not line up with the list that starts on line 3"),
    "syntax_under_indent.yaml": (6, "does not line up with the keys above it"),
    "syntax_over_indent.yaml": (5, "`experiment:` cannot start a key here"),
    "syntax_no_colon.yaml": (4, "no `:` after 'experiment'"),
    "syntax_key_no_colon.yaml": (1, "no `:` after 'title x'"),
    "syntax_item_no_colon.yaml": (3, "no `:` after '- title one'"),
    "syntax_key_no_colon_comment.yaml": (5, "no `:` after 'id a"),
    "syntax_flow_value_no_colon.yaml": (6, "no `:` after 'init': write `init: value`"),
    "syntax_text_dedent.yaml": (6, "no `:` after 'more'"),
    "syntax_colon_in_value.yaml": (5, "this value holds `: `"),
    "syntax_text_after_quote.yaml": (5, "text after a closing quote"),
    "syntax_quote_runs_on.yaml": (3, "a quote opened on this line is not closed on it"),
    "multi_document.yaml": (4, "more than one YAML document"),
    "tab_indent.yaml": (3, "tab"),
    "duplicate_key.yaml": (4, "duplicate key 'title'"),
    "merge_key.yaml": (5, "merge keys (<<)"),
    "non_string_key.yaml": (4, "the key '42' is not a name"),
    # not a YAML text at all
    "empty.yaml": (1, "empty"),
    "comments_only.yaml": (1, "empty"),
    "binary.yaml": (2, "binary"),
    "binary_noise.yaml": (2, "not UTF-8"),
    "utf16.yaml": (1, "UTF-16"),
    "control_chars.yaml": (1, "control character (U+001B)"),
    # limits and tags
    "deep_nesting.yaml": (2, "nested too deeply"),
    "deep_mapping.yaml": (34, "nested too deeply"),
    "alias_bomb.yaml": (2, "too many aliases"),
    "alias_many.yaml": (4, "too many aliases"),
    "alias_recursive.yaml": (3, "nested too deeply"),
    "python_tag.yaml": (1, "!!python/object/apply:os.system is not allowed"),
    "python_object.yaml": (1, "!!python/object:os.system is not allowed"),
    "python_name.yaml": (3, "!!python/name:os.system is not allowed"),
    "custom_tag.yaml": (1, "!include is not allowed"),
    "binary_tag.yaml": (1, "!!binary is not allowed"),
    "date_value.yaml": (1, "put it in quotes"),
    "bad_bool.yaml": (7, "cannot read 'maybe' as true or false"),
    # the shape of a lesson
    "top_level_list.yaml": (1, "a lesson is a mapping"),
    "top_level_scalar.yaml": (1, "a lesson is a mapping"),
    "missing_title.yaml": (1, "missing required key 'title'"),
    "unknown_key.yaml": (7, "did you mean 'alpha'"),
    "unknown_top_key.yaml": (2, "did you mean 'summary'"),
    "wrong_type.yaml": (7, "alpha: should be a number (got 'fast')"),
    "wrong_loss.yaml": (7, "should be 'l1' or 'l2'"),
    "steps_fraction.yaml": (7, "steps: should be a whole number"),
    "answer_list.yaml": (6, "answer: should be a number or should be text"),
    "experiment_list.yaml": (4, "experiment: should be a mapping"),
    "pages_mapping.yaml": (2, "pages: should be a list"),
    "no_pages.yaml": (2, "at least 1 item"),
    "bad_experiment_id.yaml": (5, "should be a short name"),
    "duplicate_experiment_id.yaml": (9, "two experiments have the id 'x'"),
    "answer_not_a_choice.yaml": (7, "answer 'x' is not one of the choices"),
    "question_no_answer.yaml": (4, "needs an `answer`"),
    "predict_unknown.yaml": (9, "'next_q' is not a live value"),
    "init_unknown_param.yaml": (7, "init names b"),
    "expect_beyond_steps.yaml": (8, "expect checks step 50"),
    "bad_points.yaml": (7, "[x1, x2, y]"),
    "empty_points.yaml": (4, "`points` is empty"),
    "both_data.yaml": (4, "give the data once"),
    # runs compared (`compare:`) and `u`'s line
    "compare_unknown_key.yaml": (9, "unknown key 'alpah' (did you mean 'alpha'?)"),
    "compare_zero_alpha.yaml": (8, "compare[0].alpha: should be greater than 0"),
    "compare_unknown_param.yaml": (9, "compare[1] sets b, which this neuron does not have"),
    "compare_too_many.yaml": (7, "compare: List should have at most 3 items"),
    "compare_nothing.yaml": (8, "compare[0] changes nothing"),
    "compare_on_graph.yaml": (9, "a graph page has none"),
    "until_loss_negative.yaml": (7, "until_loss: should be greater than 0"),
    # numbers
    "nan_alpha.yaml": (7, "alpha: should be a finite number"),
    "inf_alpha_dotted.yaml": (7, "alpha: should be a finite number"),
    "inf_alpha_plain.yaml": (7, "(got '1e400')"),
    "zero_alpha.yaml": (7, "alpha: should be greater than 0"),
    "huge_steps.yaml": (7, "steps: should be less than or equal to 100000"),
    "huge_start.yaml": (7, "start value w = 1e+300 is absurdly large"),
    "huge_integer.yaml": (7, "too large a number"),
    # text templates
    "unknown_variable.yaml": (5, "{weather}"),
    "template_bad_format.yaml": (5, "{w:999999999} is not a number format"),
    "template_lone_brace.yaml": (6, "a lone `{`: a live number is written {w}, a brace itself {{ or }}"),
    # data paths
    "csv_escape.yaml": (6, "no .."),
    "csv_absolute.yaml": (6, "no absolute paths"),
    "csv_missing.yaml": (6, "not found"),
    "csv_directory.yaml": (6, "is a folder"),
    # data files: reported in the CSV, at its line
    "csv_missing_column.yaml": (1, "header is 'x'"),
    "csv_text_number.yaml": (3, "y = 'two' is not a number"),
    "csv_ragged.yaml": (3, "1 value(s) in this row"),
    "csv_no_rows.yaml": (2, "no data rows"),
    "csv_wrong_inputs.yaml": (1, "2 input column(s), but the neuron has 1"),
    "csv_not_finite.yaml": (3, "not a usable number"),
}

REPORTED_IN = {  # lesson -> the data file its problem is reported in
    "csv_missing_column.yaml": "data_missing_column.csv",
    "csv_text_number.yaml": "data_text_number.csv",
    "csv_ragged.yaml": "data_ragged.csv",
    "csv_no_rows.yaml": "data_no_rows.csv",
    "csv_wrong_inputs.yaml": "data_two_inputs.csv",
    "csv_not_finite.yaml": "data_not_finite.csv",
}

PROBLEM_COUNT = {"missing_title.yaml": 2}
"""Files with more than one problem; every other file has exactly one."""

SUPPORT = {"data_dir"}
"""Not lessons: the folder `csv_directory.yaml` names."""


# -- faults built in tmp_path ------------------------------------------------------------------

LESSON_HEAD = "title: Generated\npages:\n  - title: one\n    experiment:\n      id: x\n"


def fifty_megabytes(folder: Path) -> Path:
    """A 50 MB lesson of plausible YAML: refused by its size, unread."""
    path = folder / "fifty_megabytes.yaml"
    block = (LESSON_HEAD + "      points: [[1, 1]]\n").encode() * 1024
    with path.open("wb") as out:
        for _ in range(50 * 2**20 // len(block) + 1):
            out.write(block)
    return path


def million_rows(folder: Path) -> Path:
    """A CSV of 10^6 rows (4 MB, under the byte limit): refused by its row count."""
    (folder / "rows.csv").write_text("x,y\n" + "1,1\n" * 1_000_000)
    path = folder / "million_rows.yaml"
    path.write_text(LESSON_HEAD + "      csv: rows.csv\n")
    return path


def csv_too_big(folder: Path) -> Path:
    """A CSV over the byte limit: refused unread."""
    (folder / "big.csv").write_bytes(b"x,y\n" + b"1.000000,1.000000\n" * (MAX_CSV_BYTES // 18 + 1))
    path = folder / "csv_too_big.yaml"
    path.write_text(LESSON_HEAD + "      csv: big.csv\n")
    return path


def too_much_work(folder: Path) -> Path:
    """100,000 rows (within the limits) and 2,000 steps (within them too): the product is not."""
    (folder / "wide.csv").write_text("x,y\n" + "1,1\n" * MAX_ROWS)
    path = folder / "too_much_work.yaml"
    path.write_text(LESSON_HEAD + "      csv: wide.csv\n      steps: 2000\n")
    return path


def symlink_out(folder: Path) -> Path:
    """A data file that is a symlink leaving the lesson's folder."""
    outside = folder.parent / f"{folder.name}-secret.csv"
    outside.write_text("x,y\n1,1\n")
    (folder / "link.csv").symlink_to(outside)
    path = folder / "symlink_out.yaml"
    path.write_text(LESSON_HEAD + "      csv: link.csv\n")
    return path


def csv_pipe(folder: Path) -> Path:
    """A data file that is a named pipe: reading it would wait forever."""
    os.mkfifo(folder / "pipe.csv")
    path = folder / "csv_pipe.yaml"
    path.write_text(LESSON_HEAD + "      csv: pipe.csv\n")
    return path


GENERATED: dict[str, tuple[Callable[[Path], Path], str | None, int, str]] = {
    # name -> (builder, file the problem is reported in (None: the lesson), line, words)
    "fifty_megabytes": (fifty_megabytes, None, 1, f"a lesson may be at most {MAX_FILE_BYTES:,}"),
    "million_rows": (million_rows, "rows.csv", MAX_ROWS + 2, f"more than {MAX_ROWS:,} data rows"),
    "csv_too_big": (csv_too_big, "big.csv", 1, f"a data file may be at most {MAX_CSV_BYTES:,}"),
    "too_much_work": (too_much_work, None, 7, "steps × rows may be at most"),
    "symlink_out": (symlink_out, None, 6, "points outside"),
    "csv_pipe": (csv_pipe, None, 6, "not a CSV file"),
}


def check_problems(problems: list[Problem], name: str, line: int, words: str, count: int = 1) -> None:
    """The first problem is in file `name`, at `line`, and says `words`; `count` problems in all."""
    assert len(problems) == count, [str(p) for p in problems]
    problem = problems[0]
    assert Path(problem.path).name == name, str(problem)
    assert problem.line == line, str(problem)
    assert words in problem.message, str(problem)
    assert str(problem).startswith(f"{problem.path}:{problem.line}: ")


# -- the corpus --------------------------------------------------------------------------------


def test_every_bad_file_is_covered():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)
    others = {p.name for p in BAD.iterdir() if p.suffix != ".yaml"}
    assert others == set(REPORTED_IN.values()) | {"data_ragged.csv"} | SUPPORT


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_lesson_names_file_line_and_problem(name):
    line, words = EXPECTED[name]
    with pytest.raises(LessonError) as caught:
        load_lesson(BAD / name)
    check_problems(caught.value.problems, REPORTED_IN.get(name, name), line, words, PROBLEM_COUNT.get(name, 1))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_same_answers_without_libyaml(monkeypatch, name):
    monkeypatch.setattr(yaml_source, "PARSER", yaml_source.PURE_PARSER)
    line, words = EXPECTED[name]
    with pytest.raises(LessonError) as caught:
        load_lesson(BAD / name)
    check_problems(caught.value.problems, REPORTED_IN.get(name, name), line, words, PROBLEM_COUNT.get(name, 1))


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_input_is_refused_before_work(name, tmp_path, monkeypatch):
    build, reported_in, line, words = GENERATED[name]
    lesson = build(tmp_path)

    def work(*args, **kwargs):
        raise AssertionError("a run was computed before the lesson was refused")

    # Refused by its size, before any descent is run (no clock: the check is what is called).
    monkeypatch.setattr(Trace, "__init__", work)
    monkeypatch.setattr(Fit, "errors", work)
    with pytest.raises(LessonError) as caught:
        load_lesson(lesson)
    check_problems(caught.value.problems, reported_in or lesson.name, line, words)


def test_python_tag_is_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    bad = tmp_path / "x.yaml"
    bad.write_text(f'title: !!python/object/apply:os.system ["touch {marker}"]\npages: [{{title: a}}]\n')
    with pytest.raises(LessonError):
        load_lesson(bad)
    assert not marker.exists()


def test_a_newline_in_a_key_cannot_forge_a_second_line(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text('title: t\npages:\n  - title: p\n    "a\\nb.yaml:1: fine\\u001b[2J": 1\n')
    with pytest.raises(LessonError) as caught:
        load_lesson(bad)
    text = str(caught.value.problems[0])
    assert "\n" not in text and "\x1b" not in text and "\\n" in text


def test_hundreds_of_problems_are_cut_to_a_readable_few(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("title: t\npages:\n  - title: p\n    text: |\n" + "      {nope}\n" * 500)
    with pytest.raises(LessonError) as caught:
        load_lesson(bad)
    problems = caught.value.problems
    assert len(problems) == 21 and "480 more problems" in problems[-1].message


# -- CSV text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("x,y\n1,1\n2,two\n", 3, "not a number"),
        ("x,y\n1,1\n2\n", 3, "1 value(s)"),
        ("x,y\n", 2, "no data rows"),
        ("a,b\n1,1\n", 1, "header"),
        ("x\n1\n", 1, "header"),
        ("", 1, "no header"),
        ("x,y\n1,1e400\n", 2, "not a usable number"),
        ("x,y\n1,1e13\n", 2, "not a usable number"),
        ('x,y\n1,"1\n', 2, "CSV syntax"),
        ("x,y\r" + "1,1\r" * (MAX_ROWS + 1), MAX_ROWS + 2, "data rows"),
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
