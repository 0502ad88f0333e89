"""How many terminal cells a text takes: Hangul, CJK and full-width forms take two, combining marks none.

Every width decision outside the view (a plot title, a footer, a wrapped formula) counts cells,
not characters: `len("학습률")` is 3 but the terminal gives it 6 columns. The view itself uses
rich's `cell_len`, which agrees with this on every character the course shows.
"""

from __future__ import annotations

import functools
import unicodedata

_WIDE = frozenset({"W", "F"})
"""East Asian Wide and Fullwidth: two cells (Ambiguous is one, as rich and most terminals count it)."""


@functools.lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    """The cells one character takes: 0 (a combining mark or a control), 1, or 2 (wide)."""
    if " " <= char <= "~":
        return 1
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in _WIDE else 1


def cell_width(text: str) -> int:
    """The cells `text` takes on one terminal line."""
    if text.isascii():
        return len(text)
    return sum(char_cells(c) for c in text)


def cut_to_cells(text: str, width: int) -> str:
    """The longest beginning of `text` that takes at most `width` cells (a wide character is never halved)."""
    if cell_width(text) <= width:
        return text
    used = 0
    for index, char in enumerate(text):
        used += char_cells(char)
        if used > width:
            return text[:index]
    return text


def pad_to_cells(text: str, width: int, align: str = "<") -> str:
    """`text` padded with spaces to `width` cells (`<` left, `>` right, `^` centred)."""
    gap = max(width - cell_width(text), 0)
    if align == ">":
        return " " * gap + text
    if align == "^":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap
