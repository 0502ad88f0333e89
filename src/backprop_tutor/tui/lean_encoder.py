"""`LeanEncoder`: Textual's output rewritten to cost what it changes (see terminal_output.py).

It keeps the style the original output means and the one the terminal has, what every cell shows,
and where both cursors are; writes only cells that change, styles only as far as they change, and
the shortest cursor moves; anything it does not know passes unchanged, in the state the original
had there. Every write ends with the terminal where the original would leave it.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size

from .sgr_state import PLAIN, Sgr, apply_sgr, sgr_change

if TYPE_CHECKING:
    from collections.abc import Callable

    _Emit = Callable[[str], None]

_TOKEN = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (title, hyperlink)
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"  # other escapes (not the introducers above)
    r"|\x1b"  # an escape cut off by the end of the write
    r"|[\x00-\x1a\x1c-\x1f\x7f-\x9f]"  # C0 and C1 control characters
    r"|[^\x00-\x1f\x7f-\x9f]+"  # text
)
_ABSOLUTE = re.compile(r"\x1b\[(\d*)(?:;(\d*))?[Hf]")
_RELATIVE_MOVES = frozenset("ABCDEFGd`")
_HARMLESS_MODES = frozenset(("?25", "?2026", "?1000", "?1003", "?1004", "?1006", "?1015", "?1016", "?2004", "?2048"))
"""Private modes whose switching neither draws, moves the cursor nor depends on the style."""
_Look = tuple[Sgr, str]
"""How a cell looks besides its character: style and hyperlink."""
_width = get_character_cell_size


class LeanEncoder:
    """Rewrites what Textual writes (one `encode` per write, in order) in fewer bytes, same screen.

    `remember=False` keeps no cell memory (styles and cursor moves only).
    """

    def __init__(self, remember: bool = True) -> None:
        self.remember = remember
        self.want: Sgr | None = PLAIN
        """The style the original output means at this point (None: not known)."""
        self.have: Sgr | None = PLAIN
        """The style the terminal has been given."""
        self.off = False
        """Set for good when a write ended inside an escape sequence: everything passes unchanged."""
        self.stale = False
        """Set from anywhere (a signal handler): the cells are forgotten before the next write."""
        self._size: tuple[int, int] | None = None
        self._pos: tuple[int, int] | None = None
        """Where the original output's cursor is (row, column from 1); None: not known."""
        self._at: tuple[int, int] | None = None
        """Where the terminal's cursor is; None (while `_pos` is None too, the same place)."""
        self._exact = False
        """True while `_at`'s column was counted over ASCII only (moves relative to it are safe)."""
        self._same = True
        """True while the terminal's cursor is where the original's is because everything from the
        same place was written alike (whatever widths the terminal gives the characters)."""
        self._chars: dict[int, list[str | None]] = {}
        """What each cell of a row shows (index: column; "" the right half of a wide character)."""
        self._looks: dict[int, list[_Look | None]] = {}
        """Each cell's style and hyperlink."""
        self._link = ""
        self._margins = False
        self._bottom = -1
        """The lowest row the terminal is known to have in the current write (-1: not counted yet)."""
        self._applied: dict[tuple[Sgr | None, str], Sgr | None] = {}
        self._changes: dict[tuple[Sgr | None, Sgr], str] = {}
        self._lock = threading.Lock()

    def resize(self, cols: int, rows: int) -> None:
        """The terminal's size now; when it changed, what the cells show is not known any more."""
        if self._size != (cols, rows):
            self._size = (cols, rows)
            self.stale = True

    def encode(self, data: str) -> str:
        """The bytes to write instead of `data`: the same screen, cursor and style after them."""
        with self._lock:
            if self.off:
                return data
            if self.stale:
                self.stale = False
                self.forget()
            tokens = _TOKEN.findall(data)
            if "\x1b" in tokens:
                self.off = True
                return data
            out: list[str] = []
            self._bottom = -1
            self._encode(tokens, out.append)
            self._settle(out.append)
            return "".join(out)

    # -- tokens ------------------------------------------------------------------------------------

    def _encode(self, tokens: list[str], emit: _Emit) -> None:
        count = len(tokens)
        i = 0
        while i < count:
            tok = tokens[i]
            head = tok[0]
            if head == "\x1b":
                kind = tok[1]
                if kind == "[":
                    self._csi(tok, emit)
                elif kind == "]":
                    if tok.startswith("\x1b]8;"):
                        self._link = tok[4:].split(";", 1)[-1].rstrip("\x07").removesuffix("\x1b\\")
                    emit(tok)
                else:
                    self._bare(tok, emit)
            elif head in "\r\n":
                i = self._breaks(tokens, i, emit)
                continue
            elif head < " " or "\x7f" <= head <= "\x9f":
                self._bare(tok, emit)
            else:
                self._text(tok, emit)
            i += 1

    def _csi(self, tok: str, emit: _Emit) -> None:
        final = tok[-1]
        if final == "m":
            self._sgr(tok[2:-1], emit)
        elif final in "Hf":
            m = _ABSOLUTE.fullmatch(tok)
            row, col = (int(m.group(1) or 1) or 1, int(m.group(2) or 1) or 1) if m else (0, 0)
            if m is None or (self._size is not None and (col > self._size[0] or row > self._size[1])):
                self._bare(tok, emit)  # where the terminal puts the cursor is its own business
            else:  # moved there only when something is written
                self._same = self._same and self._pos == (row, col)
                self._pos = (row, col)
        elif final in _RELATIVE_MOVES or tok == "\x1b[6n":
            self._sync(emit)
            emit(tok)
            if final != "n":
                self._pos = self._at = None
                self._same = True
        elif final in "hlpu" and (tok[2:-1] in _HARMLESS_MODES or "$" in tok or tok[2] in "<=>"):
            emit(tok)  # modes, mode queries, the keyboard protocol: nothing drawn
        else:
            if final == "r":
                self._margins = True
            self._bare(tok, emit)

    def _sgr(self, params: str, emit: _Emit) -> None:
        key = (self.want, params)
        new = self._applied[key] if key in self._applied else self._learn(key)
        if new is None:  # not understood: passed on in the state the original had there
            emit(self._style())
            emit(f"\x1b[{params}m")
            self.have = None
        self.want = new

    def _learn(self, key: tuple[Sgr | None, str]) -> Sgr | None:
        if len(self._applied) > 4096:
            self._applied.clear()
        new = self._applied[key] = apply_sgr(*key)
        return new

    def _bare(self, tok: str, emit: _Emit) -> None:
        """A token that may draw, scroll or depend on the style: as it came, where it came."""
        self._sync(emit)
        emit(self._style())
        emit(tok)
        self.forget()
        self._pos = self._at = None
        self._same = True

    def _breaks(self, tokens: list[str], i: int, emit: _Emit) -> int:
        """Carriage returns and line feeds from `tokens[i]`; returns the index after them.

        Before an absolute move they only move the cursor, unless a line feed scrolls: it does not
        when the terminal has a row at least as far down as the line feeds go (its size says so, or
        the write moves there).
        """
        j = i
        while j < len(tokens) and tokens[j] in ("\r", "\n"):
            j += 1
        feeds = tokens[i:j].count("\n")
        nxt = tokens[j] if j < len(tokens) else ""
        if feeds and self._bottom < 0:
            rows = self._size[1] if self._size else 0
            self._bottom = max([rows, *(_row_of(t) or 0 for t in tokens if t[-1:] in ("H", "f"))])
        if _row_of(nxt) is not None and (
            feeds == 0 or (not self._margins and self._pos is not None and self._pos[0] + feeds <= self._bottom)
        ):
            return j
        for tok in tokens[i:j]:
            if tok == "\r" and self._pos is not None:
                self._same = self._same and self._pos[1] == 1
                self._pos = (self._pos[0], 1)
            else:
                self._bare(tok, emit)
        return j

    # -- text and cells ----------------------------------------------------------------------------

    def _text(self, tok: str, emit: _Emit) -> None:
        if self._pos is None or self.want is None:  # where it goes or how it looks is not known
            self._bare(tok, emit)
            return
        row, col = self._pos
        widths = None if tok.isascii() else [_width(ch) for ch in tok]
        end = col + (len(tok) if widths is None else sum(widths))
        chars, looks = self._row(row, end + 1)
        look = (self.want, self._link)
        if widths is not None and 0 in widths:  # marks that join the cell before: as they came, cells forgotten
            self._write(tok, row, col, end, emit)
            chars[col - 1: end + 1] = [None] * (end + 2 - col)
            looks[col - 1: end + 1] = [None] * (end + 2 - col)
            self._exact = False
        elif not self.remember or looks[col:end].count(None) == end - col:  # nothing known there: all of it
            self._write(tok, row, col, end, emit)
            if self.remember:
                self._remember(chars, looks, tok, col, end, look)
        elif (widths is None or len(widths) == end - col) and chars[col:end] == list(tok) and looks[col:end] == [look] * (end - col):
            self._same = False  # all shown already
        else:
            self._cell_by_cell(tok, widths or [1] * len(tok), row, col, chars, looks, look, emit)
        self._pos = (row, end)

    def _cell_by_cell(self, tok: str, widths: list[int], row: int, col: int, chars: list[str | None],
                      looks: list[_Look | None], look: _Look, emit: _Emit) -> None:
        start = first = -1
        for i, (ch, w) in enumerate(zip(tok, widths)):
            if chars[col] == ch and looks[col] == look and (w == 1 or (chars[col + 1] == "" and looks[col + 1] == look)):
                if start >= 0:
                    self._write(tok[start:i], row, -1, col, emit)
                    self._remember(chars, looks, tok[start:i], first, col, look)
                    start = -1
                self._same = False
            elif start < 0:
                self._goto(row, col, emit)
                emit(self._style())
                start, first = i, col
            col += w
        if start >= 0:
            self._write(tok[start:], row, -1, col, emit)
            self._remember(chars, looks, tok[start:], first, col, look)

    def _write(self, text: str, row: int, col: int, end: int, emit: _Emit) -> None:
        """`text` from (row, col) to column `end` (col -1: the cursor is there, styled)."""
        if col > 0:
            self._goto(row, col, emit)
            emit(self._style())
        emit(text)
        self._at = (row, end)
        self._exact = self._exact and text.isascii()

    def _row(self, row: int, size: int) -> tuple[list[str | None], list[_Look | None]]:
        """What the cells of `row` show (index: column; None: not known), at least `size` long."""
        chars, looks = self._chars.get(row), self._looks.get(row)
        if chars is None or looks is None:
            chars, looks = [None] * size, [None] * size
            self._chars[row], self._looks[row] = chars, looks
        elif len(chars) < size:
            chars += [None] * (size - len(chars))
            looks += [None] * (size - len(looks))
        return chars, looks

    def _remember(self, chars: list[str | None], looks: list[_Look | None], text: str, col: int, end: int,
                  look: _Look) -> None:
        """`text` now shows from `col` to `end` (columns) in `look`."""
        if chars[col] == "":  # a wide character cut in half loses its other half
            chars[col - 1] = looks[col - 1] = None
        if chars[end] == "":
            chars[end] = looks[end] = None
        if end - col == len(text):
            chars[col:end] = text
        else:
            chars[col:end] = [c for ch in text for c in ((ch, "") if _width(ch) == 2 else (ch,))]
        looks[col:end] = [look] * (end - col)

    def forget(self) -> None:
        """What the cells show is not known any more."""
        self._chars.clear()
        self._looks.clear()

    def lose_terminal(self) -> None:
        """Another program wrote on the terminal (a `wall` message): neither what its cells show,
        nor where its cursor is, nor its style is known. The next write says them all again."""
        with self._lock:
            self.forget()
            self._at, self._exact, self._same = None, False, False
            self.have = None

    # -- the terminal's cursor and style -----------------------------------------------------------

    def _goto(self, row: int, col: int, emit: _Emit) -> None:
        """Move the terminal's cursor to (row, col), the original's cursor, the cheapest way."""
        at = self._at
        if self._same or (at == (row, col) and self._exact):
            self._same = True
            return
        move = self._move(row, col)
        if at is not None and at[0] == row and self._exact and 0 < col - at[1] < len(move) and row in self._chars:
            gap, look = self._chars[row][at[1]: col], (self.have, self._link)
            if len(gap) == col - at[1] and all(ch and _width(ch) == 1 for ch in gap) and self._looks[row][at[1]: col] == [look] * len(gap):
                text = "".join(gap)  # type: ignore[arg-type]  # no None left
                if len(text.encode()) < len(move.encode()):
                    move = text  # the cells between written again, as they are: shorter than a move
        emit(move)
        self._at = (row, col)
        self._exact = self._same = True

    def _move(self, row: int, col: int) -> str:
        at = self._at
        absolute = f"\x1b[{row}H" if col == 1 else f"\x1b[{row};{col}H"
        if at is None:
            return absolute
        if at[0] != row:
            if self._exact and at[1] == col:
                return min(absolute, f"\x1b[{row}d", key=len)
            return absolute
        if col == 1:
            return "\r"
        options = [absolute, f"\x1b[{col}G"]
        if self._exact and col > at[1]:  # forward only: a cursor at the margin may be one short
            options.append("\x1b[C" if col - at[1] == 1 else f"\x1b[{col - at[1]}C")
        return min(options, key=len)

    def _sync(self, emit: _Emit) -> None:
        """The terminal's cursor where the original output has it."""
        if self._pos is not None:
            self._goto(*self._pos, emit)

    def _style(self) -> str:
        """The SGR change that gives the terminal `want` (empty if it has it)."""
        want, have = self.want, self.have
        if want is None:
            return ""  # unknown, and the terminal was given the same codes as the original
        key = (have, want)
        change = self._changes.get(key)
        if change is None:
            if len(self._changes) > 4096:
                self._changes.clear()
            change = self._changes[key] = sgr_change(have, want)
        self.have = want
        return change

    def _settle(self, emit: _Emit) -> None:
        self._sync(emit)
        emit(self._style())


def _row_of(tok: str) -> int | None:
    """The row an absolute cursor move `ESC[row;colH` goes to, or None for anything else."""
    m = _ABSOLUTE.fullmatch(tok) if tok[-1:] in ("H", "f") else None
    return None if m is None else int(m.group(1) or 1) or 1
