"""Data for experiments: CSV files with a header row (`x` or `x1..xn`, then `y`)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

from ..errors import LessonError

MAX_CSV_BYTES = 5_000_000
"""A CSV larger than this is refused unread."""
MAX_ROWS = 100_000
"""A CSV with more data rows than this is refused."""


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
    table = np.asarray(points, dtype=np.float64)
    return Dataset(table[:, :-1].copy(), table[:, -1].copy(), source)


def resolve_csv(name: str, lesson_path: Path, yaml_line: int) -> Path:
    """Where a lesson's `csv: NAME` lives: the lesson's folder, else the `data/` folder beside it.

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
    folder = lesson_path.resolve().parent
    for root in (folder, folder.parent / "data"):
        candidate = (root / pure).resolve()
        if candidate.exists():
            if not candidate.is_relative_to(root.resolve()):
                raise LessonError.at(lesson_path, yaml_line, f"csv: {name!r} points outside {root}")
            return candidate
    raise LessonError.at(
        lesson_path, yaml_line, f"csv: {name!r} not found in {folder} or {folder.parent / 'data'}"
    )


def read_csv(path: Path, inputs: int | None = None) -> Dataset:
    """Read a CSV with a header row `x` (or `x1..xn`) and `y`.

    Args:
        path: the file.
        inputs: how many inputs the neuron expects; checked against the header when given.

    Raises:
        LessonError: naming the file, the line and what is wrong.
    """
    try:
        if path.is_dir():
            raise LessonError.at(path, 0, "is a directory, not a CSV file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise LessonError.at(path, 1, f"file is {size:,} bytes; a data file may be at most {MAX_CSV_BYTES:,}")
        raw = path.read_bytes()
    except OSError as exc:
        raise LessonError.at(path, 0, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise LessonError.at(path, raw[: raw.index(b"\x00")].count(b"\n") + 1, "binary data: a CSV is text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LessonError.at(path, raw[: exc.start].count(b"\n") + 1, "not UTF-8 text") from None
    return parse_csv(text, path, inputs)


def parse_csv(text: str, path: Path | str, inputs: int | None = None) -> Dataset:
    """Parse CSV text as `read_csv` does."""
    reader = csv.reader(io.StringIO(text))
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
                raise LessonError.at(path, line, f"{len(cells)} values in this row, but the header has {len(header)}")
            if len(rows) >= MAX_ROWS:
                raise LessonError.at(path, line, f"more than {MAX_ROWS:,} data rows")
            row = []
            for name, cell in zip(header, cells):
                try:
                    value = float(cell)
                except ValueError:
                    raise LessonError.at(path, line, f"{name} = {cell[:30]!r} is not a number") from None
                if not math.isfinite(value) or abs(value) > 1e12:
                    raise LessonError.at(path, line, f"{name} = {cell[:30]!r} is not a usable number (finite, at most 1e12)")
                row.append(value)
            rows.append(row)
    except csv.Error as exc:
        raise LessonError.at(path, reader.line_num, f"CSV syntax: {exc}") from None
    if header is None:
        raise LessonError.at(path, 1, "no header row: the first line names the columns, e.g. x,y")
    if not rows:
        raise LessonError.at(path, 2, "no data rows under the header")
    return from_points(rows, str(path))


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
