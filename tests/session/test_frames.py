"""Every page of every lesson, walked through `Session.press` without Textual, frame by frame.

What a frame says must hold on every screen: one quantity reads the same in every panel, no
formula says `= 4 = 4`, negative numbers in a formula stand in brackets, a graph page shows no
number before its walk has made it, and in ASCII mode every character is ASCII. The lecture's
own numbers (typed from the slides) appear in the frames of the lessons that teach them.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator

import pytest

from backprop_tutor.frame import CurvePlot, DataPlot, Frame
from backprop_tutor.lessons import Lesson, lesson_files, load_lesson
from backprop_tutor.session import Session
from backprop_tutor.session.glyphs import Glyphs

from tests.support import LESSONS

PATHS = lesson_files(LESSONS)


@functools.cache
def lesson(stem: str) -> Lesson:
    return load_lesson(LESSONS / f"{stem}.yaml")


def strings(value: object) -> Iterator[str]:
    """Every string of a frame (plot samples aside)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))


def positions(session: Session) -> Iterator[tuple[str, Frame]]:
    """The frames of the page on screen: at the start, stepping, at the end, after ] and [."""
    yield "start", session.frame()
    for i in range(1, 4):
        yield f"space x{i}", session.press("space", " ")
    yield "end", session.press("end")
    yield "left", session.press("left")
    yield "home", session.press("home")
    yield "]", session.press("right_square_bracket", "]")
    yield "] space", session.press("space", " ")
    yield "] space x2", session.press("space", " ")
    yield "[", session.press("left_square_bracket", "[")
    yield "[ space", session.press("space", " ")


def every_frame(stem: str, ascii_only: bool = False) -> Iterator[tuple[str, Frame]]:
    session = Session(lesson(stem), ascii_only=ascii_only)
    for index in range(session.page_count):
        session.go_to_page(index)
        for where, frame in positions(session):
            yield f"{stem} p{index + 1} {where}", frame


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_formula_repeats_itself_and_one_sign_style(path):
    repeated = re.compile(r"= (-?[\d.]+(?:e[-+]\d+)?) = \1(?![\d.])")
    # `**-1**` is Markdown's bold, not a product: a `*` beside another `*` is no operator.
    bare_negative = re.compile(r"(?:[·×−]|(?<!\*)\*) ?-\d|[·×*]\(-?\d+\)·|− -\d")
    checked = 0
    for where, frame in every_frame(path.stem):
        for text in strings(frame):
            assert not repeated.search(text), (where, text)
            assert not bare_negative.search(text), (where, text)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_one_quantity_reads_the_same_in_every_panel(path):
    for where, frame in every_frame(path.stem):
        if frame.table is None:
            continue
        now = next(r for r in frame.table.rows if r.current)
        columns = dict(zip(frame.table.columns, now.cells))
        name = frame.table.columns[1]
        plot = frame.error_plot
        if isinstance(plot, CurvePlot) and plot.reveal == "slope" and frame.table.slope_columns:  # a runs table has none
            slope = columns[frame.table.columns[-frame.table.slope_columns]]
            if plot.old_future:  # the title keys the x marks instead: the slope is the table's
                assert plot.title == f"E({name}), slope at @, x: old future", (where, plot.title)
            else:
                assert plot.title.startswith(f"E({name}), slope {slope} at @"), (where, plot.title, slope)
        if isinstance(frame.data_plot, DataPlot) and frame.data_plot.one_input:
            times_x = {"1": "x", "-1": "-x", "0": "0"}.get(columns[name], f"{columns[name]}x")  # h = x, as the lecture writes it
            assert f"h = {times_x}" in frame.data_plot.title, (where, frame.data_plot.title, columns[name])
        if frame.graph is not None and frame.graph.where.startswith("updated:"):
            for update in frame.graph.where.removeprefix("updated: ").split("; "):
                param, _, rest = update.partition(" = ")
                assert rest.rsplit(" = ", 1)[1] == columns[param], (where, update)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_a_graph_page_shows_no_number_before_the_walk_makes_it(path):
    for where, frame in every_frame(path.stem):
        graph = frame.graph
        if graph is None:
            continue
        now = next(r for r in frame.table.rows if r.current)
        E_cell = now.cells[len(frame.table.columns) - frame.table.slope_columns - 1]
        E_node = next(n for n in graph.nodes if n.name == "E")
        assert (E_node.value is None) == (E_cell == ""), (where, E_node, E_cell)
        slopes_known = all(n.grad is not None for n in graph.nodes if n.kind == "param")
        slope_cells = now.cells[-frame.table.slope_columns :]
        assert all(c == "" for c in slope_cells) != slopes_known, (where, slope_cells)
        assert bool(graph.slopes) == slopes_known, where
        assert frame.error_plot is not None or frame.big_graph  # a big graph at 80x24 has the column
        if isinstance(frame.error_plot, CurvePlot):
            expected = "slope" if slopes_known else ("point" if E_node.value is not None else "curve")
            assert frame.error_plot.reveal == expected, where


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_ascii_frames_hold_only_ascii(path):
    for where, frame in every_frame(path.stem, ascii_only=True):
        for text in strings(frame):
            assert text.isascii(), (where, [c for c in text if not c.isascii()], text[:80])


