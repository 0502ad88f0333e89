"""The characters a frame is written in: Unicode, or plain ASCII for terminals without UTF-8."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TO_ASCII = {
    "−": "-", "·": "*", "×": "*", "²": "^2", "∂": "d", "α": "alpha", "Σᵢ": "sum_i", "ᵢ": "_i",
    "✓": "(right)", "→": "->", "←": "<-", "↑": "up", "↓": "down", "…": "...", "—": "--", "–": "-",
    "•": "*", "≈": "~", "≤": "<=", "≥": ">=", "“": '"', "”": '"', "‘": "'", "’": "'", "Δ": "D",
    "Σ": "sum", "⁻": "^-", "⁰": "0", "¹": "1", "³": "^3", "⁶": "6", "⅓": "1/3",
    "─": "-", "│": "|", "┘": "+", "┐": "+", "┌": "+", "└": "+",
}
_GLOSS = re.compile(r"\s*\((?=[\u3130-\u318f\uac00-\ud7a3])[^()]*\)")
"""A Korean gloss in brackets, `(회귀)`: left out where only ASCII can be shown."""


@dataclass(frozen=True)
class Glyphs:
    """Symbols for formulas and marks; `ascii_only` turns every one into ASCII."""

    ascii_only: bool = False

    @property
    def d(self) -> str:
        """The partial-derivative sign."""
        return "d" if self.ascii_only else "∂"

    @property
    def alpha(self) -> str:
        """The learning rate's name."""
        return "alpha" if self.ascii_only else "α"

    @property
    def minus(self) -> str:
        """The minus of a formula (numbers keep the ASCII minus)."""
        return "-" if self.ascii_only else "−"

    @property
    def times(self) -> str:
        """The product of a formula."""
        return "*" if self.ascii_only else "·"

    @property
    def separator(self) -> str:
        """Between the page's title and the lesson's in the header."""
        return " | " if self.ascii_only else "  ·  "

    def slope_name(self, name: str) -> str:
        """`∂E/∂w` (or `dE/dw`)."""
        return f"{self.d}E/{self.d}{name}"

    def text(self, text: str) -> str:
        """`text` as this terminal can show it: unchanged, or with every symbol in ASCII."""
        if not self.ascii_only or text.isascii():
            return text
        text = _GLOSS.sub("", text)
        return "\n".join(_aligned_ascii(line) for line in text.split("\n"))


_SYMBOL = re.compile("|".join(sorted(map(re.escape, _TO_ASCII), key=len, reverse=True)))
_GAP = re.compile(r" {2,}")


def _aligned_ascii(line: str) -> str:
    """One line in ASCII, its columns where they were.

    `²` becomes `^2`, a cell wider: in a table laid out with runs of spaces (a code block of a
    lesson's text) each run after a widened symbol gives back the cells it gained, keeping one.
    """
    out: list[str] = []
    debt = 0
    at = 0
    for match in re.finditer(f"{_SYMBOL.pattern}|{_GAP.pattern}", line):
        out.append(line[at : match.start()])
        piece = match.group()
        if piece.isspace():
            given = max(0, min(debt, len(piece) - 1))
            debt -= given
            out.append(piece[given:])
        else:
            plain = _TO_ASCII[piece]
            debt += len(plain) - len(piece)
            out.append(plain)
        at = match.end()
    out.append(line[at:])
    return "".join(c if c.isascii() else "?" for c in "".join(out))
