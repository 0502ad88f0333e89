"""Data for experiments: CSV files with a header row (`x` or `x1..xn`, then `y`)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import LessonError
from .files import decode_text, read_limited
from .limits import ABSURD

if TYPE_CHECKING:
    import numpy as np

MAX_CSV_BYTES = 5_000_000
"""A CSV larger than this is refused unread."""
MAX_ROWS = 100_000
"""A CSV with more data rows than this is refused (counted before any row is parsed)."""


@dataclass(frozen=True)
class Dataset:
    """Inputs `X` (m × n) and ground truth `y` (m), in float64, and where they came from."""

    X: np.ndarray
    y: np.ndarray
    source: str

    @property
    def inputs(self) -> int:
        """n, the number of inputs per row."""
        return int(self.X.shape[1])


def from_points(points: list[list[float]], source: str = "points") -> Dataset:
    """A dataset from inline rows [x1, ..., xn, y]."""
    import numpy as np  # here, not at start-up: a first page without an experiment needs none

    table = np.asarray(points, dtype=np.float64)
    return Dataset(table[:, :-1].copy(), table[:, -1].copy(), source)


def resolve_csv(name: str, lesson_path: Path, yaml_line: int) -> Path:
    """Where a lesson's `csv: NAME` lives: the lesson's folder, its `data/`, or the `data/` beside it.

    Paths that leave those folders (absolute, `..`, or a symlink out) are refused: a lesson
    shared by someone else must not read arbitrary files. A user's own `--data` path is not
    resolved here.
    """
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or Path(name).is_absolute() or ".." in pure.parts or not pure.parts:
        raise LessonError.at(
            lesson_path,
            yaml_line,
            f"csv: {name!r} must be a plain file name inside the lesson's folder or data/ beside it "
            "(no absolute paths, no ..); pass other files explicitly with --data",
        )
    if not name.isprintable():
        raise LessonError.at(lesson_path, yaml_line, f"csv: {name!r} holds control characters: write a plain file name")
    folder = lesson_path.resolve().parent
    for root in (folder, folder / "data", folder.parent / "data"):
        try:
            candidate = (root / pure).resolve()
            found = candidate.exists()
        except (OSError, RuntimeError) as exc:  # a name too long for the file system, a symlink loop
            why = getattr(exc, "strerror", None) or "a symbolic link loop"
            raise LessonError.at(lesson_path, yaml_line, f"csv: {name[:60]!r} cannot be opened: {why}") from None
        if found:
            # Containment in the folder as it is named, not as it resolves: a `data/` that is
            # itself a symlink to /etc would otherwise make /etc/passwd "inside" it.
            if not candidate.is_relative_to(root):
                raise LessonError.at(lesson_path, yaml_line, f"csv: {name!r} points outside {root} (through a symbolic link)")
            if not candidate.is_file():
                raise LessonError.at(lesson_path, yaml_line, f"csv: {name!r} is a folder (or device), not a CSV file")
            return candidate
    raise LessonError.at(
        lesson_path, yaml_line, f"csv: {name!r} not found in {folder}, {folder / 'data'} or {folder.parent / 'data'}"
    )


def read_csv(path: Path, inputs: int | None = None) -> Dataset:
    """Read a CSV with a header row `x` (or `x1..xn`) and `y`.

    Args:
        path: the file.
        inputs: how many inputs the neuron expects; checked against the header when given.

    Raises:
        LessonError: naming the file, the line and what is wrong.
    """
    raw = read_limited(path, MAX_CSV_BYTES, "a data file")
    return parse_csv(decode_text(raw, path, "a data file"), path, inputs)


def parse_csv(text: str, path: Path | str, inputs: int | None = None) -> Dataset:
    """Parse CSV text as `read_csv` does."""
    _check_row_count(text, path)
    reader = csv.reader(io.StringIO(text), strict=True)
    header: list[str] | None = None
    rows: list[list[float]] = []
    try:
        for record in reader:
            line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            cells = [cell.strip() for cell in record]
            if header is None:
                header = _check_header(cells, path, line, inputs)
                continue
            if len(cells) != len(header):
                raise LessonError.at(path, line, f"{len(cells)} value(s) in this row, but the header has {len(header)} columns: one value per column")
            if len(rows) >= MAX_ROWS:
                raise LessonError.at(path, line, f"more than {MAX_ROWS:,} data rows: split the data or sample it")
            row = []
            for name, cell in zip(header, cells):
                try:
                    value = float(cell)
                except ValueError:
                    raise LessonError.at(path, line, f"{name} = {cell[:30]!r} is not a number") from None
                if not math.isfinite(value) or abs(value) > ABSURD:
                    raise LessonError.at(path, line, f"{name} = {cell[:30]!r} is not a usable number (finite, at most {ABSURD:g})")
                row.append(value)
            rows.append(row)
    except csv.Error as exc:
        raise LessonError.at(path, reader.line_num, f"CSV syntax: {exc}") from None
    if header is None:
        raise LessonError.at(path, 1, "no header row: the first line names the columns, e.g. x,y")
    if not rows:
        raise LessonError.at(path, 2, "no data rows under the header")
    return from_points(rows, str(path))


def _check_row_count(text: str, path: Path | str) -> None:
    """Refuse a CSV with too many lines before parsing any (a row takes at least one line)."""
    if text.count("\n") + text.count("\r") <= MAX_ROWS:
        return
    rows = -1  # the header
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if line.strip(" \t,"):
            rows += 1
            if rows > MAX_ROWS:
                raise LessonError.at(path, number, f"more than {MAX_ROWS:,} data rows: split the data or sample it")


def _check_header(cells: list[str], path: Path | str, line: int, inputs: int | None) -> list[str]:
    names = [c.lower() for c in cells]
    n = len(names) - 1
    expected = ["x", "y"] if n == 1 else [f"x{i}" for i in range(1, n + 1)] + ["y"]
    if n < 1 or names != expected:
        raise LessonError.at(
            path, line, f"header is {','.join(cells)!r}; it must be x,y or x1,...,xn,y (in that order)"
        )
    if inputs is not None and n != inputs:
        raise LessonError.at(path, line, f"{n} input column(s), but the neuron has {inputs} input(s)")
    return names
