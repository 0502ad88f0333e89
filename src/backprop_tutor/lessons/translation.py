"""A lesson's text in another language: `lessons/ko/<id>.yaml` beside `lessons/<id>.yaml`.

A translation holds text only (titles, page text, questions, choices, hints, explanations),
by page key (`Page.key`); experiments, data, `expect`, answers and tolerances stay in the
English file and are shared. It is read with the same safe YAML as a lesson and checked
against the English lesson: every page, no page the English lacks, only the fields the English
has (the same number of choices), one-line titles and choices, and in each field exactly the
English field's placeholders (`{E:.3f}` copied character for character). Each problem is one
`PATH:LINE: message`, in English like every message of `tutor validate`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LessonError, Problem
from .files import read_limited
from .lesson import Lesson
from .lesson import line_at as _line
from .limits import MAX_FILE_BYTES
from .templates import PLACEHOLDER, lone_braces

if TYPE_CHECKING:
    from .model import LessonSpec, Page, Question
    from .yaml_source import Location

LANGUAGES = ("ko",)
"""The languages a lesson may be translated into: each is a folder beside the lessons."""
ENGLISH = "en"
"""The language lessons are written in."""

ONE_LINE = frozenset({"title", "choices"})
"""Fields shown on one line: no line breaks or tabs."""

# What the English has for each field of a translation: a text, a list of choices, or a nested part.
_Fields = dict[str, Any]


def translation_path(lesson_path: Path, language: str) -> Path:
    """Where the `language` text of the lesson at `lesson_path` lives: `<folder>/<language>/<file>`."""
    return lesson_path.parent / language / lesson_path.name


def english_path_for(path: Path) -> Path | None:
    """The English lesson a translation file at `path` translates (None: `path` is not in a language folder)."""
    if path.parent.name not in LANGUAGES:
        return None
    return path.parent.parent / path.name


def translations_of(lesson_path: Path) -> list[tuple[str, Path]]:
    """The translation files the lesson at `lesson_path` has, as (language, path)."""
    return [(lang, p) for lang in LANGUAGES if (p := translation_path(lesson_path, lang)).is_file()]


def load_translated(english: Lesson, path: Path, language: str, raw: bytes | None = None) -> Lesson:
    """`english` with its text from the translation at `path` (its bytes `raw`, when read already).

    Raises:
        LessonError: every problem of the translation, each with file and line.
    """
    from .yaml_source import parse_yaml

    raw = read_limited(path, MAX_FILE_BYTES, "a translation") if raw is None else raw
    document, lines = parse_yaml(raw, path)
    raw_lines = raw.decode("utf-8-sig").splitlines()
    problems = sorted(_problems(path, document, lines, raw_lines, english.spec), key=lambda p: p.line)
    if problems:
        raise LessonError(problems)
    return dataclasses.replace(english, spec=_translated(english.spec, document), language=language)


def lesson_in(english: Lesson, language: str) -> Lesson | None:
    """The lesson in `language` (English itself for `en`), or None when it has no such translation.

    Raises:
        LessonError: the translation exists but has problems.
    """
    if language == ENGLISH:
        return english
    path = translation_path(english.path, language)
    if language not in LANGUAGES or not path.is_file():
        return None
    return load_translated(english, path, language)


def load_translation_file(path: Path) -> Lesson:
    """A translation file given by its own path, checked against the English lesson it names.

    Raises:
        LessonError: the English lesson is missing or invalid, or the translation has problems.
    """
    english_path = english_path_for(path)
    if english_path is None:
        raise LessonError.at(path, 0, f"not in a language folder ({', '.join(LANGUAGES)}) beside its lesson")
    if not english_path.is_file():
        raise LessonError.at(path, 1, f"translates {english_path}, which does not exist")
    from .loader import load_lesson  # pydantic: only to validate the English lesson named here

    return load_translated(load_lesson(english_path), path, path.parent.name)


# -- checking --------------------------------------------------------------------------------------


def _page_fields(page: Page) -> _Fields:
    """What the English page has, field by field, for its translation to mirror."""
    fields: _Fields = {"title": page.title, "text": page.text, "experiment": None, "question": None}
    if page.experiment is not None:
        fields["experiment"] = {"title": page.experiment.title}
    if page.question is not None:
        q = page.question
        fields["question"] = {"prompt": q.prompt, "hint": q.hint, "explain": q.explain, "choices": list(q.choices)}
    return fields


def _problems(path: Path, document: Any, lines: dict[Location, int], raw_lines: list[str], english: LessonSpec) -> Iterator[Problem]:
    if not isinstance(document, dict):
        yield Problem(path, 1, "a translation is a mapping with `title` and `pages`, not a list or a value")
        return
    check = _Checker(path, lines, raw_lines)
    top: _Fields = {"title": english.title, "summary": english.summary}
    yield from check.fields({k: v for k, v in document.items() if k != "pages"}, (), top, extra=("pages",))
    pages = document.get("pages")
    if pages is None:
        yield Problem(path, 1, "missing required key 'pages' (the text of every page, by page key)")
        return
    if not isinstance(pages, dict):
        yield check.at(("pages",), "should be a mapping: page key, then the page's fields")
        return
    keys = [page.key for page in english.pages]
    for key in pages:
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"its pages' keys: {_few(keys)}"
            yield check.at(("pages", key), f"no page of the English lesson has the key {key!r} ({hint})")
    for number, page in enumerate(english.pages, start=1):
        if page.key not in pages:
            yield check.at(("pages",), f"page {number} ({page.key!r}, {page.title!r}) is not translated")
            continue
        yield from check.fields(pages[page.key], ("pages", page.key), _page_fields(page))


class _Checker:
    """Checks parts of a translation against the English, with the lines to report them at."""

    def __init__(self, path: Path, lines: dict[Location, int], raw_lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.raw_lines = raw_lines

    def at(self, loc: Location, message: str, line: int | None = None) -> Problem:
        from .loader import _dotted

        where = _dotted(loc)
        return Problem(self.path, line or _line(self.lines, loc), f"{where}: {message}" if where else message)

    def fields(self, node: Any, loc: Location, english: _Fields, extra: tuple[str, ...] = ()) -> Iterator[Problem]:
        """A mapping of fields: only those the English has, every one it has, each checked."""
        if not isinstance(node, dict):
            yield self.at(loc, "should be a mapping (`key: value` lines)")
            return
        for key, value in node.items():
            if key in extra:
                continue
            if key not in english:
                allowed = ", ".join([*english, *extra])
                close = difflib.get_close_matches(str(key), list(english), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed here: {allowed}"
                yield self.at(loc + (key,), f"unknown key {key!r} ({hint})")
            elif isinstance(english[key], dict) and not _wanted(english[key]):
                yield self.at(loc + (key,), f"the English {key} has no text to translate (no title): leave it out")
            elif not _wanted(english[key]):
                yield self.at(loc + (key,), f"the English has no {key} here: leave it out")
            elif isinstance(english[key], dict):
                yield from self.fields(value, loc + (key,), english[key])
            elif isinstance(english[key], list):
                yield from self.choices(value, loc + (key,), english[key])
            else:
                yield from self.text(value, loc + (key,), english[key], one_line=key in ONE_LINE)
        for key, value in english.items():
            if _wanted(value) and key not in node:
                yield self.at(loc, f"missing {key!r}: the English has one (a partial translation is an error, not a fallback)")

    def choices(self, node: Any, loc: Location, english: list[str]) -> Iterator[Problem]:
        if not isinstance(node, list):
            yield self.at(loc, "should be a list of choices ([a, b] or `- choice` lines)")
            return
        if len(node) != len(english):
            yield self.at(loc, f"{len(node)} choices; the English has {len(english)} (the same choices, in the same order)")
        for index, (choice, original) in enumerate(zip(node, english)):
            yield from self.text(choice, loc + (index,), original, one_line=True)

    def text(self, value: Any, loc: Location, english: str, one_line: bool) -> Iterator[Problem]:
        """One text field: text, not empty, one line where it must be, the English's placeholders."""
        if not isinstance(value, str):
            yield self.at(loc, "should be text (put it in quotes)")
            return
        if not value.strip():
            yield self.at(loc, "is empty; the English has text here")
            return
        if one_line and ("\n" in value.strip() or "\t" in value):
            yield self.at(loc, "should be one line of text (no line breaks or tabs)")
        yield from self.placeholders(value, loc, english)

    def placeholders(self, value: str, loc: Location, english: str) -> Iterator[Problem]:
        """Exactly the English field's placeholders, format spec included, and no lone brace."""
        want, have = _tokens(english), _tokens(value)
        lost, added = sorted(want - have), sorted(have - want)
        start = _line(self.lines, loc)
        for brace, offset in lone_braces(value)[:1]:
            from .loader import _brace_line

            line = _brace_line(self.raw_lines, start, value, offset)
            yield self.at(loc, f"a lone `{brace}`: copy a live number as the English writes it, a brace itself {{{{ or }}}}", line)
        if added:
            from .loader import _placeholder_line
        for token in added:
            line = _placeholder_line(self.raw_lines, token, start)
            same_name = [t for t in lost if _name(t) == _name(token)]
            if same_name:
                lost.remove(same_name[0])
                yield self.at(loc, f"{token} should be {same_name[0]}, as in the English (copy placeholders exactly)", line)
                continue
            close = difflib.get_close_matches(token, sorted(want), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            if close and close[0] in lost:
                lost.remove(close[0])
            yield self.at(loc, f"placeholder {token} is not in the English{hint} (the English has {_listed(want)})", line)
        for token in lost:
            yield self.at(loc, f"lost placeholder {token}: the English has {_listed(want)}, copy each exactly", start)


def _wanted(english: Any) -> bool:
    """True if the English has this field (a nested part: if it has any field a translation gives)."""
    if isinstance(english, dict):
        return any(_wanted(v) for v in english.values())
    return bool(english)


def _tokens(text: str) -> set[str]:
    """The placeholders of `text` as written, `{w}` or `{E:.3f}` (literal `{{` `}}` are not)."""
    return {m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(1)}


def _name(token: str) -> str:
    return token.strip("{}").split(":")[0]


def _few(keys: list[str], most: int = 6) -> str:
    return ", ".join(keys[:most]) + (f", … ({len(keys)} in all)" if len(keys) > most else "")


def _listed(tokens: set[str]) -> str:
    return ", ".join(sorted(tokens)) if tokens else "none"


# -- building --------------------------------------------------------------------------------------


def _translated(english: LessonSpec, document: dict[str, Any]) -> LessonSpec:
    """The English lesson with the translation's text (checked already) in place of its own."""
    pages = [_page(page, document["pages"][page.key]) for page in english.pages]
    update: dict[str, Any] = {"title": document["title"].strip(), "pages": pages}
    if english.summary:
        update["summary"] = document["summary"]
    return _copy(english, update)


def _copy(part: Any, update: dict[str, Any]) -> Any:
    """`part` (a validated model, or the plain record a cached lesson holds) with `update` in place."""
    if hasattr(part, "model_copy"):
        return part.model_copy(update=update)
    return type(part)({**part.__dict__, **update})


def _page(page: Page, text: dict[str, Any]) -> Page:
    # The key stays the English one (as the `id`): answers and the place are shared between languages.
    update: dict[str, Any] = {"title": text["title"].strip(), "id": page.key, "text": text.get("text", page.text)}
    if page.experiment is not None and page.experiment.title:
        update["experiment"] = _copy(page.experiment, {"title": text["experiment"]["title"].strip()})
    if page.question is not None:
        update["question"] = _question(page.question, text["question"])
    return _copy(page, update)


def _question(q: Question, text: dict[str, Any]) -> Question:
    update: dict[str, Any] = {"prompt": text["prompt"], "hint": text["hint"]}
    if q.explain:
        update["explain"] = text["explain"]
    if q.choices:
        update["choices"] = [choice.strip() for choice in text["choices"]]
        right = q.correct_choice()
        assert right is not None
        update["answer"] = chr(ord("a") + right)  # the English text of the answer is not among the new choices
    return _copy(q, update)
