"""Issue 13 on the bytes a terminal receives: hostile file names, titles and progress strings
reach a real pty escaped, never as control sequences."""

from __future__ import annotations

import json

from backprop_tutor.progress import FILE_NAME

from tests.terminal.pty_app import PtyApp

HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b\u202e"


def run_to_end(args: list[str], env: dict[str, str]) -> bytes:
    app = PtyApp(args, env=env)
    try:
        assert app.wait() == 0, bytes(app.output)
    finally:
        app.close()
    return bytes(app.output)


def assert_no_control(output: bytes) -> None:
    text = output.decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text, text


def test_list_and_progress_in_a_pty(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / f"a{HOSTILE}.yaml").write_text("title: plain\npages:\n  - title: p\n")
    (lessons / "b.yaml").write_text('title: "\\e]0;x\\a\\u202e"\npages:\n  - title: p\n')
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / FILE_NAME).write_text(json.dumps({"version": 1, "lessons": {
        HOSTILE: {"page": 0, "page_title": HOSTILE, "pages": 1, "done": False, "answers": {HOSTILE: {"right": True, "tries": 1}}},
    }}))
    env = {"TUTOR_STATE_DIR": str(state), "HOME": str(tmp_path)}
    listed = run_to_end(["list", "--lessons", str(lessons)], env)
    assert b"\\x1b]0;pwned" in listed
    assert_no_control(listed)
    for args in (["progress"], ["progress", "--json"]):
        shown = run_to_end(args, env)
        assert b"\\x1b]52;c;" in shown
        assert_no_control(shown)
    refused = PtyApp(["validate", str(lessons / "b.yaml")], env=env)
    try:
        assert refused.wait() == 1
    finally:
        refused.close()
    assert b"U+001B (ESC)" in refused.output
    assert_no_control(bytes(refused.output))
