"""From a lesson file on disk to a validated `Lesson`, or a `LessonError` naming file and line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import LessonError, Problem
from .data import Dataset, from_points, read_csv, resolve_csv
from .model import Expectation, Experiment, LessonSpec, Page, Question
from .templates import check_spec, placeholders, variables_for
from .yaml_source import Location, read_yaml

_MODEL_AT: dict[str, type[BaseModel]] = {
    "": LessonSpec,
    "pages": Page,
    "experiment": Experiment,
    "question": Question,
    "expect": Expectation,
}


@dataclass(frozen=True)
class Lesson:
    """A validated lesson: its id (the file's stem), where it came from, its pages and data."""

    id: str
    path: Path
    spec: LessonSpec
    datasets: dict[str, Dataset] = field(default_factory=dict)

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


def load_lesson(path: Path) -> Lesson:
    """Read, validate and load the data of the lesson at `path`.

    Raises:
        LessonError: every problem found, each with file and line.
    """
    document, lines = read_yaml(path)
    if not isinstance(document, dict):
        raise LessonError.at(path, 1, "a lesson is a mapping with `title` and `pages`, not a list or a value")
    try:
        spec = LessonSpec.model_validate(document)
    except ValidationError as exc:
        raise LessonError([_problem(path, error, lines, document) for error in exc.errors()]) from None
    problems = list(_template_problems(path, spec, lines))
    if problems:
        raise LessonError(problems)
    datasets: dict[str, Dataset] = {}
    for index, page in enumerate(spec.pages):
        exp = page.experiment
        if exp is None:
            continue
        if exp.csv is not None:
            line = lines.get(("pages", index, "experiment", "csv"), 0)
            datasets[exp.id] = read_csv(resolve_csv(exp.csv, path, line), exp.inputs)
        else:
            assert exp.points is not None
            datasets[exp.id] = from_points(exp.points, f"{path} points")
    return Lesson(path.stem, path, spec, datasets)


def _template_problems(path: Path, spec: LessonSpec, lines: dict[Location, int]) -> Iterator[Problem]:
    """Placeholders naming variables the page does not have, at the line where they are written."""
    try:
        raw_lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        raw_lines = []
    for index, page in enumerate(spec.pages):
        known = variables_for(page.experiment.param_names) if page.experiment else set()
        if page.question and page.question.predict and page.question.predict not in known:
            line = _line(lines, ("pages", index, "question", "predict"))
            yield Problem(path, line, f"pages[{index}].question.predict: {page.question.predict!r} is not a live value of this page")
        texts = [(("pages", index, "text"), page.text)]
        if page.question:
            texts.append((("pages", index, "question", "prompt"), page.question.prompt))
        for loc, text in texts:
            start = _line(lines, loc)
            for name, spec_, _offset in placeholders(text):
                token = "{" + name
                line = next((n for n in range(start, len(raw_lines) + 1) if token in raw_lines[n - 1]), start)
                where = _dotted(loc)
                if name not in known:
                    have = f"known here: {', '.join(sorted(known))}" if known else "this page has no experiment"
                    yield Problem(path, line, f"{where}: unknown variable {{{name}}} ({have}); write {{{{ for a literal brace")
                elif spec_ is not None and not check_spec(spec_):
                    yield Problem(path, line, f"{where}: {{{name}:{spec_}}} is not a number format (try {{{name}:.3f}})")


def _line(lines: dict[Location, int], loc: tuple[Any, ...]) -> int:
    """The line of `loc`, or of its nearest ancestor the document has."""
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(path: Path, error: Any, lines: dict[Location, int], document: Any) -> Problem:
    """A pydantic error as `PATH:LINE: where: what (and how to fix it)`."""
    kind = error["type"]
    loc = _real_location(tuple(error["loc"]), document, keep_last=kind in ("extra_forbidden", "missing"))
    where = _dotted(loc)
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        allowed = list(_MODEL_AT.get(parent, LessonSpec).model_fields)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed here: {', '.join(allowed)})"
        return Problem(path, _line(lines, loc), f"unknown key {key!r}{hint}")
    if kind == "missing":
        return Problem(path, _line(lines, loc[:-1]), f"{_dotted(loc[:-1]) or 'the lesson'}: missing required key {loc[-1]!r}")
    message = error["msg"].removeprefix("Value error, ")
    loc = _narrow(loc, message, document)
    got = error.get("input")
    shown = ""
    if kind not in ("value_error", "assertion_error") and not isinstance(got, (dict, list)):
        shown = f" (got {str(got)[:40]!r})"
    return Problem(path, _line(lines, loc), f"{where or 'the lesson'}: {message}{shown}")


def _narrow(loc: tuple[Any, ...], message: str, document: Any) -> tuple[Any, ...]:
    """A validator's message that starts with a key under `loc` (`points[0] has…`) points there."""
    match = re.match(r"([A-Za-z_]+)(?:\[(\d+)\])?", message)
    node = document
    for part in loc:
        node = node[part]
    if match and isinstance(node, dict) and match.group(1) in node:
        loc = loc + (match.group(1),)
        inner = node[match.group(1)]
        if match.group(2) is not None and isinstance(inner, list) and int(match.group(2)) < len(inner):
            loc = loc + (int(match.group(2)),)
    return loc


def _real_location(loc: tuple[Any, ...], document: Any, keep_last: bool) -> tuple[Any, ...]:
    """`loc` without the parts pydantic adds that are not in the file (union members, tags)."""
    real: list[Any] = []
    node = document
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif keep_last and i == len(loc) - 1:
            pass
        else:
            continue
        real.append(part)
    return tuple(real)
