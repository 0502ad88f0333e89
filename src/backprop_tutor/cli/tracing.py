"""`tutor trace`: a lesson's experiments run headlessly, printed as a table, CSV or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..errors import LessonError
from ..until import Stop, Until, first_stop, parse_until

if TYPE_CHECKING:
    from ..engine import Trace


def cmd_trace(args: argparse.Namespace) -> int:
    """Run experiments headlessly; print states (and graph events) as a table, JSONL or CSV."""
    from ..experiments import Overrides, apply_overrides, make_trace
    from ..lessons import find_lesson, lessons_dir
    from ..lessons.cache import load_lesson_cached
    from ..lessons.lesson import check_work

    # Validated once per edit, as `tutor run` does: a lesson seen before reads no YAML.
    lesson = load_lesson_cached(find_lesson(args.lesson, lessons_dir(args.lessons)))
    experiments = lesson.experiments()
    if args.experiment:
        ids = [e.id for e in experiments]
        if args.experiment not in ids:
            raise LessonError.at(lesson.path, 0, f"no experiment {args.experiment!r} (experiments: {', '.join(ids)})")
        experiments = [experiments[ids.index(args.experiment)]]
    if not experiments:
        raise LessonError.at(lesson.path, 0, "this lesson has no experiments to trace")
    overrides = Overrides(
        alpha=args.alpha,
        init=dict(_name_value(item) for item in args.init),
        loss=args.loss,
        steps=args.steps,
        dtype=args.dtype,
        data=args.data,
    )
    from .compared import trace_compared

    until = parse_until(args.until) if args.until else None
    if args.compare:
        return trace_compared(lesson, experiments, overrides, args.compare, until, args.format)
    from ..export import CsvRun, trace_lines, write_csv, write_table

    runs = []
    total = 0
    for exp in experiments:
        exp, data = apply_overrides(exp, lesson.datasets[exp.id], overrides)
        total = check_work(exp, data, "command line", 0, total)
        trace = make_trace(exp, data)
        trace.extend_to(exp.steps)
        runs.append((exp, trace, stop_of(trace, until)))
    out = sys.stdout
    if args.format == "jsonl":
        for exp, trace, stop in runs:
            out.writelines(line + "\n" for line in trace_lines(lesson, exp, trace, upto=stop.step if stop else None))
            if until is not None:
                out.write(json.dumps(stop_record(lesson.id, exp.id, None, trace, stop), ensure_ascii=False) + "\n")
    elif args.format == "csv":
        write_csv([CsvRun(lesson.id, exp.id, trace, upto=stop.step if stop else None) for exp, trace, stop in runs], out)
    else:
        for exp, trace, stop in runs:
            write_table(lesson, exp, trace, out, upto=stop.step if stop else None)
            if until is not None:
                out.write(stop_line(None, trace, stop) + "\n\n")
    return 0


def _name_value(item: str) -> tuple[str, float]:
    name, sep, value = item.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise LessonError.at("command line", 0, f"--init {item!r}: write NAME=VALUE, e.g. --init w=3") from None



def stop_of(trace: Trace, until: Until | None) -> Stop | None:
    """Where `trace` first does what `--until` names (recording as far as its steps allow)."""
    return first_stop(trace, until) if until is not None else None


def stop_line(run: str | None, trace: Trace, stop: Stop | None) -> str:
    """`--until` in words: where a run stopped, or that it never did."""
    who = f"{run}: " if run else ""
    if stop is None:
        return f"{who}did not stop within {trace.last} steps"
    return f"{who}stopped at step {stop.step}: {stop.words}"


def stop_record(lesson_id: str, exp_id: str, run: str | None, trace: Trace, stop: Stop | None) -> dict[str, Any]:
    """`--until` as a JSONL record: the step and the reason (both null if it never happened)."""
    from ..safe_text import printable

    record: dict[str, Any] = {"kind": "stop", "lesson": printable(lesson_id), "experiment": exp_id}
    if run is not None:
        record["run"] = run
    record.update(step=stop.step if stop else None, reason=stop.reason if stop else None, words=stop_line(None, trace, stop))
    return record
