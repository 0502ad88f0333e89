"""Runs that blow up, freeze or go on for long are lessons, not crashes; memory stays flat."""

from __future__ import annotations

import numpy as np

from backprop_tutor.lessons import load_lesson
from backprop_tutor.session import Session
from backprop_tutor.session.run import PASSES_KEPT

from tests.support import LESSONS


def page_of(lesson, exp_id):
    return next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.id == exp_id)


def test_alpha_doubled_until_E_is_infinite_is_a_frame_not_a_crash():
    # The issue's recipe: lesson08's replay, ] fourteen times, then nine updates.
    lesson = load_lesson(LESSONS / "lesson08.yaml")
    session = Session(lesson, page=page_of(lesson, "lab01"))
    for _ in range(14):
        session.press("right_square_bracket", "]")
    for _ in range(9):
        frame = session.press("space", " ")
    assert frame.status.startswith("Diverged") and frame.table is not None
    assert any(cell in ("inf", "nan") for row in frame.table.rows for cell in row.cells) or "overflowed" in frame.status


def test_a_lesson_infinite_at_step_0_opens(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(
        "title: Huge\npages:\n  - title: Far off\n    text: 'E = {E}'\n"
        "    experiment: {id: far, points: [[1e12, -1e12]], init: {w: 1e12}, dtype: float32, steps: 3}\n"
    )  # (1e12·1e12 + 1e12)² is past float32's largest: E is inf from the start
    session = Session(load_lesson(path))
    frame = session.frame()
    assert frame.text == "E = inf" and not frame.error_plot.finite  # said, not drawn
    assert frame.status.startswith("Diverged")
    frame = session.press("space", " ")
    assert "overflowed" in frame.message


def test_a_tiny_alpha_is_stalled_and_says_so(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "title: Tiny\npages:\n  - title: Crawl\n"
        "    experiment: {id: crawl, points: [[1, 1]], init: {w: 3}, alpha: 1.0e-17, steps: 5}\n"
    )
    session = Session(load_lesson(path))
    frame = session.press("space", " ")
    assert frame.table.rows[-1].status == "stalled" and frame.status.startswith("Stalled")


def test_memory_stays_flat_over_a_thousand_graph_steps():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    session = Session(lesson, page=next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.graph))
    run = session.run
    for _ in range(run.events_per_step() * 300):
        session.press("space", " ")
    assert run.step > 0 and len(run._passes) <= PASSES_KEPT


def test_an_l1_surface_on_much_data_is_drawn_from_a_sample(tmp_path):
    rows = 100_000
    x = np.linspace(-1, 1, rows)
    (tmp_path / "big.csv").write_text("x,y\n" + "\n".join(f"{v:.6f},{2 * v + 1:.6f}" for v in x) + "\n")
    path = tmp_path / "big.yaml"
    path.write_text(
        "title: Big\npages:\n  - title: Much\n"
        "    experiment: {id: much, csv: big.csv, bias: true, loss: l1, steps: 5}\n"
    )
    session = Session(load_lesson(path))
    first, second, E, _ = session.run.error_surface()
    assert E.shape == (41, 41) and np.all(np.isfinite(E))
    j, i = np.unravel_index(np.argmin(E), E.shape)[::-1]
    assert abs(first[j] - 2) < 0.5 and abs(second[i] - 1) < 0.5  # the lowest E near w = 2, b = 1
