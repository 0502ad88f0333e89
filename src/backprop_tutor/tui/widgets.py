"""The state table as a plain renderable: the last few steps, the current one highlighted."""

from __future__ import annotations

from rich.table import Table

from ..engine import State

def state_table(
    states: list[State],
    names: tuple[str, ...],
    current: int,
    ascii_only: bool = False,
    hidden: frozenset[str] = frozenset(),
    width: int = 80,
) -> Table:
    """The last few states: step, parameters, E, slopes, status; the current one highlighted.

    `hidden` blanks columns of the current row ("E", "grad") that a graph page has not
    computed yet in its walk: a number is never shown before the student has seen it made.
    """
    d = "d" if ascii_only else "∂"
    # Slopes need room: with several parameters on a narrow screen they are left to the text.
    sloped = names[:2] if len(names) == 1 or width >= 60 else ()
    header = ["step", *names, "E", *(f"{d}E/{d}{n}" for n in sloped)]
    rows = []
    for s in states:
        now = s.step == current
        row = [str(s.step), *(_short(s.params[n]) for n in names)]
        row += ["" if now and "E" in hidden else _short(s.loss)]
        row += ["" if now and "grad" in hidden else _short(s.grad[n]) for n in sloped]
        rows.append((row, s.status, now))
    # The status column only when it fits: the status is also written out in words above.
    used = sum(max(len(h), *(len(r[0][i]) for r in rows)) + 1 for i, h in enumerate(header))
    with_status = used + max(len("status"), *(len(r[1]) for r in rows)) <= width
    table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False, header_style="bold")
    for h in header:
        table.add_column(h, justify="right")
    if with_status:
        table.add_column("status")
    for row, status, now in rows:
        table.add_row(*row, *([status] if with_status else []), style="reverse" if now else "")
    return table


def _short(value: float) -> str:
    """As many digits as fit in 8 characters (so 1.0000029 is not shown as 1), never more."""
    if value == int(value) and abs(value) < 1e7:
        return str(int(value))
    for digits in (7, 6, 5, 4, 3, 2, 1):
        text = f"{value:.{digits}g}"
        if len(text) <= 8:
            return text
    return text
