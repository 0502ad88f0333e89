"""`grep -c ':0:'` over every message of the bad-input corpus is 0, and every line is a real one.

The corpus: each broken lesson of `tests/lessons/bad` (and the faults built in tmp_path), the odd
lesson names of the hostile-input tests, and odd arguments to every command that takes a lesson.
Each message is `PATH:LINE: message` with LINE a line the named file has, or `PATH: message`
for a problem of the file as a whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.cli import main
from tests.cli.test_bad_input_cli import sealed  # noqa: F401 - a fixture
from tests.cli.test_hostile_input_cli import ODD
from tests.lessons.test_bad_lessons import BAD, EXPECTED, GENERATED
from tests.support import PROBLEM_LINE


def assert_real_lines(err: str) -> int:
    """Every line of `err` is one problem, none at line 0, each at a line its file has; returns
    how many problems named a line (the others are about a file as a whole)."""
    assert err.strip(), "a refusal says why"
    assert ":0:" not in err, err
    located = 0
    for text in err.splitlines():
        match = PROBLEM_LINE.fullmatch(text)
        assert match, text
        if match["line"] is None:
            continue
        path = Path(match["path"])
        assert path.is_file(), text  # a line is only ever given in a file
        lines = path.read_bytes().count(b"\n") + 1
        assert 1 <= int(match["line"]) <= lines, text
        located += 1
    return located


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_corpus_file_through_validate(capsys, sealed, name):  # noqa: F811
    assert main(["validate", str(BAD / name)]) == 1
    assert_real_lines(capsys.readouterr().err)


def test_the_whole_corpus_in_one_validate(capsys, sealed):  # noqa: F811
    assert main(["validate", *sorted(str(BAD / name) for name in EXPECTED)]) == 1
    err = capsys.readouterr().err
    assert err.count(":0:") == 0
    # Nearly every fault of the corpus is at a line: the checks on line numbers above really ran.
    assert assert_real_lines(err) >= len(EXPECTED) // 2


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_faults_through_validate(capsys, sealed, tmp_path, name):  # noqa: F811
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson = GENERATED[name][0](folder)
    assert main(["validate", str(lesson)]) == 1
    assert_real_lines(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["validate", "check", "trace", "run", "reset"])
@pytest.mark.parametrize("name", ODD, ids=range(len(ODD)))
def test_odd_names_name_the_file_alone(capsys, sealed, command, name):  # noqa: F811
    main([command, name] + (["--yes"] if command == "reset" else []))
    assert_real_lines(capsys.readouterr().err)


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "lesson02", "--experiment", "nope"],
        ["trace", "lesson01", "--init", "w"],
        ["trace", "lesson02", "--alpha", "-1"],
        ["run", "lesson03", "--page", "99"],
        ["run", "lesson03:nope"],
        ["list", "--lessons", "/nonexistent/folder"],
    ],
)
def test_command_line_mistakes_have_no_line_zero(capsys, sealed, args):  # noqa: F811
    assert main(args) == 1
    err = capsys.readouterr().err
    assert ":0:" not in err and len(err.splitlines()) == 1, err
