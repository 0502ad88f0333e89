"""Bytes written to the terminal per step, at 80×24 and 120×40, in truecolor, 256 and 16 colours,
against the size of a full first frame of the same page, and against the bare Textual app.

The tutor is opened directly on lesson03's first experiment page (bench/tutor_page.py, the same
app as `tutor run`); its start-up output is the full frame. Then `space` is pressed through the
run and `←` back (only presses that moved the run count). Each step's output is split at its
cursor moves and charged to the plots (the right-hand panel) or the rest; SGR colour codes are
counted apart, and so are the screen cells whose character actually changed.

Colour depths: truecolor is TERM=xterm-256color COLORTERM=truecolor; 256 is TERM=xterm-256color;
16 is TERM=xterm (COLORTERM unset in both).

    python bench/bytes.py
    python bench/bytes.py --steps 20 --json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

import pty_terminal as pt

QUIET = 0.25
SGR = re.compile(rb"\x1b\[[0-9;:]*m")


def _right_panel(cmd: list[str], cols: int, rows: int, depth: str) -> int:
    """The 1-based column where the plots' panel starts: the rightmost column that many rows of
    the first frame move the cursor to. Read from Textual's own output (`TUTOR_OUTPUT=plain`, one
    more start), which moves to each widget's left edge; the app's own output skips what is shown."""
    with pt.PtyApp(cmd, cols, rows, colours=depth, env={"TUTOR_OUTPUT": "plain"}) as app:
        boot = app.wait_ready(pt.plots_drawn, quiet=0.3, limit=30).data
    starts = Counter(col for row, col, _ in pt.segments(boot) if 1 < row < rows and 1 < col <= cols)
    common = [col for col, n in starts.items() if n >= (rows - 2) * 0.4]
    return max(common) if common else cols - min(int(cols * 0.48), 72) + 1


def _split(data: bytes, right: int, rows: int) -> dict[str, int]:
    plots = sum(n for row, col, n in pt.segments(data) if 1 < row < rows and col >= right)
    return {"bytes": len(data), "plot_bytes": plots, "sgr_bytes": sum(len(m) for m in SGR.findall(data)),
            "sgr_codes": len(SGR.findall(data))}


def _changed(app: pt.PtyApp, before: list[list[str]], right: int) -> tuple[int, int]:
    total = plot = 0
    for r, (old, new) in enumerate(zip(before, app.screen.grid)):
        for c, (a, b) in enumerate(zip(old, new)):
            if a != b:
                total += 1
                plot += 0 < r < app.rows - 1 and c + 1 >= right
    return total, plot


def _steps(app: pt.PtyApp, count: int, max_step: int, tutor: bool, right: int) -> list[dict]:
    out = []
    key = "space"
    step = pt.current_step(app.screen) if tutor else pt.bare_count(app.screen)
    misses = 0
    while len(out) < count and misses < 6:
        before = app.screen.snapshot()
        burst = app.press(key, quiet=QUIET)
        now = pt.current_step(app.screen) if tutor else pt.bare_count(app.screen)
        moved = now is not None and step is not None and now == step + (1 if key == "space" else -1)
        if moved:
            cells, plot_cells = _changed(app, before, right)
            out.append({"key": key, **_split(burst.data, right, app.rows), "cells": cells, "plot_cells": plot_cells})
            misses = 0
        else:
            misses += 1
        step = now if now is not None else step
        if tutor and (not moved or (key == "space" and step >= max_step) or (key == "left" and step <= 0)):
            key = "left" if key == "space" else "space"
    return out


FULL = 4
"""From this step on the table of states is full: a step changes no widget's height."""


def _steady(lesson: str, page: int, cols: int, lines: int, depth: str, count: int) -> float | None:
    """Median bytes of `count` space presses from step FULL on, on a page with enough updates."""
    with pt.PtyApp(pt.tutor_page_command(lesson, page), cols, lines, colours=depth) as app:
        app.wait_ready(pt.plots_drawn, quiet=0.3, limit=30)
        for _ in range(FULL):
            app.press("space", quiet=QUIET)
        sizes = []
        for _ in range(count):
            before = pt.current_step(app.screen)
            burst = app.press("space", quiet=QUIET)
            if before is not None and pt.current_step(app.screen) == before + 1:
                sizes.append(len(burst))
    return pt.median(sizes)


