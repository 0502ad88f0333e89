"""A program in a pseudo-terminal of a given size, as the bench scripts see it.

`PtyApp` starts a command in a pty (the way sshd would), sends keys and reads what the program
writes back, with a time limit on every read: a program that hangs is killed, never waited on.
`Screen` is a tiny terminal emulator, enough for Textual's output (cursor positioning, text,
SGR ignored), so a script can read the screen a student would see. `segments` splits output at
its cursor moves, so bytes can be charged to the screen region they were written to.

Only the standard library: the bench must run wherever the project is installed.
"""

from __future__ import annotations

import atexit
import codecs
import fcntl
import itertools
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
"""The bench/ folder (bare_app.py and tutor_page.py live beside this module)."""

KEYS = {
    "space": b" ",
    "left": b"\x1b[D",
    "right": b"\x1b[C",
    "home": b"\x1b[H",
    "n": b"n",
    "q": b"q",
}
"""What a terminal sends for each key we press (legacy xterm encoding)."""

COLOURS = {
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "256": {"TERM": "xterm-256color"},
    "16": {"TERM": "xterm"},
}
"""TERM/COLORTERM for each colour depth (COLORTERM is unset unless named)."""

# Variables that would change what the child draws, or how large it thinks the screen is.
_DROP = ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "LC_ALL", "LC_CTYPE", "TMUX")

_live: dict[int, "PtyApp"] = {}

_CACHE = tempfile.mkdtemp(prefix="bench-cache-")
"""TUTOR_CACHE_DIR shared by the children of one bench run: validated lessons are cached, so every
start after a bench's first is a warm start, as a student's second start is. Pass
`env={"TUTOR_CACHE_DIR": fresh folder}` for a cold start."""
atexit.register(shutil.rmtree, _CACHE, True)


def _kill_all() -> None:
    for app in list(_live.values()):
        app.kill()


atexit.register(_kill_all)


def _on_signal(signum: int, frame: object) -> None:  # a Ctrl-C on the bench kills its children too
    _kill_all()
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGHUP, _on_signal)


# -- commands ----------------------------------------------------------------------------------


def tutor_command(*args: str) -> list[str]:
    """`tutor ARGS...`, using the console script of the Python running the bench."""
    script = Path(sys.executable).parent / "tutor"
    if script.exists():
        return [str(script), *args]
    found = shutil.which("tutor")
    return [found, *args] if found else [sys.executable, "-m", "backprop_tutor", *args]


def tutor_page_command(lesson: str, page: int) -> list[str]:
    """The tutor opened directly on page `page` (0-based) of `lesson`, via bench/tutor_page.py."""
    return [sys.executable, str(BENCH / "tutor_page.py"), lesson, str(page)]


def bare_command() -> list[str]:
    """The baseline: the smallest Textual app (bench/bare_app.py)."""
    return [sys.executable, str(BENCH / "bare_app.py")]


