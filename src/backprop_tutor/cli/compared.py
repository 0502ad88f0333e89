"""`tutor trace --compare`: runs of one experiment that differ in one setting, side by side."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from ..comparison import Settings, labels, parse_compare, variant_experiment
from ..experiments import Overrides, apply_overrides, make_trace
from ..export import CsvRun, trace_lines, write_csv, write_side_by_side
from ..lessons.lesson import check_work
from ..until import Until
from .tracing import stop_line, stop_of, stop_record

if TYPE_CHECKING:  # a cached lesson's experiments are plain records: no pydantic for a plain trace
    from ..lessons import Experiment, Lesson


def trace_compared(
    lesson: Lesson, experiments: list[Experiment], overrides: Overrides, compare: str, until: Until | None, form: str
) -> int:
    """Print each experiment's runs for every value of `compare` (NAME=V1,V2,…), side by side."""
    out = sys.stdout
    total = 0
    for exp in experiments:
        exp, data = apply_overrides(exp, lesson.datasets[exp.id], overrides)
        runs = []
        for variant in parse_compare(compare, exp.param_names):
            run_exp = variant_experiment(exp, variant)
            total = check_work(run_exp, data, "command line", 0, total)
            trace = make_trace(run_exp, data)
            trace.extend_to(run_exp.steps)
            runs.append((run_exp, trace, stop_of(trace, until)))
        names = labels([Settings.of(trace) for _, trace, _ in runs])
        if form == "jsonl":
            for name, (run_exp, trace, stop) in zip(names, runs):
                out.writelines(line + "\n" for line in trace_lines(lesson, run_exp, trace, run=name, upto=stop.step if stop else None))
                if until is not None:
                    out.write(json.dumps(stop_record(lesson.id, exp.id, name, trace, stop), ensure_ascii=False) + "\n")
        elif form == "csv":
            write_csv([CsvRun(lesson.id, exp.id, trace, name, stop.step if stop else None)
                       for name, (_, trace, stop) in zip(names, runs)], out)
        else:
            write_side_by_side(lesson, exp, [(name, trace, stop.step if stop else trace.last)
                                             for name, (_, trace, stop) in zip(names, runs)], out)
            if until is not None:
                out.write("".join(stop_line(name, trace, stop) + "\n" for name, (_, trace, stop) in zip(names, runs)) + "\n")
    return 0
