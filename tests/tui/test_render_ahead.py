"""A step's rendering made cheaper without changing a cell: plotext's text read straight into
segments, renderings remembered by their inputs, and the next step's rendered while the app waits."""

from __future__ import annotations

import asyncio

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text

from backprop_tutor import plots
from backprop_tutor.frame import DataPlot, PinnedPath
from backprop_tutor.lessons import load_lesson
from backprop_tutor.plots import Style, data_plot, error_plot, surface_plot
from backprop_tutor.session.foresight import next_step_frame
from backprop_tutor.tui import line_view
from backprop_tutor.tui.ansi_lines import ansi_lines
from backprop_tutor.tui.launch import make_app
from tests.support import LESSONS
from tests.test_plots import curve

BASE = RichStyle.parse("white on #202020")


def by_rich(text: str, width: int, height: int | None) -> list[list[Segment]]:
    """What LineView did before ansi_lines: rich's parser and renderer."""
    console = Console(width=200, color_system="truecolor")
    lines = console.render_lines(Text.from_ansi(text, no_wrap=True, end=""), console.options.update(width=width, height=height))
    return lines if height is None else lines[:height]


def on_screen(lines: list[list[Segment]]) -> list[list[Segment]]:
    """As LineView keeps them: under the widget's style, runs of one style joined."""
    return [list(Segment.simplify(Segment.apply_style(line, BASE))) for line in lines]


def line_part() -> DataPlot:
    return DataPlot(xs=(1.0, 2.0, 3.0), ys=(1.0, 2.5, 2.0), hs=(), w=0.8, b=0.1, one_input=True, title="data o, h = 0.8x",
                    legend=("@ α=0.1", "1 α=0.5"))


PLOTS = [
    lambda w, h, s: data_plot(line_part(), w, h, s),
    lambda w, h, s: error_plot(curve(), w, h, s),
    lambda w, h, s: error_plot(curve(title="E(w), 기울기 4 (@)", pins=(PinnedPath("1", (0.5,), (0.25,)),), legend=("1 α=0.5",)), w, h, s),
    lambda w, h, s: surface_plot_part(w, h, s),
]


def surface_plot_part(w: int, h: int, s: Style) -> str:
    from backprop_tutor.frame import SurfacePlot

    grid = tuple(tuple(float((i - 3) ** 2 + (j - 2) ** 2) for j in range(6)) for i in range(7))
    part = SurfacePlot(first=tuple(float(j) for j in range(6)), second=tuple(float(i) for i in range(7)), E=grid,
                       path=((1.0, 1.0), (2.0, 2.5)), names=("w", "b"), title="E(w, b)", finite=True)
    return surface_plot(part, w, h, s)


@pytest.mark.parametrize("style", [Style(), Style(color=False), Style(ascii_only=True), Style(ascii_only=True, color=False)])
@pytest.mark.parametrize("size", [(37, 11), (58, 17), (20, 8)])
@pytest.mark.parametrize("plot", range(len(PLOTS)))
def test_plotext_text_reads_as_rich_reads_it(plot, size, style):
    width, height = size
    text = PLOTS[plot](width, height, style)
    for rows in (height, height + 3, None):  # cut, padded below, every line
        fast = ansi_lines(text, width, rows)
        assert fast is not None
        assert on_screen(fast) == on_screen(by_rich(text, width, rows))


def test_text_outside_plotexts_dialect_is_left_to_rich():
    assert ansi_lines("a\tb", 10, 2) is None
    assert ansi_lines("\x1b]8;;https://x\x1b\\link", 10, 1) is None
    assert ansi_lines("a line wider than the panel", 8, 1) is None  # rich crops it
    assert ansi_lines("한국어", 5, 1) is None  # six cells


def test_a_drawn_plot_is_remembered_by_its_inputs(monkeypatch):
    calls: list[int] = []
    real = plots.error_plot
    monkeypatch.setattr(plots, "error_plot", lambda *a: calls.append(1) or real(*a))
    plots.drawn.cache_clear()
    first = plots.drawn(curve(w=2.5), 40, 12, Style())
    assert plots.drawn(curve(w=2.5), 40, 12, Style()) == first and len(calls) == 1  # equal inputs: not drawn again
    plots.drawn(curve(w=2.5), 40, 13, Style())
    plots.drawn(curve(w=2.4), 40, 12, Style())
    assert len(calls) == 3


def counting(monkeypatch) -> dict[str, int]:
    """How often each panel renders its content from scratch."""
    counts: dict[str, int] = {}
    real = line_view.LineView._lines_for

    def lines_for(self, make, width, height, base):  # type: ignore[no-untyped-def]
        counts[self.id] = counts.get(self.id, 0) + 1
        return real(self, make, width, height, base)

    monkeypatch.setattr(line_view.LineView, "_lines_for", lines_for)
    for name in ("data_plot", "error_plot"):
        real_plot = getattr(plots, name)
        monkeypatch.setattr(plots, name, lambda *a, _real=real_plot, _name=name: counts.__setitem__(_name, counts.get(_name, 0) + 1) or _real(*a))
    plots.drawn.cache_clear()
    return counts


def app_on_long_run(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_STATE_DIR", str(tmp_path))
    lesson = load_lesson(LESSONS / "lesson03.yaml")
    return make_app(lesson, page=3)  # page 4: 80 updates, both plots


def test_a_rewind_renders_nothing_anew(tmp_path, monkeypatch):
    app = app_on_long_run(tmp_path, monkeypatch)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(6):
                await pilot.press("space")
            await pilot.pause()
            shown = app.query_one("#error-plot").plain, app.query_one("#table").plain
            await pilot.press("space")
            await pilot.pause()
            counts.clear()
            await pilot.press("left")
            await pilot.pause()
            assert (app.query_one("#error-plot").plain, app.query_one("#table").plain) == shown
            assert not {"data_plot", "error_plot", "table", "text"} & set(counts), counts

    counts = counting(monkeypatch)
    asyncio.run(go())


def test_the_next_step_is_rendered_while_waiting_and_changes_nothing(tmp_path, monkeypatch):
    app = app_on_long_run(tmp_path, monkeypatch)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(10):  # the table has its final height
                await pilot.press("space")
            await pilot.pause()
            assert app._foresight is not None  # a step key: the frame after it is due to be rendered
            session = app.session
            before = session.run.step, session.message, session.frame()
            shown = app.query_one("#error-plot").plain
            app._foresee()  # what the timer does once the key has rested
            assert (session.run.step, session.message, session.frame()) == before
            assert app.query_one("#error-plot").plain == shown  # nothing drawn
            ahead = next_step_frame(session)
            counts.clear()
            await pilot.press("space")
            await pilot.pause()
            assert app.frame == ahead  # the frame foreseen is the frame the key led to: nothing is rendered at the key
            assert not {"data_plot", "error_plot", "data-plot", "error-plot", "table", "text", "question"} & set(counts), counts
            await pilot.press("n")  # the next page (L2, α = 1): its first step is rendered ahead too
            await pilot.pause()
            assert app._foresight is not None
            app._foresee()
            ahead = next_step_frame(session)
            counts.clear()
            await pilot.press("space")
            await pilot.pause()
            assert app.frame == ahead
            assert not {"data_plot", "error_plot", "data-plot", "error-plot", "table", "text", "question"} & set(counts), counts
            await pilot.press("a")  # the answer box: space types, so nothing is rendered ahead
            await pilot.pause()
            counts.clear()
            app._foresee()
            assert next_step_frame(session) is None and not counts, counts

    counts = counting(monkeypatch)
    asyncio.run(go())
