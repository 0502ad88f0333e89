"""Under a real pty: the app writes through the lean driver (tui/terminal_output.py), still asks the
terminal where its cursor is after frames (pacing), repaints after a resize, and sends far fewer
bytes than Textual's own output for the same keys (`TUTOR_OUTPUT=plain`)."""

from __future__ import annotations

import pytest

from tests.terminal.pty_app import PtyApp

PROBE = b"\x1b[6n"


def run_script(tmp_path, mode: str) -> PtyApp:
    app = PtyApp(["run", "lesson03", "--state-dir", str(tmp_path / mode)], env={"TUTOR_OUTPUT": mode, "COLORTERM": "truecolor"},
                 answer=True)
    try:
        assert app.read_until_shown("lesson03 1/13"), app.screen.text()
        app.send(b"n")
        assert app.read_until_shown("lesson03 2/13"), app.screen.text()
        app.send(b"   ")
        assert app.read_until_shown("status: converged"), app.screen.text()
        app.resize(100, 30)
        assert app.read_until_shown("q quit", row=30), app.screen.text()
        assert "lesson03 2/13" in app.screen.text().splitlines()[0]
        app.send(b"q")
        assert app.wait() == 0
    finally:
        app.close()
    return app


@pytest.mark.parametrize("mode", ["", "plain"])
def test_the_app_draws_steps_and_a_resize_and_asks_after_its_frames(tmp_path, mode):
    app = run_script(tmp_path, mode)
    assert bytes(app.output).count(PROBE) >= 3
    assert b"Traceback" not in bytes(app.output)


def test_the_lean_driver_sends_a_fraction_of_the_bytes(tmp_path):
    lean, plain = run_script(tmp_path, ""), run_script(tmp_path, "plain")
    assert len(lean.output) * 2 < len(plain.output), (len(lean.output), len(plain.output))
