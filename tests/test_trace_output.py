"""`tutor trace` writes its table, side-by-side table, CSV and JSON lines a column at a time, and
looks for `--until` over recorded states at once: each must give what the plain step-by-step
way gives (`Trace.state(k)`, `format_number`, `json.dumps`, written out here as the reference;
`first_stop_step_by_step` for `--until`), on any run: every shipped experiment, float32 and float64, converging, stalling,
bouncing and diverging ones, under names a JSON or CSV writer must escape."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Trace
from backprop_tutor.experiments import Overrides, apply_overrides, make_trace
from backprop_tutor.export import (
    CsvRun, finite_or_null, safe_cell, trace_lines, trace_records, write_csv, write_side_by_side, write_table,
)
from backprop_tutor.lessons import Lesson, lesson_files, load_lesson
from backprop_tutor.number_format import format_number
from backprop_tutor.safe_text import printable
from backprop_tutor.until import Until, first_stop, first_stop_step_by_step

from tests.support import LESSONS

ALPHAS = [None, 1e-9, 0.01, 0.5, 1.0, 2.0, 3.0, 50.0]
"""The lesson's own α, then stalling, converging, bouncing and diverging ones."""
NAMES = ["lesson03", 'a "quoted" lesson', "back\\slash {braces} 100%", "α=0.1 L1", "tab\tand\x1b[2J", "=cmd|' /C calc'!A0",
         "comma, and\nnewline", ""]
"""Lesson ids and run names a JSON, CSV or format-string writer must not trip over."""


@cache
def lessons() -> list[Lesson]:
    return [load_lesson(path) for path in lesson_files(LESSONS)]


@st.composite
def runs(draw: st.DrawFn) -> tuple[Lesson, object, Trace]:
    """A shipped experiment with α, dtype and steps changed, recorded."""
    lesson = draw(st.sampled_from(lessons()))
    exp = draw(st.sampled_from(lesson.experiments()))
    overrides = Overrides(alpha=draw(st.sampled_from(ALPHAS)), dtype=draw(st.sampled_from([None, "float32", "float64"])),
                          steps=draw(st.integers(0, 400)))
    exp, data = apply_overrides(exp, lesson.datasets[exp.id], overrides)
    trace = make_trace(exp, data)
    trace.extend_to(exp.steps)
    named = SimpleNamespace(id=draw(st.sampled_from(NAMES)), datasets=lesson.datasets)  # what the writers read of it
    return named, exp, trace


def upto_of(draw: st.DrawFn, trace: Trace) -> int | None:
    return draw(st.none() | st.integers(0, trace.last), label="upto")


# -- the step-by-step references ----------------------------------------------------------------


def table_by_state(lesson, exp, trace: Trace, upto: int | None) -> str:
    names = exp.param_names
    header = ["step", *names, "E", *[f"dE/d{n}" for n in names], "status"]
    rows = []
    for k in range(trace.last + 1 if upto is None else min(upto, trace.last) + 1):
        s = trace.state(k)
        rows.append([str(k), *(format_number(s.params[n]) for n in names), format_number(s.loss),
                     *(format_number(s.grad[n]) for n in names), s.status])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    title = f"{printable(lesson.id)} / {exp.id}: {printable(exp.title or exp.id)}  " \
            f"(loss {exp.loss.upper()}, α = {format_number(exp.alpha)}, {exp.dtype})\n"
    return title + "".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) + "\n" for r in [header, *rows]) + "\n"


def csv_rows_by_state(runs: list[CsvRun], upto: int | None, names: list[str]) -> str:
    """The CSV's rows after its header line (`names`: the header's parameters)."""
    out = io.StringIO()
    named = any(run.run is not None for run in runs)
    writer = csv.writer(out, lineterminator="\n")
    for lesson_id, exp_id, trace, label, own in runs:
        for k in range(min([trace.last, *(u for u in (upto, own) if u is not None)]) + 1):
            s = trace.state(k)
            row = [lesson_id, exp_id, *([label or ""] if named else []), k, *[s.params.get(n, "") for n in names],
                   s.loss, *[s.grad.get(n, "") for n in names], trace.alpha_at(k), s.status]
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def side_by_side_by_state(lesson, exp, runs: list[tuple[str, Trace, int]]) -> str:
    fields = [*exp.param_names, "E", "status"]
    table = [["step", *fields * len(runs)]]
    for k in range(max(last for _, _, last in runs) + 1):
        row = [str(k)]
        for _, trace, last in runs:
            if k > min(last, trace.last):
                row += [""] * len(fields)
                continue
            s = trace.state(k)
            row += [*(format_number(s.params[n]) for n in exp.param_names), format_number(s.loss), s.status]
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    groups = []
    for g, (label, _, _) in enumerate(runs):
        span = range(1 + g * len(fields), 1 + (g + 1) * len(fields))
        widths[span[-1]] += max(0, len(printable(label)) - (sum(widths[i] for i in span) + 2 * (len(fields) - 1)))
        groups.append(printable(label).ljust(sum(widths[i] for i in span) + 2 * (len(fields) - 1)))
    text = f"{printable(lesson.id)} / {exp.id}: {printable(exp.title or exp.id)}  (loss {exp.loss.upper()}, " \
           f"{exp.dtype}), compared: {' | '.join(printable(label) for label, _, _ in runs)}\n"
    text += "  ".join([" " * widths[0], *groups]).rstrip() + "\n"
    for row in table:
        status = [i and (i - 1) % len(fields) == len(fields) - 1 for i in range(len(row))]
        text += "  ".join(c.ljust(w) if s else c.rjust(w) for c, w, s in zip(row, widths, status)).rstrip() + "\n"
    return text + "\n"


