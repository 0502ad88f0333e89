"""Time to first frame: from starting the program in an 80×24 pty to the last byte of its first
screen, against the bare Textual app measured the same way, in the same run.

A first frame is over when the screen shows what it should (the bare app's line; the tutor's
bottom bar of keys; on a page with plots, a plot frame `┤`…`└`) and the output has then been
quiet for 0.3 s; the time is that of the last byte before the quiet, and `cpu s` the program's
own CPU time by then (from /proc: on a busy machine the clock also counts the waiting). The tutor is timed warm (its
lesson cached by an earlier start, as on a student's second start) and cold (a fresh cache). Runs are interleaved (bare,
tutor, tutor, bare, …) so a slow moment on the machine hits all of them alike.

    python bench/first_frame.py              # 7 runs each, 80×24
    python bench/first_frame.py --runs 9 --json
    python bench/first_frame.py --before /tmp/before/src   # and older code, in the same runs
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

import pty_terminal as pt


def _time_one(cmd: list[str], ready, cols: int, rows: int, cold: bool = False,
              env: dict[str, str] | None = None) -> tuple[float | None, int, float | None]:
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as fresh, \
            pt.PtyApp(cmd, cols, rows, env={**(env or {}), **({"TUTOR_CACHE_DIR": fresh} if cold else {})}) as app:
        burst = app.wait_ready(ready, quiet=0.3, limit=30)
        ok = ready(app.screen) and burst.last is not None
        seconds = burst.last - app.started if ok else None
        cpu = app.cpu_seconds() if ok else None  # its own CPU time: steadier than the clock under load
    return seconds, len(burst), cpu


def _import_time(code: str) -> float:
    """Seconds the imports take inside a fresh interpreter (its start and exit left out)."""
    timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", timed], capture_output=True, text=True, check=True, timeout=60)
    return float(done.stdout)


def measure(runs: int = 7, lesson: str = "lesson03", cols: int = 80, rows: int = 24, before: str | None = None) -> dict:
    """First-frame times of the bare app, `tutor run LESSON`, and the tutor on its first plot page."""
    pages = pt.lesson_pages(lesson)
    plot_page = pt.first_experiment_page(pages)
    first_has_plots = pages[0].steps is not None and not pages[0].graph
    first_ready = pt.plots_drawn if first_has_plots else pt.keys_bar_drawn
    variants = {
        "bare Textual app": (pt.bare_command(), pt.bare_drawn),
        f"tutor run {lesson}": (pt.tutor_command("run", lesson), first_ready),
        f"tutor run {lesson}, cold (no lesson cache)": (pt.tutor_command("run", lesson), first_ready),
        f"tutor on page {plot_page.index + 1} (plots)": (pt.tutor_page_command(lesson, plot_page.index), pt.plots_drawn),
    }
    if before:  # another checkout's code (`git archive REV src lessons data`), in the same runs
        variants[f"tutor run {lesson}, before ({before})"] = (pt.tutor_command("run", lesson), first_ready)
    times: dict[str, list[float]] = {name: [] for name in variants}
    sizes: dict[str, list[int]] = {name: [] for name in variants}
    failures: dict[str, int] = {name: 0 for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    _time_one(pt.tutor_command("run", lesson), first_ready, cols, rows)  # warms the bench's lesson cache
    for _ in range(runs):
        for name, (cmd, ready) in variants.items():
            env = {"PYTHONPATH": before} if before and "before" in name else None
            seconds, size, cpu = _time_one(cmd, ready, cols, rows, cold="cold" in name, env=env)
            if seconds is None:
                failures[name] += 1
            else:
                times[name].append(seconds)
                sizes[name].append(size)
                if cpu is not None:
                    cpus[name].append(cpu)
    imports = {
        "import textual + Static": [],
        "import backprop_tutor.tui.app": [],
    }
    codes = {
        "import textual + Static": "from textual.app import App; from textual.widgets import Static",
        "import backprop_tutor.tui.app": "import backprop_tutor.tui.app",
    }
    for _ in range(runs):
        for name, code in codes.items():
            imports[name].append(_import_time(code))
    bare = times["bare Textual app"]
    rows_out = []
    for name in variants:
        t = times[name]
        rows_out.append({
            "what": name,
            "median_s": pt.median(t),
            "min_s": min(t) if t else None,
            "ratio_median": _ratio(pt.median(t), pt.median(bare)),
            "ratio_min": _ratio(min(t) if t else None, min(bare) if bare else None),
            "cpu_s": pt.median(cpus[name]),
            "ratio_cpu": _ratio(pt.median(cpus[name]), pt.median(cpus["bare Textual app"])),
            "frame_bytes": int(pt.median(sizes[name]) or 0),
            "runs": len(t),
            "timeouts": failures[name],
        })
    bare_import = imports["import textual + Static"]
    for name, t in imports.items():
        rows_out.append({"what": f"{name} (no terminal)", "median_s": pt.median(t), "min_s": min(t),
                         "ratio_median": _ratio(pt.median(t), pt.median(bare_import)),
                         "ratio_min": _ratio(min(t), min(bare_import)), "cpu_s": None, "ratio_cpu": None,
                         "frame_bytes": None, "runs": len(t),
                         "timeouts": 0})
    tutor = rows_out[1]
    cold = rows_out[2]
    plots = rows_out[3]
    return {
        "bench": "first_frame",
        "size": f"{cols}x{rows}",
        "lesson": lesson,
        "first_page": pages[0].title,
        "plot_page": plot_page.index + 1,
        "rows": rows_out,
        "summary": {
            "bare_median_s": pt.median(bare),
            "tutor_median_s": tutor["median_s"],
            "tutor_ratio": tutor["ratio_median"],
            "tutor_cpu_ratio": tutor["ratio_cpu"],
            "cold_cpu_ratio": cold["ratio_cpu"],
            "cold_median_s": cold["median_s"],
            "cold_ratio": cold["ratio_median"],
            "plots_median_s": plots["median_s"],
            "plots_ratio": plots["ratio_median"],
            "before_ratio": rows_out[4]["ratio_median"] if before else None,
        },
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def report(result: dict) -> str:
    """The result as a plain-text table."""
    rows = [[r["what"], r["median_s"], r["min_s"], r["ratio_median"], r["ratio_min"], r.get("cpu_s"),
             r.get("ratio_cpu"), r["frame_bytes"], r["runs"], r["timeouts"]] for r in result["rows"]]
    head = (f"first frame at {result['size']} ({result['lesson']}: page 1 is {result['first_page']!r}; "
            f"first page with plots is page {result['plot_page']})")
    return head + "\n" + pt.table(rows, ["what", "median s", "min s", "×bare med", "×bare min", "cpu s",
                                         "×bare cpu", "bytes", "runs", "timeouts"])


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=7, help="runs of each program (default 7)")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--size", default="80x24", help="COLSxROWS (default 80x24)")
    p.add_argument("--before", metavar="SRC", help="also time `tutor run` with PYTHONPATH=SRC (older code)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    cols, rows = (int(v) for v in args.size.split("x"))
    result = measure(args.runs, args.lesson, cols, rows, args.before)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
