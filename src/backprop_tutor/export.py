"""A run written out: CSV for a lab report (and the app's `e`), JSONL records, the `trace` table.

Everything here writes text that came partly from a lesson (its file name, its titles), so each
format guards its reader: CSV cells a spreadsheet would run as a formula are neutralised, the
table and the JSONL show control characters escaped, and export files are created new, never
over a file, a symlink or a pipe that is already there.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from .engine import Trace
from .engine.columns import Column
from .number_format import format_numbers, is_number
from .safe_text import printable

if TYPE_CHECKING:
    from .lessons import Experiment, Lesson

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection")."""
MAX_EXPORT_NUMBER = 10_000
"""The most numbered names (`…-trace-2.csv`, …) tried for one export before giving up."""


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`.

    Numbers are left alone, `-0.5` as text too (it is a number, not a formula); other text
    starting with `= + - @`, a tab or a carriage return gets a leading `'`, as OWASP advises.
    Control characters are shown escaped.
    """
    if not isinstance(value, str):
        return value
    formula = value.startswith(FORMULA_START) and not is_number(value)
    return "'" + printable(value) if formula else printable(value)


class CsvRun(NamedTuple):
    """One run of a CSV: where it comes from, its trace, its name among compared runs, its last step."""

    lesson_id: str
    experiment_id: str
    trace: Trace
    run: str | None = None
    """The run's name when runs are compared (`α=0.1`): the CSV gains a `run` column."""
    upto: int | None = None


def write_csv(rows: Iterable[tuple[str, str, Trace] | CsvRun], out: TextIO, upto: int | None = None) -> None:
    """One CSV for (lesson id, experiment id, trace) runs: a row per recorded state.

    Parameters missing from a run (a bias, a second input) are left blank. Text cells pass
    `safe_cell`, so no lesson name can become a spreadsheet formula. Compared runs (`CsvRun`
    with a `run` name) add a `run` column; a run's own `upto` ends it sooner than `upto`.
    """
    runs = [CsvRun(*row) for row in rows]
    names: list[str] = []
    for run in runs:
        names += [n for n in run.trace.names if n not in names]
    named = any(run.run is not None for run in runs)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lesson", "experiment", *(["run"] if named else []), "step", *names, "E",
                     *[f"dE_d{n}" for n in names], "alpha", "status"])
    for lesson_id, exp_id, trace, label, own in runs:
        last = min([trace.last, *(u for u in (upto, own) if u is not None)])
        columns = trace.columns(last)  # a column at a time, as in write_table
        steps = len(columns.loss)
        params = dict(zip(trace.names, map(_csv_numbers, columns.params)))
        grads = dict(zip(trace.names, map(_csv_numbers, columns.grad)))
        # The rows as csv writes them: its quoting for the text cells, done once per run (and
        # per status); a float's repr and a step number never need quotes.
        texts = _csv_text([safe_cell(text) for text in (lesson_id, exp_id, *([label or ""] if named else []))])
        cells = zip(
            repeat(texts, steps), map(str, range(steps)), *(params.get(n, repeat("", steps)) for n in names),
            _csv_numbers(columns.loss), *(grads.get(n, repeat("", steps)) for n in names), _csv_numbers(columns.alpha),
            columns.status.each(lambda statuses: [_csv_text([safe_cell(s)]) for s in statuses]),
        )
        out.write("".join(line + "\n" for line in map(",".join, cells)))


def _csv_numbers(column: Column) -> list[str]:
    # The text the csv module writes for a float (its repr), made once per distinct number.
    return column.each(lambda values: list(map(repr, values)))


def _csv_text(cells: list[str]) -> str:
    """Text cells as the csv module writes them in a row, quoted where they must be (no line end)."""
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(cells)
    return line.getvalue()


