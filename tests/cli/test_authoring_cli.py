"""Issue 16 through the `tutor` command: `new`, `run --page`, course folders, `--version`, `progress`,
and the docs' walkthrough against the package laid out as `pip install .` lays it out."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor import __version__
from backprop_tutor.cli import main
from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.page_names import find_page, split_page
from backprop_tutor.progress import AnswerRecord, LessonProgress, ProgressStore
from backprop_tutor.session import Session

from tests.cli.test_bad_input_cli import sealed, sealed_env  # noqa: F401 - a fixture
from tests.support import LESSONS, PROBLEM_LINE, REPO


def tutor(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- tutor new ---------------------------------------------------------------------------------


def test_new_validates_and_checks_in_a_fresh_folder(tmp_path):
    """`tutor new mylesson && tutor validate lessons/mylesson.yaml && tutor check --lessons lessons`."""
    env = sealed_env(tmp_path)
    script = (
        f"{sys.executable} -m backprop_tutor new mylesson && "
        f"{sys.executable} -m backprop_tutor validate lessons/mylesson.yaml && "
        f"{sys.executable} -m backprop_tutor check --lessons lessons"
    )
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert "lessons/mylesson.yaml: 6 pages, 4 questions, ok" in lines
    assert "mylesson: 6 pages, 6 expectations, ok" in lines
    assert sorted(p.name for p in (tmp_path / "lessons").iterdir()) == ["mylesson.csv", "mylesson.yaml"]


def test_the_starter_shows_every_kind_of_page_and_runs(capsys, sealed):  # noqa: F811
    assert tutor(capsys, "new", "starter")[0] == 0
    path = Path("lessons/starter.yaml")
    text = path.read_text()
    lesson = load_lesson(path)
    pages = lesson.pages
    assert any(p.experiment is None and p.question is None for p in pages)  # text
    assert any(p.experiment and not p.experiment.graph for p in pages)  # experiment
    assert any(p.experiment and p.experiment.graph for p in pages)  # graph
    assert any(p.question and p.question.predict for p in pages)  # predict
    assert any(p.question and p.question.choices for p in pages)  # multiple choice
    assert any(p.question and p.question.answer is not None and not p.question.choices for p in pages)  # numeric
    assert any(p.experiment and p.experiment.csv == "starter.csv" for p in pages)  # data from the CSV beside it
    assert text.count("\n  # ") >= 6  # a comment before each kind of page
    session = Session(lesson)
    for index, page in enumerate(pages):  # every page draws, steps, and takes its answer
        session.go_to_page(index)
        session.press("space")
        frame = session.frame()
        assert frame.header.page == index + 1
        q = page.question
        if q is not None and q.predict is None:
            right = chr(ord("a") + q.correct_choice()) if q.choices else str(q.answer)
            assert session.submit(right), (page.title, session.message)


def test_new_refuses_to_overwrite(capsys, sealed):  # noqa: F811
    assert tutor(capsys, "new", "mine")[0] == 0
    Path("lessons/mine.yaml").write_text("title: my own work\n")
    code, out, err = tutor(capsys, "new", "mine")
    assert code == 1 and out == ""
    assert err == "lessons/mine.yaml: already exists: tutor new never overwrites, pick another NAME\n"
    assert Path("lessons/mine.yaml").read_text() == "title: my own work\n"


@pytest.mark.parametrize("name", ["../up", "a b", "", ".hidden", "x" * 41])
def test_new_refuses_a_name_that_is_not_an_id(capsys, sealed, name):  # noqa: F811
    code, _, err = tutor(capsys, "new", name)
    assert code == 1 and PROBLEM_LINE.fullmatch(err.rstrip("\n")) and ":0:" not in err, err
    assert not Path("lessons").exists()


def test_new_from_copies_a_lesson_and_its_data(capsys, sealed):  # noqa: F811
    code, out, _ = tutor(capsys, "new", "mine05", "--from", "lesson05")
    assert code == 0 and "lessons/mine05.yaml" in out
    assert Path("lessons/mine05.yaml").read_text() == (LESSONS / "lesson05.yaml").read_text()
    assert Path("lessons/a.csv").read_text() == (REPO / "data" / "a.csv").read_text()
    # Its Korean text too, where the loader finds a translation of the copy: lessons/ko/mine05.yaml.
    korean = Path("lessons/ko/mine05.yaml").read_text(encoding="utf-8")
    assert korean.splitlines()[1:] == (LESSONS / "ko" / "lesson05.yaml").read_text(encoding="utf-8").splitlines()[1:]
    assert korean.startswith("# Korean text for lessons/mine05.yaml")
    code, out, _ = tutor(capsys, "validate", "lessons/mine05.yaml")
    assert code == 0 and "lessons/ko/mine05.yaml" in out
    # `tutor check` replays both languages, as it does lesson05.
    code, checked, _ = tutor(capsys, "check", "mine05")
    assert code == 0 and checked == tutor(capsys, "check", "lesson05")[1].replace("lesson05", "mine05")
    assert "mine05 (ko): " in checked


# -- run --page --------------------------------------------------------------------------------


@pytest.fixture
def lesson03():
    return load_lesson(LESSONS / "lesson03.yaml")


def test_a_page_by_number_key_title_or_experiment(lesson03):
    spec = lesson03.spec
    assert find_page(spec, "5", lesson03.path) == 4
    third = spec.pages[2]
    assert find_page(spec, third.key, lesson03.path) == 2
    assert find_page(spec, third.title, lesson03.path) == 2  # the title as typed is slugged
    with_run = next(i for i, p in enumerate(spec.pages) if p.experiment)
    assert find_page(spec, spec.pages[with_run].experiment.id, lesson03.path) == with_run


def test_a_page_named_as_a_lab_keyboard_types_it(lesson03):
    spec = lesson03.spec
    divergence = next(i for i, p in enumerate(spec.pages) if p.title == "L2, α = 2: divergence")
    assert find_page(spec, "l2-alpha-2-divergence", lesson03.path) == divergence  # alpha for α
    assert find_page(spec, "divergence", lesson03.path) == divergence  # the one page with that word
    with pytest.raises(LessonError) as caught:
        find_page(spec, "bounce", lesson03.path)  # two pages bounce: both named, neither opened
    assert "did you mean l1-alpha-2-a-bounce or l2-alpha-1-a-bounce?" in str(caught.value.problems[0])


def test_the_readme_and_docs_page_examples_open_a_page_of_lesson03(lesson03):
    examples = set()
    for doc in (REPO / "README.md", REPO / "docs" / "lessons.md"):
        examples |= set(re.findall(r"--page ([a-z][\w-]*)", doc.read_text(encoding="utf-8")))
    assert examples  # the docs still show one
    for name in examples:
        find_page(lesson03.spec, name, lesson03.path)  # raises if no page is named so


@pytest.mark.parametrize("wanted", ["0", "99", "no-such-page", "-1"])
def test_a_page_that_does_not_exist_is_one_clear_line(lesson03, wanted):
    with pytest.raises(LessonError) as caught:
        find_page(lesson03.spec, wanted, lesson03.path)
    (problem,) = caught.value.problems
    text = str(problem)
    assert text.startswith(f"{lesson03.path}: no page ") and "\n" not in text and ":0:" not in text
    assert f"pages 1 to {len(lesson03.pages)}" in text


@pytest.mark.parametrize(
    ("name", "split"),
    [("lesson03:5", ("lesson03", "5")), ("lesson03", ("lesson03", None)), ("x.yaml:learning-rate", ("x.yaml", "learning-rate")),
     (":5", (":5", None)), ("lesson03:", ("lesson03:", None))],
)
def test_lesson_colon_page(name, split):
    assert split_page(name) == split


@pytest.mark.parametrize("args", [["lesson03", "--page", "5"], ["lesson03:5"], ["3:5"]])
def test_run_opens_the_page_asked_for(capsys, sealed, monkeypatch, args):  # noqa: F811
    import backprop_tutor.tui.launch as launch

    asked = {}
    monkeypatch.setattr(launch, "run_app", lambda lesson, **kw: asked.update(kw, lesson=lesson) or 0)
    monkeypatch.setenv("TEXTUAL_DRIVER", "pretend")  # past the terminal check: run_app is the fake
    assert tutor(capsys, "run", *args)[0] == 0
    assert asked["page"] == 4 and asked["lesson"].id == "lesson03" and asked["watch"] is False


def test_run_with_two_pages_asked_for_says_so(capsys, sealed):  # noqa: F811
    code, _, err = tutor(capsys, "run", "lesson03:2", "--page", "3")
    assert code == 1 and err.startswith("command line: two pages asked for")


# -- course folders ----------------------------------------------------------------------------


def write_course(root: Path) -> Path:
    """An instructor's folder laid out as the shipped course: lessons/ beside data/."""
    (root / "lessons").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "three.csv").write_text("x,y\n1,1\n2,2\n3,3\n")
    (root / "lessons" / "week1.yaml").write_text(
        "title: Week one\npages:\n  - title: run\n    experiment:\n      id: three\n      csv: three.csv\n"
        "      init: {w: 3}\n      steps: 3\n      expect:\n        - {step: 0, loss: 18.6667, tolerance: 0.001}\n"
    )
    return root


