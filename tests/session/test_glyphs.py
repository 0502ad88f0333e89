"""ASCII mode: every symbol spelt in ASCII, and a lesson's tables keep their columns."""

import re

from backprop_tutor.session.glyphs import Glyphs

TABLE = """\
    gate     output      local gradients
    ×        h = w·x     ∂h/∂w = x   ∂h/∂x = w
    ²        E = e²      ∂E/∂e = 2e"""


def _columns(line: str) -> list[int]:
    """Where each column of a space-aligned table starts: after two spaces or more."""
    return [m.start() for m in re.finditer(r"(?<=  )\S", line)]


def test_ascii_keeps_a_tables_columns_when_a_symbol_widens():
    lines = Glyphs(ascii_only=True).text(TABLE).splitlines()
    assert lines[2].startswith("    ^2       E = e^2") and "dE/de = 2e" in lines[2]
    assert all(line.isascii() for line in lines)
    assert _columns(lines[2]) == _columns(TABLE.splitlines()[2])  # each column starts where it did


def test_ascii_spells_symbols_and_drops_korean_glosses():
    text = Glyphs(ascii_only=True).text("Regression (회귀): w ← w − α·slope, x²")
    assert text == "Regression: w <- w - alpha*slope, x^2"


def test_a_single_space_is_never_taken():
    assert Glyphs(ascii_only=True).text("α x") == "alpha x"


def test_unicode_terminals_get_the_text_unchanged():
    assert Glyphs().text(TABLE) == TABLE
