"""What a page, an experiment and a question mean, apart from how they are validated.

The lesson models (`model.py`, pydantic) and the cached lessons (`cache.py`, plain data) share
these: a warm start never imports pydantic, and both answer `page.key` or `q.accepts` alike.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from .choices import choice_index


def slug(title: str) -> str:
    """A page title as a key: lower case, every run of other characters one `-` (`E(w) is a bowl` -> `e-w-is-a-bowl`)."""
    return re.sub(r"\W+", "-", title.casefold()).strip("-") or "-"


class ExperimentRules:
    """`param_names` from `inputs` and `bias`."""

    if TYPE_CHECKING:  # declared for mypy only: pydantic must not take these for fields
        inputs: int
        bias: bool

    @property
    def param_names(self) -> tuple[str, ...]:
        """`w` or `w1..wn`, then `b` if there is a bias."""
        ws = ("w",) if self.inputs == 1 else tuple(f"w{i}" for i in range(1, self.inputs + 1))
        return ws + (("b",) if self.bias else ())


class QuestionRules:
    """How a reply is judged."""

    if TYPE_CHECKING:
        answer: float | str | None
        predict: str | None
        choices: list[str]
        tolerance: float

    def correct_choice(self) -> int | None:
        """The index of the right choice, for multiple-choice questions."""
        if not self.choices:
            return None
        assert self.answer is not None  # checked when the lesson was validated
        return choice_index(self.answer, self.choices)

    def accepts(self, reply: str, live: float | None = None) -> bool:
        """True if the student's `reply` is right (`live` is the value a `predict` question asks for)."""
        reply = reply.strip()
        if self.choices:
            right = self.correct_choice()
            assert right is not None
            return reply.lower() in (chr(ord("a") + right), str(right + 1), self.choices[right].lower())
        try:
            value = float(reply.replace("−", "-"))
        except ValueError:
            return False
        target = live if self.predict is not None else self.answer
        if target is None:
            return False
        return math.isfinite(value) and abs(value - float(target)) <= max(self.tolerance, 1e-9 * abs(float(target)))


class PageRules:
    """What progress remembers a page by."""

    if TYPE_CHECKING:
        id: str | None
        title: str

    @property
    def key(self) -> str:
        """What progress remembers this page's answers by: its `id`, else its title as a slug."""
        return self.id if self.id is not None else slug(self.title)
