"""A terminal's graphic rendition (SGR) as data: what a sequence sets, and the shortest change.

Used by `terminal_output.py` to write a style only where and as far as it changes. States keep
colours as the codes that set them (`38;2;224;224;224`, `97`, `38;5;253`), so two states are equal
only when a terminal would draw them alike for certain.
"""

from __future__ import annotations

from typing import NamedTuple


class Sgr(NamedTuple):
    """Attributes set (SGR numbers) and colours (their codes; None: the terminal's default)."""

    attrs: frozenset[int] = frozenset()
    fg: str | None = None
    bg: str | None = None
    ul: str | None = None

    def codes(self) -> list[str]:
        """The SGR parameters that set this state after a reset."""
        out = [str(a) for a in sorted(self.attrs)]
        return out + [c for c in (self.fg, self.bg, self.ul) if c is not None]


PLAIN = Sgr()
"""The state after a reset (`ESC[0m`)."""

_ATTRS = frozenset((1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53))
_OFF = {22: {1, 2}, 23: {3}, 24: {4, 21}, 25: {5, 6}, 27: {7}, 28: {8}, 29: {9}, 54: {51, 52}, 55: {53}}
# Attributes are taken away only with the resets every terminal since the VT220 knows; 21 is
# double underline in xterm but "bold off" in older terminals, so a change involving it is whole.
_CLASSIC_OFF = {22: frozenset((1, 2)), 24: frozenset((4,)), 25: frozenset((5, 6)), 27: frozenset((7,))}
_EXTENDED = {38: "fg", 48: "bg", 58: "ul"}
_DEFAULT_COLOUR = {39: "fg", 49: "bg", 59: "ul"}


def apply_sgr(state: Sgr | None, params: str) -> Sgr | None:
    """`state` after `ESC[{params}m`; None where the result is not known (`state` unknown and no
    reset first, or a parameter this module does not read, such as `4:3`)."""
    parts = params.split(";") if params else ["0"]
    if state is None and parts[0] not in ("", "0"):
        return None
    base = state or PLAIN
    attrs = set(base.attrs)
    colours = {"fg": base.fg, "bg": base.bg, "ul": base.ul}
    i = 0
    while i < len(parts):
        p = parts[i]
        if p and not p.isdigit():
            return None
        n = int(p or 0)
        if n == 0:
            attrs.clear()
            colours = dict.fromkeys(colours)
        elif n in _ATTRS:
            attrs.add(n)
        elif n in _OFF:
            attrs -= _OFF[n]
        elif 30 <= n <= 37 or 90 <= n <= 97:
            colours["fg"] = p
        elif 40 <= n <= 47 or 100 <= n <= 107:
            colours["bg"] = p
        elif n in _DEFAULT_COLOUR:
            colours[_DEFAULT_COLOUR[n]] = None
        elif n in _EXTENDED:
            size = {"5": 3, "2": 5}.get(parts[i + 1] if i + 1 < len(parts) else "")
            if size is None or i + size > len(parts) or not all(x.isdigit() for x in parts[i + 2: i + size]):
                return None
            colours[_EXTENDED[n]] = ";".join(parts[i: i + size])
            i += size - 1
        else:
            return None
        i += 1
    return Sgr(frozenset(attrs), colours["fg"], colours["bg"], colours["ul"])


def sgr_change(have: Sgr | None, want: Sgr) -> str:
    """The shortest SGR sequence that takes a terminal from `have` (None: unknown) to `want`.

    Either what differs (attributes added, taken away with 22/24/25/27, colours set or back to
    default with 39/49), or a reset and the whole of `want`.
    """
    if have == want:
        return ""
    codes = want.codes()
    full = "\x1b[" + ";".join(codes if have == PLAIN and codes else ["0", *codes]) + "m"
    if have is None or 21 in have.attrs or 21 in want.attrs or (have.ul is not None and want.ul is None):
        return full
    parts: list[str] = []
    gone, added = have.attrs - want.attrs, want.attrs - have.attrs
    for off, attrs in _CLASSIC_OFF.items():
        if gone & attrs:
            parts.append(str(off))
            gone -= attrs
            added |= attrs & want.attrs  # 22 ends bold and dim both: the one kept is set again
    if gone:
        return full
    parts += [str(a) for a in sorted(added)]
    for slot, default in (("fg", "39"), ("bg", "49"), ("ul", "")):
        value = getattr(want, slot)
        if value != getattr(have, slot):
            parts.append(value or default)
    step = "\x1b[" + ";".join(parts) + "m"
    return step if len(step) <= len(full) else full
