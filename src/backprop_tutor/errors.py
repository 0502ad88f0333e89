"""The project's own error: a problem in a file a user gave us, with where it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the 1-based line (0 when unknown) and what is wrong."""

    path: Path | str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LessonError(Exception):
    """A lesson or data file that cannot be used; holds every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, path: Path | str, line: int, message: str) -> LessonError:
        """An error with a single problem."""
        return cls([Problem(path, line, message)])
