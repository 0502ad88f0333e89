"""What the progress store says, in English exactly as before and in Korean where the user reads it (issue 15).

The store writes each message as a `Phrase`: the English text, which also knows its word-table
key and values, so the app and the CLI say it in the user's language (`Words.say`).
"""

from __future__ import annotations

import errno
import json
import pickle
import re

import pytest

from backprop_tutor.cli import main
from backprop_tutor.progress import FILE_NAME, LessonProgress, ProgressError, ProgressStore, state_dir
from backprop_tutor.words import Phrase, Words

HANGUL = re.compile("[\uac00-\ud7a3]")
KO = Words("ko")


def test_a_damaged_file_is_told_in_the_old_english_words_and_in_korean(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"{not json")
    store = ProgressStore(tmp_path)
    store.load()
    [kept] = [p.name for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert store.notice.startswith("Your progress file was unreadable (not valid JSON (")
    assert store.notice.endswith(f"); it was kept as {kept} and a new one started.")
    korean = KO.say(store.notice)
    assert korean.startswith("진도 파일을 읽을 수 없어(not valid JSON (")  # the parser's detail stays as it is
    assert korean.endswith(f") {kept} 이름으로 보관하고 새로 시작했습니다.")


def test_a_folder_in_place_of_the_file_is_told_in_korean_inside_and_out(tmp_path):
    (tmp_path / FILE_NAME).mkdir()
    store = ProgressStore(tmp_path)
    store.load()
    assert isinstance(store.notice, Phrase)
    assert "(a folder)" in store.notice and "(파일이 아니라 폴더)" in KO.say(store.notice)


def test_a_folder_others_may_write_is_refused_in_the_same_english_and_in_korean(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o777)
    store = ProgressStore(folder)
    store.load()
    assert store.notice == (
        f"The state folder {folder} can be written by other users (mode 777): "
        "not using it. Run chmod go-w on it, or choose another with --state-dir."
    )
    assert KO.say(store.notice) == (
        f"상태 폴더({folder})는 다른 사용자도 쓸 수 있어(모드 777) 쓰지 않습니다. "
        "chmod go-w로 권한을 고치거나 --state-dir로 다른 폴더를 고르세요."
    )
    with pytest.raises(ProgressError) as caught:
        store.save("lesson01", LessonProgress())
    assert KO.say(str(caught.value)) == KO.say(store.notice)  # the refusal to save, as the notice


def test_a_newer_file_and_no_home_in_the_same_english(tmp_path, monkeypatch):
    (tmp_path / FILE_NAME).write_text(json.dumps({"version": 99, "lessons": {}}))
    store = ProgressStore(tmp_path)
    store.load()
    assert store.notice == (
        "Your progress file was written by a newer backprop-tutor (format 99; this one writes 1): "
        "it is kept as it is, and nothing is saved while this version runs."
    )
    assert KO.say(store.notice).startswith("진도 파일을 더 새로운 backprop-tutor가 썼습니다(형식 99, 이 판은 1)")
    for var in ("TUTOR_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", "relative")
    with pytest.raises(ProgressError) as caught:
        state_dir()
    assert str(caught.value) == (
        "No place to keep your progress (HOME is empty or not an absolute path): "
        "give --state-dir DIR or set TUTOR_STATE_DIR."
    )
    assert caught.value.errno == errno.ENOENT and HANGUL.search(KO.say(str(caught.value)))


def test_a_failed_save_is_one_sentence_in_each_language(tmp_path):
    (tmp_path / f"{FILE_NAME}.lock").mkdir()  # the lock cannot be opened (root or not)
    with pytest.raises(ProgressError) as caught:
        ProgressStore(tmp_path).save("lesson01", LessonProgress())
    assert str(caught.value) == f"Could not save your progress in {tmp_path}: Is a directory."
    assert KO.say(str(caught.value)) == f"{tmp_path}에 진도를 저장하지 못했습니다: Is a directory."
    with pytest.raises(ProgressError) as caught:
        ProgressStore(tmp_path).forget()
    assert KO.say(str(caught.value)) == f"{tmp_path}의 진도를 지우지 못했습니다: Is a directory."


def test_a_phrase_is_its_english_text_and_crosses_processes_as_a_phrase():
    phrase = Phrase("progress.set_aside", why=Phrase("progress.a_folder"), name="progress.json.unreadable-1")
    assert phrase == "Your progress file was unreadable (a folder); it was kept as progress.json.unreadable-1 and a new one started."
    again = pickle.loads(pickle.dumps(phrase))
    assert again == phrase and KO.say(again) == "진도 파일을 읽을 수 없어(파일이 아니라 폴더) progress.json.unreadable-1 이름으로 보관하고 새로 시작했습니다."
    assert KO.say("plain text") == "plain text"  # what is not a phrase is shown as it is


def test_the_cli_tells_a_damaged_file_in_korean(capsys, tmp_path, monkeypatch):
    for var in ("TUTOR_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    (tmp_path / FILE_NAME).mkdir()
    assert main(["progress", "--lang", "ko", "--state-dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("진도 파일을 읽을 수 없어(파일이 아니라 폴더)") and "unreadable" not in err.split("unreadable-")[0]
    (tmp_path / "open").mkdir()
    (tmp_path / "open").chmod(0o777)
    assert main(["reset", "--yes", "--lang", "ko", "--state-dir", str(tmp_path / "open")]) == 1
    assert capsys.readouterr().err.startswith(f"tutor: 상태 폴더({tmp_path / 'open'})는 다른 사용자도 쓸 수 있어")
