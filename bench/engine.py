"""The engine against plain numpy, timed alternately in the same run:

- many data: 10,000 gradient-descent updates of a 3-input neuron with bias on 1,000 rows of random
  data (fixed seed), recorded by `backprop_tutor.engine.Trace` with the analytic slope, and the
  same loop written plainly in numpy (recording the same parameters, E and slopes in
  preallocated arrays);
- one datum (issue 18): lesson08's run, TensorFlow Lab 01 in float32 ((1, 1), w = 3, α = 0.01),
  10,000 updates, against a plain loop on numpy float32 scalars recording w, E and the slope;
- `tutor trace lesson08 --steps 100000 > /dev/null` against a plain numpy script that computes
  the same 100,001 states and prints them as a table, each run as its own process;
- the jump from the last step to the first (`trace.state(0)` after `trace.state(10000)`), which
  must not depend on the length.

    python bench/engine.py                   # ~20 s
    python bench/engine.py --quick           # no `tutor trace` processes (~5 s)
    python bench/engine.py --updates 20000 --repeats 7 --json
    python bench/engine.py --cli-repeats 7 --before /tmp/before/src   # `tutor trace` on older code too
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pty_terminal as pt  # for median() and table() only

from backprop_tutor.engine import L2, Neuron, Trace

try:
    from backprop_tutor.engine import Fit
except ImportError:  # before the rename (2026-12-02), so the same script measures older trees
    from backprop_tutor.engine import Problem as Fit

ROWS, INPUTS, SEED, ALPHA = 1000, 3, 7, 0.01


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random inputs, targets from a known neuron plus noise, and a start at 0."""
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(ROWS, INPUTS))
    y = X @ np.array([2.0, -1.0, 0.5]) + 3.0 + rng.normal(scale=0.1, size=ROWS)
    return X, y, np.zeros(INPUTS + 1)


