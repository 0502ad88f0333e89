"""The `tutor` command as a user types it: exit codes, output formats, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.progress import LessonProgress, ProgressStore

from tests.support import LESSONS, course_copy

BAD = Path(__file__).parent.parent / "lessons" / "bad"


def tutor(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_each_lesson_id_then_title(capsys, tmp_path):
    code, out, _ = tutor(capsys, "list", "--state-dir", str(tmp_path))
    lines = out.splitlines()
    lessons = [load_lesson(path) for path in lesson_files(LESSONS)]
    assert code == 0 and len(lines) == len(lessons) == 8
    for line, lesson in zip(lines, lessons):
        assert line.split()[:2] == [lesson.id, "new"] and line.endswith(lesson.title), line


def test_list_marks_a_lesson_in_progress_then_done(capsys, tmp_path):
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    store = ProgressStore(tmp_path)
    store.save(lesson.progress_key, LessonProgress(page=2, pages=len(lesson.pages)))
    marks = {line.split()[0]: line.split()[1] for line in tutor(capsys, "list", "--state-dir", str(tmp_path))[1].splitlines()}
    assert marks["lesson03"] == "in" and marks["lesson02"] == "new"  # "in progress"
    store.save(lesson.progress_key, LessonProgress(page=len(lesson.pages) - 1, pages=len(lesson.pages), done=True))
    marks = {line.split()[0]: line.split()[1] for line in tutor(capsys, "list", "--state-dir", str(tmp_path))[1].splitlines()}
    assert marks["lesson03"] == "done"


def test_validate_good_and_bad(capsys):
    code, out, _ = tutor(capsys, "validate", str(LESSONS / "lesson01.yaml"))
    lesson = load_lesson(LESSONS / "lesson01.yaml")
    questions = sum(p.question is not None for p in lesson.pages)
    assert code == 0 and questions >= 2
    summary = f"{len(lesson.pages)} pages, {questions} questions, ok\n"
    # The lesson, then its Korean text (validated against it, with the same pages and questions).
    assert out == f"{LESSONS / 'lesson01.yaml'}: {summary}{LESSONS / 'ko' / 'lesson01.yaml'}: {summary}"
    code, out, err = tutor(capsys, "validate", str(LESSONS / "lesson01.yaml"), str(BAD / "unknown_key.yaml"))
    assert code == 1 and len(out.splitlines()) == 2  # the good file's summaries, the bad one's problem
    assert err.strip() == f"{BAD / 'unknown_key.yaml'}:7: unknown key 'alpah' (did you mean 'alpha'?)"


def test_trace_jsonl_states_and_graph_events(capsys):
    code, out, _ = tutor(capsys, "trace", "lesson04", "--format", "jsonl", "--steps", "1")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    first_update = records[: records.index(next(r for r in records if r["kind"] == "state")) + 1]
    forward = [(r["node"], r["value"]) for r in first_update if r["kind"] == "forward"]
    backward = {r["node"]: r["grad"] for r in first_update if r["kind"] == "backward"}
    assert forward == [("h", 3), ("e", 2), ("E", 4)]
    assert backward["e"] == backward["h"] == backward["w"] == 4
    states = [r for r in records if r["kind"] == "state"]
    assert states[1]["params"] == {"w": pytest.approx(2.6)} and states[1]["step"] == 1
    assert set(states[0]) >= {"lesson", "experiment", "step", "params", "loss", "grad", "status"}


def test_trace_overrides_and_csv(capsys):
    code, out, _ = tutor(
        capsys, "trace", "lesson02", "--experiment", "l1-from-4", "--alpha", "2", "--init", "w=-2", "--format", "csv", "--steps", "4"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [float(r["w"]) for r in rows] == [-2, 0, 2, 0, 2]
    assert rows[-1]["status"] == "oscillating"


def test_trace_s_title_says_what_the_options_changed(capsys):
    code, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l1-alpha-1", "--alpha", "2", "--init", "w=5", "--steps", "2")
    title, _, *rows = out.splitlines()
    # The lesson's own run is "L1 from w = -2, α = 1": this one starts at 5 and steps by 2 (L1's slope is +1).
    assert title.startswith("lesson03 / l1-alpha-1: L1 from w = -2, α = 1 (here with α = 2, w = 5)"), title
    assert [row.split()[1] for row in rows if row.strip()] == ["5", "3", "1"]
    code, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l1-alpha-1", "--steps", "2")
    assert out.splitlines()[0].startswith("lesson03 / l1-alpha-1: L1 from w = -2, α = 1  (")  # only --steps: as the lesson


def test_trace_float32_lab01_prints_tensorflows_numbers(capsys):
    code, out, _ = tutor(capsys, "trace", "lesson08", "--experiment", "lab01", "--format", "jsonl")
    states = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(states) == 1002
    assert states[1]["params"]["w"] == 2.96 and states[701]["params"]["w"] == 1.0000029


def test_trace_table_is_aligned(capsys):
    code, out, _ = tutor(capsys, "trace", "3", "--experiment", "l2-alpha-2", "--steps", "3")
    lines = out.splitlines()
    assert code == 0 and "step" in lines[1]
    assert [line.split()[1] for line in lines[2:6]] == ["3", "-5", "19", "-53"]
    assert len({len(line) for line in lines[1:6]}) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "lesson99"),
        ("trace", "lesson02", "--alpha", "nan"),
        ("trace", "lesson02", "--init", "q=1"),
        ("trace", "lesson02", "--init", "w"),
        ("trace", "lesson02", "--steps", "1000000000000"),
        ("trace", "lesson02", "--experiment", "nope"),
        ("trace", "lesson02", "--data", "/nonexistent.csv"),
        ("run", str(BAD / "syntax_error.yaml")),
        ("run", "lesson99"),
    ],
)
def test_bad_requests_exit_1_with_one_clear_line(capsys, args):
    code, _, err = tutor(capsys, *args)
    assert code == 1
    assert "Traceback" not in err and err.count("\n") == 1 and ": " in err


def test_unknown_lesson_suggests_the_closest(capsys):
    _, _, err = tutor(capsys, "trace", "lesson9")
    assert "did you mean lesson0" in err and "lesson01" in err


def test_schema_is_json_with_the_lesson_keys(capsys):
    code, out, _ = tutor(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and set(schema["required"]) == {"title", "pages"}
    assert "Experiment" in schema["$defs"]


def test_check_passes_on_the_shipped_course(capsys):
    code, out, err = tutor(capsys, "check")
    assert code == 0, err
    lines = out.splitlines()
    korean = len(list((LESSONS / "ko").glob("*.yaml")))
    assert sum(line.endswith(" ok") and "(ko)" not in line for line in lines) == 8
    assert sum(line.endswith(" ok") and "(ko)" in line for line in lines) == korean  # each translation replayed too


def test_check_reports_a_broken_expectation(capsys, tmp_path):
    lesson = tmp_path / "mine.yaml"
    lesson.write_text(
        "title: t\npages:\n  - title: p\n    experiment:\n      id: e\n      points: [[1, 1]]\n"
        "      init: {w: 3}\n      alpha: 2\n      steps: 3\n      expect:\n        - {status: converged}\n"
    )
    code, _, err = tutor(capsys, "check", str(lesson))
    assert code == 1 and "status diverged at step 3, expected converged" in err
    assert err.startswith(f"{lesson}:11: e: expect #1: ")  # the line of the expectation that broke


def test_check_names_the_line_of_each_broken_expectation(capsys, tmp_path):
    lesson = tmp_path / "two.yaml"
    lesson.write_text(
        "title: t\npages:\n  - title: text only\n    text: hi\n"
        "  - title: p\n    experiment:\n      id: e\n      points: [[1, 1]]\n      init: {w: 4}\n"
        "      loss: l1\n      alpha: 1\n      steps: 3\n      expect:\n"
        "        - {step: 1, params: {w: 3}}\n"  # holds: the lecture's w = 4 → 3 (L1, α = 1)
        "        - {step: 2, params: {w: 5}}\n"  # line 15: w is 2 there
        "        - {step: 3, loss: 7}\n"  # line 16: E is 0 at w = 1
    )
    code, _, err = tutor(capsys, "check", str(lesson))
    assert code == 1
    assert [line.split(": e: ")[0] for line in err.splitlines()] == [f"{lesson}:15", f"{lesson}:16"]


def test_trace_reads_a_lesson_it_has_seen_from_the_cache(tmp_path):
    """Validated once per edit, as `tutor run`: a second `tutor trace` imports neither pydantic nor
    YAML, and prints the same bytes."""
    course = course_copy(tmp_path)  # a teacher's folder: the shipped course comes checked already
    code = (
        f"import sys; from backprop_tutor.cli import main; main(['trace', 'lesson08', '--lessons', {str(course)!r}, '--format', 'csv']); "
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules), file=sys.stderr)"
    )
    env = {"PATH": "/usr/bin:/bin", "TUTOR_CACHE_DIR": str(tmp_path / "cache"), "TUTOR_STATE_DIR": str(tmp_path / "state")}
    cold, warm = (subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True) for _ in range(2))
    assert cold.stderr.decode().strip() == "['pydantic', 'yaml']"
    assert warm.stderr.decode().strip() == "[]"
    assert warm.stdout == cold.stdout and warm.stdout.count(b"\n") == 2 * 1002 + 1


def test_python_dash_m_and_list_do_not_import_the_ui():
    code = (
        "import sys; from backprop_tutor.cli import main; main(['list']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
