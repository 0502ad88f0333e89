"""plotext's ANSI text as lines of rich segments, without rich's general parser.

`Text.from_ansi` and `Console.render_lines` cost about as much as plotext's own build for a
plot (~3-4 ms of a step's CPU per plot): they parse every escape anew, build a `Text` with a span
per run, then wrap, crop and pad it. plotext writes a narrow dialect — SGR codes (`ESC[…m`)
around runs of characters, lines already as wide as the plot — so `ansi_lines` reads that
directly, takes each run's style from rich's own decoder (once per distinct sequence of codes),
and gives the same segments. Anything outside the dialect (another escape, a tab, a line wider
than the panel) returns None and the caller takes rich's way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.ansi import AnsiDecoder
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_OUTSIDE = re.compile(r"[\x1b\t\r]")
"""What is left after the SGR codes are taken out that this reader does not handle."""


@lru_cache(maxsize=256)
def _style(codes: tuple[str, ...]) -> Style:
    """The style rich's decoder is in after these SGR codes, from a reset."""
    text = AnsiDecoder().decode_line("".join(f"\x1b[{c}m" for c in codes) + "x")
    style = text.spans[0].style if text.spans else None
    return Style.null() + (style if isinstance(style, Style) else None)  # as Text.render combines them


def ansi_lines(text: str, width: int, height: int | None) -> list[list[Segment]] | None:
    """`text` as `height` lines (all of them when None) of `width` cells, padded with unstyled
    blanks, as `console.render_lines(Text.from_ansi(text, no_wrap=True, end=""), …, pad=True)`
    gives them; None when `text` is outside plotext's dialect."""
    if _OUTSIDE.search(_SGR.sub("", text)):
        return None
    lines: list[list[Segment]] = []
    codes: tuple[str, ...] = ()
    rows = text.split("\n")
    if rows[-1] == "":
        rows.pop()  # the newline at the end starts no line (rich's way too)
    for raw in rows:
        if height is not None and len(lines) == height:
            break
        line: list[Segment] = []
        used = 0
        parts = _SGR.split(raw)
        for i, part in enumerate(parts):
            if i % 2:  # an SGR code's parameters
                codes = () if part in ("0", "") else (*codes, part)
            elif part:
                line.append(Segment(part, _style(codes)))
                used += cell_len(part)
        if used > width:
            return None  # rich would crop it (and may split a wide character): its way, then
        if used < width:
            line.append(Segment(" " * (width - used)))
        lines.append(line)
    if height is not None:
        lines.extend([Segment(" " * width)] for _ in range(height - len(lines)))
    return lines
