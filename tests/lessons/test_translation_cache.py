"""The lesson cache keeps translations too: a warm `--lang ko` start reads no YAML and imports no
pydantic, and a cached translation is used only for the very files (and code) it was checked from."""

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
from backprop_tutor.lessons import translation as translation_module
from backprop_tutor.lessons.plain import PageRecord, as_data
from backprop_tutor.lessons.translation import lesson_in
from tests.lessons.test_cache import SPOILERS
from tests.support import LESSONS, REPO, course_copy

TRANSLATED = sorted((LESSONS / "ko").glob("*.yaml"))


def _course(tmp_path: Path) -> Path:
    """lesson03 and its Korean text, copied where a test may edit them."""
    folder = tmp_path / "course"
    (folder / "ko").mkdir(parents=True)
    shutil.copy(LESSONS / "lesson03.yaml", folder / "lesson03.yaml")
    shutil.copy(LESSONS / "ko" / "lesson03.yaml", folder / "ko" / "lesson03.yaml")
    return folder / "lesson03.yaml"


def _checks(monkeypatch) -> list[Path]:
    """Every translation checked from its YAML from now on (a cache hit checks none)."""
    calls: list[Path] = []
    real = translation_module.load_translated
    monkeypatch.setattr(translation_module, "load_translated", lambda e, p, *a: calls.append(p) or real(e, p, *a))
    return calls


@pytest.mark.parametrize("path", TRANSLATED, ids=[p.stem for p in TRANSLATED])
def test_every_shipped_translation_round_trips(path, tmp_path, monkeypatch):
    english = load_lesson(LESSONS / path.name)
    cold = cache.translation_cached(english, "ko", tmp_path)
    calls = _checks(monkeypatch)
    warm = cache.translation_cached(english, "ko", tmp_path)
    assert calls == [] and isinstance(warm.pages[0], PageRecord)  # really the cached copy
    fresh = lesson_in(english, "ko")
    assert as_data(warm.spec) == as_data(cold.spec) == as_data(fresh.spec)
    assert (warm.language, warm.title, warm.progress_key) == ("ko", fresh.title, english.progress_key)
    assert [p.key for p in warm.pages] == [p.key for p in english.pages]  # answers are shared by key
    assert warm.datasets is english.datasets  # the data is the English lesson's


def test_english_and_a_lesson_without_a_translation_need_no_cache(tmp_path):
    english = load_lesson(LESSONS / "lesson03.yaml")
    assert cache.translation_cached(english, "en", tmp_path) is english
    alone = tmp_path / "course" / "alone.yaml"
    alone.parent.mkdir()
    shutil.copy(LESSONS / "lesson03.yaml", alone)
    assert cache.translation_cached(load_lesson(alone), "ko", tmp_path / "cache") is None
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("how", sorted(SPOILERS))
def test_a_spoiled_cached_translation_is_checked_again_not_trusted(tmp_path, monkeypatch, how):
    path = _course(tmp_path)
    store = tmp_path / "cache"
    english = load_lesson(path)
    cache.translation_cached(english, "ko", store)
    [file] = list(store.iterdir())
    SPOILERS[how](file)
    calls = _checks(monkeypatch)
    again = cache.translation_cached(english, "ko", store)
    assert calls, "the spoiled cache file was used"
    assert as_data(again.spec) == as_data(lesson_in(english, "ko").spec)


def test_a_translation_cached_for_another_english_lesson_is_not_used(tmp_path, monkeypatch):
    path = _course(tmp_path)
    store = tmp_path / "cache"
    cache.translation_cached(load_lesson(path), "ko", store)
    [file] = list(store.iterdir())
    entry = json.loads(file.read_bytes())
    entry["lesson"] = "0" * 64  # checked against other English, checksum made to match
    entry["check"] = cache._checksum([entry["spec"], entry["data"]])
    file.write_text(json.dumps(entry))
    calls = _checks(monkeypatch)
    cache.translation_cached(load_lesson(path), "ko", store)
    assert calls


def test_an_edited_english_lesson_checks_its_translation_again(tmp_path, monkeypatch):
    path = _course(tmp_path)
    store = tmp_path / "cache"
    cache.translation_cached(load_lesson(path), "ko", store)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("alpha: 0.1\n", "alpha: 0.2\n", 1), encoding="utf-8")
    edited = load_lesson(path)
    calls = _checks(monkeypatch)
    translated = cache.translation_cached(edited, "ko", store)
    assert calls and translated.experiments()[0].alpha == edited.experiments()[0].alpha


def test_an_edited_translation_is_checked_again_with_its_line(tmp_path):
    path = _course(tmp_path)
    store = tmp_path / "cache"
    english = load_lesson(path)
    cache.translation_cached(english, "ko", store)
    korean = path.parent / "ko" / "lesson03.yaml"
    lines = korean.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "{w}" in line)
    lines[at] = lines[at].replace("{w}", "{ww}", 1)
    korean.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        cache.translation_cached(english, "ko", store)
    assert str(caught.value.problems[0]).startswith(f"{korean}:{at + 1}: ")
    assert len(list(store.iterdir())) == 1  # a translation with problems is never cached


def test_a_warm_korean_start_imports_neither_pydantic_nor_yaml(tmp_path):
    env = {**os.environ, "TUTOR_CACHE_DIR": str(tmp_path)}
    course = course_copy(tmp_path / "copy")  # not the shipped course: its checks came with it
    code = (
        "import sys; from pathlib import Path; from backprop_tutor.lessons.cache import load_lesson_cached as l;"
        "from backprop_tutor.tui.launch import make_app;"
        f"app = make_app(l(Path({str(course / 'lessons' / 'lesson03.yaml')!r})), page=0, language='ko');"
        "assert app.session.lesson.language == 'ko', app.session.message;"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['pydantic', 'yaml']"  # cold: the lesson and its translation checked
    assert second.stdout.strip() == "[]"  # warm: both from the cache
    assert len(list((tmp_path / "lessons").iterdir())) == 2  # the English lesson and its Korean text
