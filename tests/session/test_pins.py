"""Runs pinned to compare (`v`, `V`, a lesson's `compare:`) and `u`, through `Session.press`.

Every number is checked against the closed form of the lecture's one-datum bowl, not against
the tutor's own output: for L2 on (1, 1), each update is w_{k+1} − 1 = (1 − 2α)(w_k − 1), so
w_k = 1 + (1 − 2α)^k (w_0 − 1) and E_k = (w_k − 1)².
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest

from backprop_tutor.lessons import Lesson, load_lesson
from backprop_tutor.number_format import format_number
from backprop_tutor.session import Session

from tests.support import LESSONS


def closed_form(w0: float, alpha: float, k: int) -> float:
    """w after k L2 updates on (1, 1) from w0."""
    return 1 + (1 - 2 * alpha) ** k * (w0 - 1)


@functools.cache
def lesson(stem: str) -> Lesson:
    return load_lesson(LESSONS / f"{stem}.yaml")


def on_page(stem: str, experiment: str) -> Session:
    les = lesson(stem)
    index = next(i for i, p in enumerate(les.pages) if p.experiment and p.experiment.id == experiment)
    return Session(les, index)


def key(session: Session, name: str):
    """One key press, as the app sends it (the character for a printable key)."""
    characters = {"space": " ", "right_square_bracket": "]", "left_square_bracket": "["}
    return session.press(name, characters.get(name, name if len(name) == 1 else None))


def run_rows(frame) -> dict[str, tuple[str, ...]]:
    """The table of runs: each run's mark → its cells (w, E) and status."""
    assert frame.table.runs
    return {row.cells[0].split()[0]: (*row.cells[1:], row.status) for row in frame.table.rows}


# -- the lesson asks for three runs ------------------------------------------------------------


def test_lesson03_pins_three_learning_rates_and_steps_them_together_as_the_closed_form_says():
    session = on_page("lesson03", "l2-alpha-0.5")
    frame = session.frame()
    assert frame.data_plot.legend == ("@ α=0.5", "1 α=0.1", "2 α=1", "3 α=2")
    seen: dict[str, list[str]] = {"1": [], "2": [], "3": []}
    for k in range(4):
        rows = run_rows(frame)
        assert frame.table.columns[0] == f"step {k}"
        for mark, alpha in (("1", 0.1), ("2", 1.0), ("3", 2.0)):
            w = closed_form(3, alpha, k)
            assert rows[mark][0] == format_number(w)
            assert rows[mark][1] == format_number((w - 1) ** 2)
            seen[mark].append(rows[mark][0])
        assert rows["@"][0] == format_number(closed_form(3, 0.5, k))  # 3, then 1 for good
        if k < 3:
            frame = key(session, "space")  # one update, every run
    # All three at once, as the lecture's table of learning rates has them:
    assert seen["1"] == ["3", "2.6", "2.28", "2.024"]
    assert seen["2"] == ["3", "-1", "3", "-1"]
    assert seen["3"] == ["3", "-5", "19", "-53"]
    paths = {p.marker: p.xs for p in frame.error_plot.pins}
    assert paths["1"] == pytest.approx([closed_form(3, 0.1, k) for k in range(4)])
    assert paths["3"] == pytest.approx([3, -5, 19, -53])
    lines = {p.marker: p.w for p in frame.data_plot.pins}
    assert lines == {"1": pytest.approx(2.024), "2": -1.0, "3": -53.0}


def test_three_lefts_restore_the_start_of_every_run_without_recomputing_one():
    session = on_page("lesson03", "l2-alpha-0.5")
    for _ in range(3):
        key(session, "space")
    traces = [r.trace for r in session.page_pins.runs]
    recorded = [len(t) for t in traces]
    for _ in range(3):
        frame = key(session, "left")  # rewind one, every run
    rows = run_rows(frame)
    assert frame.table.columns[0] == "step 0"
    assert {mark: cells[:2] for mark, cells in rows.items()} == {m: ("3", "4") for m in "@123"}
    assert [r.trace for r in session.page_pins.runs] == traces  # the same recordings, rewound by index
    assert [len(t) for t in traces] == recorded