def walk(stem: str, exp_id: str, keys: list[str], ascii_only: bool = False) -> list[Frame]:
    doc = lesson(stem)
    page = next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == exp_id)
    session = Session(doc, page=page, ascii_only=ascii_only)
    return [session.frame()] + [session.press(k, " " if k == "space" else None) for k in keys]


def table_column(frame: Frame, name: str) -> list[str]:
    index = frame.table.columns.index(name)
    return [row.cells[index] for row in frame.table.rows]


def test_lecture_l1_walk_4_3_2_1_is_on_screen():
    frames = walk("lesson02", "l1-from-4", ["space"] * 3)
    assert table_column(frames[-1], "w") == ["4", "3", "2", "1"]
    assert table_column(frames[-1], "E") == ["3", "2", "1", "0"]  # |4·1 − 1| = 3, then 2, 1, 0


def test_lecture_alpha_2_bounce_between_0_and_2_is_on_screen():
    frames = walk("lesson03", "l1-alpha-2", ["space"] * 3)
    assert table_column(frames[-1], "w") == ["-2", "0", "2", "0"]
    assert frames[-1].status.startswith("Oscillating")


def test_lecture_graph_walk_forward_4_backward_4_update_2_6():
    doc = lesson("lesson04")
    exp = next(e for e in doc.experiments() if e.graph)
    frames = walk("lesson04", exp.id, ["space"] * 12)
    values = [{n.name: n.value for n in f.graph.nodes} for f in frames]
    grads = [{n.name: n.grad for n in f.graph.nodes} for f in frames]
    first = {name: next(i for i, v in enumerate(values) if v.get(name) == want) for name, want in
             (("h", "3"), ("e", "2"), ("E", "4"))}
    assert first["h"] < first["e"] < first["E"]
    back = {name: next(i for i, g in enumerate(grads) if g.get(name) == "4") for name in ("e", "h", "w")}
    assert first["E"] < back["e"] < back["h"] < back["w"]
    assert any(f.graph.where == "updated: w = 3 − 0.1·4 = 2.6" for f in frames)
    chains = [f.graph.chain for f in frames if f.graph.chain.startswith("∂E/∂w")]
    assert "∂E/∂w = x · 1 · 2e = 1 · 1 · 4 = 4" in chains


def test_lecture_a_csv_mean_square_error_at_w_3():
    # E = ((3·1 − 1)² + (3·2 − 2)² + (3·3 − 3)²) / 3 = 56/3, worked by hand.
    doc = lesson("lesson05")
    exp = next(e for e in doc.experiments() if e.csv == "a.csv" and e.init.get("w") == 3)
    frames = walk("lesson05", exp.id, [])
    assert table_column(frames[0], "E")[0] == "18.666667"


def test_keys_typed_in_one_batch_reach_the_answer_box_in_order():
    doc = lesson("lesson02")
    page = next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == "l2-from-3")
    session = Session(doc, page=page)
    for character in "2.6":
        session.press(character, character)  # the first digit opens the box, the rest are typed
    frame = session.press("enter")
    assert frame.answer.text == "" and "it is 2.6. Right!" in frame.message
    assert session.run.step == 1


def test_escape_leaves_the_box_empty_and_keys_go_back_to_the_lesson():
    doc = lesson("lesson02")
    page = next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == "l2-from-3")
    session = Session(doc, page=page)
    session.press("a", "a")
    session.press("2", "2")
    session.press("q", "q")  # typing has begun: typed into the box, not quit
    assert session.draft == "2q" and not session.quitting
    frame = session.press("escape")
    assert frame.answer.text == "" and not frame.answer.active
    assert session.press("q", "q").quit


