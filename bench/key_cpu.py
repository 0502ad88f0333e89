"""CPU time of one Space, without a terminal: the app under Textual's `run_test`, 40 presses on a
lesson page, timed with `time.process_time()` (Textual still lays out and renders every frame;
only the writing to a terminal is left out). With `--before SRC`, the same in a process whose
code comes from SRC (e.g. `git archive REV src lessons data | tar -x -C /tmp/before`), alternately.

    python bench/key_cpu.py                        # lesson03 page 4, 5 rounds
    python bench/key_cpu.py --before /tmp/before/src --page 2 --rounds 7
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time


def child(lesson_name: str, page: int, presses: int) -> float:
    """ms of CPU per Space in this process."""
    from backprop_tutor.lessons import find_lesson, lessons_dir, load_lesson
    from backprop_tutor.tui.launch import make_app

    app = make_app(load_lesson(find_lesson(lesson_name, lessons_dir())), page=page)

    async def go() -> float:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(5):  # the first steps grow the table: not what is measured
                await pilot.press("space")
            await pilot.pause()
            start = time.process_time()
            for _ in range(presses):
                await pilot.press("space")
                await pilot.pause()
            return (time.process_time() - start) / presses * 1000

    return asyncio.run(go())


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--page", type=int, default=3, help="0-based page (default 3: lesson03's long run)")
    p.add_argument("--presses", type=int, default=40)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--before", metavar="SRC", help="also measure the code in SRC, alternately")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(child(args.lesson, args.page, args.presses))
        return 0
    runs: dict[str, list[float]] = {"this code": []}
    if args.before:
        runs[f"before ({args.before})"] = []
    here = os.path.dirname(os.path.abspath(__file__))
    for _ in range(args.rounds):
        for name in runs:
            env = {**os.environ, "PYTHONPATH": args.before} if name.startswith("before") else dict(os.environ)
            env["TUTOR_STATE_DIR"] = env.get("TMPDIR", "/tmp")
            cmd = [sys.executable, os.path.join(here, "key_cpu.py"), "--child", "--lesson", args.lesson,
                   "--page", str(args.page), "--presses", str(args.presses)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=os.path.dirname(here))
            runs[name].append(float(done.stdout.split()[-1]))
    print(f"CPU ms per Space, {args.lesson} page {args.page + 1}, 80x24, headless, {args.presses} presses x {args.rounds} rounds")
    for name, values in runs.items():
        print(f"{name:40} median {statistics.median(values):6.1f}  min {min(values):6.1f}  max {max(values):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
