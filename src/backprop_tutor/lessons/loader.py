"""From a lesson file on disk to a validated `Lesson`, or a `LessonError` naming file and line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import MAX_REPORTED, LessonError, Problem
from ..safe_text import printable
from .files import read_limited
from .lesson import Lesson, load_datasets
from .lesson import check_work as check_work  # re-exported: its home was here
from .lesson import line_at as _line
from .limits import MAX_LESSON_ROW_UPDATES as MAX_LESSON_ROW_UPDATES  # re-exported, as above
from .limits import MAX_ROW_UPDATES as MAX_ROW_UPDATES
from .model import Expectation, Experiment, LessonSpec, Page, Question
from .templates import check_spec, lone_braces, placeholders, variables_for
from .variants import Variant
from .yaml_source import MAX_FILE_BYTES, Location, parse_yaml

MAX_FORMAT_WIDTH = 99
"""A placeholder's width or precision (`{w:8.3f}`) may be at most this: formatting is work."""

_BIG_NUMBER_IN_SPEC = re.compile(rf"\d{{{len(str(MAX_FORMAT_WIDTH + 1))}}}")

# Friendlier words for pydantic's commonest complaints: what to write instead.
_HINTS = {
    "model_type": "should be a mapping (`key: value` lines), not a list or a single value",
    "dict_type": "should be a mapping (`key: value` lines), not a list or a single value",
    "list_type": "should be a list (`- item` lines, or [a, b])",
    "finite_number": "should be a finite number (not .nan or .inf; 1e400 reads as .inf)",
    "float_parsing": "should be a number",
    "float_type": "should be a number",
    "int_parsing": "should be a whole number",
    "int_type": "should be a whole number",
    "int_from_float": "should be a whole number",
    "string_type": "should be text (put it in quotes)",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "string_pattern_mismatch": "should be a short name: letters, digits, _ . - (at most 40, no spaces)",
}

_MODEL_AT: dict[str, type[BaseModel]] = {
    "": LessonSpec,
    "pages": Page,
    "experiment": Experiment,
    "question": Question,
    "expect": Expectation,
    "compare": Variant,
}


def load_lesson(path: Path) -> Lesson:
    """Read, validate and load the data of the lesson at `path`.

    Raises:
        LessonError: every problem found, each with file and line.
    """
    raw = read_limited(path, MAX_FILE_BYTES, "a lesson")
    document, lines = parse_yaml(raw, path)
    if not isinstance(document, dict):
        raise LessonError.at(path, 1, "a lesson is a mapping with `title` and `pages`, not a list or a value")
    try:
        spec = LessonSpec.model_validate(document)
    except ValidationError as exc:
        raise LessonError(_problems(path, exc.errors(), lines, document)) from None
    problems = list(_template_problems(path, spec, lines, raw.decode("utf-8-sig").splitlines()))
    if problems:
        raise LessonError(problems)
    datasets = load_datasets(spec, path, lines)
    return Lesson(printable(path.stem), path, spec, datasets)


def _template_problems(
    path: Path, spec: LessonSpec, lines: dict[Location, int], raw_lines: list[str]
) -> Iterator[Problem]:
    """Placeholders naming variables the page does not have, at the line where they are written."""
    located = 0
    for index, page in enumerate(spec.pages):
        known = variables_for(page.experiment.param_names) if page.experiment else set()
        if page.question and page.question.predict and page.question.predict not in known:
            line = _line(lines, ("pages", index, "question", "predict"))
            yield Problem(path, line, f"pages[{index}].question.predict: {page.question.predict!r} is not a live value of this page")
        texts: list[tuple[Location, str]] = [(("pages", index, "text"), page.text)]
        if page.question:
            texts.append((("pages", index, "question", "prompt"), page.question.prompt))
            texts.append((("pages", index, "question", "hint"), page.question.hint))
            if page.question.explain:
                texts.append((("pages", index, "question", "explain"), page.question.explain))
        for loc, text in texts:
            start = _line(lines, loc)
            for brace, offset in lone_braces(text)[:1]:  # one a field: the rest are likely the same slip
                yield Problem(path, _brace_line(raw_lines, start, text, offset), f"{_dotted(loc)}: a lone `{brace}`: "
                              "a live number is written {w}, a brace itself {{ or }}")
            for name, spec_, _offset in placeholders(text):
                where = _dotted(loc)
                if name not in known:
                    have = f"known here: {', '.join(sorted(known))}" if known else "this page has no experiment"
                    message = f"{where}: unknown variable {{{name}}} ({have}); write {{{{ for a literal brace"
                elif spec_ is not None and not _usable_spec(spec_):
                    message = (
                        f"{where}: {{{name}:{spec_}}} is not a number format (try {{{name}:.3f}}; "
                        f"widths and precisions go up to {MAX_FORMAT_WIDTH})"
                    )
                else:
                    continue
                # Only the problems that will be shown are looked for line by line.
                located += 1
                line = _placeholder_line(raw_lines, "{" + name, start) if located <= MAX_REPORTED + 1 else start
                yield Problem(path, line, message)


