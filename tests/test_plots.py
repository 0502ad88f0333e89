"""The plot renderers, without an app: frame parts in, text out."""

from __future__ import annotations

import math
import re

import pytest

from backprop_tutor.frame import CurvePlot, DataPlot, SurfacePlot
from backprop_tutor.frame import PinnedLine, PinnedPath
from backprop_tutor.plots import Style, data_plot, error_plot, legend_lines, nice_ticks, surface_plot, title_room

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def curve(w: float = 3.0, reveal: str = "slope", finite: bool = True, **changes) -> CurvePlot:
    ws = tuple(-1 + 0.1 * i for i in range(61))
    Es = tuple((x - 1) ** 2 for x in ws)  # the lecture's E = (w·1 − 1)²
    fields = dict(ws=ws, Es=Es, w=w, E=(w - 1) ** 2, slope=2 * (w - 1), path=(w,), old_future=(), reveal=reveal,
                  title="E(w), slope 4 at @", finite=finite)
    fields.update(changes)
    return CurvePlot(**fields)


def plain(text: str) -> str:
    return ANSI.sub("", text)


def test_the_curve_marks_the_point_and_says_its_title():
    text = plain(error_plot(curve(), 40, 14, Style(color=False)))
    assert "E(w), slope 4 at @" in text and "@" in text.replace("E(w), slope 4 at @", "")


def test_a_graph_page_before_its_forward_pass_marks_no_point():
    text = plain(error_plot(curve(reveal="curve", title="E(w)"), 40, 14, Style(color=False)))
    assert "@" not in text


def test_a_diverged_run_is_said_not_drawn():
    text = error_plot(curve(finite=False), 40, 14)
    assert "too large to draw" in text and "diverged" in text


def test_ascii_plots_send_only_ascii():
    part = DataPlot(xs=(1.0, 2.0, 3.0), ys=(1.0, 2.0, 3.0), hs=(), w=0.5, b=0.0, one_input=True, title="data o, h = 0.5x")
    for text in (data_plot(part, 40, 12, Style(ascii_only=True, color=False)),
                 error_plot(curve(), 40, 12, Style(ascii_only=True, color=False))):
        assert text.isascii(), sorted({c for c in text if not c.isascii()})


def test_the_surface_is_shaded_low_to_high_with_the_path():
    first = tuple(-1 + 0.1 * i for i in range(21))
    second = first
    E = tuple(tuple((a - 0.5) ** 2 + (b - 0.5) ** 2 for a in first) for b in second)
    part = SurfacePlot(first, second, E, ((0.0, 0.0), (0.5, 0.5)), ("w", "b"), "E(w,b)", True)
    lines = surface_plot(part, 40, 14).splitlines()
    assert lines[0].strip() == "E(w,b)"
    assert sum(line.count("@") for line in lines) == 1 and sum(line.count("o") for line in lines) == 1
    assert max(len(line) for line in lines) <= 40


@pytest.mark.parametrize(("low", "high"), [(0.0, 1.0), (-3.0, 19.0), (-0.04, 4.3), (1e-3, 2e-3)])
def test_ticks_are_round_and_inside(low, high):
    ticks = nice_ticks(low, high, 4)
    assert all(low - 1e-12 <= t <= high + 1e-12 for t in ticks)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 5))


def test_a_title_too_long_is_shortened_not_dropped():
    from backprop_tutor.plots import fit_title

    title = "E(w), slope 0.12345678 at @, x: old future"
    assert fit_title(title, 36) == "E(w), slope 0.12345678 at @…"
    assert fit_title(title, 36, ascii_only=True) == "E(w), slope 0.12345678 at @..."
    assert fit_title("E(w)", 36) == "E(w)"
    text = plain(error_plot(curve(title=title), 38, 10, Style(color=False)))
    assert "E(w), slope 0.12345678 at @…" in text  # plotext leaves a too-wide title out


def test_float_noise_is_no_tick_label():
    first = tuple(0.1 * i for i in range(21))
    second = tuple(-3.33e-16 + 0.1 * i for i in range(21))  # a bottom edge that is 0 but for rounding
    E = tuple(tuple(a * a + b * b for a in first) for b in second)
    lines = surface_plot(SurfacePlot(first, second, E, (), ("w", "b"), "E", True), 40, 12).splitlines()
    assert lines[-3].split("|")[0].strip() == "0", lines[-3]  # the lowest row's label


@pytest.mark.parametrize("label", ["5", "0.5", "-0.5", "4e+03", "-4e+03"])
@pytest.mark.parametrize("width", range(30, 42))
def test_a_title_of_the_room_left_beside_the_y_labels_is_shown_whole(label, width):
    from plotext._figure import _figure_class

    room = title_room(width, len(label))
    figure = _figure_class()
    figure.plot_size(width, 8)
    figure.plot([0, 1], [0, 4000])
    figure.yticks([0, 4000], ["0", label])
    figure.title("E" * room)
    assert "E" * room in figure.build()


def canvas(text: str) -> str:
    """What is inside a plot's box: its marks, without the axes' tick labels."""
    rows = (re.match(r"^[^│┤]*[│┤](.*)│\s*$", line) for line in text.splitlines())
    return "".join(row.group(1) for row in rows if row)


def test_pinned_runs_are_drawn_with_their_digits_and_named_in_the_legend_without_colour():
    legend = ("@ α=0.5", "1 α=0.1", "2 α=1", "3 α=2")
    data = DataPlot((1.0,), (1.0,), (), 1.0, 0.0, True, "data o, h = 1x",
                    pins=(PinnedLine("1", 2.024, 0.0), PinnedLine("2", -1.0, 0.0)), legend=legend)
    text = data_plot(data, 36, 12, Style(color=False))
    assert "\x1b" not in text
    inside = canvas(text)
    assert "1" in inside and "2" in inside  # a line of 1s, a line of 2s: shapes, not colours
    assert text.splitlines()[-1] == "@ α=0.5  1 α=0.1  2 α=1  3 α=2"
    assert len(text.splitlines()) == 12  # the legend's row comes out of the plot's own
    curve = CurvePlot((-1.0, 1.0, 3.0), (4.0, 0.0, 4.0), 1.0, 0.0, 0.0, (3.0, 1.0), (), "slope", "E(w)", True,
                      pins=(PinnedPath("3", (3.0, -1.0), (4.0, 4.0)),), legend=legend[:1])
    assert "3" in canvas(error_plot(curve, 36, 12, Style(color=False)))


def test_the_legend_wraps_between_entries_never_inside_one():
    assert legend_lines(("@ alpha=0.5", "1 alpha=0.1", "2 alpha=1", "3 alpha=2"), 36) == [
        "@ alpha=0.5  1 alpha=0.1  2 alpha=1", "3 alpha=2"]
