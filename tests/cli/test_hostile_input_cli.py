"""Issue 13 through the `tutor` command: file names and progress strings shown escaped, formulas
neutralised in CSV, exports created new, `reset` and `run` honest, no traceback for any argument."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.export import open_export_pair, safe_cell
from backprop_tutor.progress import FILE_NAME, LessonProgress, ProgressStore

from tests.cli.test_bad_input_cli import sealed, sealed_env  # noqa: F401 - a fixture
from tests.support import LESSONS, REPO

ESC = "\x1b"
MINI = "title: Mini\npages:\n  - title: run\n    experiment:\n      id: run\n      points: [[1, 1]]\n      init: {w: 3}\n      steps: 2\n"


def tutor(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def no_control(text: str) -> bool:
    return ESC not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text


# -- names and strings shown escaped -----------------------------------------------------------


def test_list_shows_a_file_name_with_an_escape_escaped(capsys, tmp_path):
    (tmp_path / f"evil{ESC}]0;pwned\x07.yaml").write_text('title: "plain"\npages:\n  - title: p\n')
    (tmp_path / "titled.yaml").write_text('title: "\\e[2J\\u202e"\npages:\n  - title: p\n')
    code, out, err = tutor(capsys, "list", "--lessons", str(tmp_path), "--state-dir", str(tmp_path / "state"))
    assert code == 0 and no_control(out + err)
    assert "evil\\x1b]0;pwned\\x07" in out and "\\x1b[2J\\u202e" in out


def test_list_reads_titles_only_and_marks_broken_files(capsys, tmp_path):
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n")
    (tmp_path / "late.yaml").write_text("pages:\n  - title: p\ntitle: Title after the pages\n")
    code, out, _ = tutor(capsys, "list", "--lessons", str(tmp_path), "--state-dir", str(tmp_path / "state"))
    assert code == 0
    assert "(invalid: run tutor validate)" in out.splitlines()[0] and "Title after the pages" in out


def test_progress_shows_titles_from_the_file_escaped(capsys, tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({"version": 1, "lessons": {
        f"lesson01{ESC}[2J": {"page": 0, "page_title": f"{ESC}]52;c;cHduZWQ=\x07", "pages": 2, "done": False,
                               "answers": {}, "updated": 0},
    }}))
    for args in ([], ["--json"]):
        code, out, err = tutor(capsys, "progress", "--state-dir", str(tmp_path), *args)
        assert code == 0 and no_control(out + err) and "\\x1b]52" in out


def test_another_lesson01_does_not_mark_the_shipped_one_done(capsys, tmp_path):
    course = tmp_path / "mine"
    course.mkdir()
    copy = course / "lesson01.yaml"
    copy.write_text(MINI)
    state = tmp_path / "state"
    code, out, _ = tutor(capsys, "list", "--lessons", str(course), "--state-dir", str(state))
    assert out.split()[:2] == ["lesson01", "new"]
    from backprop_tutor.lessons import load_lesson

    ProgressStore(state).save(load_lesson(copy).progress_key, LessonProgress(done=True))
    tutor(capsys, "list", "--lessons", str(course), "--state-dir", str(state))
    code, out, _ = tutor(capsys, "list", "--lessons", str(course), "--state-dir", str(state))
    assert out.split()[:2] == ["lesson01", "done"]
    code, out, _ = tutor(capsys, "list", "--state-dir", str(state))  # the shipped course
    assert out.splitlines()[0].split()[:2] == ["lesson01", "new"]


# -- spreadsheet formulas ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\\t=1"),
        ("\r=1", "'\\r=1"),
        ("-0.5", "-0.5"),  # a number, not a formula
        ("1e-05", "1e-05"),
        ("converged", "converged"),
        (-0.5, -0.5),
        (3, 3),
    ],
)
def test_formula_cells_are_neutralised(cell, written):
    assert safe_cell(cell) == written


def test_trace_csv_of_a_lesson_named_like_a_formula(capsys, tmp_path):
    lesson = tmp_path / '=HYPERLINK("http:evil","click").yaml'
    lesson.write_text(MINI)
    code, out, _ = tutor(capsys, "trace", str(lesson), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) == 4
    assert all(row[0] == '\'=HYPERLINK("http:evil","click")' for row in rows[1:])
    assert float(rows[2][3]) == 2.6  # numbers untouched


def test_trace_table_and_jsonl_show_a_hostile_file_name_escaped(capsys, tmp_path):
    lesson = tmp_path / f"x{ESC}[2J\u202e.yaml"
    lesson.write_text(MINI)
    for fmt in ("table", "jsonl", "csv"):
        code, out, err = tutor(capsys, "trace", str(lesson), "--format", fmt)
        assert code == 0 and no_control(out + err), fmt


# -- export files ------------------------------------------------------------------------------


def test_export_pair_creates_two_new_files(tmp_path):
    with open_export_pair("lesson01", "run", tmp_path) as files:
        files.csv_file.write("a\n")
        files.txt_file.write("b\n")
    assert files.csv_path.name == "lesson01-run-trace.csv" and files.txt_path.name == "lesson01-run-trace.txt"
    assert files.csv_path.read_text() == "a\n" and files.txt_path.read_text() == "b\n"


def test_an_existing_text_file_is_never_overwritten(tmp_path):
    notes = tmp_path / "lesson01-run-trace.txt"
    notes.write_text("my notes")
    with open_export_pair("lesson01", "run", tmp_path) as files:
        files.txt_file.write("plots")
    assert notes.read_text() == "my notes"
    assert (files.csv_path.name, files.txt_path.name) == ("lesson01-run-trace-2.csv", "lesson01-run-trace-2.txt")
    assert not (tmp_path / "lesson01-run-trace.csv").exists()


@pytest.mark.parametrize("kind", ["link to a file", "dangling link", "fifo"])
@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_links_and_pipes_at_the_names_are_left_alone(tmp_path, kind, suffix):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = tmp_path / "target"
    at = folder / f"lesson01-run-trace{suffix}"
    if kind == "link to a file":
        target.write_text("precious")
        at.symlink_to(target)
    elif kind == "dangling link":
        at.symlink_to(target)
    else:
        os.mkfifo(at)
    with open_export_pair("lesson01", "run", folder) as files:  # a FIFO would block an open() here
        files.csv_file.write("x")
    assert files.csv_path.name == "lesson01-run-trace-2.csv"
    assert (target.read_text() == "precious") if kind == "link to a file" else not target.exists()


def test_a_failed_export_leaves_no_files(tmp_path):
    with pytest.raises(RuntimeError):
        with open_export_pair("lesson01", "run", tmp_path) as files:
            files.csv_file.write("half")
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_export_names_do_not_start_like_an_option(tmp_path):
    with open_export_pair('=HYPERLINK("x")', "run", tmp_path) as files:
        assert files.csv_path.parent == tmp_path and not files.txt_path.name.startswith(("=", "-"))
    assert files.csv_path.name == "HYPERLINK-x-run-trace.csv"


# -- reset -------------------------------------------------------------------------------------


def test_reset_of_a_lesson_that_does_not_exist_says_so(capsys, tmp_path):
    ProgressStore(tmp_path).save("lesson03", LessonProgress(page=1))
    code, out, err = tutor(capsys, "reset", "lesson3", "--yes", "--state-dir", str(tmp_path))
    assert code == 1 and out == "" and "no lesson 'lesson3'" in err and "did you mean lesson03" in err
    assert ProgressStore(tmp_path).get("lesson03") is not None


@pytest.mark.parametrize("name", ["3", "lesson03", str(LESSONS / "lesson03.yaml")])
def test_reset_names_a_lesson_as_run_does(capsys, tmp_path, name):
    ProgressStore(tmp_path).save("lesson03", LessonProgress(page=1))
    code, out, _ = tutor(capsys, "reset", name, "--yes", "--state-dir", str(tmp_path))
    assert code == 0 and out == "Forgot lesson03.\n"


def test_reset_of_a_lesson_without_progress_has_nothing_to_forget(capsys, tmp_path):
    code, out, _ = tutor(capsys, "reset", "lesson02", "--yes", "--state-dir", str(tmp_path))
    assert code == 0 and out == "Nothing to forget.\n"


@pytest.mark.parametrize("state", ["a file", "inside a file", "newer"])
def test_reset_that_cannot_save_is_one_line(capsys, tmp_path, state):
    folder = tmp_path / "state"
    if state == "newer":
        folder.mkdir()
        (folder / FILE_NAME).write_text(json.dumps({"version": 99, "lessons": {"lesson01": {}}}))
    else:
        folder.write_text("x")
        folder = folder / "deeper" if state == "inside a file" else folder
    code, out, err = tutor(capsys, "reset", "--yes", "--state-dir", str(folder))
    assert code == 1 and "Traceback" not in err and len(err.splitlines()) == 1 and err.startswith("tutor: "), err


def test_commands_without_a_home_folder(capsys, monkeypatch):
    for var in ("TUTOR_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", "relative")
    code, out, err = tutor(capsys, "list")
    assert code == 0 and len(out.splitlines()) == 8 and "--state-dir" in err
    for command in ("progress", "reset"):
        code, out, err = tutor(capsys, command, "--yes") if command == "reset" else tutor(capsys, command)
        assert code == 1 and "Traceback" not in err and "--state-dir" in err


# -- run and trace outside a terminal ----------------------------------------------------------


def test_run_without_a_terminal_says_it_needs_one(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "backprop_tutor", "run", "lesson01"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=sealed_env(tmp_path), timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_trace_into_a_full_disk_is_one_line(tmp_path, fmt):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "backprop_tutor", "trace", "lesson02", "--format", fmt],
            stdout=full, stderr=subprocess.PIPE, text=True, env=sealed_env(tmp_path), timeout=60,
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.splitlines() == ["tutor: No space left on device"]


# -- any lesson argument -----------------------------------------------------------------------

ODD = ["³", "9" * 5000, "a" * 300 + ".yaml", "a\x00b", "/dev/zero", ".", f"x{ESC}[2J", "lesson3", "-", "~nobody/x"]


@pytest.mark.parametrize("command", ["trace", "run", "check", "validate", "reset"])
@pytest.mark.parametrize("name", ODD, ids=range(len(ODD)))
def test_any_lesson_argument_gets_clean_lines(capsys, sealed, command, name):  # noqa: F811
    args = [command, name] + (["--yes"] if command == "reset" else [])
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and no_control(out + err), err
    assert err.strip(), "a refusal says why"


def test_validate_reads_one_hundred_large_lessons_list_only_titles(capsys, tmp_path):
    rows = ", ".join(["[1, 1]"] * 2000)
    for i in range(100):
        (tmp_path / f"big{i:03d}.yaml").write_text(f"title: Big {i}\npages:\n  - title: one\n    experiment:\n"
                                                   f"      id: x\n      points: [{rows}]\n")
    code, out, _ = tutor(capsys, "list", "--lessons", str(tmp_path), "--state-dir", str(tmp_path / "s"))
    assert code == 0 and len(out.splitlines()) == 100 and out.splitlines()[99].endswith("Big 99")
