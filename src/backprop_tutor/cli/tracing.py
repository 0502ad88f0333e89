"""`tutor trace`: a lesson's experiments run headlessly, printed as a table, CSV or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import LessonError


def cmd_trace(args: argparse.Namespace) -> int:
    """Run experiments headlessly; print states (and graph events) as a table, JSONL or CSV."""
    from ..experiments import Overrides, apply_overrides, make_trace
    from ..lessons import find_lesson, lessons_dir, load_lesson
    from ..lessons.loader import check_work

    lesson = load_lesson(find_lesson(args.lesson, lessons_dir(args.lessons)))
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
    from ..export import finite_or_null, trace_records, write_csv, write_table

    runs = []
    total = 0
    for exp in experiments:
        exp, data = apply_overrides(exp, lesson.datasets[exp.id], overrides)
        total = check_work(exp, data, "command line", 0, total)
        trace = make_trace(exp, data)
        trace.extend_to(exp.steps)
        runs.append((exp, trace))
    out = sys.stdout
    if args.format == "jsonl":
        for exp, trace in runs:
            for record in trace_records(lesson, exp, trace):
                out.write(json.dumps(finite_or_null(record), ensure_ascii=False, allow_nan=False) + "\n")
    elif args.format == "csv":
        write_csv(((lesson.id, exp.id, trace) for exp, trace in runs), out)
    else:
        for exp, trace in runs:
            write_table(lesson, exp, trace, out)
    return 0


def _name_value(item: str) -> tuple[str, float]:
    name, sep, value = item.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise LessonError.at("command line", 0, f"--init {item!r}: write NAME=VALUE, e.g. --init w=3") from None

