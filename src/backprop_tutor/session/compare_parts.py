"""The parts of a frame that compare runs: the runs' table, each pin on the plots, the legend.

Every pinned run is read at the page's step (`Pins.follow`), its numbers formatted here once, as
the page's own run is in `compose`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..frame import CurvePlot, DataPlot, PinnedLine, PinnedPath, StateTable, SurfacePlot, TableRow
from ..number_format import format_number
from ..words import Words
from . import compose
from .compose import ENGLISH
from .glyphs import Glyphs
from .landscape import PATH_SHOWN
from .pins import MARKERS, NOW_MARKER, run_labels
from .run import Run

REACH = 1e6
"""A pinned value farther out than this is left off the plot (the table still shows it): one run
running away must not squash the others into a dot."""


@dataclasses.dataclass(frozen=True)
class Compared:
    """The page's run and its pinned runs at one step, each with its marker and name."""

    run: Run
    pinned: tuple[Run, ...]
    names: tuple[str, ...]
    """The page's run first."""
    words: Words = ENGLISH
    """The language the legend is in."""

    @classmethod
    def of(cls, run: Run, pinned: list[Run], g: Glyphs, words: Words = ENGLISH) -> Compared:
        """The runs as they stand, named by what tells them apart (`run 2` in the words' language)."""
        return cls(run, tuple(pinned), tuple(run_labels(run, pinned, g.alpha, words)), words)

    @property
    def markers(self) -> tuple[str, ...]:
        """`@` for the page's run, then each pin's digit."""
        return (NOW_MARKER, *MARKERS[: len(self.pinned)])

    def legend(self) -> tuple[str, ...]:
        """`@ α=0.5`, `1 α=0.1`, …: the key to the plots' marks, a pin off the plot said so."""
        out = []
        for marker, name, r in zip(self.markers, self.names, (self.run, *self.pinned)):
            off = r is not self.run and not _reachable(_first(r))
            out.append(f"{marker} {name}" + (self.words("plot.off") if off else ""))
        return tuple(out)


def _first(run: Run) -> float:
    return float(run.state.params[run.names[0]])


def _reachable(value: float) -> bool:
    return bool(np.isfinite(value)) and abs(value) <= REACH


def runs_table(c: Compared, words: Words = ENGLISH) -> StateTable:
    """A row per run at the page's step: its name, parameters, E and status (the page's run first)."""
    run = c.run
    names = run.names
    rows = []
    for marker, label, r in zip(c.markers, c.names, (run, *c.pinned)):
        s = r.state
        status = words.cell(s.status)
        if r.step != run.step:
            status = words("table.status_at", status=status, step=r.step)
        cells = (f"{marker} {label}", *(format_number(s.params[n]) for n in names), format_number(s.loss))
        rows.append(TableRow(cells, status, r is run))
    return StateTable((f"{words('table.step')} {run.step}", *names, "E"), tuple(rows), 0, runs=True)


def with_pinned_lines(part: DataPlot, c: Compared) -> DataPlot:
    """The data plot with each pinned run's line (or h per datum), marked with its digit."""
    lines = []
    for marker, r in zip(MARKERS, c.pinned):
        drawn = compose.data_plot(r)
        lines.append(PinnedLine(marker, drawn.w, drawn.b, drawn.hs))
    return dataclasses.replace(part, pins=tuple(lines))


def curve_anchors(c: Compared) -> tuple[float, ...]:
    """The pinned runs' values of the first parameter the error curve must reach."""
    values = [float(v) for r in c.pinned for v in _path(r)]
    return tuple(v for v in values if _reachable(v))


def _path(r: Run) -> np.ndarray:
    return r.trace.column(r.names[0], upto=r.step)[-PATH_SHOWN:].astype(np.float64)


def with_pinned_paths(part: CurvePlot, c: Compared) -> CurvePlot:
    """The error curve with each pinned run's path to now, at its own E; a run with another
    loss brings its own curve, over the same values of w."""
    if not part.finite:
        return part
    ws = np.asarray(part.ws, dtype=np.float64)
    own_loss = c.run.trace.problem.loss.name
    paths = []
    for marker, r in zip(MARKERS, c.pinned):
        xs = _path(r)
        Es = r.trace.losses(upto=r.step)[-PATH_SHOWN:].astype(np.float64)
        keep = np.array([_reachable(x) and _plottable(e) for x, e in zip(xs, Es)], dtype=bool)
        curve_xs: tuple[float, ...] = ()
        curve_ys: tuple[float, ...] = ()
        if r.trace.problem.loss.name != own_loss:
            own = r.errors_along(ws)
            if _plottable(own):
                curve_xs, curve_ys = tuple(part.ws), tuple(float(e) for e in own)
        paths.append(PinnedPath(marker, _floats(xs[keep]), _floats(Es[keep]), curve_xs, curve_ys))
    return dataclasses.replace(part, pins=tuple(paths))


def with_pinned_points(part: SurfacePlot, c: Compared) -> SurfacePlot:
    """The error surface with each pinned run's path over the first two parameters."""
    paths = []
    for marker, r in zip(MARKERS, c.pinned):
        a, b = (r.trace.column(n, upto=r.step)[-PATH_SHOWN:].astype(np.float64) for n in r.names[:2])
        keep = np.array([_reachable(x) and _reachable(y) for x, y in zip(a, b)], dtype=bool)
        paths.append(PinnedPath(marker, _floats(a[keep]), _floats(b[keep])))
    return dataclasses.replace(part, pins=tuple(paths))


def with_pins(c: Compared, data: DataPlot | None, error: CurvePlot | SurfacePlot) -> tuple[DataPlot | None, CurvePlot | SurfacePlot]:
    """Both plots with the pinned runs drawn, and the legend under the first plot on screen."""
    error = with_pinned_paths(error, c) if isinstance(error, CurvePlot) else with_pinned_points(error, c)
    if data is not None:
        return dataclasses.replace(with_pinned_lines(data, c), legend=c.legend()), error
    return None, dataclasses.replace(error, legend=c.legend())


def _plottable(values: np.ndarray | float) -> bool:
    with np.errstate(all="ignore"):
        array = np.asarray(values, dtype=np.float64)
        return bool(np.all(np.isfinite(array))) and float(np.max(np.abs(array), initial=0.0)) <= compose.PLOTTABLE


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
