"""Where the time and the bytes go: import costs, start-up phases, a profile of 50 steps in a real
pty, and the bytes of a step charged to the widget that wrote them.

    python bench/profile_app.py                  # all four parts (about a minute)
    python bench/profile_app.py imports
    python bench/profile_app.py startup
    python bench/profile_app.py steps --steps 50 --top 30
    python bench/profile_app.py bytes

Not a benchmark with a baseline: it explains the figures of the others. The `startup`, `steps`
and `bytes` parts run the tutor in a pty through this same file in a child mode that times or
profiles it (with cProfile, from the first step on) and notes where each widget sits on screen.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# -- the child: the tutor, instrumented ---------------------------------------------------------------


def child(mode: str, lesson_name: str, page: int, out: str) -> int:
    """Run the tutor on `page`, timing its start (startup), profiling its steps (steps), or noting
    widget regions after every refresh (bytes)."""
    if sys.path and sys.path[0] == str(HERE):
        del sys.path[0]  # no bench script may shadow a module of the app's
    t0 = time.perf_counter()
    marks = {"python_start_to_main_s": time.time() - float(os.environ.get("BENCH_SPAWNED", time.time()))}
    from backprop_tutor.lessons import find_lesson, lessons_dir, load_lesson

    marks["import_lessons_s"] = time.perf_counter() - t0
    lesson = load_lesson(find_lesson(lesson_name, lessons_dir(None)))
    marks["load_lesson_s"] = time.perf_counter() - t0
    from backprop_tutor.tui import launch as appmod

    marks["import_tui_app_s"] = time.perf_counter() - t0
    app = appmod.make_app(lesson, ascii_only=appmod.wants_ascii(), page=page)
    marks["make_app_s"] = time.perf_counter() - t0
    profiler = None
    if mode == "steps":
        import cProfile

        profiler = cProfile.Profile()
        press = app.session.press  # every key reaches the session through it (Textual finds
        # handlers on the class, so the app's own on_key cannot be wrapped here)

        def profiled_press(*args, **kwargs):  # type: ignore[no-untyped-def]  # profile from the first key on
            if not profiler_on[0]:
                profiler_on[0] = True
                profiler.enable()
            return press(*args, **kwargs)

        profiler_on = [False]
        app.session.press = profiled_press  # type: ignore[method-assign]
    if mode == "bytes":
        log = open(out, "w")

        def regions() -> None:
            found = {w.id: list(w.region) for w in app.query("*") if w.id and w.region.area}
            log.write(json.dumps(found) + "\n")
            log.flush()

        show = app.show

        def shown(*a, **k) -> None:  # type: ignore[no-untyped-def]
            show(*a, **k)
            app.call_after_refresh(regions)

        app.show = shown  # type: ignore[method-assign]
    if mode == "startup":
        first_show = app.show

        def show(*a, **k) -> None:  # type: ignore[no-untyped-def]
            if "on_mount_s" not in marks:
                marks["on_mount_s"] = time.perf_counter() - t0
                first_show(*a, **k)
                marks["first_refresh_view_done_s"] = time.perf_counter() - t0
                app.call_after_refresh(lambda: marks.setdefault("first_paint_done_s", time.perf_counter() - t0))
            else:
                first_show(*a, **k)

        app.show = show  # type: ignore[method-assign]
    app.run()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(out)
    if mode == "startup":
        Path(out).write_text(json.dumps(marks))
    return 0


def _spawn(mode: str, lesson: str, page: int, out: str, cols: int = 80, rows: int = 24):  # type: ignore[no-untyped-def]
    import pty_terminal as pt

    cmd = [sys.executable, str(HERE / "profile_app.py"), "--child", mode, lesson, str(page), out]
    return pt.PtyApp(cmd, cols, rows, env={"BENCH_SPAWNED": repr(time.time())})


# -- imports ----------------------------------------------------------------------------------------

IMPORTS = {
    "python (nothing)": "pass",
    "numpy": "import numpy",
    "textual App + Static (the bare app)": "from textual.app import App; from textual.widgets import Static",
    "rich.markdown": "import rich.markdown",
    "pydantic": "import pydantic",
    "yaml": "import yaml",
    "plotext._figure": "from plotext._figure import _figure_class",
    "backprop_tutor.engine (numpy)": "import backprop_tutor.engine",
    "backprop_tutor.lessons (numpy, pydantic, yaml, models)": "import backprop_tutor.lessons",
    "backprop_tutor.tui.app (everything)": "import backprop_tutor.tui.app",
}


def imports(runs: int = 3) -> str:
    """Wall time of each import in a fresh interpreter (min of `runs`), and `-X importtime`'s
    heaviest modules of ours."""
    code = "import time; t=time.perf_counter(); exec(%r); print(time.perf_counter()-t)"
    best: dict[str, float] = {}
    for _ in range(runs):
        for name, stmt in IMPORTS.items():
            out = subprocess.run([sys.executable, "-c", code % stmt], capture_output=True, text=True, timeout=60)
            best[name] = min(best.get(name, 1e9), float(out.stdout))
    lines = ["import cost, fresh interpreter each (min of %d), ms" % runs]
    lines += [f"  {v * 1000:7.0f}  {k}" for k, v in best.items()]
    trace = subprocess.run([sys.executable, "-X", "importtime", "-c", "import backprop_tutor.tui.app"],
                           capture_output=True, text=True, timeout=60).stderr
    rows = []
    for line in trace.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    ours = sorted((r for r in rows if r[3].startswith("backprop_tutor")), key=lambda r: -r[0])[:8]
    lines += ["", "-X importtime, our modules by self time (ms; the tool itself slows imports)"]
    lines += [f"  {s / 1000:7.1f} self {c / 1000:7.1f} cumulative  {name}" for s, c, _, name in ours]
    libs = sorted((r for r in rows if not r[3].startswith("backprop_tutor") and "." not in r[3]),
                  key=lambda r: -r[1])[:10]
    lines += ["", "-X importtime, third-party and stdlib packages by cumulative time (ms)"]
    lines += [f"  {c / 1000:7.1f}  {name}" for _, c, _, name in libs]
    return "\n".join(lines)


# -- start-up ----------------------------------------------------------------------------------------


def startup(lesson: str, page: int, runs: int = 3) -> str:
    """Phases of the tutor's start, as the child saw them, and the first frame as the pty saw it."""
    import pty_terminal as pt

    rows = defaultdict(list)
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "marks.json")
            app = _spawn("startup", lesson, page, out)
            burst = app.wait_ready(pt.plots_drawn, quiet=0.3, limit=30)
            first = (burst.last - app.started) if burst.last else None
            app.close(grace=2.0)
            if os.path.exists(out):
                for k, v in json.loads(Path(out).read_text()).items():
                    rows[k].append(v)
            if first:
                rows["first_frame_last_byte_s (from spawn)"].append(first)
    lines = [f"start-up of the tutor on page {page + 1} (median of {runs}; seconds since main() began unless noted)"]
    for k, v in rows.items():
        lines.append(f"  {sorted(v)[len(v) // 2]:7.3f}  {k}")
    return "\n".join(lines)