def test_lesson02_pins_l1_beside_l2_from_one_start():
    session = on_page("lesson02", "l2-from-3")
    frame = session.frame()
    assert frame.data_plot.legend == ("@ L2", "1 L1")
    for _ in range(3):
        frame = key(session, "space")
    rows = run_rows(frame)
    assert rows["@"][0] == format_number(closed_form(3, 0.1, 3))  # 2.024
    assert float(rows["1"][0]) == pytest.approx(3 - 3 * 0.1)  # L1: a step of α·1 each time
    assert float(rows["1"][1]) == pytest.approx(abs(2.7 - 1))
    pin = frame.error_plot.pins[0]
    assert pin.curve_xs and all(e == pytest.approx(abs(w - 1)) for w, e in zip(pin.curve_xs, pin.curve_ys))


# -- pinning by hand ---------------------------------------------------------------------------


def test_v_pins_each_alpha_then_refuses_a_fourth_and_V_clears():
    session = on_page("lesson03", "l2-alpha-0.1")
    assert "Pinned as 1" in key(session, "v").message  # α = 0.1
    assert "pinned already" in key(session, "v").message  # the same run twice
    key(session, "right_square_bracket")  # α = 0.5
    key(session, "right_square_bracket")  # α = 1
    key(session, "v")
    key(session, "right_square_bracket")  # α = 2
    frame = key(session, "v")
    assert frame.data_plot.legend == ("@ α=2", "1 α=0.1", "2 α=1", "3 α=2")
    key(session, "left_square_bracket")  # α = 1 on screen: a fork, the pins stay
    assert "3 runs are pinned already" in key(session, "v").message
    for _ in range(3):
        frame = key(session, "space")
    rows = run_rows(frame)
    assert (rows["1"][0], rows["2"][0], rows["3"][0]) == ("2.024", "-1", "-53")
    assert rows["@"][0] == format_number(closed_form(3, 1.0, 3))
    frame = key(session, "V")
    assert frame.message == "Unpinned 3 runs." and not frame.table.runs
    assert frame.data_plot.pins == () and frame.error_plot.pins == ()
    assert frame.table.columns[0] == "step"  # the table of steps is back


def test_a_fork_after_pinning_changes_the_page_run_only():
    session = on_page("lesson03", "l2-alpha-0.1")
    key(session, "space")
    key(session, "space")  # w = 2.28
    key(session, "v")  # pinned at step 2
    key(session, "right_square_bracket")  # α = 0.5 from step 2: the page's run forks
    frame = key(session, "space")
    rows = run_rows(frame)
    assert rows["1"][0] == format_number(closed_form(3, 0.1, 3))  # the pin goes on with α = 0.1: 2.024
    assert rows["@"][0] == "1"  # 2.28 − 0.5·2.56 = 1
    frame = key(session, "+")  # w by hand: another fork
    assert run_rows(frame)["1"][0] == format_number(closed_form(3, 0.1, 3))
    assert run_rows(frame)["@"][0] == "1.1"



def test_runs_alike_in_every_setting_are_named_by_their_own_marks():
    session = on_page("lesson03", "l2-alpha-0.1")
    key(session, "space")
    for _ in range(3):  # pin, then move w by hand: runs that differ in no setting, only in w
        key(session, "v")
        key(session, "+")
    frame = session.frame()
    # Mark 1 is run 1 (never `1 run 2`): the page's own run is `this run`.
    assert frame.data_plot.legend == ("@ this run", "1 run 1", "2 run 2", "3 run 3")
    assert [row.cells[0] for row in frame.table.rows] == ["@ this run", "1 run 1", "2 run 2", "3 run 3"]
    # The pins hold w where each was pinned: 2.6 (step 1 of α = 0.1), then 2.7 and 2.8 by hand.
    rows = run_rows(frame)
    assert [rows[m][0] for m in "123@"] == ["2.6", "2.7", "2.8", "2.9"]

def test_a_pin_that_stopped_early_shows_its_last_state_and_says_so(tmp_path: Path):
    path = one_page(tmp_path, "alpha: 0.5\n      steps: 400\n      compare: [{alpha: 0.1}, {alpha: 1}, {alpha: 2}]")
    session = Session(load_lesson(path))
    frame = key(session, "G")  # to the end of the page's run: α = 2 has long overflowed by then
    rows = run_rows(frame)
    last = session.page_pins.runs[2].step
    assert session.page_pins.runs[2].trace.stopped and last < session.run.step
    assert rows["3"][2] == f"diverged (at {last})"
    assert "3 α=2 (off the plot)" in frame.data_plot.legend
    # |w| grows by 3× an update: it passes 1e150 (where a run stops) at the step the closed form says.
    assert last == next(k for k in range(1000) if abs(closed_form(3, 2, k)) > 1e150)


