"""The baseline every bench ratio is taken against: Textual with a single Static and nothing else.

It draws one line and, so that key latency and bytes per key have a baseline too, keeps a
counter that space/→ raise and ← lowers (the cheapest possible "step"). q quits.
Run it as the tutor is run: `python bench/bare_app.py` in a terminal.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One Static showing a counter."""

    BINDINGS = [("space,right", "move(1)", "up"), ("left", "move(-1)", "down"), ("q", "quit", "quit")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static(self._line(), id="line")

    def _line(self) -> str:
        return f"┤ bare Textual app • count {self.count} • q quits"

    def action_move(self, by: int) -> None:
        """Change the counter and redraw the line."""
        self.count += by
        self.query_one("#line", Static).update(self._line())


if __name__ == "__main__":
    BareApp().run()
