"""The two plots as plain code: the data with the hypothesis line, and the error curve E(w).

Each function takes numbers and a size and returns what plotext builds (a string, with ANSI
colours unless `color` is off), so it can be tested without an app. Every value is checked for
finiteness and size before plotext sees it: plotext raises on inf and huge values, and some
versions abort the process on NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .frame import CurvePlot, DataPlot, SurfacePlot
from .text_cells import cell_width, cut_to_cells, pad_to_cells

if TYPE_CHECKING:
    from plotext._figure import _figure_class

PLOTTABLE = 1e15
"""Values beyond this in size are not handed to plotext."""

TITLE_MARGIN = 2
"""plotext leaves out a title within this many columns of the plot's width."""

_BOX_TO_ASCII = str.maketrans("─│┌┐└┘┬┴┤├┼", "-|++++++|++")

PIN_COLORS = ("blue", "yellow+", "green")
"""Pinned runs 1, 2, 3 in 16 colours none of the plot's own marks use (Textual's palette draws
magenta as red, bright green as green); their digits tell them apart without colour too."""
LEGEND_GAP = "  "


@dataclass(frozen=True)
class Style:
    """How plots are drawn: ASCII-only glyphs, and whether to colour."""

    ascii_only: bool = False
    color: bool = True

    def marker(self, fine: str, plain: str) -> str:
        """`fine` unless ASCII-only, then `plain`."""
        return plain if self.ascii_only else fine

    def paint(self, name: str) -> str | None:
        """A 16-colour name, or None when colour is off."""
        return name if self.color else None


def _figure(width: int, height: int, style: Style) -> _figure_class:
    # Imported at the first plot, not at start-up: a text page draws none (plotext costs ~15-40 ms).
    from plotext._figure import _figure_class  # one figure per plot; textual-plotext does the same

    figure = _figure_class()
    figure.plot_size(max(width, 12), max(height, 5))
    figure.theme("clear")
    return figure


_WIDE_TITLE = "_title"
"""The figure attribute holding a title plotext would pad by characters (it has wide ones)."""


def _title(figure: _figure_class, title: str) -> None:
    """Give `figure` its title; one with wide characters (Hangul) goes in after plotext is done.

    plotext centres a title by counting characters, so a Korean title would overrun the plot by
    a column per syllable: plotext gets as many `~` as the title takes cells, replaced at the end.
    """
    if title.isascii():
        figure.title(title)
        return
    stand_in = "~" * cell_width(title)
    figure.title(stand_in)
    setattr(figure, _WIDE_TITLE, (stand_in, title))


def _finish(figure: _figure_class, style: Style) -> str:
    text = figure.build()
    wide = getattr(figure, _WIDE_TITLE, None)
    if wide is not None:
        text = text.replace(wide[0], wide[1], 1)
    if style.ascii_only:
        text = text.translate(_BOX_TO_ASCII)
    if not style.color:
        text = text.replace("\x1b[0m", "")
    return text


def _ticks(figure: _figure_class, x: tuple[float, float], y: tuple[float, float], height: int) -> int:
    """Round tick values (1, 2 or 5 times a power of ten) with short labels (`1e+06`).

    Returns:
        The widest y label: a title must leave room for it (`title_room`).
    """
    xs = nice_ticks(x[0], x[1], 4)
    figure.xticks(xs, [_tick(v) for v in xs])
    ys = nice_ticks(y[0], y[1], 3 if height < 12 else 5)
    labels = [_tick(v) for v in ys]
    figure.yticks(ys, labels)
    return max(map(len, labels), default=1)


def title_room(width: int, widest_label: int) -> int:
    """The widest title plotext shows on a plot `width` wide beside y labels this wide (it drops
    a wider one): measured on plotext 5, the labels' width less one, and one more when the rest
    is odd (a pinned run far away makes the labels `4e+03`)."""
    label = max(widest_label, 1)
    return width - max(TITLE_MARGIN, label - 1 + (width - label + 1) % 2)