def child_env(colours: str = "truecolor", extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: this one, less what changes drawing, with `colours` set."""
    env = {k: v for k, v in os.environ.items() if k not in _DROP and not k.startswith("TEXTUAL")}
    env.update(COLOURS[colours])
    env["LANG"] = "C.UTF-8"  # the app draws box characters only under a UTF-8 locale
    env.update(extra or {})
    return env


# -- the screen ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[ -/]*[0-~]"  # other escapes
    r"|[\x00-\x1a\x1c-\x1f\x7f]"  # control characters
    r"|[^\x00-\x1f\x7f]+"  # text
)
_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_DCS = re.compile(r"\x1bP[^\x1b]*\x1b\\")


def _complete_up_to(text: str) -> int:
    """Where an escape sequence cut off at the end of `text` starts (len(text) if none is)."""
    i = text.rfind("\x1b")
    if i < 0:
        return len(text)
    kind = text[i + 1: i + 2]
    pattern = {"[": _CSI, "]": _OSC, "P": _DCS}.get(kind)
    if kind == "" or (pattern is not None and not pattern.match(text, i)):
        return i
    return len(text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class Screen:
    """The characters on a terminal screen (colours and attributes are not kept).

    Like a real terminal it answers a cursor-position request (`ESC[6n`, which the tutor sends
    after each frame to learn when the terminal has it): the answers wait in `replies` for
    whoever feeds the screen to write them back (`PtyApp.answer`).
    """

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self.replies: list[bytes] = []

    def feed(self, data: bytes) -> None:
        """Apply output bytes (chunks may split characters or escape sequences anywhere)."""
        text = self._pending + self._decoder.decode(data)
        cut = _complete_up_to(text)
        self._pending, text = text[cut:], text[:cut]
        for match in _TOKEN.finditer(text):
            self._token(match.group())

    def _token(self, tok: str) -> None:
        if tok.startswith("\x1b["):
            self._csi(tok)
        elif tok.startswith("\x1b"):
            return
        elif tok == "\r":
            self.col = 0
        elif tok == "\n":
            self.row = min(self.row + 1, self.rows - 1)
        elif tok == "\b":
            self.col = max(self.col - 1, 0)
        elif len(tok) == 1 and ord(tok) < 32 or tok == "\x7f":
            return
        else:
            for ch in tok:
                w = _width(ch)
                if w == 0 or self.col >= self.cols:
                    continue
                self.grid[self.row][self.col] = ch
                if w == 2 and self.col + 1 < self.cols:
                    self.grid[self.row][self.col + 1] = ""
                self.col += w

    def _csi(self, tok: str) -> None:
        final, body = tok[-1], tok[2:-1]
        if final == "n" and body == "6":
            self.replies.append(f"\x1b[{self.row + 1};{self.col + 1}R".encode())
            return
        if body.startswith(("?", ">", "<", "=")):
            if final in "hl" and any(p in ("1049", "47", "1047") for p in body[1:].split(";")):
                self.clear()
            return
        params = [int(p) if p.isdigit() else 0 for p in body.split(";")] if body else []
        first = params[0] if params else 0
        if final in "Hf":
            r = params[0] if len(params) > 0 and params[0] else 1
            c = params[1] if len(params) > 1 and params[1] else 1
            self.row, self.col = min(r, self.rows) - 1, min(c, self.cols) - 1
        elif final == "A":
            self.row = max(self.row - max(first, 1), 0)
        elif final == "B":
            self.row = min(self.row + max(first, 1), self.rows - 1)
        elif final == "C":
            self.col = min(self.col + max(first, 1), self.cols - 1)
        elif final == "D":
            self.col = max(self.col - max(first, 1), 0)
        elif final == "G":
            self.col = min(max(first, 1), self.cols) - 1
        elif final == "d":
            self.row = min(max(first, 1), self.rows) - 1
        elif final == "J" and first == 2:
            self.clear()
        elif final == "K":
            line = self.grid[self.row]
            span = range(self.col, self.cols) if first == 0 else range(0, self.col + 1) if first == 1 else range(self.cols)
            for c in span:
                line[c] = " "

    def clear(self) -> None:
        """Blank the screen."""
        self.grid = [[" "] * self.cols for _ in range(self.rows)]

    def lines(self) -> list[str]:
        """The screen, one string per row."""
        return ["".join(row) for row in self.grid]

    def text(self) -> str:
        """The screen as text."""
        return "\n".join(self.lines())

    def snapshot(self) -> list[list[str]]:
        """A copy of the cells, to count what a key changed."""
        return [row[:] for row in self.grid]

    def changed_cells(self, before: list[list[str]]) -> int:
        """How many cells differ from `before` (characters only)."""
        return sum(a != b for ra, rb in zip(before, self.grid) for a, b in zip(ra, rb))


def segments(data: bytes) -> list[tuple[int, int, int]]:
    """Output split at each cursor move: (row, col, bytes), 1-based; bytes before the first move are
    charged to row 0, col 0. Moves are absolute (`ESC[r;cH`), to a column (`ESC[cG`, carriage
    return), to a row (`ESC[rd`) or forward (`ESC[nC`, counted from the text written since)."""
    out: list[tuple[int, int, int]] = []
    row = col = 0
    start = size = 0
    at = (0, 0)  # where the current segment starts
    text = data.decode("utf-8", errors="replace")
    for match in _TOKEN.finditer(text):
        tok = match.group()
        n = len(tok.encode("utf-8", errors="replace"))
        m = _MOVE.fullmatch(tok) if tok.startswith("\x1b[") else None
        if m is not None or tok == "\r":
            final = "G" if tok == "\r" else m.group(3)  # type: ignore[union-attr]
            a, b = (1, 1) if tok == "\r" else (int(m.group(1) or 1), int(m.group(2) or 1))  # type: ignore[union-attr]
            if size > start:
                out.append((*at, size - start))
            start = size
            if final == "H":
                row, col = a, b
            elif final == "G":
                col = a
            elif final == "d":
                row = a
            else:
                col += a
            at = (row, col)
        elif not tok.startswith("\x1b") and tok[0] >= " ":
            col += sum(_width(ch) for ch in tok)
        size += n
    if size > start:
        out.append((*at, size - start))
    return out


_MOVE = re.compile(r"\x1b\[(\d*)(?:;(\d*))?([HGdC])")


# -- the program in a pty --------------------------------------------------------------------------


@dataclass
class Burst:
    """What a program wrote after a key (or at start): the bytes and when they came."""

    data: bytes
    sent: float
    first: float | None
    last: float | None

    @property
    def latency_ms(self) -> float | None:
        """From the key to the last byte of the burst, in milliseconds."""
        return None if self.last is None else (self.last - self.sent) * 1000

    def __len__(self) -> int:
        return len(self.data)


class PtyApp:
    """A command running in its own pseudo-terminal of `cols` × `rows`.

    Each child gets a fresh, empty state directory (TUTOR_STATE_DIR, XDG_*), so a tutor never
    resumes where an earlier bench run left it. Use as a context manager, or call `close()`.
    """

    def __init__(
        self, cmd: list[str], cols: int = 80, rows: int = 24, colours: str = "truecolor",
        env: dict[str, str] | None = None,
    ) -> None:
        self.cmd, self.cols, self.rows = cmd, cols, rows
        self.screen = Screen(cols, rows)
        self.output = bytearray()
        """Everything the program has written so far."""
        self._home = tempfile.mkdtemp(prefix="bench-home-")
        home = {
            "TUTOR_STATE_DIR": os.path.join(self._home, "state"),
            "XDG_STATE_HOME": os.path.join(self._home, "xdg-state"),
            "XDG_DATA_HOME": os.path.join(self._home, "xdg-data"),
            "XDG_CONFIG_HOME": os.path.join(self._home, "xdg-config"),
            "XDG_CACHE_HOME": os.path.join(self._home, "xdg-cache"),
            "TUTOR_CACHE_DIR": _CACHE,
        }
        self.env = child_env(colours, {**home, **(env or {})})
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(cmd[0], cmd, self.env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.alive = True
        _live[pid] = self

    # -- reading ---------------------------------------------------------------------------------

    def read(self, quiet: float = 0.25, limit: float = 10.0, until: Callable[[Screen], bool] | None = None,
             sent: float | None = None, first_wait: float = 0.0) -> Burst:
        """Read until the program has been quiet for `quiet` s (and `until(screen)` holds, if
        given), or `limit` s have passed, or it exits. If nothing has come yet, wait at least
        `first_wait` s for a first byte before calling it quiet."""
        buf = bytearray()
        start = time.perf_counter() if sent is None else sent
        first = last = None
        ready = until is None
        while self.alive:
            now = time.perf_counter()
            if now - start > limit:
                break
            wait = min(quiet, max(0.0, limit - (now - start)))
            r, _, _ = select.select([self.fd], [], [], wait)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the child has gone
                    chunk = b""
                if not chunk:
                    self._reap()
                    break
                t = time.perf_counter()
                first = first or t
                last = t
                buf += chunk
                self.output += chunk
                self.screen.feed(chunk)
                self.answer()
                if not ready and until is not None and until(self.screen):
                    ready = True
            elif ready and (buf or time.perf_counter() - start >= max(quiet, first_wait)):
                break
        return Burst(bytes(buf), start, first, last)

    def wait_ready(self, until: Callable[[Screen], bool], quiet: float = 0.3, limit: float = 30.0) -> Burst:
        """Read the start-up output: until `until(screen)` holds and the output is then quiet."""
        return self.read(quiet=quiet, limit=limit, until=until, sent=self.started)

    def press(self, key: str | bytes, quiet: float = 0.25, limit: float = 5.0, first_wait: float = 1.0) -> Burst:
        """Send one key and read what comes back until quiet for `quiet` s (waiting up to
        `first_wait` s for the first byte, so a slow frame is not taken for no frame)."""
        data = KEYS[key] if isinstance(key, str) else key
        sent = time.perf_counter()
        os.write(self.fd, data)
        return self.read(quiet=quiet, limit=limit, sent=sent, first_wait=first_wait)

    def answer(self) -> None:
        """Write back what the screen answered to the program's requests, as a terminal does."""
        while self.screen.replies:
            try:
                os.write(self.fd, self.screen.replies.pop(0))
            except OSError:
                self.screen.replies.clear()

    def send(self, data: bytes) -> float:
        """Write raw bytes to the program's terminal; returns when they were sent."""
        t = time.perf_counter()
        os.write(self.fd, data)
        return t

    # -- memory ----------------------------------------------------------------------------------

    def memory(self) -> dict[str, int | None]:
        """Peak RSS (VmHWM), RSS and PSS of the program, in KiB (None once it has exited)."""

        def field(name: str, path: str) -> int | None:
            try:
                text = Path(f"/proc/{self.pid}/{path}").read_text()
            except OSError:
                return None
            m = re.search(rf"^{name}:\s+(\d+) kB", text, re.M)
            return int(m.group(1)) if m else None

        return {"hwm_kb": field("VmHWM", "status"), "rss_kb": field("VmRSS", "status"),
                "pss_kb": field("Pss", "smaps_rollup")}

    def cpu_seconds(self) -> float | None:
        """CPU time the program has used so far (all its threads), or None once it has exited.

        From `/proc/PID/task/*/schedstat` (nanoseconds): `/proc/PID/stat` counts in clock ticks
        (10 ms), coarser than one key's work.
        """
        try:
            total = 0
            for task in Path(f"/proc/{self.pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
            return total / 1e9
        except (OSError, IndexError, ValueError):
            pass
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # -- ending ----------------------------------------------------------------------------------

    def _reap(self) -> None:
        if not self.alive:
            return
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass
        self.alive = False
        _live.pop(self.pid, None)

    def kill(self) -> None:
        """End the program now (SIGKILL) and release its terminal."""
        if self.alive:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        try:
            os.close(self.fd)
        except OSError:
            pass
        shutil.rmtree(self._home, ignore_errors=True)

    def close(self, grace: float = 1.0) -> None:
        """Ask the program to quit (q), then kill it if it has not gone within `grace` s."""
        if self.alive:
            try:
                os.write(self.fd, KEYS["q"])
                self.read(quiet=grace, limit=grace)
            except OSError:
                pass
        self.kill()

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- what is on the screen -------------------------------------------------------------------------

PLOT_FRAME = ("┤", "└")
"""Characters of a plotext frame: when both are on screen, the plots are drawn."""


def plots_drawn(screen: Screen) -> bool:
    """True when a plot's frame is on the screen."""
    text = screen.text()
    return all(ch in text for ch in PLOT_FRAME)


def keys_bar_drawn(screen: Screen) -> bool:
    """True when the tutor's bottom line of keys is on the screen (its page is drawn)."""
    return "quit" in screen.lines()[-1]


def bare_drawn(screen: Screen) -> bool:
    """True when the bare app's one line is on the screen."""
    return "bare Textual app" in screen.text()


_PAGE = re.compile(r"^\s*\S+ (\d+)/(\d+) ")  # the header starts " lesson03 2/12 "


def page_number(screen: Screen) -> int | None:
    """The 1-based page number in the tutor's header, if one is shown."""
    m = _PAGE.search(screen.lines()[0])
    return int(m.group(1)) if m else None


def current_step(screen: Screen) -> int | None:
    """The step of the tutor's run on screen: the last row of its table of states.

    The table is headed `step`; its rows start with the step number, the current one last. A
    turned table (one column per state) has the steps on its `step` row instead, the current last.
    """
    lines = screen.lines()
    for i, line in enumerate(lines):
        head = line.split()
        numbers = list(itertools.takewhile(str.isdigit, head[1:])) if head[:1] == ["step"] else []
        if numbers:  # the plots beside the table follow on the same line
            return int(numbers[-1])
        if head[:1] == ["step"] and len(head) > 2:
            col = line.index("step")
            steps = []
            for below in lines[i + 1:]:
                cell = below[col: col + 8].split()
                if not cell or not cell[0].isdigit():
                    break
                steps.append(int(cell[0]))
            if steps:
                return steps[-1]
    m = re.search(r"\bstep (\d+)", screen.text())
    return int(m.group(1)) if m else None


def bare_count(screen: Screen) -> int | None:
    """The counter the bare app shows."""
    m = re.search(r"count (-?\d+)", screen.text())
    return int(m.group(1)) if m else None


# -- the lesson, read as the app reads it -------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """What the bench needs to know about one page."""

    index: int
    title: str
    steps: int | None
    graph: bool
    question: bool
    predict: bool


def lesson_pages(lesson: str = "lesson03") -> list[PageInfo]:
    """The pages of a shipped lesson, loaded with the project's own loader."""
    from backprop_tutor.lessons import find_lesson, lessons_dir, load_lesson

    loaded = load_lesson(find_lesson(lesson, lessons_dir(None)))
    out = []
    for i, p in enumerate(loaded.pages):
        exp = p.experiment
        q = p.question
        out.append(PageInfo(i, p.title, exp.steps if exp else None, bool(exp and exp.graph), q is not None,
                            bool(q is not None and q.predict)))
    return out


def first_experiment_page(pages: Iterable[PageInfo], min_steps: int = 1) -> PageInfo:
    """The first page with a (non-graph) experiment of at least `min_steps` updates."""
    for p in pages:
        if p.steps is not None and not p.graph and p.steps >= min_steps:
            return p
    raise LookupError(f"no experiment page with {min_steps}+ steps")


def go_to_page(app: PtyApp, target: int, tries: int = 40) -> bool:
    """Press `n` until the header shows 1-based page `target + 1` (a page that asks a question
    first warns once, so some pages take two presses). False if it never got there."""
    for _ in range(tries):
        shown = page_number(app.screen)
        if shown == target + 1:
            return True
        if shown is not None and shown > target + 1:
            return False
        app.press("n", quiet=0.3)
    return page_number(app.screen) == target + 1


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def table(rows: list[list[object]], header: list[str]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[_cell(v) for v in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)