def plain(X: np.ndarray, y: np.ndarray, start: np.ndarray, updates: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent on mean squared error, written plainly, recording every state."""
    m = X.shape[0]
    params = np.empty((updates + 1, INPUTS + 1))
    grads = np.empty_like(params)
    losses = np.empty(updates + 1)
    p = start.copy()
    for k in range(updates + 1):
        e = X @ p[:INPUTS] + p[INPUTS] - y
        g = 2.0 * e / m
        params[k] = p
        losses[k] = (e @ e) / m
        grads[k, :INPUTS] = g @ X
        grads[k, INPUTS] = g.sum()
        p = p - ALPHA * grads[k]
    return params, losses, grads


def engine(X: np.ndarray, y: np.ndarray, start: np.ndarray, updates: int) -> Trace:
    """The same run through the tutor's engine."""
    problem = Fit(Neuron(INPUTS, bias=True), L2, X, y)
    trace = Trace(problem, start, ALPHA, "analytic", max_steps=updates)
    trace.extend_to(updates)
    return trace


def plain_scalar(updates: int) -> np.ndarray:
    """Lab 01 written plainly on numpy float32 scalars: w, E and the slope recorded per update."""
    f32 = np.float32
    w, x, y, alpha, two = f32(3), f32(1), f32(1), f32(0.01), f32(2)
    ws, losses, slopes = np.empty(updates + 1, f32), np.empty(updates + 1, f32), np.empty(updates + 1, f32)
    for k in range(updates + 1):
        e = w * x - y
        slope = two * e * x
        ws[k], losses[k], slopes[k] = w, e * e, slope
        w = w - alpha * slope
    return ws


def engine_one_datum(updates: int) -> Trace:
    """The same run through the engine, as lesson08 builds it."""
    fit = Fit(Neuron(), L2, np.array([[1.0]], np.float32), np.array([1.0], np.float32))
    trace = Trace(fit, np.array([3.0]), 0.01, "analytic", max_steps=updates)
    trace.extend_to(updates)
    return trace


PLAIN_TRACE = r"""
import sys
import numpy as np
steps = int(sys.argv[1])
f32 = np.float32
w, x, y, alpha, two = f32(3), f32(1), f32(1), f32(0.01), f32(2)
out = [f"{'step':>6}  {'w':>10}  {'E':>10}  {'dE/dw':>10}  status"]
before = None
for k in range(steps + 1):
    e = w * x - y
    slope = two * e * x
    status = "stalled" if w == before else "running"
    out.append(f"{k:>6}  {float(w):>10.8g}  {float(e * e):>10.4g}  {float(slope):>10.4g}  {status}")
    before, w = w, w - alpha * slope
sys.stdout.write("\n".join(out) + "\n")
"""
"""A plain numpy script: Lab 01 in float32 for `steps` updates, printed as a five-column table."""


def _run_s(cmd: list[str], src: str | None = None) -> float:
    """Wall time of one process, its output thrown away (`src`: older code on PYTHONPATH)."""
    env = {**os.environ, "TUTOR_STATE_DIR": os.environ.get("TMPDIR", "/tmp")}
    if src:
        env["PYTHONPATH"] = src
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - t


def measure_trace_cli(steps: int = 100_000, repeats: int = 3, before: str | None = None) -> dict:
    """`tutor trace lesson08 --steps N` against the plain script, alternately, as processes
    (and the same command on older code, `before`, in the same loop)."""
    plain_s, tutor_s, before_s = [], [], []
    command = pt.tutor_command("trace", "lesson08", "--steps", str(steps))
    for _ in range(repeats):
        plain_s.append(_run_s([sys.executable, "-c", PLAIN_TRACE, str(steps)]))
        tutor_s.append(_run_s(command))
        if before:
            before_s.append(_run_s(command, before))
    result = {"steps": steps, "repeats": repeats,
              "plain_median_s": pt.median(plain_s), "plain_min_s": min(plain_s),
              "tutor_median_s": pt.median(tutor_s), "tutor_min_s": min(tutor_s),
              "ratio_median": pt.median(tutor_s) / pt.median(plain_s), "ratio_min": min(tutor_s) / min(plain_s)}
    if before:
        result.update(before=before, before_median_s=pt.median(before_s), before_min_s=min(before_s),
                      before_ratio_median=pt.median(before_s) / pt.median(plain_s),
                      before_ratio_min=min(before_s) / min(plain_s))
    return result


def measure_one_datum(updates: int = 10_000, repeats: int = 5) -> dict:
    """Lab 01's run, engine against the plain scalar loop, alternately."""
    t_plain, t_engine = [], []
    ws = trace = None
    for _ in range(repeats):
        t = time.perf_counter()
        ws = plain_scalar(updates)
        t_plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        trace = engine_one_datum(updates)
        t_engine.append(time.perf_counter() - t)
    assert trace is not None and ws is not None
    return {"updates": updates, "repeats": repeats, "same_bits": bool(np.array_equal(trace.column("w"), ws)),
            "plain_median_s": pt.median(t_plain), "plain_min_s": min(t_plain),
            "engine_median_s": pt.median(t_engine), "engine_min_s": min(t_engine),
            "ratio_median": pt.median(t_engine) / pt.median(t_plain), "ratio_min": min(t_engine) / min(t_plain)}


def _jump(trace: Trace, last: int, repeats: int = 2000) -> tuple[float, float]:
    """Median µs of state(last) and of state(0) right after it."""
    to_last, to_first = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        trace.state(last)
        t1 = time.perf_counter()
        trace.state(0)
        t2 = time.perf_counter()
        to_last.append((t1 - t0) * 1e6)
        to_first.append((t2 - t1) * 1e6)
    return pt.median(to_last) or 0.0, pt.median(to_first) or 0.0


def measure(updates: int = 10_000, repeats: int = 5, quick: bool = False, cli_repeats: int = 3,
            before: str | None = None) -> dict:
    """Each pair `repeats` times, alternately; the jump on a long and a short trace."""
    X, y, start = data()
    t_plain, t_engine = [], []
    trace = None
    for _ in range(repeats):
        t = time.perf_counter()
        params, losses, _ = plain(X, y, start, updates)
        t_plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        trace = engine(X, y, start, updates)
        t_engine.append(time.perf_counter() - t)
    assert trace is not None
    agree = bool(np.allclose(trace.state(updates).loss, losses[updates], rtol=1e-9)
                 and np.allclose(trace.column("w1"), params[:, 0], rtol=1e-9))
    last_us, first_us = _jump(trace, updates)
    short = engine(X, y, start, 100)
    short_last_us, short_first_us = _jump(short, 100)
    ratio = pt.median(t_engine) / pt.median(t_plain)
    one = measure_one_datum(updates, repeats)
    cli = None if quick else measure_trace_cli(repeats=cli_repeats, before=before)
    return {
        "one_datum": one, "trace_cli": cli,
        "bench": "engine",
        "updates": updates, "rows": ROWS, "inputs": INPUTS, "repeats": repeats,
        "plain_median_s": pt.median(t_plain), "plain_min_s": min(t_plain),
        "engine_median_s": pt.median(t_engine), "engine_min_s": min(t_engine),
        "ratio_median": ratio, "ratio_min": min(t_engine) / min(t_plain),
        "plain_us_per_update": pt.median(t_plain) / updates * 1e6,
        "engine_us_per_update": pt.median(t_engine) / updates * 1e6,
        "same_numbers": agree,
        "state_last_us": last_us, "state_first_after_last_us": first_us,
        "short_trace_state_first_after_last_us": short_first_us,
        "summary": {"ratio": ratio, "engine_s": pt.median(t_engine), "plain_s": pt.median(t_plain),
                    "jump_us": first_us, "jump_short_us": short_first_us, "same_numbers": agree,
                    "one_datum_ratio": one["ratio_median"], "one_datum_engine_s": one["engine_median_s"],
                    "one_datum_plain_s": one["plain_median_s"],
                    "trace_cli_ratio": cli and cli["ratio_median"], "trace_cli_s": cli and cli["tutor_median_s"],
                    "trace_cli_plain_s": cli and cli["plain_median_s"]},
    }


def report(r: dict) -> str:
    """The result as a plain-text table."""
    rows = [
        ["many data: plain numpy loop", r["plain_median_s"], r["plain_min_s"], r["plain_us_per_update"], 1.0],
        ["many data: Trace (analytic)", r["engine_median_s"], r["engine_min_s"], r["engine_us_per_update"],
         r["ratio_median"]],
    ]
    one = r["one_datum"]
    rows += [
        ["one datum, float32: plain numpy-scalar loop", one["plain_median_s"], one["plain_min_s"],
         one["plain_median_s"] / one["updates"] * 1e6, 1.0],
        ["one datum, float32: Trace (analytic)", one["engine_median_s"], one["engine_min_s"],
         one["engine_median_s"] / one["updates"] * 1e6, one["ratio_median"]],
    ]
    out = [f"engine: {r['updates']:,} updates, median of {r['repeats']}; many data = {r['inputs']} inputs + bias, "
           f"{r['rows']:,} rows (same numbers: {r['same_numbers']}); one datum = lesson08's Lab 01 run "
           f"(same bits: {one['same_bits']})",
           pt.table(rows, ["loop", "median s", "min s", "µs/update", "×plain"]), ""]
    cli = r["trace_cli"]
    if cli:
        out += [f"`tutor trace lesson08 --steps {cli['steps']:,}` > /dev/null, median of {cli['repeats']} processes",
                pt.table([["plain numpy script (same states, printed)", cli["plain_median_s"], cli["plain_min_s"], 1.0, 1.0],
                          ["tutor trace lesson08", cli["tutor_median_s"], cli["tutor_min_s"], cli["ratio_median"],
                           cli["ratio_min"]],
                          *([[f"tutor trace lesson08, {cli['before']}", cli["before_median_s"], cli["before_min_s"],
                              cli["before_ratio_median"], cli["before_ratio_min"]]] if "before" in cli else [])],
                         ["process", "median s", "min s", "×plain", "min ×plain"]), ""]
    out += [
           pt.table([[f"state({r['updates']}) on a {r['updates']:,}-step trace", r["state_last_us"]],
                     ["state(0) right after it", r["state_first_after_last_us"]],
                     ["state(0) after state(100) on a 100-step trace", r["short_trace_state_first_after_last_us"]]],
                    ["jump", "median µs"])]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--updates", type=int, default=10_000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="skip the `tutor trace` processes")
    p.add_argument("--cli-repeats", type=int, default=3, help="`tutor trace` processes of each kind")
    p.add_argument("--before", metavar="SRC", help="also run `tutor trace` on older code (PYTHONPATH=SRC), in the same loop")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    result = measure(args.updates, args.repeats, args.quick, args.cli_repeats, args.before)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
