"""The command line in Korean (issue 15): `--lang`, the language remembered, `list`, `progress`, `reset`."""

from __future__ import annotations

import argparse

import pytest

from backprop_tutor.cli import main
from backprop_tutor.cli.app import run_language
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.translation import lesson_in
from backprop_tutor.progress import LessonProgress, ProgressStore
from backprop_tutor.text_cells import cell_width

from tests.support import LESSONS


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for var in ("TUTOR_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def test_lang_is_remembered_with_the_progress_and_used_next_time(tmp_path):
    store = ProgressStore(tmp_path)
    assert run_language(argparse.Namespace(lang="ko"), store) == "ko"
    again = ProgressStore(tmp_path)
    assert run_language(argparse.Namespace(lang=None), again) == "ko"  # no flag: the choice remembered
    assert run_language(argparse.Namespace(lang="en"), ProgressStore(tmp_path)) == "en"
    assert run_language(argparse.Namespace(lang=None), ProgressStore(tmp_path)) == "en"


def test_a_korean_locale_runs_in_korean_without_being_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert run_language(argparse.Namespace(lang=None), ProgressStore(tmp_path)) == "ko"
    assert not (tmp_path / "progress.json").exists()


def test_list_progress_and_reset_speak_korean(capsys, tmp_path, monkeypatch):
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    ProgressStore(tmp_path).save("lesson03", LessonProgress(page=2, page_title="L1, α = 2: 진동", pages=13))
    assert main(["list", "--lang", "ko", "--state-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if line.startswith("lesson03"))
    korean_title = load_lesson(LESSONS / "lesson03.yaml").title  # the English lesson's title…
    assert "진행 중" in row and korean_title not in row and "학습률" in row  # …replaced by the Korean one
    new = next(line for line in lines if line.startswith("lesson01"))
    # The columns line up in cells: the title starts at the same column on every row.
    first = lesson_in(load_lesson(LESSONS / "lesson01.yaml"), "ko").title
    assert cell_width(row[: row.index("학습률")]) == cell_width(new[: new.index(first)]) == 24
    assert main(["progress", "--lang", "ko", "--state-dir", str(tmp_path)]) == 0
    assert "13쪽 중 3쪽" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["reset", "lesson03", "--lang", "ko", "--state-dir", str(tmp_path)]) == 1
    assert "lesson03의 진도를 지우지 않습니다" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "예")  # yes, typed with a Korean input method
    assert main(["reset", "lesson03", "--lang", "ko", "--state-dir", str(tmp_path)]) == 0
    assert "지웠습니다: lesson03." in capsys.readouterr().out
    assert ProgressStore(tmp_path).get("lesson03") is None and lesson.id == "lesson03"


def test_the_readme_and_the_help_say_that_lang_is_remembered(capsys):
    from tests.support import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("tutor run lesson03 --lang ko"))
    assert "remembered for later runs" in line and "--lang en" in line
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "remembered for later runs" in " ".join(capsys.readouterr().out.split())