def measure(steps: int = 12, lesson: str = "lesson03",
            sizes: tuple[tuple[int, int], ...] = ((80, 24), (120, 40)),
            colours: tuple[str, ...] = ("truecolor", "256", "16")) -> dict:
    """Bytes per step and per full frame, for the tutor and the bare app, at each size and depth."""
    pages = pt.lesson_pages(lesson)
    page = pt.first_experiment_page(pages)
    long_page = pt.first_experiment_page(pages, min_steps=FULL + 8)
    rows = []
    for cols, lines in sizes:
        for depth in colours:
            for name, cmd, ready in (
                ("bare Textual app", pt.bare_command(), pt.bare_drawn),
                (f"tutor {lesson} p{page.index + 1}", pt.tutor_page_command(lesson, page.index), pt.plots_drawn),
            ):
                tutor = name.startswith("tutor")
                right = _right_panel(cmd, cols, lines, depth) if tutor else cols + 1
                with pt.PtyApp(cmd, cols, lines, colours=depth) as app:
                    boot = app.wait_ready(ready, quiet=0.3, limit=30)
                    per = _steps(app, steps, page.steps or 1, tutor, right)
                space = [p for p in per if p["key"] == "space"] or per

                def med(field: str, of: list[dict] = space) -> float | None:
                    return pt.median([p[field] for p in of])

                rows.append({
                    "size": f"{cols}x{lines}", "colours": depth, "app": name,
                    "frame_bytes": len(boot), "steps": len(per),
                    "step_bytes_median": med("bytes"), "step_bytes_max": max((p["bytes"] for p in per), default=None),
                    "left_bytes_median": med("bytes", [p for p in per if p["key"] == "left"]),
                    "plot_bytes_median": med("plot_bytes"), "sgr_bytes_median": med("sgr_bytes"),
                    "sgr_codes_median": med("sgr_codes"), "cells_median": med("cells"),
                    "plot_cells_median": med("plot_cells"), "right_panel_col": right if tutor else None,
                    "steady_step_bytes_median": _steady(lesson, long_page.index, cols, lines, depth, 8) if tutor else None,
                })
    for r in rows:
        bare = next(b for b in rows if b["app"].startswith("bare") and b["size"] == r["size"]
                    and b["colours"] == r["colours"])
        r["step_per_frame"] = r["step_bytes_median"] / r["frame_bytes"] if r["frame_bytes"] else None
        r["ratio_bare_step"] = (r["step_bytes_median"] / bare["step_bytes_median"]
                                if r["step_bytes_median"] and bare["step_bytes_median"] else None)
    main_row = next(r for r in rows if r["app"].startswith("tutor") and r["size"] == "80x24" and r["colours"] == "truecolor")
    return {
        "bench": "bytes",
        "lesson": lesson,
        "page": page.index + 1,
        "steady_page": long_page.index + 1,
        "rows": rows,
        "summary": {
            "step_bytes_80x24_truecolor": main_row["step_bytes_median"],
            "steady_step_bytes_80x24_truecolor": main_row["steady_step_bytes_median"],
            "frame_bytes_80x24_truecolor": main_row["frame_bytes"],
            "plot_bytes_80x24_truecolor": main_row["plot_bytes_median"],
            "sgr_bytes_80x24_truecolor": main_row["sgr_bytes_median"],
            "cells_80x24_truecolor": main_row["cells_median"],
            "step_per_frame_80x24_truecolor": main_row["step_per_frame"],
            "ratio_bare_step_80x24_truecolor": main_row["ratio_bare_step"],
        },
    }


def report(result: dict) -> str:
    """The result as a plain-text table."""
    rows = [[r["size"], r["colours"], r["app"], r["frame_bytes"], r["step_bytes_median"], r["step_bytes_max"],
             r["step_per_frame"], r["ratio_bare_step"], r["plot_bytes_median"], r["sgr_bytes_median"],
             r["cells_median"], r["plot_cells_median"], r["steps"], r.get("steady_step_bytes_median")]
            for r in result["rows"]]
    head = (f"bytes written per step ({result['lesson']} page {result['page']}; medians over space presses; "
            "plot = right-hand panel; cells = characters that changed; steady = steps 4+ on page "
            f"{result.get('steady_page', '?')}, table full)")
    return head + "\n" + pt.table(rows, ["size", "colours", "app", "frame", "step", "step max", "step/frame",
                                         "×bare step", "plot", "SGR", "cells", "plot cells", "n", "steady"])


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=12, help="measured steps per configuration (default 12)")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    result = measure(args.steps, args.lesson)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
