"""`tutor serve` in a real browser: headless Chromium (Debian's) driven by Playwright.

The lesson is `l1_from_4.yaml`, the lecture's L1 run with α = 1: w = 4 → 3 → 2 → 1. Three
spaces and one left arrow leave step 2, w = 2 on the screen. The screen is read from the
terminal the page holds (xterm.js draws on a canvas, so its text is not in the DOM: a script
keeps a handle on the page's terminal and reads its buffer, the rows it displays).
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

LESSON = Path(__file__).with_name("l1_from_4.yaml")
WAIT_MS = 120_000
"""Upper bound on each wait in the page (the CPUs may be busy); nothing asserts on time."""

KEEP_TERMINAL = """
// textual.js keeps its xterm.js Terminal in `this.terminal` of an object of its own: catch the
// assignment, keep the terminal, and offer its visible rows as text.
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && !window.__terminal) window.__terminal = value;
  },
  get() { return undefined; },
});
window.__screen = () => {
  const term = window.__terminal;
  if (!term) return "";
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
};
"""


def chromium() -> str:
    """Debian's chromium, or skip: Playwright's own browser download is not reachable here."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no chromium on PATH (apt-get install chromium; .ci/run does)")
    return path


class Tutor:
    """A `tutor serve` process and the link it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self.base = url.split("/?", 1)[0]


@pytest.fixture
def tutor(tmp_path: Path) -> Iterator[Tutor]:
    """`tutor serve l1_from_4.yaml` on a free port, with its state in tmp_path."""
    pytest.importorskip("textual_serve", reason="tutor serve needs the `serve` extra (textual-serve)")
    env = {k: v for k, v in os.environ.items() if k not in ("TUTOR_SERVE_TOKEN", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "backprop_tutor", "serve", str(LESSON), "--state-dir", str(tmp_path / "state")],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "serve.log").open("w"),
        text=True,
        env=env,
        cwd=tmp_path,  # an `e` export would land here, not in the checkout
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as ready:
            ready.register(process.stdout, selectors.EVENT_READ)
            assert ready.select(WAIT_MS / 1000), "tutor serve printed no link"
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+", line)
        assert match, line
        yield Tutor(process, match.group())
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                process.wait(timeout=WAIT_MS / 1000)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_screen(page: Any, text: str, row: str) -> str:
    """Wait (bounded) until the terminal shows `text` and the state table's last row is `row`."""
    cells = r"\s+".join(re.escape(cell) for cell in row.split())
    pattern = rf"^\s*{cells}\s*(?:\S.*)?\n(?!\s*\d+\s+\S+\s+\S+\s+\S+\s+(?:running|converged))"
    page.wait_for_function(
        "([text, pattern]) => { const s = window.__screen(); return s.includes(text) && new RegExp(pattern, 'm').test(s); }",
        arg=[text, pattern],
        timeout=WAIT_MS,
    )
    return str(page.evaluate("window.__screen()"))


def table_rows(screen: str) -> list[list[str]]:
    """The rows of the state table (step, w, E, slope, status), current step last."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if re.search(r"\bstep\s+w\s+E\b", line))
    rows = []
    for line in lines[start + 1 :]:
        cells = re.match(r"\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(running|converged)\b", line)
        if not cells:
            break
        rows.append(list(cells.groups()))
    return rows


def test_step_and_rewind_in_chromium(tutor: Tutor, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")
    executable = chromium()
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(tutor.base + "/"):
            route.continue_()
        else:  # the page must work offline: anything else is recorded and refused
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        context = browser.new_context(viewport={"width": 1100, "height": 660})
        context.route("**/*", only_this_server)
        context.add_init_script(KEEP_TERMINAL)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(tutor.url)
        assert page.url == tutor.base + "/"  # the token traded for a cookie, gone from the address bar
        (cookie,) = context.cookies()
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

        screen = wait_screen(page, "Now: w = 4, E = 3.", "0 4 3 1 running")
        assert table_rows(screen) == [["0", "4", "3", "1", "running"]]
        page.locator(".xterm-helper-textarea").focus()  # keys go to the terminal, as after a click
        for _ in range(3):
            page.keyboard.press("Space")  # one update
        wait_screen(page, "Now: w = 1, E = 0.", "3 1 0 0 converged")
        page.keyboard.press("ArrowLeft")  # rewind one
        screen = wait_screen(page, "Now: w = 2, E = 1.", "2 2 1 1 running")
        rows = table_rows(screen)
        assert rows[-1] == ["2", "2", "1", "1", "running"]  # step 2, w = 2, E = 1, slope 1
        assert [row[1] for row in rows] == ["4", "3", "2"]  # the recorded past, nothing after it
        assert "h = 2x" in screen  # the data plot's title follows w
        page.screenshot(path=str(tmp_path / "tutor.png"))

        # Another user of the machine: same browser, same host and port, but no link.
        stranger = browser.new_context()
        other = stranger.new_page()
        response = other.goto(tutor.base + "/")
        assert response is not None and response.status == 403
        assert "open the link `tutor serve` printed" in other.inner_text("body")
        assert other.locator(".xterm").count() == 0
        websocket = other.evaluate(
            """(url) => new Promise((resolve) => {
                 const ws = new WebSocket(url);
                 ws.onopen = () => resolve("open");
                 ws.onerror = () => resolve("refused");
               })""",
            tutor.base.replace("http://", "ws://") + "/ws",
        )
        assert websocket == "refused"
        stranger.close()

        assert outside == [] and errors == []
        context.close()
        browser.close()

    tutor.process.send_signal(signal.SIGINT)  # Ctrl+C
    assert tutor.process.wait(timeout=WAIT_MS / 1000) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "refused GET / from 127.0.0.1: no token" in log
    assert "refused GET /ws from 127.0.0.1: no token" in log
    assert "Traceback" not in log and tutor.url.split("token=")[1] not in log
    assert (tmp_path / "state" / "progress.json").exists()  # the app quit cleanly and saved
