"""`e`: the page's run written out for a lab report, as CSV and its two plots as text.

The text file is for people: its heading, plot titles and legend are in the page's language.
The CSV is for programs: its columns and cells (`status`, `run` names such as `now α=0.5` and
`pin 1`) are English in every language, as `tutor trace --csv` writes them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from .. import export
from ..number_format import format_number
from ..plots import Style, data_plot, error_plot
from . import compose
from .compare_parts import Compared, curve_anchors, with_pinned_lines, with_pinned_paths
from .pins import run_labels

if TYPE_CHECKING:
    from .session import Session

EXPORT_PLOT = (60, 16)
"""The size of each plot in the text export."""


def plots_as_text(session: Session) -> str:
    """The page's data plot and error curve as plain text, with a line saying where they stand."""
    run = session.run
    assert run is not None
    style = Style(ascii_only=session.glyphs.ascii_only, color=False)
    words = session.words
    header = words(
        "export.header", lesson=session.lesson.id, experiment=run.experiment.id, step=run.step,
        alpha=format_number(run.alpha), status=words.cell(run.state.status),
    ) + "\n\n"
    width, height = EXPORT_PLOT
    pinned = session.pinned_runs()
    data, curve = compose.data_plot(run, words), compose.curve_plot(run, words)
    if pinned:
        compared = Compared.of(run, pinned, session.glyphs, words)
        header += words("export.runs", runs=", ".join(compared.legend())) + "\n\n"
        data = dataclasses.replace(with_pinned_lines(data, compared), legend=compared.legend())
        curve = with_pinned_paths(compose.curve_plot(run, words, curve_anchors(compared)), compared)
    return (
        header
        + data_plot(data, width, height, style)
        + "\n\n"
        + error_plot(curve, width, height, style)
        + "\n"
    )


def csv_runs(session: Session) -> list[export.CsvRun]:
    """The page's run (`now α=0.5`), and each pinned run (`pin 1 α=0.1`), to the page's step (in English, as machine fields)."""
    run = session.run
    assert run is not None
    lesson_id, exp_id = session.lesson.id, run.experiment.id
    pinned = session.pinned_runs()
    if not pinned:
        return [export.CsvRun(lesson_id, exp_id, run.trace)]
    names = run_labels(run, pinned, session.glyphs.alpha, None)  # runs alike are told apart by `who` alone
    whose = ["now", *(f"pin {i}" for i in range(1, len(pinned) + 1))]
    return [
        export.CsvRun(lesson_id, exp_id, r.trace, f"{who} {name}".rstrip(), r.step)
        for who, name, r in zip(whose, names, (run, *pinned))
    ]


def export_run(session: Session) -> str:
    """Write the page's run into the export folder; returns what to tell the student."""
    run = session.run
    if run is None:
        return session.words("no_export")
    folder = session.export_dir or Path.cwd()
    lesson_id, exp_id = session.lesson.id, run.experiment.id
    try:
        # Both files new, one number free for both: a student's notes, a link or a FIFO at one
        # of the names is never opened.
        with export.open_export_pair(lesson_id, exp_id, folder) as files:
            export.write_csv(csv_runs(session), files.csv_file, upto=run.step)
            files.txt_file.write(plots_as_text(session))
    except OSError as exc:
        return session.words("export_failed", why=exc.strerror or exc)
    return session.words("exported", csv=files.csv_path.name, txt=files.txt_path.name, folder=folder)
