"""Every bad lesson of the corpus through `tutor validate`, `trace` and `run`.

Each answer is exit status 1, exactly one `PATH:LINE: message` line per problem on stderr, no
traceback, nothing on stdout, and nothing written: not beside the lesson, not in the working
directory, not in the home or state folders. `run` refuses before the user interface is
imported, so no screen ever opens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.cli import main

from tests.lessons.test_bad_lessons import BAD, EXPECTED, GENERATED, PROBLEM_COUNT, REPORTED_IN
from tests.support import PROBLEM_LINE

COMMANDS = ("validate", "trace", "run")
LINE = PROBLEM_LINE


@pytest.fixture
def sealed(tmp_path, monkeypatch):
    """Empty working, home and state folders; returns them so a test can check they stay empty."""
    folders = {name: tmp_path / name for name in ("cwd", "home", "state", "xdg")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.chdir(folders["cwd"])
    monkeypatch.setenv("HOME", str(folders["home"]))
    monkeypatch.setenv("TUTOR_STATE_DIR", str(folders["state"]))
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(folders["xdg"]))
    return list(folders.values())


def snapshot(*folders: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under `folders` with its mode, size and modification time."""
    seen = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            info = os.lstat(path)
            seen[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return seen


def assert_refused(code: int, out: str, err: str, where: str, line: int, count: int = 1) -> None:
    """Exit 1, nothing on stdout, `count` clean problem lines, the first at `where:line`."""
    assert code == 1, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == count and err.endswith("\n"), err
    for text in lines:
        assert LINE.fullmatch(text), text
    first = LINE.fullmatch(lines[0])
    assert first and first["path"] == where and int(first["line"]) == line, lines[0]


def where_reported(name: str) -> str:
    """The path a corpus file's problem is printed with."""
    if name in REPORTED_IN:
        return str((BAD / REPORTED_IN[name]).resolve())
    return str(BAD / name)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_lesson_is_refused_by_every_command(capsys, sealed, name, command):
    before = snapshot(BAD, *sealed)
    code = main([command, str(BAD / name)])
    out, err = capsys.readouterr()
    assert_refused(code, out, err, where_reported(name), EXPECTED[name][0], PROBLEM_COUNT.get(name, 1))
    assert snapshot(BAD, *sealed) == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_input_is_refused_by_every_command(capsys, sealed, tmp_path, name, command):
    folder = tmp_path / "lessons"
    folder.mkdir()
    build, reported_in, line, _ = GENERATED[name]
    lesson = build(folder)
    before = snapshot(tmp_path)
    code = main([command, str(lesson)])
    out, err = capsys.readouterr()
    where = str((folder / reported_in).resolve()) if reported_in else str(lesson)
    assert_refused(code, out, err, where, line)
    assert snapshot(tmp_path) == before


def sealed_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child `tutor` whose home and state folders are empty temporaries."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for var in ("HOME", "TUTOR_STATE_DIR", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path)
    return env


@pytest.mark.parametrize("command", COMMANDS)
def test_python_dash_m_refuses_a_broken_lesson(tmp_path, command):
    lesson = BAD / "syntax_error.yaml"
    before = snapshot(BAD, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "backprop_tutor", command, str(lesson)],
        capture_output=True, text=True, cwd=tmp_path, env=sealed_env(tmp_path), stdin=subprocess.DEVNULL, timeout=60,
    )
    assert_refused(done.returncode, done.stdout, done.stderr, str(lesson), EXPECTED["syntax_error.yaml"][0])
    assert snapshot(BAD, tmp_path) == before


def test_run_refuses_a_huge_lesson_before_importing_the_ui(tmp_path):
    build, _, line, _ = GENERATED["fifty_megabytes"]
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson = build(folder)
    code = (
        "import sys; from backprop_tutor.cli import main; status = main(['run', sys.argv[1]]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'plotext'})); sys.exit(status)"
    )
    before = snapshot(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", code, str(lesson)],
        capture_output=True, text=True, cwd=folder, env=sealed_env(tmp_path), stdin=subprocess.DEVNULL, timeout=60,
    )
    assert done.stdout.strip() == "[]"
    assert_refused(done.returncode, "", done.stderr, str(lesson), line)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ("trace", "run"))
@pytest.mark.parametrize("name", ["³", "9" * 5000, "a" * 300 + ".yaml", "a\x00b", "/dev/zero", "."])
def test_odd_lesson_names_get_one_clean_line(capsys, sealed, command, name):
    code = main([command, name])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "Traceback" not in err
    assert len(err.splitlines()) == 1 and LINE.fullmatch(err.rstrip("\n")), err


@pytest.mark.parametrize("data", ["/dev/zero", "."])
def test_data_that_is_not_a_regular_file_is_refused_unread(capsys, sealed, data):
    code = main(["trace", "lesson02", "--data", data])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and LINE.fullmatch(err.rstrip("\n")), err
