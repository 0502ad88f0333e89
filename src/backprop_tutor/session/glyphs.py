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
        for fine, plain in _TO_ASCII.items():
            text = text.replace(fine, plain)
        return "".join(c if c.isascii() else "?" for c in text)
