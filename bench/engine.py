"""The engine against plain numpy: 10,000 gradient-descent updates of a 3-input neuron with bias on
1,000 rows of random data (fixed seed), recorded by `backprop_tutor.engine.Trace` with the analytic
slope, and the same loop written plainly in numpy (recording the same parameters, E and slopes in
preallocated arrays), timed alternately in the same run; plus the time to jump from the last step
to the first (`trace.state(0)` after `trace.state(10000)`), which must not depend on the length.

    python bench/engine.py
    python bench/engine.py --updates 20000 --repeats 7 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

import pty_terminal as pt  # for median() and table() only
from backprop_tutor.engine import L2, Neuron, Problem, Trace

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
    problem = Problem(Neuron(INPUTS, bias=True), L2, X, y)
    trace = Trace(problem, start, ALPHA, "analytic", max_steps=updates)
    trace.extend_to(updates)
    return trace


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


def measure(updates: int = 10_000, repeats: int = 5) -> dict:
    """Both loops `repeats` times, alternately; the jump on a long and a short trace."""
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
    return {
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
                    "jump_us": first_us, "jump_short_us": short_first_us, "same_numbers": agree},
    }


def report(r: dict) -> str:
    """The result as a plain-text table."""
    rows = [
        ["plain numpy loop", r["plain_median_s"], r["plain_min_s"], r["plain_us_per_update"], 1.0],
        ["backprop_tutor Trace (analytic)", r["engine_median_s"], r["engine_min_s"], r["engine_us_per_update"],
         r["ratio_median"]],
    ]
    out = [f"engine: {r['updates']:,} updates, {r['inputs']} inputs + bias, {r['rows']:,} rows, "
           f"median of {r['repeats']} (same numbers: {r['same_numbers']})",
           pt.table(rows, ["loop", "median s", "min s", "µs/update", "×plain"]), "",
           pt.table([[f"state({r['updates']}) on a {r['updates']:,}-step trace", r["state_last_us"]],
                     [f"state(0) right after it", r["state_first_after_last_us"]],
                     ["state(0) after state(100) on a 100-step trace", r["short_trace_state_first_after_last_us"]]],
                    ["jump", "median µs"])]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--updates", type=int, default=10_000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    result = measure(args.updates, args.repeats)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