def test_reset_and_a_new_page_keep_the_lesson_pins_only():
    session = on_page("lesson03", "l2-alpha-0.5")
    key(session, "V")
    assert len(session.page_pins) == 0
    key(session, "r")  # the page as it opens
    assert [r.alpha for r in session.page_pins.runs] == [0.1, 1.0, 2.0]


def test_pins_are_refused_on_a_graph_page():
    session = on_page("lesson04", "graph")
    assert "walks the graph" in key(session, "v").message
    assert not session.page_pins.runs


# -- u: until something happens --------------------------------------------------------------


def test_u_from_3_with_alpha_2_stops_where_it_diverges():
    session = on_page("lesson03", "l2-alpha-2")
    frame = key(session, "u")
    # E grows 4 → 36 → 324 → 2916: three rises in a row past the start is divergence, at step 3.
    assert frame.message == "Stopped at step 3: diverged."
    assert session.run.step == 3 and session.run.state.params["w"] == closed_form(3, 2, 3) == -53
    assert frame.status.startswith("Diverged")


def test_u_stops_at_an_overshoot_once_then_at_convergence(tmp_path: Path):
    session = Session(load_lesson(one_page(tmp_path, "alpha: 0.75\n      steps: 200")))
    frame = key(session, "u")
    # 1 − 2·0.75 = −0.5: w = 3 → 0, the slope 4 → −2, E 4 → 1: it jumped over the bottom, closer.
    assert frame.message == "Stopped at step 1: overshoot: the slope changed sign (4 → -2), w jumped over the bottom."
    frame = key(session, "u")
    while session.until is not None:
        frame = session.tick()
    # Side to side from then on, never stopping again, until E ≤ 1e-12: 4·0.25^k ≤ 1e-12.
    converged = next(k for k in range(200) if 4 * 0.25**k <= 1e-12 or 4 * 0.5**k <= 1e-9)
    assert frame.message == f"Stopped at step {converged}: converged."


def test_u_stops_below_the_page_line(tmp_path: Path):
    session = Session(load_lesson(one_page(tmp_path, "alpha: 0.1\n      until_loss: 0.01")))
    frame = key(session, "u")
    below = next(k for k in range(100) if (closed_form(3, 0.1, k) - 1) ** 2 < 0.01)
    assert below == 14 and frame.message.startswith("Stopped at step 14: E = ")
    assert frame.message.endswith("fell below 0.01.")


def test_u_runs_in_stretches_and_any_key_stops_it(tmp_path: Path):
    session = Session(load_lesson(one_page(tmp_path, "alpha: 0.0001\n      steps: 5000")))
    frame = key(session, "u")
    assert session.until is not None and frame.running_until  # the view ticks on
    assert frame.message == "Running until something happens: step 25 (any key stops)."
    session.tick()
    frame = key(session, "left")  # stops, and rewinds one
    assert session.until is None and not frame.running_until
    assert frame.message == "" and session.run.step == 49
    frame = key(session, "u")
    frame = key(session, "u")  # u again only stops it
    assert frame.message == "Stopped at step 74 (a key was pressed)." and session.run.step == 74


def test_u_stops_after_the_step_cap(tmp_path: Path):
    session = Session(load_lesson(one_page(tmp_path, "alpha: 0.0001\n      steps: 5000")))
    key(session, "u")
    ticks = 0
    while session.until is not None:
        frame = session.tick()
        ticks += 1
    assert ticks == 1000 // 25 - 1  # 25 updates a frame, the first stretch at once
    assert frame.message == "Stopped at step 1000: 1000 updates and nothing happened (u goes on from here)."


def one_page(folder: Path, settings: str) -> Path:
    """A lesson of one L2 page on (1, 1) from w = 3."""
    path = folder / "one.yaml"
    path.write_text(
        "title: One page\npages:\n  - title: From 3\n    experiment:\n      id: from-3\n"
        f"      points: [[1, 1]]\n      init: {{w: 3}}\n      {settings}\n",
        encoding="utf-8",
    )
    return path


