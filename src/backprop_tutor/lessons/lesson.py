"""A validated lesson as the app uses it, and loading its data: no pydantic, no YAML here.

`loader.py` builds one from a lesson file (validating it); `cache.py` from a cached copy of a
file it validated before. Both load the data the same way, with `load_datasets`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LessonError
from .catalogue import progress_key_for
from .data import Dataset, from_points, read_csv, resolve_csv
from .limits import MAX_LESSON_ROW_UPDATES, MAX_ROW_UPDATES

if TYPE_CHECKING:
    from .model import Experiment, LessonSpec, Page

Location = tuple[Any, ...]


@dataclass(frozen=True)
class Lesson:
    """A validated lesson: its id (the file's stem), where it came from, its pages and data."""

    id: str
    """The file's stem, safe to print (a control character in the name is shown escaped)."""
    path: Path
    spec: LessonSpec
    datasets: Mapping[str, Dataset] = field(default_factory=dict)
    """Each experiment's data, by experiment id (a cached lesson loads them when first asked)."""
    language: str = "en"
    """The language of the text (`translation.py` makes the others); the numbers are the English file's."""

    @property
    def progress_key(self) -> str:
        """What the progress file remembers this lesson by: the id of a shipped lesson, else its full path.

        Another `lesson01.yaml` elsewhere is another lesson, and does not mark the shipped one done.
        """
        return progress_key_for(self.path)

    @property
    def title(self) -> str:
        """The lesson's title."""
        return self.spec.title

    @property
    def pages(self) -> list[Page]:
        """The pages in order."""
        return self.spec.pages

    def experiments(self) -> list[Experiment]:
        """Every experiment, in page order."""
        return [page.experiment for page in self.spec.pages if page.experiment]


class LazyDatasets(Mapping[str, Dataset]):
    """The datasets `load` returns, loaded when first asked for: numpy is not imported before."""

    def __init__(self, load: Callable[[], dict[str, Dataset]]) -> None:
        self._load: Callable[[], dict[str, Dataset]] | None = load
        self._data: dict[str, Dataset] = {}

    def _loaded(self) -> dict[str, Dataset]:
        if self._load is not None:
            self._data, self._load = self._load(), None
        return self._data

    def __getitem__(self, key: str) -> Dataset:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def load_datasets(spec: LessonSpec, path: Path, lines: dict[Location, int]) -> dict[str, Dataset]:
    """Each experiment's data (by experiment id), its CSV read once however many pages share it.

    Raises:
        LessonError: a CSV that cannot be used, or a run that would be too much work, at its line.
    """
    datasets: dict[str, Dataset] = {}
    read: dict[tuple[Path, int], Dataset] = {}
    total = 0
    for index, page in enumerate(spec.pages):
        exp = page.experiment
        if exp is None:
            continue
        if exp.csv is not None:
            line = line_at(lines, ("pages", index, "experiment", "csv"))
            where = (resolve_csv(exp.csv, path, line), exp.inputs)
            if where not in read:
                read[where] = read_csv(*where)
            datasets[exp.id] = read[where]
        else:
            assert exp.points is not None
            datasets[exp.id] = from_points(exp.points, f"{path} points")
        steps_line = line_at(lines, ("pages", index, "experiment", "steps"))
        total = check_work(exp, datasets[exp.id], path, steps_line, total)
    return datasets


def check_work(exp: Experiment, data: Dataset, path: Path | str, line: int, before: int = 0) -> int:
    """Refuse an experiment whose whole run would take minutes to record, alone or after the lesson's others.

    Args:
        exp: the experiment.
        data: its data.
        path, line: where to report a problem.
        before: the steps × rows of the lesson's experiments checked so far.

    Returns:
        `before` plus this experiment's steps × rows.

    Raises:
        LessonError: `exp.steps` × the rows of `data` is over `MAX_ROW_UPDATES`, or the sum
        over the lesson is over `MAX_LESSON_ROW_UPDATES`.
    """
    rows = int(data.y.shape[0])
    runs = 1 + len(exp.compare)  # the runs it compares cost as much as its own
    work = exp.steps * rows * runs
    if work > MAX_ROW_UPDATES:
        times = f" × {runs} runs" if runs > 1 else ""
        raise LessonError.at(
            path,
            line,
            f"{exp.id}: {exp.steps:,} steps over {rows:,} data rows{times} is too much work "
            f"(steps × rows may be at most {MAX_ROW_UPDATES:,}): use fewer steps or fewer rows",
        )
    if before + work > MAX_LESSON_ROW_UPDATES:
        raise LessonError.at(
            path,
            line,
            f"{exp.id}: with this experiment the lesson's runs add up to {before + work:,} steps × rows "
            f"(at most {MAX_LESSON_ROW_UPDATES:,} for a whole lesson): use fewer steps or rows, or split the lesson",
        )
    return before + work


def line_at(lines: dict[Location, int], loc: tuple[Any, ...]) -> int:
    """The line of `loc`, or of its nearest ancestor the document has."""
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)