def _stem(lesson_id: str, experiment_id: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{lesson_id}-{experiment_id}-trace")
    return re.sub(r"-{2,}", "-", stem).lstrip("-.") or "trace"  # not `-rf…` to a shell, not a hidden `.file`


def export_name(lesson_id: str, experiment_id: str, folder: Path, suffix: str) -> Path:
    """A clear file name in `folder` that does not overwrite an earlier export (a guess: see `open_export_pair`)."""
    stem = _stem(lesson_id, experiment_id)
    path = folder / f"{stem}{suffix}"
    number = 2
    while os.path.lexists(path):
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


class ExportFiles(NamedTuple):
    """The two files of one export, both created new and open for writing text."""

    csv_path: Path
    csv_file: TextIO
    txt_path: Path
    txt_file: TextIO


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def _create(path: Path) -> int:
    """A new regular file at `path`; FileExistsError if anything (a file, a symlink, a pipe) is there."""
    fd = os.open(path, _CREATE, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # O_EXCL made it, so it is ours; checked all the same
        os.close(fd)
        raise FileExistsError(path)
    os.set_blocking(fd, True)
    return fd


@contextlib.contextmanager
def open_export_pair(lesson_id: str, experiment_id: str, folder: Path) -> Iterator[ExportFiles]:
    """Create `STEM.csv` and `STEM.txt` (or `STEM-2.csv` and `STEM-2.txt`, …) in `folder`, both new.

    One number is chosen that is free for both names. Each file is created with
    `O_CREAT|O_EXCL|O_NOFOLLOW|O_NONBLOCK`: an existing file (a student's notes), a symlink
    (dangling or not) or a FIFO at a name is never opened, followed or waited on; the next
    number is tried. If the block fails (a full disk), both files are removed.

    Yields:
        The two paths and their open text files (UTF-8, newlines as written).

    Raises:
        OSError: the folder cannot be written (or every number up to `MAX_EXPORT_NUMBER` is taken).
    """
    stem = _stem(lesson_id, experiment_id)
    for number in range(1, MAX_EXPORT_NUMBER + 1):
        base = stem if number == 1 else f"{stem}-{number}"
        csv_path, txt_path = folder / f"{base}.csv", folder / f"{base}.txt"
        if os.path.lexists(txt_path):  # cheap first look; O_EXCL below is what decides
            continue
        try:
            csv_fd = _create(csv_path)
        except FileExistsError:
            continue
        try:
            txt_fd = _create(txt_path)
        except BaseException as exc:
            os.close(csv_fd)
            os.unlink(csv_path)
            if isinstance(exc, FileExistsError):
                continue
            raise
        break
    else:
        raise FileExistsError(f"every export name up to {stem}-{MAX_EXPORT_NUMBER}.csv is taken in {folder}")
    files = ExportFiles(
        csv_path, os.fdopen(csv_fd, "w", encoding="utf-8", newline=""),
        txt_path, os.fdopen(txt_fd, "w", encoding="utf-8", newline=""),
    )
    try:
        yield files
        files.csv_file.close()
        files.txt_file.close()
    except BaseException:
        for handle, path in ((files.csv_file, csv_path), (files.txt_file, txt_path)):
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise


# -- JSONL and the table of `tutor trace` --------------------------------------------------------


def finite_or_null(value: Any) -> Any:
    """`value` with every inf and NaN as None: JSON has no such numbers (a diverged state has them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite_or_null(item) for item in value]
    return value


def plain_value(value: Any, float32: bool) -> Any:
    """A numpy value as JSON: a number for one datum, a list for many."""
    import numpy as np

    array = np.asarray(value)
    if array.size == 1:
        item = array.reshape(()).item()
        return float(str(array.reshape(())[()])) if float32 else item
    return [float(str(v)) if float32 else float(v) for v in array.ravel()]


def trace_records(
    lesson: Lesson, exp: Experiment, trace: Trace, run: str | None = None, upto: int | None = None
) -> Iterator[dict[str, Any]]:
    """The JSONL records of a run: states, and for graph experiments the events before each update.

    A run among compared ones carries its name (`run`); `upto` ends it at that step.
    """
    events = _graph_events(lesson, exp, trace)
    base = _record_base(lesson, exp, run)
    for k in range(len(trace) if upto is None else min(upto + 1, len(trace))):
        state = trace.state(k)
        yield from events(k, base)
        yield {
            "kind": "state", **base, "step": k, "params": state.params, "loss": state.loss,
            "grad": state.grad, "status": state.status,
        }


def trace_lines(
    lesson: Lesson, exp: Experiment, trace: Trace, run: str | None = None, upto: int | None = None
) -> Iterator[str]:
    """`trace_records` as JSON lines (no newline): each record as `json_line` writes it.

    The state lines are put together from the trace's columns (`Trace.columns`), each distinct
    number written once, in the text `json.dumps` gives it: its repr, or null for inf and NaN.
    """
    events = _graph_events(lesson, exp, trace)
    base = _record_base(lesson, exp, run)
    columns = trace.columns(len(trace) - 1 if upto is None else min(upto, len(trace) - 1))

    def numbers(column: Column) -> list[str]:
        return column.each(lambda values: [repr(v) if math.isfinite(v) else "null" for v in values])

    def members(of: list[Column]) -> list[Iterable[str]]:  # "w": 2.96, "b": 1.0 (a column a piece)
        pieces: list[Iterable[str]] = []
        for i, (name, column) in enumerate(zip(trace.names, of)):
            pieces += [repeat(f"{', ' if i else ''}{json_line(name)}: "), numbers(column)]
        return pieces

    steps = len(columns.loss)
    head = json_line({"kind": "state", **base})[:-1]  # the record's first keys, without its closing brace
    lines = map("".join, zip(
        repeat(f'{head}, "step": '), map(str, range(steps)), repeat(', "params": {'), *members(columns.params),
        repeat('}, "loss": '), numbers(columns.loss), repeat(', "grad": {'), *members(columns.grad),
        repeat('}, "status": '), columns.status.each(lambda statuses: list(map(json_line, statuses))), repeat("}"),
    ))
    for k, line in enumerate(lines):
        for event in events(k, base):
            yield json_line(finite_or_null(event))
        yield line


def json_line(value: Any) -> str:
    """One JSON line as `tutor trace` writes it: UTF-8 text as is, no inf or NaN (see `finite_or_null`)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _record_base(lesson: Lesson, exp: Experiment, run: str | None) -> dict[str, Any]:
    return {"lesson": printable(lesson.id), "experiment": exp.id, **({"run": run} if run is not None else {})}


def _graph_events(lesson: Lesson, exp: Experiment, trace: Trace) -> Callable[[int, dict[str, Any]], Iterator[dict[str, Any]]]:
    """For a graph experiment, the forward and backward events of the update leaving step k."""
    from .experiments import make_problem

    graph = make_problem(exp, lesson.datasets[exp.id]).graph() if exp.graph else None
    float32 = exp.dtype == "float32"

    def events(k: int, base: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if graph is None or not (k < trace.last or not trace.complete):
            return
        p = trace.problem
        passed = graph.run(trace.params_at(k), p.X, p.y)
        for fe in passed.forward:
            yield {"kind": "forward", **base, "step": k, "node": fe.node, "op": fe.op,
                   "value": plain_value(fe.value, float32)}
        for be in passed.backward:
            yield {
                "kind": "backward", **base, "step": k, "node": be.node, "local": plain_value(be.local, float32),
                "local_formula": be.local_formula, "grad": plain_value(be.grad, float32),
            }

    return events


def write_table(lesson: Lesson, exp: Experiment, trace: Trace, out: TextIO, upto: int | None = None) -> None:
    """A run as an aligned text table (to step `upto`), under a line naming the lesson, the experiment and α."""
    from .number_format import format_number

    names = exp.param_names
    header = ["step", *names, "E", *[f"dE/d{n}" for n in names], "status"]
    columns = trace.columns(upto)  # a column at a time: each distinct number formatted once
    steps = len(columns.loss)
    widths = [max(len(header[0]), len(str(steps - 1)))]
    cells = [[step.rjust(widths[0]) for step in map(str, range(steps))]]
    for head, column, texts in zip(
        header[1:],
        [*columns.params, columns.loss, *columns.grad, columns.status],
        [*(format_numbers(c.values) for c in (*columns.params, columns.loss, *columns.grad)), columns.status.values],
    ):
        widths.append(max(len(head), *map(len, texts)))
        cells.append(column.spread([text.rjust(widths[-1]) for text in texts]))
    title = printable(exp.title or exp.id)
    out.write(f"{printable(lesson.id)} / {exp.id}: {title}  "
              f"(loss {exp.loss.upper()}, α = {format_number(exp.alpha)}, {exp.dtype})\n")
    out.write("  ".join(h.rjust(w) for h, w in zip(header, widths)) + "\n")
    out.write("\n".join(map("  ".join, zip(*cells))) + "\n\n")


def write_side_by_side(
    lesson: Lesson, exp: Experiment, runs: list[tuple[str, Trace, int]], out: TextIO
) -> None:
    """Compared runs as one table, a group of columns per run (its parameters, E, status) and
    a row per step; a run that ended sooner (its last step given with it) leaves its cells blank."""

    names = exp.param_names
    fields = [*names, "E", "status"]
    steps = max(last for _, _, last in runs) + 1
    cells = [list(map(str, range(steps)))]  # a list per column, a cell per step
    for _, trace, last in runs:
        columns = trace.columns(min(last, trace.last))
        blank = [""] * (steps - len(columns.loss))  # the run ended sooner
        cells += [column.each(format_numbers) + blank for column in (*columns.params, columns.loss)]
        cells.append(columns.status.tolist() + blank)
    header = ["step", *fields * len(runs)]
    widths = [max(len(head), *map(len, column)) for head, column in zip(header, cells)]
    for g, (label, _, _) in enumerate(runs):  # a group is at least as wide as its name
        span = range(1 + g * len(fields), 1 + (g + 1) * len(fields))
        short = len(printable(label)) - (sum(widths[i] for i in span) + 2 * (len(fields) - 1))
        if short > 0:
            widths[span[-1]] += short
    title = printable(exp.title or exp.id)
    out.write(f"{printable(lesson.id)} / {exp.id}: {title}  (loss {exp.loss.upper()}, {exp.dtype}), "
              f"compared: {' | '.join(printable(label) for label, _, _ in runs)}\n")
    groups = [" " * widths[0]]
    for g, (label, _, _) in enumerate(runs):
        span = range(1 + g * len(fields), 1 + (g + 1) * len(fields))
        groups.append(printable(label).ljust(sum(widths[i] for i in span) + 2 * (len(fields) - 1)))
    out.write("  ".join(groups).rstrip() + "\n")
    padded = []
    for i, (head, column, width) in enumerate(zip(header, cells, widths)):
        pad = str.ljust if i and (i - 1) % len(fields) == len(fields) - 1 else str.rjust  # status to the left
        padded.append([pad(cell, width) for cell in [head, *column]])
    out.write("".join(line.rstrip() + "\n" for line in map("  ".join, zip(*padded))))
    out.write("\n")