def test_the_closed_form_is_the_lecture_table():
    # The lecture's table of learning rates, typed from it: 3, 2.6, 2.28 / 3, -1, 3 / 3, -5, 19.
    assert [round(closed_form(3, 0.1, k), 10) for k in range(3)] == [3, 2.6, 2.28]
    assert [closed_form(3, 1, k) for k in range(3)] == [3, -1, 3]
    assert [closed_form(3, 2, k) for k in range(3)] == [3, -5, 19]
    assert math.isclose(closed_form(3, 0.5, 1), 1)


def test_an_export_holds_every_pinned_run_to_the_page_step(tmp_path: Path):
    import csv

    session = Session(lesson("lesson03"), next(
        i for i, p in enumerate(lesson("lesson03").pages) if p.experiment and p.experiment.id == "l2-alpha-0.5"
    ), export_dir=tmp_path)
    for _ in range(3):
        key(session, "space")
    frame = key(session, "e")  # export
    assert frame.message.startswith("Saved lesson03-l2-alpha-0.5-trace.csv")
    rows = list(csv.DictReader((tmp_path / "lesson03-l2-alpha-0.5-trace.csv").open(encoding="utf-8")))
    runs = sorted({r["run"] for r in rows})
    assert runs == ["now α=0.5", "pin 1 α=0.1", "pin 2 α=1", "pin 3 α=2"]
    for r in rows:
        alpha = float(r["alpha"])
        assert float(r["w"]) == pytest.approx(closed_form(3, alpha, int(r["step"])))
    assert max(int(r["step"]) for r in rows) == 3
    text = (tmp_path / "lesson03-l2-alpha-0.5-trace.txt").read_text(encoding="utf-8")
    assert "runs: @ α=0.5, 1 α=0.1, 2 α=1, 3 α=2" in text
    assert text.count("@ α=0.5  1 α=0.1  2 α=1  3 α=2") == 1  # the legend, under the data plot


def test_u_stops_at_a_pinned_run_s_new_status_too():
    session = on_page("lesson03", "l2-alpha-0.5")
    frame = key(session, "u")
    assert frame.message == "Stopped at step 1: converged."  # the page's own run: 3 − 0.5·4 = 1
    frame = key(session, "u")
    # Pinned α = 1 is back at 3 after two updates (3 → −1 → 3): a bounce, at step 2.
    assert frame.message == "Stopped at step 2: run 2 oscillating."
    frame = key(session, "u")
    assert frame.message == "Stopped at step 3: run 3 diverged."  # E = 4, 36, 324, 2916


def test_a_reload_pins_the_edited_lesson_s_compare_list_afresh(tmp_path: Path):
    from backprop_tutor.session.reloading import reload

    path = one_page(tmp_path, "alpha: 0.5\n      compare: [{alpha: 0.1}]")
    session = Session(load_lesson(path))
    key(session, "space")
    assert [r.alpha for r in session.page_pins.runs] == [0.1]
    path.write_text(path.read_text(encoding="utf-8").replace("{alpha: 0.1}", "{alpha: 1}, {alpha: 2}"), encoding="utf-8")
    frame = reload(session)  # as `tutor run --watch` does after an edit
    assert [r.alpha for r in session.page_pins.runs] == [1.0, 2.0]
    rows = run_rows(frame)
    assert rows["1"][0] == format_number(closed_form(3, 1, 1)) and rows["2"][0] == format_number(closed_form(3, 2, 1))


def test_a_cached_lesson_pins_the_same_runs_as_a_validated_one(tmp_path: Path):
    from backprop_tutor.lessons.cache import load_lesson_cached
    from backprop_tutor.lessons.plain import ExperimentRecord

    load_lesson_cached(LESSONS / "lesson03.yaml", tmp_path)  # cold: validated, then cached
    warm = load_lesson_cached(LESSONS / "lesson03.yaml", tmp_path)  # warm: plain records, no pydantic
    index = next(i for i, p in enumerate(warm.pages) if p.experiment and p.experiment.id == "l2-alpha-0.5")
    assert isinstance(warm.pages[index].experiment, ExperimentRecord)
    session = Session(warm, index)
    for _ in range(3):
        frame = key(session, "space")
    rows = run_rows(frame)
    assert (rows["1"][0], rows["2"][0], rows["3"][0]) == ("2.024", "-1", "-53")