@pytest.mark.parametrize("given", ["course", "course/lessons"])
def test_a_course_folder_with_its_data(capsys, sealed, tmp_path, given):  # noqa: F811
    write_course(tmp_path / "course")
    folder = str(tmp_path / given)
    code, out, _ = tutor(capsys, "list", "--lessons", folder)
    assert code == 0 and out.split()[:3] == ["week1", "new", "Week"]
    assert tutor(capsys, "check", "--lessons", folder)[1] == "week1: 1 pages, 1 expectations, ok\n"
    assert tutor(capsys, "trace", "week1", "--lessons", folder, "--steps", "1")[0] == 0


def test_a_csv_in_the_lessons_own_data_folder(capsys, sealed, tmp_path):  # noqa: F811
    course = write_course(tmp_path / "course")
    shutil.move(course / "data", course / "lessons" / "data")
    assert tutor(capsys, "check", "--lessons", str(course / "lessons"))[0] == 0


def test_tutor_lessons_sets_the_folder_and_lessons_wins(capsys, sealed, tmp_path, monkeypatch):  # noqa: F811
    write_course(tmp_path / "course")
    monkeypatch.setenv("TUTOR_LESSONS", str(tmp_path / "course"))
    assert tutor(capsys, "list")[1].split()[0] == "week1"
    assert tutor(capsys, "check", "week1")[0] == 0
    assert tutor(capsys, "list", "--lessons", str(LESSONS))[1].split()[0] == "lesson01"


