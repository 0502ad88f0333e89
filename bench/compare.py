"""Pinned runs and `u` as a student feels them: held space on a page with three pinned runs, and
a long `u` stopped by a key, in a real pseudo-terminal (80×24 and 120×40).

Held key: 30 spaces at a key-repeat rate of 30/s on lesson03's page with three pinned runs
(α = 0.1, 1, 2 beside 0.5), and on the same lesson's α = 0.1 page with none: the time from the
last key to the last byte, and whether the step on screen is then 30 (no key lost or queued).

Long `u`: on a page whose run creeps (α = 0.0001 from w = 3, 5,000 steps), `u` runs in frames; a
key 0.5 s later stops it: the time from that key to the last byte, and the step it stopped at.

    python bench/compare.py
    python bench/compare.py --json
"""

from __future__ import annotations

import argparse
import json
import re
import select
import sys
import tempfile
import time
from pathlib import Path

import pty_terminal as pt

PRESSES = 30
RATE = 30.0



def step_on_screen(screen: pt.Screen) -> int | None:
    """The step a table of runs (`step 12` over the runs) or of steps (its last row) shows."""
    for line in screen.lines():
        match = re.search(r"step (\d+)\s", line)
        if match:
            return int(match.group(1))
    return pt.current_step(screen)


def held(app: pt.PtyApp) -> dict:
    """PRESSES spaces at RATE a second, reading meanwhile; then wait for quiet."""
    start = step_on_screen(app.screen)
    interval, t0, last_byte, sent = 1.0 / RATE, time.perf_counter(), None, 0.0
    for i in range(PRESSES):
        sent = app.send(b" ")
        while (left := t0 + (i + 1) * interval - time.perf_counter()) > 0:
            if select.select([app.fd], [], [], left)[0]:
                burst = app.read(quiet=0.0005, limit=left)
                last_byte = burst.last or last_byte
    burst = app.read(quiet=0.5, limit=15, sent=sent)
    last_byte = burst.last or last_byte
    final = step_on_screen(app.screen)
    return {
        "start_step": start,
        "final_step": final,
        "lost_or_queued": None if final is None or start is None else PRESSES - (final - start),
        "quiet_after_last_key_ms": round(max(0.0, (last_byte - sent) * 1000), 1) if last_byte else None,
    }


def long_until(cols: int, rows: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    lesson = folder / "creep.yaml"
    lesson.write_text(
        "title: Creep\npages:\n  - title: Creep\n    experiment:\n      id: creep\n"
        "      points: [[1, 1]]\n      init: {w: 3}\n      alpha: 0.0001\n      steps: 5000\n",
        encoding="utf-8",
    )
    with pt.PtyApp(pt.tutor_command("run", str(lesson)), cols, rows) as app:
        app.wait_ready(lambda s: "Creep" in s.text())
        app.send(b"u")
        app.read(quiet=5.0, limit=0.5)  # let it run half a second, drawing as it goes
        running = _said(app.screen, r"Running until something happens: step (\d+)")
        sent = app.send(b"u")  # any key stops it (u only stops it)
        burst = app.read(quiet=0.5, limit=10, sent=sent)
        return {
            "step_after_0.5s": running,
            "key_to_last_byte_ms": round(burst.latency_ms or 0.0, 1),
            "stopped_at": _said(app.screen, r"Stopped at step (\d+) \(a key was pressed\)"),
        }


def _said(screen: pt.Screen, pattern: str) -> int | None:
    """The number in the message line matching `pattern` (the message may wrap: rows are joined)."""
    match = re.search(pattern, " ".join(line.strip() for line in screen.lines()))
    return int(match.group(1)) if match else None


def measure() -> dict:
    pages = pt.lesson_pages("lesson03")
    pinned = next(p.index for p in pages if p.title.startswith("L2, α = 0.5"))
    plain = next(p.index for p in pages if p.title.startswith("L2, α = 0.1"))
    result: dict = {}
    for cols, rows in ((80, 24), (120, 40)):
        size = f"{cols}x{rows}"
        for name, page in (("three pins", pinned), ("no pins", plain)):
            with pt.PtyApp(pt.tutor_page_command("lesson03", page), cols, rows) as app:
                app.wait_ready(lambda s: "step" in s.text())
                result[f"held space, {name}, {size}"] = held(app)
        result[f"long u stopped by a key, {size}"] = long_until(cols, rows)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name, figures in result.items():
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