# -- steps --------------------------------------------------------------------------------------------

GROUPS = [
    ("plotext: building both plots", r"plotext/_figure\.py:\d+\(build\)"),
    ("rich Text.from_ansi (plot text to Text)", r"rich/text\.py:\d+\(from_ansi\)"),
    ("PlotView.render (both plots, all in)", r"backprop_tutor/tui/widgets\.py:\d+\(render\)"),
    ("Compositor.reflow (layout)", r"textual/_compositor\.py:\d+\(reflow\)"),
    ("Widget.get_content_height (auto heights)", r"textual/widget\.py:\d+\(get_content_height\)"),
    ("Compositor.render_update (paint)", r"textual/_compositor\.py:\d+\(render_update\)"),
    ("segments to escape codes (render_segments)", r"textual/_compositor\.py:\d+\(render_segments\)"),
    ("TutorApp.action_step (session + updates)", r"backprop_tutor/tui/app\.py:\d+\(action_step\)"),
    ("rich Markdown parse (page text)", r"rich/markdown\.py:\d+\(__init__\)"),
    ("rich Table render (state table)", r"rich/table\.py:\d+\(_render\)"),
    ("Session.page_text (live numbers)", r"backprop_tutor/session\.py:\d+\(page_text\)"),
    ("Run.error_curve (61 E values)", r"backprop_tutor/session\.py:\d+\(error_curve\)"),
    ("driver write", r"textual/drivers/.*\(write\)"),
    ("lean output (LeanEncoder.encode)", r"backprop_tutor/tui/lean_encoder\.py:\d+\(encode\)"),
]


def steps(lesson: str, page: int, count: int, top: int) -> str:
    """A cProfile of `count` space presses in a pty, grouped, then the top functions."""
    import pstats

    import pty_terminal as pt

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "steps.prof")
        app = _spawn("steps", lesson, page, out)
        app.wait_ready(pt.plots_drawn, quiet=0.3, limit=30)
        lat = []
        t = time.perf_counter()
        for _ in range(count):
            burst = app.press("space", quiet=0.15)
            if burst.latency_ms:
                lat.append(burst.latency_ms)
        wall = time.perf_counter() - t
        app.close(grace=5.0)
        if not os.path.exists(out):
            return "steps: the child wrote no profile"
        stats = pstats.Stats(out)
    stats.calc_callees()
    entries = stats.stats  # type: ignore[attr-defined]
    lines = [f"profile of {count} space presses on page {page + 1} at 80x24 (under cProfile; key to last byte median "
             f"{sorted(lat)[len(lat) // 2]:.0f} ms profiled)", "  ms/step  what (cumulative, callers' time included)"]
    for label, pattern in GROUPS:
        rx = re.compile(pattern)
        total = sum(v[3] for (f, ln, fn), v in entries.items() if rx.search(f"{f}:{ln}({fn})"))
        lines.append(f"  {total / count * 1000:7.2f}  {label}")
    busy = sum(v[2] for v in entries.values())
    idle = sum(v[2] for (f, ln, fn), v in entries.items() if fn in ("<method 'poll' of 'select.epoll' objects>",
                                                                     "<method 'select' of 'select.epoll' objects>"))
    lines.append(f"  {(busy - idle) / count * 1000:7.2f}  all busy time in the process (idle polling left out)")
    lines.append(f"  wall time of the whole key loop: {wall:.1f} s (includes the bench's 0.15 s quiet waits)")
    lines.append("")
    lines.append(f"top {top} functions by own time (ms per step)")
    own = sorted(((v[2], f"{Path(f).name}:{ln}({fn})") for (f, ln, fn), v in entries.items()), reverse=True)
    own = [o for o in own if "poll" not in o[1] and "select" not in o[1]][:top]
    lines += [f"  {t / count * 1000:7.2f}  {name}" for t, name in own]
    return "\n".join(lines)