# -- the docs' walkthrough, installed as `pip install .` installs -------------------------------


def installed_copy(site: Path) -> Path:
    """The package as the wheel holds it (pyproject's force-include: the course inside it)."""
    shutil.copytree(REPO / "src" / "backprop_tutor", site / "backprop_tutor", ignore=shutil.ignore_patterns("__pycache__"))
    text = (REPO / "pyproject.toml").read_text()
    mapping = re.findall(r'^"(\w+)" = "backprop_tutor/(course/\w+)"$', text, flags=re.M)
    assert dict(mapping) == {"lessons": "course/lessons", "data": "course/data"}
    for source, target in mapping:
        shutil.copytree(REPO / source, site / "backprop_tutor" / target)
    return site


def walkthrough() -> tuple[str, list[tuple[str, list[str]]]]:
    """docs/lessons.md's small lesson, and its console: each command with the lines it prints."""
    doc = (REPO / "docs" / "lessons.md").read_text()
    section = doc[doc.index("## A complete small lesson"):]
    lesson = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    console = section.split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:].split("#")[0].strip(), []))
        elif line.strip():
            steps[-1][1].append(line)
    return lesson, steps


def test_the_docs_walkthrough_after_a_non_editable_install(tmp_path):
    site = installed_copy(tmp_path / "site")
    work = tmp_path / "instructor"
    (work / "lessons").mkdir(parents=True)
    lesson, steps = walkthrough()
    (work / "lessons" / "lesson09.yaml").write_text(lesson)
    env = dict(sealed_env(tmp_path), PYTHONPATH=str(site))
    where = subprocess.run(
        [sys.executable, "-c", "import backprop_tutor, sys; print(backprop_tutor.__file__)"],
        capture_output=True, text=True, cwd=work, env=env, timeout=60,
    )
    assert where.stdout.startswith(str(site)), where  # the installed copy, not the checkout
    assert [command.split()[:2] for command, _ in steps][:2] == [["tutor", "validate"], ["tutor", "check"]]
    for command, printed in steps:
        args = command.split()[1:]
        done = subprocess.run(
            [sys.executable, "-m", "backprop_tutor", *args],
            capture_output=True, text=True, cwd=work, env=env, stdin=subprocess.DEVNULL, timeout=120,
        )
        if args[0] == "run":  # no terminal here: it found and loaded the lesson, then says what it needs
            assert done.returncode == 1 and "needs a terminal" in done.stderr, done.stderr
            continue
        assert done.returncode == 0, (command, done.stderr)
        for line in printed:
            assert line in done.stdout.splitlines(), (command, done.stdout)


# -- --version, progress -----------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"tutor {__version__}\n"


def test_progress_counts_right_answers_out_of_the_lessons_questions(capsys, tmp_path, lesson03):
    keys = [p.key for p in lesson03.pages if p.question is not None]
    assert len(keys) >= 3
    answers = {keys[0]: AnswerRecord(True, 1), keys[1]: AnswerRecord(False, 3)}  # one right, one tried
    ProgressStore(tmp_path).save("lesson03", LessonProgress(page=2, pages=len(lesson03.pages), answers=answers))
    code, out, _ = tutor(capsys, "progress", "--state-dir", str(tmp_path))
    assert code == 0 and f"questions right 1/{len(keys)}" in out


def test_progress_of_a_lesson_that_is_gone_says_what_it_remembers(capsys, tmp_path):
    gone = str(tmp_path / "gone.yaml")
    answers = {"a": AnswerRecord(True, 1), "b": AnswerRecord(False, 2)}
    ProgressStore(tmp_path).save(gone, LessonProgress(page=0, pages=2, answers=answers))
    code, out, _ = tutor(capsys, "progress", "--state-dir", str(tmp_path))
    assert code == 0 and "answered right 1/2" in out


def test_help_names_the_new_commands(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    assert "--watch" in text and "--page" in text


def test_list_and_check_include_the_lessons_written_here(capsys, sealed):  # noqa: F811
    assert tutor(capsys, "new", "mylesson")[0] == 0  # ./lessons/mylesson.yaml, as tutor run finds it
    code, out, _ = tutor(capsys, "list")
    rows = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and rows == [f"lesson0{i}" for i in range(1, 9)] + ["mylesson"], out
    assert out.splitlines()[-1].split(None, 2)[1:] == ["new", "mylesson: a starter lesson"]
    code, out, err = tutor(capsys, "check")
    assert code == 0, err
    assert "mylesson: 6 pages, 6 expectations, ok" in out.splitlines()