# -- the column-at-a-time writers against them ---------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(runs(), st.data())
def test_the_table_is_the_step_by_step_table(run, data):
    lesson, exp, trace = run
    upto = upto_of(data.draw, trace)
    out = io.StringIO()
    write_table(lesson, exp, trace, out, upto)
    assert out.getvalue() == table_by_state(lesson, exp, trace, upto)


@settings(max_examples=80, deadline=None)
@given(runs(), st.data())
def test_json_lines_are_each_record_dumped(run, data):
    lesson, exp, trace = run
    upto = upto_of(data.draw, trace)
    label = data.draw(st.none() | st.sampled_from(NAMES), label="run")
    expected = [json.dumps(finite_or_null(r), ensure_ascii=False, allow_nan=False)
                for r in trace_records(lesson, exp, trace, label, upto)]
    assert list(trace_lines(lesson, exp, trace, label, upto)) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(runs(), min_size=1, max_size=3), st.data())
def test_the_csv_is_the_step_by_step_csv(several, data):
    rows = [CsvRun(lesson.id, exp.id, trace, data.draw(st.none() | st.sampled_from(NAMES), label="run"),
                   upto_of(data.draw, trace)) for lesson, exp, trace in several]
    upto = data.draw(st.none() | st.integers(0, 400), label="upto of all")
    out = io.StringIO()
    write_csv(rows, out, upto)
    header, rest = out.getvalue().split("\n", 1)
    names = [n for n in header.split(",") if n in {n for r in rows for n in r.trace.names}]
    assert rest == csv_rows_by_state(rows, upto, names)


@settings(max_examples=60, deadline=None)
@given(runs(), st.data())
def test_compared_runs_are_the_step_by_step_side_by_side(run, data):
    lesson, exp, trace = run
    others = [trace.fork(0, alpha=data.draw(st.sampled_from(ALPHAS[1:]), label=f"alpha {i}")) for i in range(2)]
    for other in others:
        other.extend_to(data.draw(st.integers(0, trace.max_steps), label="other steps"))
    compared = [(data.draw(st.sampled_from(NAMES), label="name"), t, data.draw(st.integers(0, t.last), label="last"))
                for t in [trace, *others]]
    out = io.StringIO()
    write_side_by_side(lesson, exp, compared, out)
    assert out.getvalue() == side_by_side_by_state(lesson, exp, compared)


UNTILS = [Until(status_change=True), Until(statuses=("converged",)), Until(statuses=("oscillating",)),
          Until(statuses=("diverged",)), Until(statuses=("stalled",)), Until(overshoot=True), Until(sign_change=True),
          Until(below=1e-6), Until(below=0.5), Until(below=4.0), Until(below=1.0), Until.anything(below=1e-3),
          Until.anything()]


@settings(max_examples=120, deadline=None)
@given(runs(), st.sampled_from(UNTILS), st.data())
def test_until_over_recorded_states_stops_where_the_one_by_one_loop_stops(run, until, data):
    _, exp, trace = run
    start = data.draw(st.integers(0, trace.last), label="start")
    last = data.draw(st.none() | st.integers(start, trace.max_steps), label="last")
    end = trace.max_steps if last is None else last
    assert first_stop(trace, until, start, last) == first_stop_step_by_step(trace, until, start, end)
    recorded = data.draw(st.integers(start, trace.last), label="recorded")  # the rest recorded as it goes
    assert first_stop(trace.fork(recorded), until, start, last) == first_stop_step_by_step(trace.fork(recorded), until, start, end)


@pytest.mark.parametrize(
    ("lesson_id", "experiment", "alpha", "steps"),
    [
        ("lesson08", "lab01", None, 20_000),  # float32, stalls at 660
        ("lesson03", "l2-alpha-0.5", None, 50),  # lands on the bottom
        ("lesson03", "l2-alpha-1", None, 50),  # bounces from side to side
        ("lesson03", "l2-alpha-0.1", 1.9, 400),  # crosses the bottom at every step, ever closer
        ("lesson02", "l1-from-3.5", None, 50),  # L1: overshoots, then bounces
        ("lesson07", "lab04", 0.3, 2000),  # four parameters, many data
        ("lesson06", "lab02", 0.45, 500),
    ],
)
def test_until_on_long_and_bouncing_runs(lesson_id, experiment, alpha, steps):
    lesson = next(lesson for lesson in lessons() if lesson.id == lesson_id)
    exp = next(e for e in lesson.experiments() if e.id == experiment)
    exp, data = apply_overrides(exp, lesson.datasets[exp.id], Overrides(alpha=alpha, steps=steps))
    trace = make_trace(exp, data)
    trace.extend_to(exp.steps)
    for until in UNTILS:
        for start in (0, 1, 7):
            assert first_stop(trace, until, start) == first_stop_step_by_step(trace, until, start, trace.max_steps)
