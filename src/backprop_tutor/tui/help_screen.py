"""The help screen: every key, one per line."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("space  right  l", "one update (one event on graph pages)"),
    ("left  h  backspace", "rewind one"),
    ("home g / end G", "first / last recorded step"),
    ("p", "play / pause"),
    ("n  PgDn / b  PgUp", "next / previous page"),
    ("[  ]", "halve / double α (or walk the page's α list)"),
    ("+  -", "move w (the first weight) by hand"),
    (">  <", "move b by hand"),
    ("a  tab", "answer the question (Enter sends, Esc leaves)"),
    ("c", "graph pages: composite gate (h and e merged) / every gate"),
    ("s", "two parameters: error surface / curve along w"),
    ("r / R", "reset the page / start the lesson over"),
    ("e", "export this run (CSV and plots as text) to the current folder"),
    ("?", "this help"),
    ("q  ctrl+c", "quit"),
]


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,enter,space", "dismiss_help", "Close", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    HelpScreen.ascii > VerticalScroll { border: ascii $accent; }
    """

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for keys, what in KEYS:
            table.add_row(keys, what)
        with VerticalScroll():
            yield Static(Group(Text("Keys  (esc, q or ? closes this)\n", style="bold"), table))

    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
