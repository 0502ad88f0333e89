"""A little terminal for tests: every cell's character and its full graphic rendition.

Written apart from `tui/terminal_output.py` (which must not be its own judge): SGR parameters are
applied one by one to a dict of rendition slots, as ECMA-48 and xterm describe them. A `strict`
screen raises on any sequence it does not know, so a test cannot pass over output it did not read.
Widths: East Asian wide and full-width characters take two cells (Korean, CJK), the rest one.
Erases and scrolls fill with the pen's background (xterm's back-colour erase); automatic margins
(`ESC[?7h/l`) are followed; a resize keeps the top-left cells, as xterm's alternate screen does.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_TOKEN = re.compile(
    r"\x1b\[([0-?]*)([ -/]*)([@-~])"
    r"|\x1b\]([^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|(\x1b[^\[\]]?)"
    r"|([\x00-\x1a\x1c-\x1f\x7f-\x9f])"
    r"|([^\x00-\x1f\x7f-\x9f\x1b]+)"
)
_INCOMPLETE = re.compile(r"\x1b(\[[0-?]*[ -/]*|\][^\x07\x1b]*(\x1b)?)?\Z")
_ON = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 5: "blink", 6: "blink", 7: "reverse", 8: "conceal",
       9: "strike", 21: "double-underline", 51: "frame", 52: "encircle", 53: "overline"}
_OFF = {22: ("bold", "dim"), 23: ("italic",), 24: ("underline", "double-underline"), 25: ("blink",),
        27: ("reverse",), 28: ("conceal",), 29: ("strike",), 54: ("frame", "encircle"), 55: ("overline",)}
Rendition = tuple[tuple[str, object], ...]
"""A cell's rendition: (slot, value) pairs, sorted, unset slots left out."""
Cell = tuple[str, Rendition]


class UnknownSequence(ValueError):
    """Output a strict screen cannot read."""


