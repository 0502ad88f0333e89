"""CPU time of one Space, without a terminal: the app under Textual's `run_test`, 40 presses on a
lesson page, timed with `time.process_time()` (Textual still lays out and renders every frame;
only the writing to a terminal is left out). With `--before SRC`, the same in a process whose
code comes from SRC (e.g. `git archive REV src lessons data | tar -x -C /tmp/before`), alternately.

    python bench/key_cpu.py                        # lesson03 page 4, 5 rounds
    python bench/key_cpu.py --before /tmp/before/src --page 2 --rounds 7
    python bench/key_cpu.py --before /tmp/before/src --rest 0.5   # a student's pace: the app idles between keys

With `--rest S` the app idles S seconds after each key (as between a student's presses), and two
figures are printed: the CPU from the key until its frame is drawn (`at the key`), and all CPU
per step including what the app did while idle (`per step`, what 30 students on 2 cores share).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time


def child(lesson_name: str, page: int, presses: int, rest: float = 0.0) -> tuple[float, float]:
    """ms of CPU per Space in this process: at the key (until drawn), and per step in all."""
    from backprop_tutor.lessons import find_lesson, lessons_dir, load_lesson
    from backprop_tutor.tui.launch import make_app

    app = make_app(load_lesson(find_lesson(lesson_name, lessons_dir())), page=page)

    async def go() -> float:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(5):  # the first steps grow the table: not what is measured
                await pilot.press("space")
            await pilot.pause()
            start = time.process_time()
            at_key = 0.0
            for _ in range(presses):
                key = time.process_time()
                await pilot.press("space")
                await pilot.pause()
                at_key += time.process_time() - key
                if rest:
                    await asyncio.sleep(rest)
            return at_key / presses * 1000, (time.process_time() - start) / presses * 1000

    return asyncio.run(go())


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--page", type=int, default=3, help="0-based page (default 3: lesson03's long run)")
    p.add_argument("--presses", type=int, default=40)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--before", metavar="SRC", help="also measure the code in SRC, alternately")
    p.add_argument("--rest", type=float, default=0.0, help="seconds the app idles after each key (default 0)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(*child(args.lesson, args.page, args.presses, args.rest))
        return 0
    runs: dict[str, list[float]] = {"this code": []}
    totals: dict[str, list[float]] = {"this code": []}
    if args.before:
        runs[f"before ({args.before})"] = []
        totals[f"before ({args.before})"] = []
    here = os.path.dirname(os.path.abspath(__file__))
    for _ in range(args.rounds):
        for name in runs:
            env = {**os.environ, "PYTHONPATH": args.before} if name.startswith("before") else dict(os.environ)
            env["TUTOR_STATE_DIR"] = env.get("TMPDIR", "/tmp")
            cmd = [sys.executable, os.path.join(here, "key_cpu.py"), "--child", "--lesson", args.lesson,
                   "--page", str(args.page), "--presses", str(args.presses), "--rest", str(args.rest)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=os.path.dirname(here))
            at_key, per_step = map(float, done.stdout.split()[-2:])
            runs[name].append(at_key)
            totals[name].append(per_step)
    rest = f", {args.rest} s idle after each key" if args.rest else ""
    print(f"CPU ms per Space, {args.lesson} page {args.page + 1}, 80x24, headless, {args.presses} presses x {args.rounds} rounds{rest}")
    for name, values in runs.items():
        print(f"{name:40} median {statistics.median(values):6.1f}  min {min(values):6.1f}  max {max(values):6.1f}")
        if args.rest:
            t = totals[name]
            print(f"{'  per step, idle time included':40} median {statistics.median(t):6.1f}  min {min(t):6.1f}  max {max(t):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