def nice_ticks(low: float, high: float, most: int) -> list[float]:
    """At most `most` round values inside [low, high], evenly spaced (0 exactly when in range)."""
    if not high > low:
        return [low]
    raw = (high - low) / max(most, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks: list[float] = []
    value = first
    while value <= high + 1e-9 * step and len(ticks) <= most:
        ticks.append(0.0 if abs(value) < 1e-9 * step else value)
        value += step
    return ticks


def _tick(value: float, span: float = 1.0) -> str:
    """A tick label; float noise next to the span (`-3.33e-16` on an axis from -1 to 2) is 0."""
    if abs(value) <= 1e-9 * abs(span):
        return "0"
    return f"{value:.3g}"


def fit_title(title: str, width: int, ascii_only: bool = False) -> str:
    """`title` within `width` cells (plotext leaves out a title that does not fit): clauses after a
    comma go first, from the end, then the rest is cut; a shortened title ends in `…`.

    Cells, not characters: a Hangul syllable takes two columns of the plot.
    """
    more = "..." if ascii_only else "…"
    if cell_width(title) <= width:
        return title
    clauses = title.split(", ")
    while len(clauses) > 1 and cell_width(", ".join(clauses)) + len(more) > width:
        clauses.pop()
    short = ", ".join(clauses)
    if cell_width(short) + len(more) > width:
        short = cut_to_cells(short, max(width - len(more), 0))
    return short + more


def _plottable(*arrays: np.ndarray) -> bool:
    return all(np.all(np.isfinite(a)) and np.max(np.abs(a), initial=0.0) <= PLOTTABLE for a in arrays)


def _too_large(width: int, height: int, what: str) -> str:
    lines = [f"{what} too large to draw", "(the run has diverged)"]
    top = max(0, (height - len(lines)) // 2)
    return "\n" * top + "\n".join(line.center(width) for line in lines)


def _span(values: np.ndarray, pad: float = 0.15, minimum: float = 1.0) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    width = max(hi - lo, minimum)
    return lo - pad * width, hi + pad * width


def data_plot(part: DataPlot, width: int, height: int, style: Style = Style()) -> str:
    """The data and the hypothesis: points (x, y) and the line h = w·x + b for one input;
    for several inputs, y and h per datum."""
    xs = np.asarray(part.xs, dtype=np.float64)
    ys = np.asarray(part.ys, dtype=np.float64)
    legend = legend_lines(part.legend, width)
    height -= len(legend)
    figure = _figure(width, height, style)
    if part.one_input:
        if not _plottable(xs, ys, np.array([part.w, part.b])):
            return _with_legend(_too_large(width, height, "the line is"), legend)
        # The axes hold the data still; the line turns and shifts across them (and leaves
        # the box when it is far off), so a change of w or b is seen as a change of the line.
        x0, x1 = _span(np.append(xs, 0.0), pad=0.25)
        lo, hi = _span(np.concatenate([ys, [0.0]]), pad=0.25)
        for i, pin in enumerate(part.pins):
            line = _clip_line(pin.w, pin.b, x0, x1, lo, hi) if _plottable(np.array([pin.w, pin.b])) else None
            if line is not None:
                figure.plot(line[0], line[1], marker=pin.marker, color=style.paint(PIN_COLORS[i % len(PIN_COLORS)]))
        segment = _clip_line(part.w, part.b, x0, x1, lo, hi)
        if segment is not None:
            figure.plot(segment[0], segment[1], marker=style.marker("hd", "."), color=style.paint("cyan"))
        figure.scatter(xs.tolist(), ys.tolist(), marker="o", color=style.paint("yellow"))
        figure.xlim(x0, x1)
        figure.ylim(lo, hi)
        widest = _ticks(figure, (x0, x1), (lo, hi), height)
    else:
        hs = np.asarray(part.hs, dtype=np.float64)
        if not _plottable(ys, hs):
            return _with_legend(_too_large(width, height, "the line is"), legend)
        index = xs.tolist()
        figure.scatter(index, ys.tolist(), marker="o", color=style.paint("yellow"))
        pinned = [(i, np.asarray(pin.hs, dtype=np.float64)) for i, pin in enumerate(part.pins)]
        pinned = [(i, h) for i, h in pinned if len(h) == len(index) and _plottable(h)]
        for i, h in pinned:
            figure.scatter(index, h.tolist(), marker=part.pins[i].marker, color=style.paint(PIN_COLORS[i % len(PIN_COLORS)]))
        figure.scatter(index, hs.tolist(), marker="x", color=style.paint("cyan"))
        figure.xlim(0.5, len(ys) + 0.5)
        lo, hi = _span(np.concatenate([ys, hs, *(h for _, h in pinned)]))
        figure.ylim(lo, hi)
        widest = _ticks(figure, (0.5, len(ys) + 0.5), (lo, hi), height)
    _title(figure, fit_title(part.title, title_room(width, widest), style.ascii_only))
    return _with_legend(_finish(figure, style), legend)


def legend_lines(entries: tuple[str, ...], width: int) -> list[str]:
    """The legend's entries (`@ α=0.5`, `1 α=0.1`) in as few lines of `width` as they take,
    never split inside an entry (one too long for a line is cut)."""
    lines: list[str] = []
    for entry in entries:
        entry = entry[:width]
        if lines and len(lines[-1]) + len(LEGEND_GAP) + len(entry) <= width:
            lines[-1] += LEGEND_GAP + entry
        else:
            lines.append(entry)
    return lines


def _with_legend(text: str, legend: list[str]) -> str:
    if not legend:
        return text
    return text.removesuffix("\n") + "".join("\n" + line for line in legend)


def error_plot(part: CurvePlot, width: int, height: int, style: Style = Style()) -> str:
    """The error curve E(w), the visited values, the current point (w, E) marked `@`, the
    tangent line through it with the current slope, and (after α or w was changed) the future
    that change replaced, marked `x`. A graph page shows the point and the tangent only once its
    walk has computed them (`part.reveal`)."""
    legend = legend_lines(part.legend, width)
    height -= len(legend)
    if not part.finite:
        return _with_legend(_too_large(width, height, "E is"), legend)
    ws = np.asarray(part.ws, dtype=np.float64)
    Es = np.asarray(part.Es, dtype=np.float64)
    path = np.asarray(part.path, dtype=np.float64)
    old = np.asarray(part.old_future, dtype=np.float64)
    w, E, slope = part.w, part.E, part.slope
    figure = _figure(width, height, style)
    highest = max([float(np.max(Es)), *(max(p.curve_ys, default=0.0) for p in part.pins), *(max(p.ys, default=0.0) for p in part.pins)])
    top = highest * 1.08 or 1.0
    bottom = 0.0  # E is never negative: the curve's lowest point sits on the 0 line
    for i, pin in enumerate(part.pins):  # another loss's curve, in its run's digit, under this run's marks
        if pin.curve_xs:
            figure.scatter(list(pin.curve_xs), list(pin.curve_ys), marker=pin.marker, color=style.paint(PIN_COLORS[i % len(PIN_COLORS)]))
    figure.plot(ws.tolist(), Es.tolist(), marker=style.marker("hd", "."), color=style.paint("cyan"))
    tangent = _tangent(w, E, slope, float(ws[0]), float(ws[-1]), bottom, top) if part.reveal == "slope" else None
    if tangent is not None:
        figure.plot(tangent[0], tangent[1], marker="·" if not style.ascii_only else "-", color=style.paint("green"))
    visited = path[np.abs(path - w) > 1e-12]
    if visited.size:
        with np.errstate(all="ignore"):
            figure.scatter(visited.tolist(), np.interp(visited, ws, Es).tolist(), marker="o", color=style.paint("white"))
    if old.size:
        figure.scatter(old.tolist(), np.interp(old, ws, Es).tolist(), marker="x", color=style.paint("magenta"))
    for i, pin in enumerate(part.pins):
        if pin.xs:
            figure.scatter(list(pin.xs), list(pin.ys), marker=pin.marker, color=style.paint(PIN_COLORS[i % len(PIN_COLORS)]))
    if part.reveal != "curve":
        figure.scatter([w], [E], marker="@", color=style.paint("red"))
    figure.xlim(float(ws[0]), float(ws[-1]))
    figure.ylim(bottom, top)
    widest = _ticks(figure, (float(ws[0]), float(ws[-1])), (bottom, top), height)
    _title(figure, fit_title(part.title, title_room(width, widest), style.ascii_only))
    return _with_legend(_finish(figure, style), legend)


def _clip_line(
    w: float, b: float, left: float, right: float, bottom: float, top: float
) -> tuple[list[float], list[float]] | None:
    """The part of h = w·x + b inside the box, as the ends of a segment (None if it misses)."""
    lo, hi = left, right
    if w != 0:
        a, c = (bottom - b) / w, (top - b) / w
        lo, hi = max(lo, min(a, c)), min(hi, max(a, c))
    elif not bottom <= b <= top:
        return None
    if not lo < hi:
        return None
    xs = np.linspace(lo, hi, 16)
    return xs.tolist(), (w * xs + b).tolist()


def _tangent(
    w: float, E: float, slope: float, left: float, right: float, bottom: float, top: float
) -> tuple[list[float], list[float]] | None:
    """The piece of the tangent line that stays inside the plot, a quarter of its width each side."""
    reach = 0.25 * (right - left)
    lo, hi = max(left, w - reach), min(right, w + reach)
    if slope != 0:
        a = w + (bottom - E) / slope
        b = w + (top - E) / slope
        lo, hi = max(lo, min(a, b)), min(hi, max(a, b))
    if not lo < hi:
        return None
    xs = np.linspace(lo, hi, 24)
    return xs.tolist(), (E + slope * (xs - w)).tolist()


SHADES = " .:-=+*#%"
"""Low E to high E: a bowl reads as rings of darker to lighter characters."""


def surface_plot(part: SurfacePlot, width: int, height: int, style: Style = Style()) -> str:
    """The error surface over two parameters as shaded text: `E[i][j]` at (`first[j]`,
    `second[i]`), the path of updates as `o` and the current point as `@`.

    Plain text on purpose: the rings of characters show the bowl without colour, over any
    terminal. Shades follow the rank of E (not its value), so a steep bowl still shows rings.
    """
    if not part.finite:
        return _too_large(width, height, "E is")
    first = np.asarray(part.first, dtype=np.float64)
    second = np.asarray(part.second, dtype=np.float64)
    E = np.asarray(part.E, dtype=np.float64)
    path = np.asarray(part.path, dtype=np.float64).reshape(-1, 2)
    names = part.names
    label_width = 7
    legend = legend_lines(part.legend, width)
    cols = max(width - label_width - 1, 4)
    rows = max(height - 3 - len(legend), 2)
    xs = np.linspace(first[0], first[-1], cols)
    ys = np.linspace(second[-1], second[0], rows)  # top row is the largest second parameter
    grid = np.empty((rows, cols))
    for i, yv in enumerate(ys):
        row = np.argmin(np.abs(second - yv))
        grid[i] = np.interp(xs, first, E[row])
    # A stable sort: a symmetric bowl has many equal E, and numpy's default sort orders ties by
    # whichever SIMD code the CPU runs, so the same lesson shaded differently from machine to machine.
    ranks = grid.ravel().argsort(kind="stable").argsort(kind="stable").reshape(grid.shape) / max(grid.size - 1, 1)
    cells = [[SHADES[min(int(r * len(SHADES)), len(SHADES) - 1)] for r in row] for row in ranks]

    def place(x: float, y: float, mark: str) -> None:
        j = int(round((x - xs[0]) / (xs[-1] - xs[0]) * (cols - 1))) if xs[-1] > xs[0] else 0
        i = int(round((ys[0] - y) / (ys[0] - ys[-1]) * (rows - 1))) if ys[0] > ys[-1] else 0
        if 0 <= i < rows and 0 <= j < cols:
            cells[i][j] = mark

    for x, y in path[:-1]:
        place(x, y, "o")
    for pin in part.pins:
        for x, y in zip(pin.xs, pin.ys):
            place(x, y, pin.marker)
    if len(path):
        place(path[-1][0], path[-1][1], "@")
    lines = [pad_to_cells(fit_title(part.title, width, style.ascii_only), width, "^")]
    for i, shades in enumerate(cells):
        label = _tick(ys[i], ys[0] - ys[-1]) if i in (0, rows - 1) else (names[1] if i == rows // 2 else "")
        lines.append(f"{label:>{label_width}}|" + "".join(shades))
    lines.append(" " * label_width + "+" + "-" * cols)
    left, right = _tick(xs[0], xs[-1] - xs[0]), _tick(xs[-1], xs[-1] - xs[0])
    middle = names[0].center(cols - len(left) - len(right))
    lines.append(" " * (label_width + 1) + left + middle + right)
    lines += legend
    return "\n".join(cut_to_cells(line, width) for line in lines)


@lru_cache(maxsize=96)
def drawn(plot: DataPlot | CurvePlot | SurfacePlot, width: int, height: int, style: Style = Style()) -> str:
    """The plot as its function draws it, remembered by its inputs: a step back to a state shown
    before, or a page revisited, asks plotext for nothing (a few hundred KB at most)."""
    if isinstance(plot, DataPlot):
        return data_plot(plot, width, height, style)
    if isinstance(plot, CurvePlot):
        return error_plot(plot, width, height, style)
    return surface_plot(plot, width, height, style)
