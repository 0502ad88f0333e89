"""The lesson cache: a warm start gives the same lesson, and a cache file is never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import cache, load_lesson
from backprop_tutor.lessons.plain import PageRecord, as_data
from tests.support import LESSONS, REPO, course_copy

SHIPPED = sorted(LESSONS.glob("*.yaml"))


def _only_file(folder: Path) -> Path:
    [file] = list(folder.iterdir())
    return file


def _cached_twice(path: Path, folder: Path, monkeypatch) -> tuple:
    """The lesson loaded cold (validated, written) and then warm (read back, not validated)."""
    cold = cache.load_lesson_cached(path, folder)
    from backprop_tutor.lessons import loader

    def refuse(_path):
        raise AssertionError("validated again: the cache was not used")

    monkeypatch.setattr(loader, "load_lesson", refuse)
    warm = cache.load_lesson_cached(path, folder)
    monkeypatch.undo()
    return cold, warm


@pytest.mark.parametrize("shipped", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_lesson_round_trips(shipped, tmp_path, monkeypatch):
    path = course_copy(tmp_path) / "lessons" / shipped.name  # validated and cached, not read from the checks it ships with
    cold, warm = _cached_twice(path, tmp_path / "cache", monkeypatch)
    fresh = load_lesson(path)
    assert isinstance(warm.pages[0], PageRecord)  # really the cached copy
    assert as_data(warm.spec) == as_data(fresh.spec) == as_data(cold.spec)
    assert (warm.id, warm.path, warm.title, warm.progress_key) == (fresh.id, fresh.path, fresh.title, fresh.progress_key)
    assert [p.key for p in warm.pages] == [p.key for p in fresh.pages]
    for a, b in zip(warm.experiments(), fresh.experiments()):
        assert a.param_names == b.param_names and a.alpha == b.alpha and a.steps == b.steps
        assert (warm.datasets[a.id].X == fresh.datasets[b.id].X).all()
        assert (warm.datasets[a.id].y == fresh.datasets[b.id].y).all()
    for a, b in zip(warm.pages, fresh.pages):
        if b.question is not None:
            assert a.question is not None and a.question.correct_choice() == b.question.correct_choice()
            for reply in ("a", "b", "1", "0.5", "-1", "x"):
                assert a.question.accepts(reply, 0.5) == b.question.accepts(reply, 0.5)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(LESSONS / "lesson03.yaml", folder / "lesson03.yaml")
    return folder / "lesson03.yaml"


def _spoil_and_reload(tmp_path: Path, spoil) -> tuple:
    path = _copy(tmp_path)
    store = tmp_path / "cache"
    cache.load_lesson_cached(path, store)
    file = _only_file(store)
    spoil(file)
    calls = []
    from backprop_tutor.lessons import loader

    real = loader.load_lesson
    loader.load_lesson = lambda p: calls.append(p) or real(p)
    try:
        lesson = cache.load_lesson_cached(path, store)
    finally:
        loader.load_lesson = real
    return lesson, calls, file


def _edit_entry(change):
    def spoil(file: Path) -> None:
        entry = json.loads(file.read_bytes())
        change(entry)
        file.write_text(json.dumps(entry))
    return spoil


SPOILERS = {
    "truncated": lambda f: f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2]),
    "empty": lambda f: f.write_bytes(b""),
    "not json": lambda f: f.write_bytes(b"\xff\xfe garbage"),
    "a list": lambda f: f.write_text("[1, 2]"),
    "edited text, old checksum": _edit_entry(lambda e: e["spec"]["pages"][0].update(text="forged")),
    "edited steps, old checksum": _edit_entry(
        lambda e: next(p for p in e["spec"]["pages"] if p["experiment"])["experiment"].update(steps=10**9)
    ),
    "other code version": _edit_entry(lambda e: e.update(code="0" * 64)),
    "other format": _edit_entry(lambda e: e.update(format=99)),
    "other file's hash": _edit_entry(lambda e: e.update(source="0" * 64)),
    "other path (a foreign file)": _edit_entry(lambda e: e.update(path="/elsewhere/lesson03.yaml")),
    "world-writable": lambda f: f.chmod(0o666),
    "deep nesting": lambda f: f.write_text("[" * 100_000 + "]" * 100_000),
}


@pytest.mark.parametrize("how", sorted(SPOILERS))
def test_a_spoiled_cache_file_is_rebuilt_not_trusted(tmp_path, how):
    lesson, calls, file = _spoil_and_reload(tmp_path, SPOILERS[how])
    assert calls, "the spoiled cache file was used"
    assert as_data(lesson.spec) == as_data(load_lesson(lesson.path).spec)
    if how != "world-writable":  # rebuilt: the next start is warm again
        entry = json.loads(file.read_bytes())
        assert entry["source"] != "0" * 64 and entry["check"] == cache._checksum([entry["spec"], entry["data"]])


def test_a_checksummed_forgery_of_another_shape_is_refused(tmp_path):
    def forge(file: Path) -> None:
        entry = json.loads(file.read_bytes())
        entry["spec"]["pages"][0] = {"title": "no other fields"}
        entry["check"] = cache._checksum([entry["spec"], entry["data"]])
        file.write_text(json.dumps(entry))

    _lesson, calls, _file = _spoil_and_reload(tmp_path, forge)
    assert calls


def test_an_edited_lesson_is_validated_again_with_its_line(tmp_path):
    path = _copy(tmp_path)
    store = tmp_path / "cache"
    cache.load_lesson_cached(path, store)
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("alpha:"))
    lines[at] = lines[at].split("alpha:")[0] + "alpha: -1\n"
    path.write_text("".join(lines))
    with pytest.raises(LessonError) as caught:
        cache.load_lesson_cached(path, store)
    problem = caught.value.problems[0]
    assert str(problem).startswith(f"{path}:{at + 1}: ") and "alpha" in problem.message


def test_an_edited_csv_is_read_again(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "d.csv").write_text("x,y\n1,2\n")
    path = folder / "l.yaml"
    path.write_text("title: t\npages:\n  - title: p\n    experiment:\n      id: e\n      csv: d.csv\n")
    store = tmp_path / "cache"
    assert cache.load_lesson_cached(path, store).datasets["e"].y.tolist() == [2.0]
    (folder / "d.csv").write_text("x,y\n1,5\n3,4\n")
    assert cache.load_lesson_cached(path, store).datasets["e"].y.tolist() == [5.0, 4.0]
    (folder / "d.csv").write_text("x,y\n1,oops\n")
    with pytest.raises(LessonError) as caught:
        cache.load_lesson_cached(path, store)
    assert Path(caught.value.problems[0].path).name == "d.csv"


def test_a_cache_that_cannot_be_written_costs_nothing(tmp_path):
    path = _copy(tmp_path)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    lesson = cache.load_lesson_cached(path, blocked / "cache")
    assert lesson.title == load_lesson(path).title
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        assert cache.load_lesson_cached(path, ro).title == lesson.title
        assert not list(ro.iterdir())


def test_writes_are_atomic_and_private(tmp_path):
    path = _copy(tmp_path)
    store = tmp_path / "cache"
    cache.load_lesson_cached(path, store)
    file = _only_file(store)
    assert [p.name for p in store.iterdir()] == [file.name]  # no temporary file left behind
    assert file.stat().st_mode & 0o077 == 0 and store.stat().st_mode & 0o077 == 0


def test_tutor_cache_dir_is_where_the_cache_goes(tmp_path):
    assert cache.cache_dir({"TUTOR_CACHE_DIR": str(tmp_path)}) == tmp_path / "lessons"
    assert cache.cache_dir({}).name == "lessons"


def test_a_warm_start_imports_neither_pydantic_nor_yaml(tmp_path):
    env = {**os.environ, "TUTOR_CACHE_DIR": str(tmp_path / "cache")}
    code = (
        "import sys; from pathlib import Path; from backprop_tutor.lessons.cache import load_lesson_cached as l;"
        f"l(Path({str(course_copy(tmp_path) / 'lessons' / 'lesson03.yaml')!r})); import backprop_tutor.tui.launch, backprop_tutor.cli.main, backprop_tutor.tui.app;"
        "print(sorted(m for m in ('pydantic', 'yaml', 'plotext', 'backprop_tutor.cli.tracing', 'backprop_tutor.until', 'backprop_tutor.tui.graph_view') if m in sys.modules))"
    )
    code = code.replace("print(", "print(sorted(m for m in ('numpy',) if m in sys.modules) + ")  # nor numpy, on a text page
    # nor the code of other commands (`trace`, `--until`): the command line imports a command's code when it runs
    first = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['numpy', 'pydantic', 'yaml']"  # cold: validated, data read
    assert second.stdout.strip() == "[]"  # warm: none, no data read and no plot drawn yet
