"""Every key of `tutor run`, once: what it does, how the help lists it, how the footer shows it.

The session looks keys up here, the help screen lists this table, and a test keeps the README's
key table in step with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..words import Words


@dataclass(frozen=True)
class Key:
    """One action and the keys that do it."""

    action: str
    names: tuple[str, ...]
    """Textual key names (`space`, `left`) or the characters typed (`+`, `G`)."""
    shown: str
    """The keys as the help lists them."""
    help: str


KEYS: tuple[Key, ...] = (
    Key("step", ("space", "right", "l"), "space  right  l", "one update (one event on graph pages)"),
    Key("rewind", ("left", "h", "backspace"), "left  h  backspace", "rewind one"),
    Key("first", ("home", "g"), "home g / end G", "first / last recorded step"),
    Key("last", ("end", "G"), "", ""),
    Key("play", ("p",), "p", "play / pause"),
    Key("next_page", ("n", "pagedown"), "n  PgDn / b  PgUp", "next / previous page"),
    Key("previous_page", ("b", "pageup"), "", ""),
    Key("alpha_down", ("[",), "[  ]", "halve / double α (or walk the page's α list)"),
    Key("alpha_up", ("]",), "", ""),
    Key("w_up", ("+", "="), "+  - / >  <", "move w (the first weight) / b by hand"),
    Key("w_down", ("-", "_"), "", ""),
    Key("b_up", (">", "."), "", ""),
    Key("b_down", ("<", ","), "", ""),
    Key("answer", ("a", "tab"), "a  tab  digit", "answer the question (Enter sends, Esc leaves)"),
    Key("composite", ("c",), "c", "graph pages: the composite gate / every gate"),
    Key("surface", ("s",), "s", "two parameters: error surface / curve along w"),
    Key("reset", ("r",), "r / R", "reset the page's run / start the lesson over"),
    Key("restart", ("R",), "", ""),
    Key("until", ("u",), "u", "step until something happens; any key stops it"),
    Key("pin", ("v",), "v / V", "pin this run to compare (up to 3) / unpin all"),
    Key("unpin", ("V",), "", ""),
    Key("export", ("e",), "e", "export the run and its pins (CSV, plots as text) here"),
    # ctrl+r shares the row: the help fills an 80×24 screen, and both are about the screen itself.
    Key("scroll_up", ("up",), "up  down / ctrl+r", "scroll the text or a tall graph / draw the screen anew"),
    Key("scroll_down", ("down",), "", ""),
    Key("redraw", ("ctrl+r",), "", ""),
    Key("help", ("?", "f1"), "?  /  L ctrl+l", "this help / switch language: English, Korean (한국어)"),
    # ctrl+l too: with a Korean input method in Hangul mode, Shift+L types ㅣ, the same jamo as l.
    Key("language", ("L", "ctrl+l"), "", ""),
    Key("quit", ("q", "ctrl+c"), "q  ctrl+c", "quit (your progress is saved)"),
)

ACTIONS: dict[str, str] = {name: key.action for key in KEYS for name in key.names}
"""Key name or character → action."""

def help_rows(words: Words) -> tuple[tuple[str, str], ...]:
    """The help screen's rows in the language of `words`: keys as this table shows them, and what they do."""
    rows = tuple((key.shown, words.key_help(key.action, key.help)) for key in KEYS if key.shown)
    return (*rows, ("--no-mouse", words("help.no_mouse")))


HELP: tuple[tuple[str, str], ...] = (
    *((key.shown, key.help) for key in KEYS if key.shown),
    ("--no-mouse", "select text without Shift (PuTTY): start with tutor run --no-mouse"),
)
"""The help screen's rows: keys, and what they do."""


def key_name(key: str, character: str | None) -> str:
    """The name a key is looked up by: the character typed when it is one, else Textual's name."""
    if character and len(character) == 1 and character.isprintable() and character != " ":
        return character
    return key
