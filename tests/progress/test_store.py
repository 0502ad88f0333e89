"""The progress file: atomic, shared safely between two tutors, and never lost when damaged."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from backprop_tutor.progress import FILE_NAME, AnswerRecord, LessonProgress, ProgressStore, state_dir


def test_save_and_load_round_trip(tmp_path):
    store = ProgressStore(tmp_path)
    store.save("lesson03", LessonProgress(page=2, page_title="Ask", pages=6, answers={"Ask": AnswerRecord(True, 2)}))
    loaded = ProgressStore(tmp_path).get("lesson03")
    assert loaded.page == 2 and loaded.answers["Ask"] == AnswerRecord(True, 2)
    text = (tmp_path / FILE_NAME).read_text()
    assert "Written by backprop-tutor" in text.splitlines()[1]  # says at its top who writes it


def test_state_dir_follows_flag_env_and_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_STATE_DIR", str(tmp_path / "env"))
    assert state_dir(tmp_path / "flag") == tmp_path / "flag"
    assert state_dir() == tmp_path / "env"
    monkeypatch.delenv("TUTOR_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert str(state_dir()).startswith(str(tmp_path / "xdg"))


@pytest.mark.parametrize("damage", [b"", b'{"lessons": {"lesson01": {"pa', b"\x00\xff garbage", b"[1, 2]", b'{"lessons": {"x": 3}}'])
def test_damaged_file_is_set_aside_and_the_tutor_starts(tmp_path, damage):
    (tmp_path / FILE_NAME).write_bytes(damage)
    store = ProgressStore(tmp_path)
    assert store.load() == {}
    assert "kept as" in store.notice
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(f"{FILE_NAME}.unreadable-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damage
    store.save("lesson01", LessonProgress(page=1))
    assert ProgressStore(tmp_path).get("lesson01").page == 1


def test_resume_page_survives_edited_lessons():
    saved = LessonProgress(page=3, page_title="Chain rule")
    assert saved.resume_page(["a", "b", "c", "Chain rule"]) == 3
    assert saved.resume_page(["new", "a", "b", "c", "Chain rule"]) == 4  # a page added before it
    assert saved.resume_page(["a", "b"]) == 1  # its page removed: the nearest page left
    assert saved.resume_page(["a", "b", "c", "d", "e"]) == 3


def test_forget(tmp_path):
    store = ProgressStore(tmp_path)
    store.save("lesson01", LessonProgress())
    store.save("lesson02", LessonProgress())
    assert store.forget("lesson01") == ["lesson01"]
    assert list(store.load()) == ["lesson02"]


def _writer(folder: str, lesson_page: int, rounds: int) -> None:
    store = ProgressStore(Path(folder))
    for _ in range(rounds):
        store.save("lesson03", LessonProgress(page=lesson_page, page_title=f"page {lesson_page}", pages=9))


def test_two_tutors_writing_at_once_never_mix(tmp_path):
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(tmp_path), page, 200)) for page in (1, 7)]
    for w in writers:
        w.start()
    seen = set()
    path = tmp_path / FILE_NAME
    while any(w.is_alive() for w in writers):
        if path.exists():
            document = json.loads(path.read_bytes())  # always whole, valid JSON
            entry = document["lessons"]["lesson03"]
            seen.add((entry["page"], entry["page_title"]))
    for w in writers:
        w.join()
        assert w.exitcode == 0
    final = json.loads(path.read_bytes())["lessons"]["lesson03"]
    assert (final["page"], final["page_title"]) in {(1, "page 1"), (7, "page 7")}
    assert seen <= {(1, "page 1"), (7, "page 7")}  # one writer's state or the other's, never a mix
    assert not [p for p in os.listdir(tmp_path) if p.startswith(f".{FILE_NAME}.")]  # no temp files left
