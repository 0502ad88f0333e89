"""One gate for text that someone else wrote: a lesson, a CSV, a file name, the progress file.

A terminal obeys the bytes it is sent. A lesson title holding `ESC ] 0 ;` renames the window,
`ESC [ 2 J` clears it, `ESC ] 52 ;` writes the clipboard; a right-to-left override makes
`abc.yaml` read as something else, a zero-width space makes two names look the same. Every such
string passes `printable` before it is shown, and `tutor validate` refuses them in lessons
(`first_unsafe`), so nothing but plain text reaches the screen.
"""

from __future__ import annotations

import unicodedata

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""C0 and C1 controls and DEL (Cc); bidi controls, zero-width and other invisible format
characters (Cf); lone surrogates (Cs); the line and paragraph separators (Zl, Zp)."""

MULTILINE_ALLOWED = frozenset("\n\t")
"""What a multi-line text (a page's Markdown) may hold besides printable characters."""

_NAMES = {
    "\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\t": "TAB", "\n": "LF", "\r": "CR", "\x1b": "ESC",
    "\x7f": "DEL", "\x9b": "CSI", "\x9d": "OSC", "\u200b": "ZERO WIDTH SPACE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
}


def is_unsafe(char: str, multiline: bool = False) -> bool:
    """True if `char` would control the terminal or hide itself (a newline and tab pass in multi-line text)."""
    if multiline and char in MULTILINE_ALLOWED:
        return False
    if " " <= char <= "~":  # printable ASCII, the common case
        return False
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def first_unsafe(text: str, multiline: bool = False) -> int | None:
    """The index of the first unsafe character in `text`, or None when it is all plain text."""
    if text.isascii() and text.isprintable():
        return None
    for index, char in enumerate(text):
        if is_unsafe(char, multiline):
            return index
    return None


def describe(char: str) -> str:
    """`U+001B (ESC)`: a character named for a message."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, multiline: bool = False) -> str:
    """`text` safe to show: each unsafe character written out visibly, as `\\x1b` or `\\u202e`.

    Args:
        text: a string from a lesson, a CSV, a file name or the progress file.
        multiline: keep newlines and tabs (a page's text); otherwise they are escaped too, so
            the result is one line (a title, a file name, a message).

    Returns:
        The same text when it was plain already (the common case costs one check).
    """
    if first_unsafe(text, multiline) is None:
        return text
    return "".join(_escape(c) if is_unsafe(c, multiline) else c for c in text)
