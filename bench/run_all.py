"""Run every bench script (each in its own process, with a time limit) and print one table of the
figures against issue 7's targets, each with its ratio to the baseline measured in the same run.

    python bench/run_all.py                  # all of them, about 4 minutes on 2 cores
    python bench/run_all.py --all            # and issue 18's crowd.py and slow_link.py (~3 min more)
    python bench/run_all.py --markdown       # the table as Markdown, for bench/README.md
    python bench/run_all.py --only keys,engine --json
    python bench/run_all.py --save figures.json  # keep every result ...
    python bench/run_all.py --load figures.json --markdown   # ... and print it again later
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ("first_frame", "keys", "bytes", "memory", "engine")
HEAVY = ("crowd", "slow_link")
"""Issue 18's scripts (30 instances; a slow link): ~3 minutes more, so only with --only or --all."""
LIMIT = 600  # seconds per script: far above its default run, only there so nothing hangs forever


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    out = {"cpu": cpu, "cores": str(os.cpu_count()), "python": sys.version.split()[0]}
    for package in ("textual", "rich", "numpy", "plotext", "pydantic"):
        try:
            out[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is just not reported
            out[package] = "?"
    return out


def run(name: str, extra: list[str] | None = None) -> dict:
    """One script's JSON result (or {"error": ...})."""
    cmd = [sys.executable, str(BENCH / f"{name}.py"), "--json", *(extra or [])]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {LIMIT} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(v: float | None, unit: str = "", digits: int = 3) -> str:
    if v is None:
        return "-"
    if unit == "B":
        return f"{v:,.0f} B"
    return f"{v:.{digits}g}{unit}"


def _x(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}×"


def rows(results: dict[str, dict]) -> list[list[str]]:
    """(figure, value, baseline in the same run, ratio, target, verdict) for each target."""
    out: list[list[str]] = []

    def verdict(ok: bool | None) -> str:
        return "-" if ok is None else ("met" if ok else "not met")

    ff = results.get("first_frame", {}).get("summary")
    if ff:
        out.append(["first frame, `tutor run lesson03` (median, 80×24)", _fmt(ff["tutor_median_s"], " s"),
                    _fmt(ff["bare_median_s"], " s"), _x(ff["tutor_ratio"]), "≤ 1.2× bare",
                    verdict(ff["tutor_ratio"] is not None and ff["tutor_ratio"] <= 1.2)])
        out.append(["first frame with plots (first experiment page)", _fmt(ff["plots_median_s"], " s"),
                    _fmt(ff["bare_median_s"], " s"), _x(ff["plots_ratio"]), "≤ 1.2× bare",
                    verdict(ff["plots_ratio"] is not None and ff["plots_ratio"] <= 1.2)])
    k = results.get("keys", {}).get("summary")
    if k:
        out.append(["key to last byte, space, 80×24 (median / max)",
                    f"{_fmt(k['space_median_ms_80x24'], ' ms')} / {_fmt(k['space_max_ms_80x24'], ' ms')}",
                    _fmt(k["bare_space_median_ms_80x24"], " ms"), _x(k["space_ratio_80x24"]), "≤ 25 ms median",
                    verdict(k["space_median_ms_80x24"] is not None and k["space_median_ms_80x24"] <= 25)])
        bare_left = next((r for r in results["keys"].get("rows", []) if r["app"].startswith("bare")
                          and r["key"] == "left" and r["size"] == "80x24"), None)
        left = k["left_median_ms_80x24"]
        bare_ms = bare_left["median_ms"] if bare_left else None
        out.append(["key to last byte, ←, 80×24 (median)", _fmt(left, " ms"), _fmt(bare_ms, " ms"),
                    _x(left / bare_ms if left and bare_ms else None), "≤ 25 ms median",
                    verdict(left is not None and left <= 25)])
        steady = k.get("steady_space_median_ms_80x24")
        if steady is not None:
            out.append(["key to last byte, space, 80×24, once the state table is full (median)", _fmt(steady, " ms"),
                        _fmt(k["bare_space_median_ms_80x24"], " ms"),
                        _x(steady / k["bare_space_median_ms_80x24"] if k["bare_space_median_ms_80x24"] else None),
                        "≤ 25 ms median", verdict(steady <= 25)])
        lost = k["held_lost_or_queued"]
        out.append(["held space: keys lost or queued (30 presses, each size and rate)",
                    ", ".join("-" if v is None else str(v) for v in lost),
                    "", "", "0 (no queue)", verdict(bool(lost) and all(v == 0 for v in lost))])
        out.append(["held space: 30 in one write, last key to quiet, 80×24", _fmt(k["held_burst_quiet_ms_80x24"], " ms"),
                    "", "", "(one frame)", "-"])
    b = results.get("bytes", {}).get("summary")
    if b:
        out.append(["bytes per step, truecolor, 80×24 (median)", _fmt(b["step_bytes_80x24_truecolor"], "B"),
                    f"full frame {_fmt(b['frame_bytes_80x24_truecolor'], 'B')}",
                    f"{_x(b['step_per_frame_80x24_truecolor'])} frame", "≤ 3 KB (3,000 B)",
                    verdict(b["step_bytes_80x24_truecolor"] is not None and b["step_bytes_80x24_truecolor"] <= 3000)])
    if b and b.get("steady_step_bytes_80x24_truecolor") is not None:
        v = b["steady_step_bytes_80x24_truecolor"]
        out.append(["bytes per step, truecolor, 80×24, once the state table is full (median)", _fmt(v, "B"),
                    f"full frame {_fmt(b['frame_bytes_80x24_truecolor'], 'B')}",
                    f"{_x(v / b['frame_bytes_80x24_truecolor'])} frame", "≤ 3 KB (3,000 B)", verdict(v <= 3000)])
    m = results.get("memory", {}).get("summary")
    if m:
        out.append(["peak RSS, one tutor", _fmt(m["hwm_mib"], " MiB"), _fmt(m["bare_hwm_mib"], " MiB"),
                    _x(m["hwm_ratio"]), "≤ 1.5× bare", verdict(m["hwm_ratio"] is not None and m["hwm_ratio"] <= 1.5)])
        out.append([f"PSS per user, {m['users']} running ({m['users_ok']} ok; total {_fmt(m['pss_total_mib'], ' MiB', 4)})",
                    _fmt(m["pss_per_user_mib"], " MiB"), _fmt(m["bare_pss_per_user_mib"], " MiB"), _x(m["pss_ratio"]),
                    "≤ 40 MiB", verdict(m["pss_per_user_mib"] is not None and m["pss_per_user_mib"] <= 40)])
    e = results.get("engine", {}).get("summary")
    if e:
        out.append(["engine, 10,000 updates (3 inputs + bias, 1,000 rows)", _fmt(e["engine_s"], " s"),
                    f"numpy {_fmt(e['plain_s'], ' s')}", _x(e["ratio"]), "≤ 1.5× numpy",
                    verdict(e["ratio"] is not None and e["ratio"] <= 1.5)])
        if e.get("one_datum_ratio") is not None:
            out.append(["engine, lesson08's run (1 datum, float32), 10,000 updates", _fmt(e["one_datum_engine_s"], " s"),
                        f"numpy scalars {_fmt(e['one_datum_plain_s'], ' s')}", _x(e["one_datum_ratio"]), "≤ 2× (issue 18)",
                        verdict(e["one_datum_ratio"] <= 2)])
        if e.get("trace_cli_ratio") is not None:
            out.append(["tutor trace lesson08 --steps 100000", _fmt(e["trace_cli_s"], " s"),
                        f"numpy script {_fmt(e['trace_cli_plain_s'], ' s')}", _x(e["trace_cli_ratio"]),
                        "≤ 2× (issue 18)", verdict(e["trace_cli_ratio"] <= 2)])
        out.append(["engine, state(0) after state(10000)", _fmt(e["jump_us"], " µs"),
                    f"{_fmt(e['jump_short_us'], ' µs')} on 100 steps", "", "O(1)",
                    verdict(e["jump_us"] <= 3 * e["jump_short_us"] + 5)])
    c = results.get("crowd", {}).get("summary")
    if c:
        n = c["users"]
        out.append([f"{n} start at once: all show a first frame", _fmt(c["all_first_s"], " s"),
                    _fmt(c["bare_all_first_s"], " s"), _x(c["all_first_ratio"]), "≤ 1.3× bare (issue 18)",
                    verdict(c["all_first_ratio"] is not None and c["all_first_ratio"] <= 1.3)])
        out.append([f"{n} press Space at once: median / worst", f"{_fmt(c['space_median_ms'])} / {_fmt(c['space_worst_ms'], ' ms')}",
                    f"{_fmt(c['bare_space_median_ms'])} / {_fmt(c['bare_space_worst_ms'], ' ms')}",
                    f"{_x(c['space_median_ratio'])} / {_x(c['space_worst_ratio'])}", "≤ 2× bare (issue 18)",
                    verdict(c["space_median_ratio"] is not None and c["space_worst_ratio"] is not None
                            and max(c["space_median_ratio"], c["space_worst_ratio"]) <= 2)])
        out.append([f"PSS per instance, {n} running", _fmt(c["pss_mib"], " MiB"), _fmt(c["bare_pss_mib"], " MiB"),
                    _x(c["pss_ratio"]), "≤ 1.5× bare (issue 18)", verdict(c["pss_ratio"] is not None and c["pss_ratio"] <= 1.5)])
    sl = results.get("slow_link", {}).get("summary")
    if sl:
        rate = f"{sl['bits'] / 1000:g} kbit/s"
        out.append([f"{rate}: 50 spaces held at 30/s, last key → last byte (queue)",
                    f"{_fmt(sl['held_after_last_key_s'], ' s')} ({_fmt(sl['held_max_queue'], 'B')})", "", "",
                    "≤ 1 s (issue 18)", verdict(sl["held_after_last_key_s"] is not None and sl["held_after_last_key_s"] <= 1)])
        for what, goal in (("step", 1500), ("page", 6000), ("resize", 12000)):
            b = sl.get(f"{what}_bytes")
            out.append([f"{rate}: one {what} (bytes, time)", f"{_fmt(b, 'B')}, {_fmt(sl.get(f'{what}_s'), ' s')}", "", "",
                        f"≤ {goal:,} B (issue 18)", verdict(b is not None and b <= goal)])
    return out


HEADER = ["figure", "measured", "baseline (same run)", "ratio", "target", "verdict"]


def plain_table(table: list[list[str]]) -> str:
    """Aligned plain text."""
    widths = [max(len(r[i]) for r in [HEADER, *table]) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(HEADER, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    return "\n".join(lines)


def markdown_table(table: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c or " " for c in r) + " |" for r in table]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the scripts and print the table (and each script's own table unless --json)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", help=f"comma-separated subset of {','.join(SCRIPTS + HEAVY)}")
    p.add_argument("--all", action="store_true", help=f"also {', '.join(HEAVY)} (issue 18)")
    p.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    p.add_argument("--json", action="store_true", help="print every result as one JSON object")
    p.add_argument("--save", metavar="FILE", help="also write every result to FILE as JSON")
    p.add_argument("--load", metavar="FILE", help="print results saved earlier instead of measuring")
    args = p.parse_args(argv)
    if args.load:
        saved = json.loads(Path(args.load).read_text())
        date, results = saved["date"], saved["results"]
        load = saved.get("load", [])
        where = saved.get("machine", {})
        names = list(results)
    else:
        names = args.only.split(",") if args.only else list(SCRIPTS + HEAVY if args.all else SCRIPTS)
        date, results = datetime.date.today().isoformat(), {}
        load = [round(os.getloadavg()[0], 2)]
        where = machine()
        for name in names:
            print(f"running bench/{name}.py ...", file=sys.stderr, flush=True)
            results[name] = run(name)
            if "error" in results[name]:
                print(f"  {name}: {results[name]['error']}", file=sys.stderr)
            load.append(round(os.getloadavg()[0], 2))
    saved = {"date": date, "load": load, "machine": where, "results": results}
    if args.save and not args.load:
        Path(args.save).write_text(json.dumps(saved))
    if args.json:
        print(json.dumps(saved))
        return 0
    if not args.markdown:
        for name in names:
            if "error" in results[name]:
                continue
            module = __import__(name)
            print(module.report(results[name]), end="\n\n")
    table = rows(results)
    print(f"summary, {date}, {', '.join(f'{k} {v}' for k, v in where.items())}")
    print(f"(1-minute load average before and after each script: "
          f"{', '.join(str(v) for v in load) or 'not recorded'}; other work on the machine skews absolute times)")
    print(markdown_table(table) if args.markdown else plain_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
