"""Key to last byte: how long after a key press the terminal has received the last byte of the
redrawn screen, for `space` (one update) and `←` (one back), at 80×24 and 120×40, against the
bare Textual app (whose space/← change a counter) in the same run.

The tutor is started as `tutor run lesson03` and taken with `n` to the lesson's first experiment
page. Only presses that moved the run count (at the last step `space` turns into `←`, and back at
step 0). A burst ends when output has been quiet for 0.25 s; the latency is to its last byte.

Steady: the same on the first page with enough updates, from step 4 on, where the table of states is
full and a step changes no widget's height (the first steps grow the table, which costs a layout).

Held key: 30 spaces sent as one write (faster than any keyboard), then 30 spaces at a key-repeat
rate of 30/s, on the first page with at least 30 updates: the time until the output is quiet, and
whether the step on screen is then 30 (no key lost, none still queued).

    python bench/keys.py                     # 20 presses of each key, both sizes
    python bench/keys.py --presses 40 --json
"""

from __future__ import annotations

import argparse
import json
import select
import sys
import time

import pty_terminal as pt

QUIET = 0.25
HELD = 30
FULL = 4
"""From this step on the table of states shows its full four rows: a step no longer changes heights."""


def _tutor_latencies(app: pt.PtyApp, presses: int, steps: int) -> dict[str, list[tuple[float, int]]]:
    """(latency ms, bytes) per step key, walking the run forwards then back, until each has `presses`."""
    got: dict[str, list[tuple[float, int]]] = {"space": [], "left": []}
    key = "space"
    step = pt.current_step(app.screen) or 0
    misses = 0
    while min(len(v) for v in got.values()) < presses and misses < 6:
        burst = app.press(key, quiet=QUIET)
        now = pt.current_step(app.screen)
        moved = now is not None and now == step + (1 if key == "space" else -1)
        if moved and burst.latency_ms is not None:
            if len(got[key]) < presses:
                got[key].append((burst.latency_ms, len(burst)))
            misses = 0
        else:
            misses += 1
        step = now if now is not None else step
        if not moved or (key == "space" and step >= steps) or (key == "left" and step <= 0):
            key = "left" if key == "space" else "space"
    return got


