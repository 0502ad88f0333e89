"""Under a real pty: quitting, ctrl+c, SIGTERM and SIGHUP restore the terminal and keep progress."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from backprop_tutor.lessons.catalogue import progress_key_for

import pytest

from tests.terminal.pty_app import PtyApp

MINI = Path(__file__).parent.parent / "progress" / "mini.yaml"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


@pytest.fixture
def app(tmp_path):
    running = PtyApp(["run", str(MINI), "--state-dir", str(tmp_path)])
    assert running.read_until_shown("mini 1/4"), bytes(running.output[-400:])
    yield running
    running.close()


def stop_with(app: PtyApp, how: str) -> int | None:
    if how == "q":
        app.send(b"q")
    elif how == "ctrl+c":
        app.send(b"\x03")
    else:
        import os

        os.kill(app.pid, getattr(signal, how))
    return app.wait()


@pytest.mark.parametrize("how", ["q", "ctrl+c", "SIGTERM", "SIGHUP"])
def test_every_way_out_restores_the_terminal_and_saves_the_page(app, tmp_path, how):
    app.send(b"n")  # to page 2
    assert app.read_until_shown("mini 2/4")
    status = stop_with(app, how)
    assert status is not None, "the app did not exit"
    assert status == 0
    tail = bytes(app.output)
    assert b"Traceback" not in tail
    assert LEAVE_ALT_SCREEN in tail and SHOW_CURSOR in tail and MOUSE_OFF in tail
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["lessons"][progress_key_for(MINI)]["page"] == 1


def test_resizing_while_stepping_never_crashes(app):
    app.send(b"nn")  # to the run page (the question asks once, then lets us by)
    app.send(b"n")
    assert app.read_until_shown("mini 3/4")
    for cols, rows in [(40, 12), (20, 6), (120, 40), (30, 8), (80, 24)] * 4:
        app.resize(cols, rows)
        app.send(b" ")
    app.send(b"q")
    assert app.wait() == 0
    assert b"Traceback" not in bytes(app.output)
