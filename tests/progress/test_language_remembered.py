"""The language a student chose is remembered with their progress (issue 15), and old files still read."""

from __future__ import annotations

import json

from backprop_tutor.progress import FILE_NAME, AnswerRecord, LessonProgress, ProgressStore

OLD_FILE = {  # as the tutor wrote it before languages: no "language" key, no page keys
    "_comment": "Written by backprop-tutor",
    "version": 1,
    "lessons": {"lesson03": {"page": 4, "page_title": "L2, α = 1: a bounce", "pages": 13, "done": False,
                             "answers": {"L1, α = 1: it converges": {"right": True, "tries": 1}}, "updated": 1.0}},
}


def test_a_file_written_before_languages_reads_as_before_with_no_language_chosen(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps(OLD_FILE), encoding="utf-8")
    store = ProgressStore(tmp_path)
    entry = store.get("lesson03")
    assert entry is not None and entry.page == 4 and entry.answer_for("x", "L1, α = 1: it converges").right
    assert store.language == "" and store.notice == ""


def test_the_language_is_saved_beside_the_lessons_and_kept_by_every_later_save(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps(OLD_FILE), encoding="utf-8")
    ProgressStore(tmp_path).save_language("ko")
    other_window = ProgressStore(tmp_path)
    other_window.save("lesson01", LessonProgress(page=1, page_title="x", pages=3, answers={"k": AnswerRecord(True, 1)}))
    document = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert document["language"] == "ko" and document["version"] == 1
    assert set(document["lessons"]) == {"lesson01", "lesson03"}  # nothing lost either way
    fresh = ProgressStore(tmp_path)
    fresh.load()
    assert fresh.language == "ko"
    fresh.save_language("en")
    assert json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["language"] == "en"


def test_a_language_the_tutor_does_not_speak_is_read_as_none_chosen(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({**OLD_FILE, "language": "\u001b[2Jxx"}), encoding="utf-8")
    store = ProgressStore(tmp_path)
    assert store.get("lesson03") is not None and store.language == ""