def _bare_latencies(app: pt.PtyApp, presses: int) -> dict[str, list[tuple[float, int]]]:
    got: dict[str, list[tuple[float, int]]] = {"space": [], "left": []}
    for i in range(2 * presses):
        key = "space" if (i // 5) % 2 == 0 else "left"
        burst = app.press(key, quiet=QUIET)
        if burst.latency_ms is not None:
            got[key].append((burst.latency_ms, len(burst)))
    return got


def _steady(app: pt.PtyApp, presses: int) -> dict[str, list[tuple[float, int]]]:
    """Presses once the table of states is full (step FULL and on): `presses` spaces forward,
    then as many ←, so no press changes the layout's heights."""
    app.press(b"g", quiet=QUIET)
    for _ in range(FULL):
        app.press("space", quiet=QUIET)
    got: dict[str, list[tuple[float, int]]] = {"space": [], "left": []}
    for key in ("space", "left"):
        for _ in range(presses):
            before = pt.current_step(app.screen)
            burst = app.press(key, quiet=QUIET)
            now = pt.current_step(app.screen)
            if burst.latency_ms is not None and before is not None and now == before + (1 if key == "space" else -1):
                got[key].append((burst.latency_ms, len(burst)))
    return got


def _held(app: pt.PtyApp, rate: float | None, presses: int = HELD) -> dict:
    """Send `presses` spaces (all at once, or `rate` per second) and wait for quiet."""
    app.press(b"g", quiet=QUIET)  # back to step 0
    start = pt.current_step(app.screen)
    out, last_byte = 0, None
    if rate is None:
        sent_last = app.send(b" " * presses)
    else:
        interval = 1.0 / rate
        t0 = time.perf_counter()
        for i in range(presses):
            sent_last = app.send(b" ")
            # read what comes back meanwhile, so the program is never blocked on a full pty
            while True:
                left = t0 + (i + 1) * interval - time.perf_counter()
                if left <= 0:
                    break
                r, _, _ = select.select([app.fd], [], [], left)
                if r:
                    burst = app.read(quiet=0.0005, limit=left)
                    out += len(burst)
                    last_byte = burst.last or last_byte
    burst = app.read(quiet=0.5, limit=15, sent=sent_last)
    last_byte = burst.last or last_byte
    final = pt.current_step(app.screen)
    return {
        "mode": "one write" if rate is None else f"{rate:g}/s",
        "presses": presses,
        "start_step": start,
        "final_step": final,
        "lost_or_queued": None if final is None or start is None else presses - (final - start),
        # from the last key sent to the last byte (0 when nothing came after it)
        "quiet_after_last_key_ms": max(0.0, (last_byte - sent_last) * 1000) if last_byte else None,
        "bytes": out + len(burst),
    }


def measure(presses: int = 20, lesson: str = "lesson03", sizes: tuple[tuple[int, int], ...] = ((80, 24), (120, 40))) -> dict:
    """Latencies for both apps at each size, and the held-key test on the tutor."""
    pages = pt.lesson_pages(lesson)
    page = pt.first_experiment_page(pages)
    long_page = pt.first_experiment_page(pages, min_steps=max(HELD, FULL + presses))
    rows = []
    held = []
    for cols, lines in sizes:
        with pt.PtyApp(pt.bare_command(), cols, lines) as bare:
            bare.wait_ready(pt.bare_drawn)
            cpu0 = bare.cpu_seconds()
            bare_lat = _bare_latencies(bare, presses)
            cpu1 = bare.cpu_seconds()
            bare_cpu = (cpu1 - cpu0) * 1000 / (2 * presses) if cpu0 is not None and cpu1 is not None else None
        with pt.PtyApp(pt.tutor_command("run", lesson), cols, lines) as app:
            app.wait_ready(pt.keys_bar_drawn)
            if not pt.go_to_page(app, page.index):
                raise RuntimeError(f"could not reach page {page.index + 1} of {lesson} with n")
            cpu0 = app.cpu_seconds()
            tutor_lat = _tutor_latencies(app, presses, page.steps or 1)
            cpu1 = app.cpu_seconds()
            tutor_cpu = (cpu1 - cpu0) * 1000 / sum(len(v) for v in tutor_lat.values()) if cpu0 and cpu1 else None
            steady = {"space": [], "left": []}
            if pt.go_to_page(app, long_page.index):
                for rate in (None, 30.0):
                    held.append({"size": f"{cols}x{lines}", "page": long_page.index + 1, **_held(app, rate)})
                steady = _steady(app, presses)
        for key in ("space", "left"):
            b = [ms for ms, _ in bare_lat[key]]
            for name, lat, cpu in (("bare Textual app", bare_lat, bare_cpu),
                                   (f"tutor {lesson} p{page.index + 1}", tutor_lat, tutor_cpu),
                                   (f"tutor {lesson} p{long_page.index + 1} steps {FULL}+", steady, None)):
                ms = [m for m, _ in lat[key]]
                rows.append({
                    "size": f"{cols}x{lines}", "app": name, "key": key,
                    "median_ms": pt.median(ms), "max_ms": max(ms) if ms else None, "n": len(ms),
                    "bytes_median": pt.median([n for _, n in lat[key]]),
                    "ratio_median": (pt.median(ms) / pt.median(b)) if ms and b else None,
                    "cpu_ms_per_press": cpu,
                })
    first = next(r for r in rows if r["app"].startswith("tutor") and r["size"] == f"{sizes[0][0]}x{sizes[0][1]}")
    burst = next((h for h in held if h["mode"] == "one write"), None)
    return {
        "bench": "keys",
        "lesson": lesson,
        "page": page.index + 1,
        "rows": rows,
        "held": held,
        "summary": {
            "space_median_ms_80x24": first["median_ms"],
            "space_max_ms_80x24": first["max_ms"],
            "space_ratio_80x24": first["ratio_median"],
            "bare_space_median_ms_80x24": next(r for r in rows if r["app"].startswith("bare"))["median_ms"],
            "left_median_ms_80x24": next(r for r in rows if r["app"].startswith("tutor") and r["key"] == "left")["median_ms"],
            "steady_space_median_ms_80x24": next((r["median_ms"] for r in rows if "steps" in r["app"]
                                                  and r["key"] == "space"), None),
            "held_lost_or_queued": [h["lost_or_queued"] for h in held],
            "held_burst_quiet_ms_80x24": burst["quiet_after_last_key_ms"] if burst else None,
        },
    }


def report(result: dict) -> str:
    """The result as plain-text tables."""
    rows = [[r["size"], r["app"], r["key"], r["median_ms"], r["max_ms"], r["n"], r["bytes_median"], r["ratio_median"],
             r["cpu_ms_per_press"]] for r in result["rows"]]
    out = ["key to last byte (ms; cpu = the program's CPU time per press, both keys)",
           pt.table(rows, ["size", "app", "key", "median", "max", "n", "bytes", "×bare", "cpu ms"])]
    held = [[h["size"], h["page"], h["mode"], h["presses"], h["final_step"], h["lost_or_queued"],
             h["quiet_after_last_key_ms"], h["bytes"]] for h in result["held"]]
    out += ["", "held space (step 0 → 30 presses)",
            pt.table(held, ["size", "page", "sent as", "presses", "final step", "lost/queued", "quiet after last ms",
                            "bytes"])]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--presses", type=int, default=20, help="measured presses of each key (default 20)")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = p.parse_args(argv)
    result = measure(args.presses, args.lesson)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
