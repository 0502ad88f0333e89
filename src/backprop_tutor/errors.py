"""The project's own error: a problem in a file a user gave us, with where it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .safe_text import printable

MAX_REPORTED = 20
"""At most this many problems are reported for one file; a last line says how many more."""
MAX_MESSAGE = 400
"""A message longer than this (a huge key, say) is cut in the middle."""


def one_line(text: str) -> str:
    """`text` safe to print on one terminal line: control and invisible characters escaped.

    A lesson's keys and values end up in messages; a newline there would forge a second
    `PATH:LINE:` line, and an escape sequence could rewrite the student's terminal.
    """
    return printable(text)


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the 1-based line (0: the file as a whole) and what is wrong.

    A problem of the whole file (missing, unreadable, not the lesson asked for) is printed
    `PATH: message`; one at a line, `PATH:LINE: message`. Never `PATH:0:`.
    """

    path: Path | str
    line: int
    message: str

    def __str__(self) -> str:
        message = self.message
        if len(message) > MAX_MESSAGE:
            half = MAX_MESSAGE // 2
            message = f"{message[:half]}…{message[-half:]}"
        where = f"{one_line(str(self.path))}:{self.line}" if self.line > 0 else one_line(str(self.path))
        return f"{where}: {one_line(message)}"


class LessonError(Exception):
    """A lesson or data file that cannot be used, with the problems found in it.

    At most `MAX_REPORTED` problems are kept, then one saying how many more there were.
    """

    def __init__(self, problems: list[Problem]) -> None:
        if len(problems) > MAX_REPORTED:
            rest = problems[MAX_REPORTED]
            more = len(problems) - MAX_REPORTED
            summary = Problem(rest.path, rest.line, f"and {more:,} more problems like these: fix the ones above first")
            problems = problems[:MAX_REPORTED] + [summary]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, path: Path | str, line: int, message: str) -> LessonError:
        """An error with a single problem."""
        return cls([Problem(path, line, message)])