def test_the_line_h_equals_x_is_written_as_the_lecture_writes_it():
    session = Session(lesson("lesson01"), page=2)  # the lab's step 3: w = 1, the line through all four points
    frame = session.frame()
    assert frame.data_plot is not None and frame.data_plot.w == 1
    assert "h = x" in frame.data_plot.title and "1x" not in frame.data_plot.title, frame.data_plot.title


def test_walking_every_page_with_its_plots_leaves_numpy_ma_unimported():
    """numpy imports `numpy.ma` (~1.3 MB a process) only when a function needs it (np.unique does):
    thirty students' tutors should not pay for masked arrays nothing draws."""
    code = """
import sys
from backprop_tutor.lessons import lessons_dir, lesson_files
from backprop_tutor.lessons.cache import load_lesson_cached
from backprop_tutor.plots import drawn
from backprop_tutor.session import Session
for path in lesson_files(lessons_dir()):
    session = Session(load_lesson_cached(path))
    for index in range(len(session.lesson.pages)):
        session.go_to_page(index)
        for key in ["space"] * 6 + ["c", "s", "]", "v", "space"]:
            frame = session.press(key)
            for plot in (frame.data_plot, frame.error_plot):
                if plot is not None:
                    drawn(plot, 34, 10)
print("numpy" in sys.modules, "numpy.ma" in sys.modules)
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


def test_the_l1_curve_reaches_the_tip_of_the_v_once():
    """E = |w·1 − 1| bends at w = 1: the sampled curve has that point, E = 0 there, no value twice,
    and every E the closed form's."""
    import numpy as np

    session = Session(lesson("lesson03"), page=1)  # L1 from w = −2, α = 1
    curve = session.frame().error_plot
    ws, Es = np.array(curve.ws), np.array(curve.Es)
    assert 1.0 in ws and Es[list(ws).index(1.0)] == 0.0
    assert (np.diff(ws) > 0).all()
    assert np.allclose(Es, np.abs(ws - 1.0), rtol=0, atol=1e-12)


def test_a_slope_that_is_rounding_noise_reads_0_as_in_the_lecture():
    # lesson01's shifting lab: (1, 2), (2, 3), (−1, 0), (−2, −1) from w = 1, b = 0. Every residual
    # is b − 1, so ∂E/∂w = (2/4)·(b − 1)·(1 + 2 − 1 − 2) = 0 at every step (computed: ~3e-16).
    doc = lesson("lesson01")
    session = Session(doc, page=next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == "shifting"))
    for _ in range(3):
        frame = session.press("space", " ")
        row = next(r for r in frame.table.rows if r.current)
        slopes = dict(zip(frame.table.columns, row.cells))
        assert slopes["∂E/∂w"] == "0" and session.run.state.grad["w"] == 0.0, slopes
    assert session.run.trace.grad_at(1)[0] != 0  # the run keeps its own numbers: only the screen reads 0


def test_the_line_through_the_origin_is_h_equals_0_and_a_bias_is_added_or_taken_away():
    doc = lesson("lesson03")
    session = Session(doc, page=next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == "l1-alpha-1"))
    session.press("space", " ")
    frame = session.press("space", " ")  # -2 → -1 → 0 (α = 1, slope -1)
    assert session.run.state.params["w"] == 0 and frame.data_plot.title.endswith("h = 0"), frame.data_plot.title
    doc = lesson("lesson06")
    session = Session(doc, page=next(i for i, p in enumerate(doc.pages) if p.experiment and p.experiment.id == "lab02"))
    assert session.run.state.params["b"] == -1
    assert session.frame().data_plot.title.endswith("h = 3x − 1")  # w = 3, b = -1: the formula's minus


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_footer_keeps_the_way_to_the_next_page_at_80_columns(path):
    from backprop_tutor.tui.panels import fit_keys

    doc = lesson(path.stem)
    for index, page in enumerate(doc.pages):
        session = Session(doc, page=index)
        session.text_scrolls = session.graph_scrolls = True  # the longest footer: ↑↓ text (or graph) too
        for ascii_only in (False, True):
            session.glyphs = Glyphs(ascii_only)
            keys = session.frame().keys
            shown = fit_keys(keys, 80)
            assert "n/b page" in shown, (path.stem, index + 1, shown)
            # Without colour no scrollbar shows that the text (or graph) goes on: the footer must.
            assert any(k in shown for k in keys if "text" in k or "graph" in k), (path.stem, index + 1, shown)
