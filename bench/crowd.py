"""A class starting at once on one lab server: N copies of the tutor (default 30), each in its own
pseudo-terminal at 80×24, against N bare Textual apps measured the same way in the same run.

For each group, in turn (bare apps first, then tutors):

- **start**: all N are forked within a few milliseconds; `all first frames s` is the time from the
  first fork until the last of them has drawn its first frame (its own ready mark on screen, then
  quiet for 0.3 s; times are to the last byte). `median first frame s` is per instance.
- **Space at once**: each tutor is taken with `n` to the first experiment page with enough
  updates (bare apps stay as they are); then, `--rounds` times, a space is written to all N
  terminals in one quick loop and every terminal is read until all are quiet for 0.25 s.
  Latency is from the write to that terminal to its last byte: `median ms` / `worst ms` over all
  instances and rounds (`moved` counts the presses that drew anything).
- **PSS per instance**: the summed `Pss` of /proc/PID/smaps_rollup over the N, divided by N,
  read while all still run (and the median peak RSS, `VmHWM`).

`×bare` is each figure over the bare group's. Both cores are shared with whatever else runs:
say so when you quote a figure.

    python bench/crowd.py                  # 30 of each (~1-2 min)
    python bench/crowd.py --quick          # 8 of each, 1 round (~20 s)
    python bench/crowd.py --users 30 --rounds 3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import select
import sys
import time
from collections.abc import Callable

import pty_terminal as pt

MIB = 1024


def read_all(apps: list[pt.PtyApp], quiet: float, limit: float, since: list[float],
             until: Callable[[pt.Screen], bool] | None = None) -> list[dict]:
    """Read every terminal until each has written something (and shows `until`, if given) and
    all have been quiet for `quiet` s, or `limit` s have passed since the earliest of `since`.

    Returns per app: bytes, time of the last byte (None if none), when `until` first held.
    """
    start = min(since)
    got = [{"bytes": 0, "first": None, "last": None, "ready": None if until else start} for _ in apps]
    by_fd = {app.fd: i for i, app in enumerate(apps) if app.alive}
    last_any = time.perf_counter()
    while by_fd:
        now = time.perf_counter()
        if now - start > limit:
            break
        done = all(g["ready"] is not None and g["last"] is not None for g, a in zip(got, apps) if a.alive)
        if done and now - last_any >= quiet:
            break
        ready, _, _ = select.select(list(by_fd), [], [], 0.02)
        for fd in ready:
            i = by_fd[fd]
            app = apps[i]
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                app._reap()
                del by_fd[fd]
                continue
            t = time.perf_counter()
            last_any = t
            g = got[i]
            g["first"] = g["first"] or t
            g["last"] = t
            g["bytes"] += len(chunk)
            app.output += chunk
            app.screen.feed(chunk)
            app.answer()  # as a terminal does
            if g["ready"] is None and until is not None and until(app.screen):
                g["ready"] = t
    return got


def _group(kind: str, users: int, rounds: int, page: int, lesson: str) -> dict:
    cmd = pt.bare_command() if kind == "bare" else pt.tutor_command("run", lesson)
    ready = pt.bare_drawn if kind == "bare" else pt.keys_bar_drawn
    apps: list[pt.PtyApp] = []
    try:
        for _ in range(users):  # as at the start of a class: all at once
            apps.append(pt.PtyApp(cmd, 80, 24))
        starts = [app.started for app in apps]
        start = read_all(apps, quiet=0.3, limit=180, since=starts, until=ready)
        firsts = [g["last"] - s for g, s in zip(start, starts) if g["ready"] is not None and g["last"]]
        shown = len(firsts)
        all_first = max(g["last"] for g in start if g["last"]) - min(starts) if shown else None
        if kind != "bare":
            on_page = [pt.go_to_page(app, page) for app in apps]
        else:
            on_page = [True] * users
        latencies, moved = [], 0
        for _ in range(rounds):
            time.sleep(0.3)
            sent = []
            for app in apps:
                sent.append(app.send(b" "))
            got = read_all(apps, quiet=0.25, limit=60, since=sent)
            for g, s, ok in zip(got, sent, on_page):
                if ok and g["last"] is not None:
                    latencies.append((g["last"] - s) * 1000)
                    moved += 1
        time.sleep(0.3)
        mem = [app.memory() for app in apps]
    finally:
        for app in apps:
            app.kill()
    pss = [m["pss_kb"] for m in mem if m["pss_kb"] is not None]
    hwm = [m["hwm_kb"] for m in mem if m["hwm_kb"] is not None]
    return {
        "app": "bare Textual app" if kind == "bare" else f"tutor run {lesson}",
        "users": users, "shown": shown, "on_page": sum(on_page),
        "all_first_frames_s": all_first, "median_first_frame_s": pt.median(firsts),
        "space_median_ms": pt.median(latencies), "space_worst_ms": max(latencies) if latencies else None,
        "presses": users * rounds, "moved": moved,
        "pss_per_user_mib": sum(pss) / len(pss) / MIB if pss else None,
        "hwm_median_mib": (pt.median(hwm) or 0) / MIB if hwm else None,
    }


def measure(users: int = 30, rounds: int = 2, lesson: str = "lesson03") -> dict:
    """The bare group, then the tutor group."""
    page = pt.first_experiment_page(pt.lesson_pages(lesson), min_steps=rounds + 1).index
    bare = _group("bare", users, rounds, page, lesson)
    tutor = _group("tutor", users, rounds, page, lesson)
    ratios = {}
    for f in ("all_first_frames_s", "median_first_frame_s", "space_median_ms", "space_worst_ms", "pss_per_user_mib",
              "hwm_median_mib"):
        ratios[f] = tutor[f] / bare[f] if tutor[f] and bare[f] else None
    return {"bench": "crowd", "lesson": lesson, "page": page + 1, "users": users, "rounds": rounds,
            "cpus": os.cpu_count(), "bare": bare, "tutor": tutor, "ratios": ratios,
            "summary": {"users": users, "all_first_s": tutor["all_first_frames_s"],
                        "bare_all_first_s": bare["all_first_frames_s"], "all_first_ratio": ratios["all_first_frames_s"],
                        "space_median_ms": tutor["space_median_ms"], "space_worst_ms": tutor["space_worst_ms"],
                        "bare_space_median_ms": bare["space_median_ms"], "bare_space_worst_ms": bare["space_worst_ms"],
                        "space_median_ratio": ratios["space_median_ms"], "space_worst_ratio": ratios["space_worst_ms"],
                        "pss_mib": tutor["pss_per_user_mib"], "bare_pss_mib": bare["pss_per_user_mib"],
                        "pss_ratio": ratios["pss_per_user_mib"]}}


def report(r: dict) -> str:
    """The result as a plain-text table."""
    b, t, x = r["bare"], r["tutor"], r["ratios"]
    rows = [
        [f"all {r['users']} show a first frame, s", b["all_first_frames_s"], t["all_first_frames_s"], x["all_first_frames_s"]],
        ["first frame per instance (median), s", b["median_first_frame_s"], t["median_first_frame_s"], x["median_first_frame_s"]],
        ["Space at once: median ms", b["space_median_ms"], t["space_median_ms"], x["space_median_ms"]],
        ["Space at once: worst ms", b["space_worst_ms"], t["space_worst_ms"], x["space_worst_ms"]],
        ["PSS per instance, MiB", b["pss_per_user_mib"], t["pss_per_user_mib"], x["pss_per_user_mib"]],
        ["peak RSS per instance (median), MiB", b["hwm_median_mib"], t["hwm_median_mib"], x["hwm_median_mib"]],
        ["shown / on page / presses that drew", f"{b['shown']}/{b['on_page']}/{b['moved']}",
         f"{t['shown']}/{t['on_page']}/{t['moved']}", ""],
    ]
    head = (f"{r['users']} at once, 80x24, {r['cpus']} CPUs (tutor: {r['lesson']} page {r['page']}; "
            f"{r['rounds']} rounds of Space to all)")
    return head + "\n" + pt.table(rows, ["figure", "bare Textual", "tutor", "×bare"])


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=30)
    p.add_argument("--rounds", type=int, default=2, help="times Space is pressed in all terminals at once")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--quick", action="store_true", help="8 of each, 1 round")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    if args.quick:
        args.users, args.rounds = 8, 1
    result = measure(args.users, args.rounds, args.lesson)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
