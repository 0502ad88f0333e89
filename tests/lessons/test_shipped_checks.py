"""The checks shipped with the course: current, the same lesson as validation gives, used only for
the package's own unchanged course files, and a first start reads no YAML and imports no pydantic."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from backprop_tutor.lessons import cache, load_lesson, shipped, translation
from backprop_tutor.lessons.plain import PageRecord, as_data
from tests.support import LESSONS, REPO, course_copy

SHIPPED = sorted(LESSONS.glob("*.yaml"))


def test_every_check_is_made_from_the_course_as_it_is():
    """Fails when a lesson, a translation or a CSV changed and the checks were not made again:
    run `python -m backprop_tutor.lessons.shipped`."""
    made = shipped.course_checks()
    assert len(made) == 2 * len(SHIPPED)  # each lesson and its Korean text
    on_disk = sorted(shipped.CHECKED.rglob("*.json"))
    assert on_disk == sorted(made), "checks of lessons gone, or missing: run python -m backprop_tutor.lessons.shipped"
    for file, entry in made.items():
        assert file.read_bytes() == shipped.encoded(entry), f"{file.name} is out of date: run python -m backprop_tutor.lessons.shipped"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_lesson_comes_from_its_check_as_validation_gives_it(path, tmp_path, monkeypatch):
    from backprop_tutor.lessons import loader

    fresh = load_lesson(path)
    monkeypatch.setattr(loader, "load_lesson", lambda _p: pytest.fail("validated: the shipped check was not used"))
    checked = cache.load_lesson_cached(path, tmp_path)
    assert isinstance(checked.pages[0], PageRecord)
    assert as_data(checked.spec) == as_data(fresh.spec)
    assert (checked.id, checked.path, checked.progress_key) == (fresh.id, fresh.path, fresh.progress_key)
    for exp in fresh.experiments():
        assert (checked.datasets[exp.id].X == fresh.datasets[exp.id].X).all()
    assert not list(tmp_path.iterdir())  # nothing written to the user's cache
    monkeypatch.undo()
    monkeypatch.setattr(translation, "load_translated", lambda *a: pytest.fail("checked again: the shipped check was not used"))
    korean = cache.translation_cached(checked, "ko", tmp_path)
    monkeypatch.undo()
    assert korean is not None and korean.language == "ko"
    validated = translation.lesson_in(fresh, "ko")
    assert validated is not None and as_data(korean.spec) == as_data(validated.spec)


def moved_course(tmp_path, monkeypatch):
    """The course somewhere else, taken for the shipped one (as an edited install would be)."""
    root = course_copy(tmp_path)
    monkeypatch.setattr(shipped, "shipped_root", lambda: root)
    return root


def test_a_changed_lesson_or_csv_is_validated_and_the_others_still_come_from_their_checks(tmp_path, monkeypatch):
    root = moved_course(tmp_path, monkeypatch)
    lesson03 = root / "lessons" / "lesson03.yaml"
    lesson03.write_bytes(lesson03.read_bytes().replace(b"The size of a step", b"How big a step is"))
    (root / "data" / "a.csv").write_bytes((root / "data" / "a.csv").read_bytes() + b"4,4\n")
    source = lambda p: shipped.sha256(p.read_bytes())  # noqa: E731
    assert shipped.shipped_spec(lesson03, source(lesson03)) is None  # its bytes are not the checked ones
    csv_lessons = [p for p in (root / "lessons").glob("*.yaml") if b"a.csv" in p.read_bytes()]
    assert csv_lessons and all(shipped.shipped_spec(p, source(p)) is None for p in csv_lessons)  # its data changed
    lesson01 = root / "lessons" / "lesson01.yaml"
    assert shipped.shipped_spec(lesson01, source(lesson01)) is not None
    title = cache.load_lesson_cached(lesson03, tmp_path / "cache").pages[0].title
    assert title == "How big a step is"  # validated from the file as it is now


def test_a_lesson_outside_the_shipped_course_never_comes_from_a_check(tmp_path):
    other = tmp_path / "mine"
    other.mkdir()
    shutil.copy(LESSONS / "lesson01.yaml", other / "lesson01.yaml")  # the same bytes, in a teacher's folder
    path = other / "lesson01.yaml"
    assert shipped.shipped_spec(path, shipped.sha256(path.read_bytes())) is None


def test_a_damaged_check_means_validating(tmp_path, monkeypatch):
    checks = tmp_path / "checked"
    shutil.copytree(shipped.CHECKED, checks)
    monkeypatch.setattr(shipped, "CHECKED", checks)
    path = LESSONS / "lesson02.yaml"
    source = shipped.sha256(path.read_bytes())
    assert shipped.shipped_spec(path, source) is not None
    (checks / "lesson02.json").write_text('{"format": 1, "source": "%s", "data": [], "spec": {"pages": 3}}' % source)
    assert shipped.shipped_spec(path, source) is None
    (checks / "lesson02.json").write_text("{not json")
    assert shipped.shipped_spec(path, source) is None


def test_a_first_start_of_a_shipped_lesson_imports_neither_pydantic_nor_yaml(tmp_path):
    env = {**os.environ, "TUTOR_CACHE_DIR": str(tmp_path)}  # an empty cache: this user's first start
    code = (
        "import sys; from pathlib import Path; from backprop_tutor.lessons.cache import load_lesson_cached as l;"
        "from backprop_tutor.tui.launch import make_app;"
        f"app = make_app(l(Path({str(LESSONS / 'lesson03.yaml')!r})), page=0, language='ko');"
        "assert app.session.lesson.language == 'ko', app.session.message;"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