def width(ch: str) -> int:
    """Cells a character takes."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class SgrScreen:
    """`cols` × `rows` cells of (character, rendition); `feed` applies output."""

    def __init__(self, cols: int, rows: int, strict: bool = True) -> None:
        self.cols, self.rows, self.strict = cols, rows, strict
        self.pen: dict[str, object] = {}
        self.grid: list[list[Cell]] = [[(" ", ())] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.wrap_pending = False
        self.autowrap = True
        self.link = ""
        self.reports: list[tuple[int, int]] = []
        """Where the cursor was at each cursor-position request (`ESC[6n`), 1-based."""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed_bytes(self, data: bytes) -> None:
        """Apply output read from a pty (cut anywhere, even inside a character or a sequence)."""
        text = self._pending + self._decoder.decode(data)
        cut = _INCOMPLETE.search(text)
        self._pending, text = (text[cut.start():], text[: cut.start()]) if cut else ("", text)
        self.feed(text)

    def feed(self, text: str) -> None:
        """Apply what a program wrote."""
        for m in _TOKEN.finditer(text):
            params, inter, final, osc, esc, ctl, chars = m.groups()
            if final is not None:
                self._csi(params, inter, final)
            elif osc is not None:
                if osc.startswith("8;"):
                    self.link = osc.split(";", 2)[2]
            elif esc is not None:
                self._unknown(repr(esc))
            elif ctl is not None:
                self._control(ctl)
            else:
                self._print(chars)

    def _unknown(self, what: str) -> None:
        if self.strict:
            raise UnknownSequence(what)

    def resize(self, cols: int, rows: int) -> None:
        """The window changed size: the top-left cells stay, the rest is blank."""
        grid = [[(" ", ())] * cols for _ in range(rows)]
        for r in range(min(rows, self.rows)):
            grid[r][: min(cols, self.cols)] = self.grid[r][: min(cols, self.cols)]
        self.grid, self.cols, self.rows = grid, cols, rows
        self.row, self.col = min(self.row, rows - 1), min(self.col, cols - 1)

    def _control(self, ctl: str) -> None:
        if ctl == "\r":
            self.col, self.wrap_pending = 0, False
        elif ctl == "\n":
            self._line_feed()
        elif ctl == "\x07":
            pass
        else:
            self._unknown(repr(ctl))

    def _line_feed(self) -> None:
        self.wrap_pending = False
        if self.row == self.rows - 1:
            self.grid.pop(0)
            self.grid.append([(" ", self._blank())] * self.cols)
        else:
            self.row += 1

    def _blank(self) -> Rendition:
        """What an erased cell gets: the pen's background."""
        return (("bg", self.pen["bg"]),) if "bg" in self.pen else ()

    def _print(self, chars: str) -> None:
        for ch in chars:
            w = width(ch)
            if w == 0:
                continue
            if not self.autowrap:
                self.col = min(self.col, self.cols - w)
            elif self.wrap_pending or self.col + w > self.cols:
                self.col = 0
                self._line_feed()
            rendition = tuple(sorted({**self.pen, **({"link": self.link} if self.link else {})}.items()))
            line = self.grid[self.row]
            for c in range(self.col, self.col + w):  # a wide character cut in half loses the other half
                if line[c][0] == "" and c > 0:
                    line[c - 1] = (" ", line[c - 1][1])
                if c + 1 < self.cols and line[c + 1][0] == "" and c == self.col + w - 1:
                    line[c + 1] = (" ", line[c + 1][1])
            line[self.col] = (ch, rendition)
            if w == 2:
                line[self.col + 1] = ("", rendition)
            if self.col + w >= self.cols:
                self.col, self.wrap_pending = self.cols - 1, self.autowrap
            else:
                self.col += w

    def _csi(self, params: str, inter: str, final: str) -> None:
        if params[:1] in ("?", ">", "<", "=") or inter:
            if params in ("?7", "?1049") and final in "hl":
                if params == "?7":
                    self.autowrap = final == "h"
                else:
                    self.grid = [[(" ", ())] * self.cols for _ in range(self.rows)]
            elif final not in "hlpu":
                self._unknown(f"CSI {params}{inter}{final}")
            return  # other modes, mode queries, the keyboard protocol: nothing drawn
        if final == "m":
            self._sgr(params)
            return
        nums = [int(p) if p else 0 for p in params.split(";")] if params else []
        first = nums[0] if nums else 0
        self.wrap_pending = False
        if final in "Hf":
            row = nums[0] if nums and nums[0] else 1
            col = nums[1] if len(nums) > 1 and nums[1] else 1
            self.row, self.col = min(row, self.rows) - 1, min(col, self.cols) - 1
        elif final == "G":
            self.col = min(max(first, 1), self.cols) - 1
        elif final == "C":
            self.col = min(self.col + max(first, 1), self.cols - 1)
        elif final == "D":
            self.col = max(self.col - max(first, 1), 0)
        elif final == "A":
            self.row = max(self.row - max(first, 1), 0)
        elif final == "B":
            self.row = min(self.row + max(first, 1), self.rows - 1)
        elif final == "d":
            self.row = min(max(first, 1), self.rows) - 1
        elif final == "n" and first == 6:
            self.reports.append((self.row + 1, self.col + 1))
        elif final == "K":
            line = self.grid[self.row]
            cells = range(self.col, self.cols) if first == 0 else range(0, self.col + 1) if first == 1 else range(self.cols)
            for c in cells:
                line[c] = (" ", self._blank())
        elif final == "J" and first == 2:
            self.grid = [[(" ", self._blank())] * self.cols for _ in range(self.rows)]
        else:
            self._unknown(f"CSI {params}{final}")

    def _sgr(self, params: str) -> None:
        parts = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        pen = self.pen
        i = 0
        while i < len(parts):
            n = parts[i]
            if n == 0:
                pen.clear()
            elif n in _ON:
                pen[_ON[n]] = True
            elif n in _OFF:
                for name in _OFF[n]:
                    pen.pop(name, None)
            elif 30 <= n <= 37 or 90 <= n <= 97:
                pen["fg"] = ("ansi", n - 30 if n < 90 else n - 82)
            elif 40 <= n <= 47 or 100 <= n <= 107:
                pen["bg"] = ("ansi", n - 40 if n < 100 else n - 92)
            elif n in (39, 49, 59):
                pen.pop({39: "fg", 49: "bg", 59: "ul"}[n], None)
            elif n in (38, 48, 58) and i + 1 < len(parts) and parts[i + 1] in (2, 5):
                slot = {38: "fg", 48: "bg", 58: "ul"}[n]
                if parts[i + 1] == 5:
                    pen[slot] = ("256", parts[i + 2])
                    i += 2
                else:
                    pen[slot] = ("rgb", *parts[i + 2: i + 5])
                    i += 4
            else:
                self._unknown(f"SGR {params}")
            i += 1

    def cells(self) -> list[list[Cell]]:
        """Every cell: character and rendition."""
        return [row[:] for row in self.grid]

    def text(self) -> str:
        """The characters, row by row."""
        return "\n".join("".join(ch for ch, _ in row) for row in self.grid)