def _brace_line(raw_lines: list[str], start: int, text: str, offset: int) -> int:
    """The file's line of the text's line `offset` holding a lone brace, looked for from `start`."""
    wanted = text.split("\n")[offset].strip()
    for number in range(start, min(start + offset + 40, len(raw_lines)) + 1):
        if wanted and wanted in raw_lines[number - 1]:
            return number
    return start


def _usable_spec(spec: str) -> bool:
    """True for a small number format; `{w:999999999}` would build a gigabyte of spaces."""
    return len(spec) <= 12 and not _BIG_NUMBER_IN_SPEC.search(spec) and check_spec(spec)


def _placeholder_line(raw_lines: list[str], token: str, start: int) -> int:
    """The first line from `start` on that holds `token` (`start` if none does)."""
    return next((n for n in range(start, len(raw_lines) + 1) if token in raw_lines[n - 1]), start)


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problems(path: Path, errors: list[Any], lines: dict[Location, int], document: Any) -> list[Problem]:
    """pydantic's errors as problems, one per place in the file.

    A union (`answer` is a number or text) fails once per member at the same place; those
    are one problem for the person fixing the file.
    """
    by_place: dict[tuple[Any, ...], list[Any]] = {}
    for error in errors:
        keep_last = error["type"] in ("extra_forbidden", "missing")
        place = _real_location(tuple(error["loc"]), document, keep_last) + ((error["type"],) if keep_last else ())
        by_place.setdefault(place, []).append(error)
    return [_problem(path, group, lines, document) for group in by_place.values()]


def _problem(path: Path, errors: list[Any], lines: dict[Location, int], document: Any) -> Problem:
    """pydantic errors at one place as `PATH:LINE: where: what (and how to fix it)`."""
    error = errors[0]
    kind = error["type"]
    loc = _real_location(tuple(error["loc"]), document, keep_last=kind in ("extra_forbidden", "missing"))
    where = _dotted(loc)
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        allowed = list(_MODEL_AT.get(parent, LessonSpec).model_fields)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        first = str(key).split()[0] if str(key).split() else ""
        if " " in str(key) and first in allowed:  # `init {w: 3}` is read as the key 'init {w'
            return Problem(path, _line(lines, loc), f"no `:` after {first!r}: write `{first}: value`")
        hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed here: {', '.join(allowed)})"
        return Problem(path, _line(lines, loc), f"unknown key {key!r}{hint}")
    if kind == "missing":
        return Problem(path, _line(lines, loc[:-1]), f"{_dotted(loc[:-1]) or 'the lesson'}: missing required key {loc[-1]!r}")
    message = " or ".join(dict.fromkeys(_message(e) for e in errors))
    loc = _narrow(loc, message, document)
    got = error.get("input")
    shown = ""
    if kind not in ("value_error", "assertion_error") and not isinstance(got, (dict, list)):
        shown = f" (got {str(got)[:40]!r})"
    return Problem(path, _line(lines, loc), f"{where or 'the lesson'}: {message}{shown}")


def _message(error: Any) -> str:
    """What pydantic says is wrong, in the words of someone writing YAML."""
    return _HINTS.get(error["type"], error["msg"].removeprefix("Value error, ").replace("Input should be", "should be"))


def _narrow(loc: tuple[Any, ...], message: str, document: Any) -> tuple[Any, ...]:
    """A validator's message that starts with a key under `loc` (`points[0] has…`) points there."""
    duplicate = (_duplicate_experiment(message, document) or _duplicate_page(message, document)) if not loc else None
    if duplicate:
        return duplicate
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


def _duplicate_experiment(message: str, document: Any) -> tuple[Any, ...] | None:
    """Where the second experiment with a repeated id says so, for the lesson-wide complaint."""
    if not message.startswith("two experiments have the id") or not isinstance(document.get("pages"), list):
        return None
    seen: set[str] = set()
    for index, page in enumerate(document["pages"]):
        experiment = page.get("experiment") if isinstance(page, dict) else None
        ident = experiment.get("id") if isinstance(experiment, dict) else None
        if isinstance(ident, str):
            if ident in seen and repr(ident) in message:
                return ("pages", index, "experiment", "id")
            seen.add(ident)
    return None


def _duplicate_page(message: str, document: Any) -> tuple[Any, ...] | None:
    """Where the second page with a repeated key is (its id, else its title)."""
    match = re.match(r"two pages have the key .* and pages\[(\d+)\], by (id|title)", message)
    if not match:
        return None
    return ("pages", int(match.group(1)), match.group(2))


def _real_location(loc: tuple[Any, ...], document: Any, keep_last: bool) -> tuple[Any, ...]:
    """`loc` without the parts pydantic adds that are not in the file (union members, tags)."""
    real: list[Any] = []
    node = document
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif keep_last and i == len(loc) - 1:
            pass
        else:
            continue
        real.append(part)
    return tuple(real)
