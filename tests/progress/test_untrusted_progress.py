"""Issue 13, the progress file: whatever is in it or in its place, the tutor neither hangs, crashes,
downgrades, nor loses an answer; a folder it must not use is refused with a message."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_tutor.progress.records import Newer
from backprop_tutor.progress import (
    FILE_NAME,
    MAX_PROGRESS_BYTES,
    AnswerRecord,
    LessonProgress,
    ProgressError,
    ProgressStore,
    parse_progress,
    state_dir,
)
from backprop_tutor.safe_text import first_unsafe

NOBODY = 65534


@pytest.fixture
def no_hang():
    """A read that blocks (a FIFO opened for reading) fails the test instead of hanging the suite.

    Only for the tests that could block: on a loaded CI machine a long fuzz run is not a hang.
    """
    def timeout(*_):
        raise TimeoutError("blocked")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def entry(**fields) -> dict:
    return {"page": 1, "page_title": "p", "pages": 3, "done": False, "answers": {}, "updated": 0.0, **fields}


def document(lessons: dict, version: int = 1) -> bytes:
    return json.dumps({"version": version, "lessons": lessons}).encode()


def set_aside(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f"{FILE_NAME}.unreadable-")]


# -- damage is set aside, never a crash --------------------------------------------------------

DAMAGE = {
    "1e999": b'{"version": 1, "lessons": {"lesson01": {"page": 1, "updated": 1e999}}}',
    "Infinity": b'{"version": 1, "lessons": {"lesson01": {"updated": Infinity}}}',
    "NaN": b'{"version": 1, "lessons": {"lesson01": {"updated": NaN}}}',
    "deep nesting": b'{"version": 1, "lessons": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    "5,000 digits": b'{"version": 1, "lessons": {"lesson01": {"page": ' + b"9" * 5000 + b"}}}",
    "done as text": document({"lesson01": entry(done="false")}),
    "done as a number": document({"lesson01": entry(done=0)}),
    "page as a bool": document({"lesson01": entry(page=True)}),
    "page as a float": document({"lesson01": entry(page=1.5)}),
    "page negative": document({"lesson01": entry(page=-1)}),
    "page huge": document({"lesson01": entry(page=10**15)}),
    "tries as text": document({"lesson01": entry(answers={"q": {"right": True, "tries": "3"}})}),
    "right as a number": document({"lesson01": entry(answers={"q": {"right": 1, "tries": 3}})}),
    "answer not a mapping": document({"lesson01": entry(answers={"q": [True, 3]})}),
    "title not text": document({"lesson01": entry(page_title=["x"])}),
    "version as text": json.dumps({"version": "2", "lessons": {}}).encode(),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damage_is_set_aside_and_never_read_as_progress(tmp_path, name):
    (tmp_path / FILE_NAME).write_bytes(DAMAGE[name])
    store = ProgressStore(tmp_path)
    assert store.load() == {}
    assert "kept as" in store.notice
    [kept] = set_aside(tmp_path)
    assert kept.read_bytes() == DAMAGE[name]
    store.save("lesson01", LessonProgress(page=2))  # and the tutor goes on saving
    assert ProgressStore(tmp_path).get("lesson01").page == 2


@pytest.mark.usefixtures("no_hang")
def test_a_fifo_in_place_of_the_file_is_set_aside_without_waiting(tmp_path):
    os.mkfifo(tmp_path / FILE_NAME)
    store = ProgressStore(tmp_path)
    assert store.load() == {}  # would block forever on open() without O_NONBLOCK
    assert "not a regular file" in store.notice
    store.save("lesson01", LessonProgress(page=1))  # the save's own read does not block either
    assert ProgressStore(tmp_path).get("lesson01").page == 1


def test_a_folder_in_place_of_the_file_is_set_aside(tmp_path):
    (tmp_path / FILE_NAME).mkdir()
    store = ProgressStore(tmp_path)
    assert store.load() == {} and "a folder" in store.notice
    assert len(set_aside(tmp_path)) == 1 and set_aside(tmp_path)[0].is_dir()


def test_a_huge_file_is_set_aside_unread(tmp_path):
    with open(tmp_path / FILE_NAME, "wb") as out:  # sparse: 1 GB on paper, nothing on disk
        out.truncate(2**30)
    store = ProgressStore(tmp_path)
    assert store.load() == {}
    assert f"{MAX_PROGRESS_BYTES:,}" in store.notice


def test_strings_from_the_file_are_cleaned_on_read(tmp_path):
    evil = "\x1b]0;pwned\x07\x1b[2J\u202e"
    (tmp_path / FILE_NAME).write_bytes(
        document({f"lesson01{evil}": entry(page_title=evil, answers={evil: {"right": True, "tries": 1}})})
    )
    [(key, progress)] = ProgressStore(tmp_path).load().items()
    for text in (key, progress.page_title, *progress.answers):
        assert first_unsafe(text) is None and "\\x1b" in text


# -- a newer file is kept ----------------------------------------------------------------------


def test_a_file_from_a_newer_version_is_never_downgraded(tmp_path):
    newer = json.dumps({"version": 2, "lessons": {"lesson01": {"page": 4, "future": [1, 2]}}, "more": 1}).encode()
    path = tmp_path / FILE_NAME
    path.write_bytes(newer)
    store = ProgressStore(tmp_path)
    assert store.load() == {}
    assert "newer" in store.notice and not store.can_save
    with pytest.raises(ProgressError, match="newer"):
        store.save("lesson01", LessonProgress(page=1))
    with pytest.raises(ProgressError, match="newer"):
        store.forget("lesson01")
    assert path.read_bytes() == newer and not set_aside(tmp_path)


# -- two tutors of one lesson ------------------------------------------------------------------


def test_a_save_merges_with_what_another_tutor_saved(tmp_path):
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    first.save("lesson01", LessonProgress(page=5, page_title="end", done=True, answers={"q1": AnswerRecord(True, 1)}))
    saved = second.save("lesson01", LessonProgress(page=2, page_title="two", answers={
        "q1": AnswerRecord(False, 3), "q2": AnswerRecord(True, 2),
    }))
    on_disk = ProgressStore(tmp_path).get("lesson01")
    assert saved == on_disk
    assert on_disk.page == 2 and on_disk.page_title == "two"  # the page the saving window shows
    assert on_disk.done  # done in either
    assert on_disk.answers == {"q1": AnswerRecord(True, 3), "q2": AnswerRecord(True, 2)}


def _answer_in_own_process(folder: str, key: str, start: multiprocessing.Event, done: bool) -> None:
    store = ProgressStore(Path(folder))
    mine = LessonProgress(page=1, pages=3, done=done, answers={key: AnswerRecord(True, 1)})
    start.wait()
    for tries in range(1, 51):
        mine.answers[key] = AnswerRecord(True, tries)
        store.save("lesson01", mine)


@pytest.mark.usefixtures("no_hang")
def test_two_processes_answering_different_questions_lose_neither(tmp_path):
    context = multiprocessing.get_context("fork")
    start = context.Event()
    writers = [
        context.Process(target=_answer_in_own_process, args=(str(tmp_path), key, start, done))
        for key, done in (("q1", True), ("q2", False))
    ]
    for w in writers:
        w.start()
    start.set()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    final = ProgressStore(tmp_path).get("lesson01")
    assert final.answers == {"q1": AnswerRecord(True, 50), "q2": AnswerRecord(True, 50)}
    assert final.done


def test_old_files_keyed_by_title_still_resume():
    old = LessonProgress(page=3, page_title="Chain rule", answers={"Ask me": AnswerRecord(True, 2)})
    assert old.answer_for("ask-me", "Ask me") == AnswerRecord(True, 2)
    assert old.answer_for("ask-me") is None
    new = LessonProgress(page=0, page_title="Renamed", page_key="chain", answers={})
    assert new.resume_page(["a", "b", "Other"], keys=["a", "chain", "c"]) == 1


# -- folders that must not be used -------------------------------------------------------------


def test_a_state_folder_of_another_user_is_refused(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / FILE_NAME).write_bytes(document({"lesson01": entry(done=True)}))
    os.chown(folder, NOBODY, NOBODY)
    store = ProgressStore(folder)
    if os.geteuid() == NOBODY:
        pytest.skip("running as the uid this test gives the folder")
    assert store.load() == {} and "belongs to another user" in store.notice
    with pytest.raises(ProgressError, match="another user"):
        store.save("lesson01", LessonProgress())
    assert json.loads((folder / FILE_NAME).read_bytes())["lessons"]["lesson01"]["done"] is True


def test_a_state_folder_others_may_write_is_refused(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o777)
    store = ProgressStore(folder)
    assert store.load() == {} and "can be written by other users" in store.notice
    with pytest.raises(ProgressError, match="chmod go-w"):
        store.save("lesson01", LessonProgress())
    assert not (folder / FILE_NAME).exists()


def _as_second_user(folder: str, queue: multiprocessing.Queue) -> None:
    os.setgid(NOBODY)
    os.setuid(NOBODY)  # modules are imported already: the second user need not read them
    store = ProgressStore(Path(folder))
    store.load()
    try:
        store.save("lesson01", LessonProgress())
        queue.put(("saved", store.notice))
    except ProgressError as exc:
        queue.put(("refused", str(exc)))


def test_a_second_user_is_refused_a_folder_prepared_by_the_first(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to become a second user (os.setuid)")
    shared = Path(tempfile.mkdtemp(prefix="tutor-shared-"))  # under /tmp: the second user can reach it
    try:
        shared.chmod(0o755)
        folder = shared / "state"
        folder.mkdir(mode=0o755)
        (folder / FILE_NAME).write_bytes(document({"lesson01": entry(done=True)}))
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_as_second_user, args=(str(folder), queue))
        child.start()
        child.join(30)
        verdict, message = queue.get(timeout=5)
    finally:
        shutil.rmtree(shared)
    assert verdict == "refused" and "belongs to another user (uid 0)" in message


# -- saves that fail are told ------------------------------------------------------------------


@contextlib.contextmanager
def mounted_tmpfs(where: Path, options: str):
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip() or 'not allowed'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_is_a_progress_error(tmp_path):
    with mounted_tmpfs(tmp_path / "small", "size=64k,mode=0700") as folder:
        store = ProgressStore(folder)
        store.save("lesson01", LessonProgress(page=1))
        with open(folder / "filler", "wb") as filler:
            with contextlib.suppress(OSError):
                filler.write(b"x" * 200_000)
        big = LessonProgress(page=2, answers={f"q{i}": AnswerRecord(True, i) for i in range(3000)})
        with pytest.raises(ProgressError, match="No space left"):
            store.save("lesson01", big)
        assert ProgressStore(folder).get("lesson01").page == 1  # the old file is whole
        assert not [p for p in os.listdir(folder) if p.startswith(f".{FILE_NAME}.")]


def test_a_read_only_state_folder_is_a_progress_error(tmp_path):
    with mounted_tmpfs(tmp_path / "ro", "ro,mode=0700") as folder:
        store = ProgressStore(folder)
        assert store.load() == {}
        with pytest.raises(ProgressError, match="Read-only file system"):
            store.save("lesson01", LessonProgress())
        with pytest.raises(ProgressError, match="Read-only file system"):
            store.forget()


@pytest.mark.parametrize("where", ["file", "inside a file"])
def test_a_state_path_that_is_a_file_is_a_progress_error(tmp_path, where):
    (tmp_path / "state").write_text("not a folder")
    folder = tmp_path / "state" if where == "file" else tmp_path / "state" / "deeper"
    store = ProgressStore(folder)
    assert store.load() == {}
    with pytest.raises(ProgressError, match="folder"):
        store.save("lesson01", LessonProgress())


# -- no home folder ----------------------------------------------------------------------------


@pytest.mark.parametrize("home", [None, "", "relative/home"])
def test_no_usable_home_is_a_clear_error(monkeypatch, home):
    monkeypatch.delenv("TUTOR_STATE_DIR", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
        import pwd

        def no_entry(uid):
            raise KeyError(f"getpwuid(): uid not found: {uid}")

        monkeypatch.setattr(pwd, "getpwuid", no_entry)
    else:
        monkeypatch.setenv("HOME", home)
    with pytest.raises(ProgressError, match="--state-dir"):
        state_dir()


def test_an_absolute_xdg_state_home_is_enough_without_home(monkeypatch, tmp_path):
    monkeypatch.delenv("TUTOR_STATE_DIR", raising=False)
    monkeypatch.setenv("HOME", "")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_dir() == tmp_path / "backprop-tutor"


# -- fuzzing the reader ------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
fields = st.sampled_from(["page", "page_title", "pages", "done", "answers", "updated", "page_key", "right", "tries"])
entries = st.dictionaries(fields, json_values, max_size=8)
answers = st.dictionaries(st.text(max_size=10), st.dictionaries(st.sampled_from(["right", "tries"]), json_values))
documents = st.fixed_dictionaries(
    {"version": st.one_of(st.just(1), json_values), "lessons": st.dictionaries(st.text(max_size=10), st.one_of(
        entries, entries.map(lambda e: {**e, "answers": {}}), answers.map(lambda a: entry(answers=a)),
    ), max_size=3)}
)


def check_read(lessons: dict) -> None:
    """What a read returns is exactly what the rest of the tutor expects, and printable."""
    for key, progress in lessons.items():
        assert isinstance(progress, LessonProgress) and first_unsafe(key) is None
        assert type(progress.page) is int and type(progress.pages) is int and type(progress.done) is bool
        assert first_unsafe(progress.page_title) is None
        for name, record in progress.answers.items():
            assert first_unsafe(name) is None and type(record.right) is bool and type(record.tries) is int


@given(documents)
def test_fuzz_documents_read_as_progress_or_damage(doc):
    raw = json.dumps(doc).encode()
    try:
        lessons = parse_progress(raw)
    except (ValueError, Newer):  # damage, or a newer version: the only two answers
        return
    check_read(lessons)


@given(st.binary(max_size=300) | documents.map(lambda d: json.dumps(d).encode()).flatmap(
    lambda raw: st.integers(0, len(raw)).map(lambda cut: raw[:cut])))
def test_fuzz_bytes_never_crash_the_store(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / FILE_NAME).write_bytes(raw)
    store = ProgressStore(folder)
    check_read(store.load())  # never raises
    if store.can_save:
        store.save("lesson01", LessonProgress(page=1))
        assert ProgressStore(folder).get("lesson01").page == 1
