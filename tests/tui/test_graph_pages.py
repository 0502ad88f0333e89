"""Forward and back propagation walked with space and ←, read off the screen's graph panel."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui.launch import make_app

from tests.support import LESSONS


def panel_text(app, selector="#graph") -> str:
    widget = app.query_one(selector)
    if hasattr(widget, "plain"):  # a LineView
        return widget.plain
    console = Console(width=120, record=True, file=open("/dev/null", "w"))
    console.print(widget.content)
    return console.export_text()


def graph_page(lesson):
    return next(i for i, p in enumerate(lesson.pages) if p.experiment and p.experiment.graph)


async def test_lesson04_walks_forward_backward_and_updates_in_order():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    app = make_app(lesson, page=graph_page(lesson))
    async with app.run_test(size=(80, 24)) as pilot:
        screens = [panel_text(app)]
        assert "h=3" not in screens[0] and "∂E/∂" not in screens[0].split("slope")[0]
        seen = []
        for _ in range(app.session.run.events_per_step() + 1):
            await pilot.press("space")  # one event
            screens.append(panel_text(app))
            seen.append(screens[-1])
        order = ["h=3", "e=2", "E=4", "∂E/∂e=4", "∂E/∂h=4", "∂E/∂w=4", "w = 3 − 0.1·4 = 2.6"]
        first_seen = [next(i for i, text in enumerate(seen) if token in text) for token in order]
        assert first_seen == sorted(first_seen), dict(zip(order, first_seen))
        assert app.session.run.state.params["w"] == pytest.approx(2.6)
        for earlier in reversed(screens[:-1]):
            await pilot.press("left")  # one event back
            assert panel_text(app) == earlier


async def test_gradients_are_blank_until_backprop_reaches_them():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    app = make_app(lesson, page=graph_page(lesson))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "space")  # the whole forward pass
        text = panel_text(app).split("slope:")[0]
        assert "E=4" in text and "∂E/∂" not in text  # no gradient shown as 0 (or at all) yet


async def test_composite_gate_toggle():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    app = make_app(lesson, page=graph_page(lesson))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")  # merge the gates
        assert "(w·x − y)²" in panel_text(app)
        screens = [panel_text(app)]
        while app.session.run.step == 0:
            await pilot.press("space")
            screens.append(panel_text(app))
        # Folded, h and e are not drawn: a space goes to what the gate shows, E, then ∂E/∂w, then the update.
        assert [("E=4" in t, "∂E/∂w = 2e·x = 4" in t, "2.6" in t) for t in screens] == [
            (False, False, False),
            (True, False, False),
            (True, True, False),
            (False, False, True),
        ], screens
        for earlier in reversed(screens[:-1]):
            await pilot.press("left")
            assert panel_text(app) == earlier
        await pilot.press("space")
        await pilot.press("c")  # every gate again
        assert "─(×)─" in panel_text(app)


async def test_slopes_three_ways_once_backprop_is_done():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    app = make_app(lesson, page=graph_page(lesson))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "backprop" not in panel_text(app) and "4" not in panel_text(app, "#table").splitlines()[1][5:]
        await pilot.press(*["space"] * app.session.run.events_per_step())  # forward and backward
        lines = panel_text(app).splitlines()
        # As lesson 2 named the three ways; too wide for 80 columns, the line goes on at the ≈.
        at = lines.index("slope: backprop 4 = derivative 4")
        assert lines[at + 1] == "  ≈ numerical 4.00001"


async def test_the_three_slopes_speak_korean_on_one_line_at_80x24():
    lesson = load_lesson(LESSONS / "lesson04.yaml")
    app = make_app(lesson, page=graph_page(lesson), language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["space"] * app.session.run.events_per_step())  # forward and backward
        assert "기울기: 역전파 4 = 도함수 4 ≈ 수치 4.00001" in panel_text(app).splitlines()


@pytest.mark.parametrize("lesson_id", ["lesson06", "lesson07"])
async def test_bias_and_three_input_graphs_draw_every_plus_gate(lesson_id):
    lesson = load_lesson(LESSONS / f"{lesson_id}.yaml")
    app = make_app(lesson, page=graph_page(lesson))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*["space"] * 3)
        text = panel_text(app)
        expected = 1 if lesson_id == "lesson06" else 3
        # Drawn like the slides when it fits, else one row per gate: either way every + gate.
        plus_rows = [line for line in text.splitlines() if re.match(r"^\S+ = \S+ \+ \S+", line)]
        assert text.count("(+)") + len(plus_rows) == expected, text
        assert re.search(r"^b +=", text, re.M) or "b=" in text  # the bias, in either layout


def graph_pages():
    for stem in ("lesson04", "lesson05", "lesson06", "lesson07", "lesson08"):
        lesson = load_lesson(LESSONS / f"{stem}.yaml")
        for index, page in enumerate(lesson.pages):
            if page.experiment and page.experiment.graph:
                yield stem, index


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("stem, index", list(graph_pages()))
async def test_a_step_keeps_one_graph_layout_through_its_walk(stem, index, size):
    """Found at 80×24 on lesson06 p3: the diagram turned into the gate table at the third space,
    when e's value made it too wide. The step's fully walked diagram decides, before its walk."""
    lesson = load_lesson(LESSONS / f"{stem}.yaml")
    app = make_app(lesson, page=index)
    async with app.run_test(size=size) as pilot:
        layouts: dict[int, set[str]] = {}
        for _ in range(3 * (app.session.run.events_per_step() + 1)):
            text = panel_text(app)
            layouts.setdefault(app.session.run.step, set()).add("diagram" if "─(" in text or "-(" in text else "table")
            await pilot.press("space")
        assert len(layouts) >= 3 and all(len(seen) == 1 for seen in layouts.values()), (stem, index, size, layouts)
