"""Memory of a running tutor against the bare Textual app, in the same run: peak RSS (VmHWM) and
PSS (/proc/PID/smaps_rollup) of one process, and of 20 running side by side, as on a lab server
where every student runs their own (PSS shares the libraries and the interpreter's read-only pages
between them, so it is what each user really costs the machine).

Each tutor is `tutor run lesson03` at 80×24, taken with `n` to the first experiment page and
stepped a few times (so the plots have been drawn); each bare app is started and its counter
stepped the same number of times. Memory is read while all of a group are still running.

    python bench/memory.py                 # one of each, then 20 of each
    python bench/memory.py --users 30 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import pty_terminal as pt

MIB = 1024
STEPS = 4


def _start(kind: str, lesson: str) -> pt.PtyApp:
    cmd = pt.bare_command() if kind == "bare" else pt.tutor_command("run", lesson)
    return pt.PtyApp(cmd, 80, 24)


def _settle(app: pt.PtyApp, kind: str, page: int) -> bool:
    """Wait for the first frame, go to the experiment page, step a few times. False if it failed."""
    ready = pt.bare_drawn if kind == "bare" else pt.keys_bar_drawn
    app.wait_ready(ready, quiet=0.2, limit=120)
    if not ready(app.screen):
        return False
    if kind != "bare" and not pt.go_to_page(app, page):
        return False
    for _ in range(STEPS):
        app.press("space", quiet=0.15)
    return app.alive


def _group(kind: str, users: int, lesson: str, page: int) -> dict:
    apps = [_start(kind, lesson) for _ in range(users)]  # all start at once, as at the start of a class
    try:
        ok = [_settle(app, kind, page) for app in apps]
        time.sleep(0.3)
        mem = [app.memory() for app in apps]
    finally:
        for app in apps:
            app.kill()
    good = [m for m, fine in zip(mem, ok) if fine and m["pss_kb"] is not None]
    pss = [m["pss_kb"] for m in good]
    return {
        "users": users,
        "ok": len(good),
        "pss_total_mib": sum(pss) / MIB if pss else None,
        "pss_per_user_mib": sum(pss) / len(pss) / MIB if pss else None,
        "hwm_per_user_mib": pt.median([m["hwm_kb"] for m in good]) / MIB if good else None,
        "rss_per_user_mib": pt.median([m["rss_kb"] for m in good]) / MIB if good else None,
    }


def measure(users: int = 20, lesson: str = "lesson03") -> dict:
    """One of each app, then `users` of each side by side."""
    page = pt.first_experiment_page(pt.lesson_pages(lesson)).index
    result: dict = {"bench": "memory", "lesson": lesson, "page": page + 1, "rows": []}
    for count in (1, users):
        for kind in ("bare", "tutor"):
            g = _group(kind, count, lesson, page)
            result["rows"].append({"app": "bare Textual app" if kind == "bare" else f"tutor run {lesson}", **g})
    rows = result["rows"]
    for r in rows:
        bare = next(b for b in rows if b["app"].startswith("bare") and b["users"] == r["users"])
        for f in ("hwm_per_user_mib", "pss_per_user_mib"):
            r[f"ratio_{f}"] = r[f] / bare[f] if r[f] and bare[f] else None
    one = next(r for r in rows if r["app"].startswith("tutor") and r["users"] == 1)
    many = next(r for r in rows if r["app"].startswith("tutor") and r["users"] == users)
    bare_one = next(r for r in rows if r["app"].startswith("bare") and r["users"] == 1)
    bare_many = next(r for r in rows if r["app"].startswith("bare") and r["users"] == users)
    result["summary"] = {
        "hwm_mib": one["hwm_per_user_mib"], "bare_hwm_mib": bare_one["hwm_per_user_mib"],
        "hwm_ratio": one["ratio_hwm_per_user_mib"],
        "pss_one_mib": one["pss_per_user_mib"], "bare_pss_one_mib": bare_one["pss_per_user_mib"],
        "pss_per_user_mib": many["pss_per_user_mib"], "pss_total_mib": many["pss_total_mib"],
        "bare_pss_per_user_mib": bare_many["pss_per_user_mib"], "pss_ratio": many["ratio_pss_per_user_mib"],
        "users": users, "users_ok": many["ok"],
    }
    return result


def report(result: dict) -> str:
    """The result as a plain-text table."""
    rows = [[r["app"], r["users"], r["ok"], r["hwm_per_user_mib"], r["ratio_hwm_per_user_mib"], r["rss_per_user_mib"],
             r["pss_per_user_mib"], r["ratio_pss_per_user_mib"], r["pss_total_mib"]] for r in result["rows"]]
    head = f"memory in MiB (80x24, {result['lesson']} page {result['page']}; per user = median, PSS per user = total/n)"
    return head + "\n" + pt.table(rows, ["app", "running", "ok", "peak RSS", "×bare", "RSS", "PSS/user", "×bare",
                                         "PSS total"])


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=20, help="programs running side by side (default 20)")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    result = measure(args.users, args.lesson)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
