"""How the app looks at a fixed terminal size: SVG snapshots, compared with pytest-textual-snapshot.

Update them only after reading the HTML diff report: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


def app_on(lesson_id: str, experiment_id: str | None = None, **options):
    lesson = load_lesson(LESSONS / f"{lesson_id}.yaml")
    page = 0
    if experiment_id is not None:
        page = next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == experiment_id)
    return make_app(lesson, page=page, **options)


def test_lesson01_first_page(snap_compare):
    assert snap_compare(app_on("lesson01"), terminal_size=(80, 24))


def test_lesson03_mid_bounce(snap_compare):
    # α = 2 on L1: -2, 0, 2, 0 — the screen says it oscillates.
    assert snap_compare(app_on("lesson03", "l1-alpha-2"), press=["space"] * 3, terminal_size=(80, 24))


def test_diverged_l2_run(snap_compare):
    assert snap_compare(app_on("lesson03", "l2-alpha-2"), press=["space"] * 5, terminal_size=(80, 24))


def test_help_screen(snap_compare):
    assert snap_compare(app_on("lesson03", "l2-alpha-0.1"), press=["question_mark"], terminal_size=(80, 24))


def test_ascii_mode(snap_compare):
    app = app_on("lesson03", "l2-alpha-0.1", ascii_only=True)
    assert snap_compare(app, press=["space", "space"], terminal_size=(80, 24))


def test_no_color(snap_compare):
    app = app_on("lesson03", "l2-alpha-0.1", no_color=True)
    assert snap_compare(app, press=["space", "space"], terminal_size=(80, 24))


def test_lesson04_mid_forward(snap_compare):
    assert snap_compare(app_on("lesson04", "graph"), press=["space"] * 2, terminal_size=(80, 24))


def test_lesson04_mid_backward(snap_compare):
    assert snap_compare(app_on("lesson04", "graph"), press=["space"] * 6, terminal_size=(80, 24))


def test_lesson04_after_update(snap_compare):
    assert snap_compare(app_on("lesson04", "graph"), press=["space"] * 10, terminal_size=(80, 24))


def test_lesson06_graph_with_bias(snap_compare):
    assert snap_compare(app_on("lesson06", "bias-graph"), press=["space"] * 5, terminal_size=(80, 24))


def test_lesson07_wide(snap_compare):
    assert snap_compare(app_on("lesson07", "three-inputs"), press=["space"] * 12, terminal_size=(120, 40))


@pytest.mark.parametrize("experiment", ["two-weights"])
def test_error_surface_with_a_path(snap_compare, experiment):
    assert snap_compare(app_on("lesson06", experiment), press=["space"] * 6, terminal_size=(80, 24))


def test_lesson03_mid_bounce_in_korean(snap_compare):
    # Hangul takes two cells: the header, the plot titles, the table and the footer are laid out in cells.
    assert snap_compare(app_on("lesson03", "l1-alpha-2", language="ko"), press=["space"] * 3, terminal_size=(80, 24))


def test_three_pinned_runs(snap_compare):
    # lesson03 pins α = 0.1, 1, 2 beside α = 0.5 from w = 3: after three updates the table of
    # runs reads 2.024, -1 and -53, each run marked 1 2 3 on both plots, the legend under the data.
    assert snap_compare(app_on("lesson03", "l2-alpha-0.5"), press=["space"] * 3, terminal_size=(80, 24))


def test_three_pinned_runs_ascii_no_color(snap_compare):
    app = app_on("lesson03", "l2-alpha-0.5", ascii_only=True, no_color=True)
    assert snap_compare(app, press=["space"] * 3, terminal_size=(80, 24))