# -- bytes --------------------------------------------------------------------------------------------

LEAVES = ("header", "keys", "text", "status", "table", "question", "answer", "data-plot", "error-plot", "graph")


def _owner(regions: dict[str, list[int]], row: int, col: int) -> str:
    """The widget whose region holds 1-based (row, col): a leaf if one does, else a container."""
    x, y = col - 1, row - 1
    best = None
    for name, (rx, ry, w, h) in regions.items():
        if rx <= x < rx + w and ry <= y < ry + h:
            area = w * h + (0 if name in LEAVES else 10**6)
            if best is None or area < best[0]:
                best = (area, name)
    return best[1] if best else "(terminal setup)" if row == 0 else "(elsewhere)"


def bytes_by_widget(lesson: str, page: int, count: int, steps_max: int, cols: int = 80, rows: int = 24) -> str:
    """Each step's bytes charged to the widget under the cursor move that starts them; changed cells
    per widget; how much of it is SGR colour codes."""
    import pty_terminal as pt

    sgr = re.compile(rb"\x1b\[[0-9;:]*m")
    per = defaultdict(lambda: [0, 0, 0, 0])  # bytes, sgr bytes, changed cells, presses where it was written
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "regions.jsonl")
        app = _spawn("bytes", lesson, page, out, cols, rows)
        app.wait_ready(pt.plots_drawn, quiet=0.3, limit=30)
        key, step, done = "space", pt.current_step(app.screen) or 0, 0
        while done < count:
            before = app.screen.snapshot()
            burst = app.press(key, quiet=0.25)
            regions = json.loads(Path(out).read_text().splitlines()[-1])
            seen = set()
            for row, col, seg in _segment_texts(burst.data):
                if not seg:
                    continue
                owner = _owner(regions, row, col)
                per[owner][0] += len(seg)
                per[owner][1] += sum(len(s) for s in sgr.findall(seg))
                seen.add(owner)
            for r, (old, new) in enumerate(zip(before, app.screen.grid)):
                for c, (a, b) in enumerate(zip(old, new)):
                    if a != b:
                        per[_owner(regions, r + 1, c + 1)][2] += 1
            for owner in seen:
                per[owner][3] += 1
            total += len(burst)
            done += 1
            now = pt.current_step(app.screen)
            step = now if now is not None else step
            if (key == "space" and step >= steps_max) or (key == "left" and step <= 0):
                key = "left" if key == "space" else "space"
        app.close()
    lines = [f"bytes of a step by widget ({count} presses on page {page + 1}, {cols}x{rows} truecolor; per press)",
             "   bytes    SGR  changed cells  written in  widget"]
    for name, (n, s, cells, presses) in sorted(per.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"  {n / count:6.0f} {s / count:6.0f} {cells / count:14.1f} {presses:5d}/{count:<5d} {name}")
    lines.append(f"  {total / count:6.0f}  all")
    return "\n".join(lines)


def _segment_texts(data: bytes) -> list[tuple[int, int, bytes]]:
    """`data` cut at its cursor moves (pty_terminal.segments): (row, col, bytes) from each move."""
    import pty_terminal as pt

    out, start = [], 0
    for row, col, n in pt.segments(data):
        out.append((row, col, data[start:start + n]))
        start += n
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the parts asked for."""
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        mode, lesson, page, out = argv[1:5]
        return child(mode, lesson, int(page), out)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("parts", nargs="*", default=["imports", "startup", "steps", "bytes"],
                   help="imports, startup, steps, bytes (default: all)")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--steps", type=int, default=50, help="space presses to profile (default 50)")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    import pty_terminal as pt

    pages = pt.lesson_pages(args.lesson)
    first = pt.first_experiment_page(pages)
    try:
        long_page = pt.first_experiment_page(pages, min_steps=args.steps)
    except LookupError:
        long_page = first
    for part in args.parts:
        if part == "imports":
            print(imports())
        elif part == "startup":
            print(startup(args.lesson, first.index))
        elif part == "steps":
            print(steps(args.lesson, long_page.index, args.steps, args.top))
        elif part == "bytes":
            print(bytes_by_widget(args.lesson, first.index, 12, first.steps or 1))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
