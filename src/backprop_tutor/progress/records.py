"""What a progress file holds, and reading it as untrusted bytes: answers, pages, done."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ..safe_text import printable

VERSION = 1
"""The version of the file we write; a newer one is kept as it is and not overwritten."""
MAX_PAGE_NUMBER = 1_000_000
"""A page index or count beyond this in a progress file is damage."""


@dataclass
class AnswerRecord:
    """One question: answered right or not, after how many tries."""

    right: bool = False
    tries: int = 0

    def merged(self, other: AnswerRecord) -> AnswerRecord:
        """Both windows' record of one question: right if right in either, the larger number of tries."""
        return AnswerRecord(self.right or other.right, max(self.tries, other.tries))


@dataclass
class LessonProgress:
    """Where a student is in one lesson."""

    page: int = 0
    page_title: str = ""
    pages: int = 0
    done: bool = False
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    """Keyed by the page's key (`Page.key`: its id, else its title as a slug); files written
    before page keys hold titles, which `answer_for` still finds."""
    updated: float = 0.0
    page_key: str = ""
    """The key of the page reached (empty in files written before page keys)."""
    step: int = 0
    """The step of that page's run (0 in files written before steps were kept)."""
    event: int = 0
    """On a graph page, how far that step's walk had come."""

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the file."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        """Read one lesson's entry; raises ValueError when it is not exactly what we write.

        Types are checked, not coerced: `"done": "false"` or `"page": 1.5` is damage. Strings are
        cleaned for the terminal (`safe_text.printable`).
        """
        if not isinstance(data, dict):
            raise ValueError("a lesson entry is not a mapping")
        answers = _typed(data, "answers", dict, {})
        return cls(
            page=_count(data, "page"),
            page_title=printable(_typed(data, "page_title", str, "")),
            pages=_count(data, "pages"),
            done=_typed(data, "done", bool, False),
            answers={_key(k): _answer(k, v) for k, v in answers.items()},
            updated=_time(data),
            page_key=printable(_typed(data, "page_key", str, "")),
            step=_count(data, "step"),
            event=_count(data, "event"),
        )

    def merged(self, mine: LessonProgress) -> LessonProgress:
        """What is on disk (`self`) with one window's progress (`mine`) saved over it.

        The page is the one `mine` shows; an answer right in either stays right, the tries are
        the larger, and the lesson is done if either says so.
        """
        answers = dict(self.answers)
        for key, record in mine.answers.items():
            answers[key] = answers[key].merged(record) if key in answers else record
        return LessonProgress(
            page=mine.page,
            page_title=mine.page_title,
            pages=mine.pages,
            done=self.done or mine.done,
            answers=answers,
            updated=mine.updated,
            page_key=mine.page_key,
            step=mine.step,
            event=mine.event,
        )

    def answer_for(self, key: str, title: str = "") -> AnswerRecord | None:
        """The answer remembered for the page with this key (or, in an older file, this title)."""
        record = self.answers.get(key)
        if record is None and title:
            record = self.answers.get(title)
        return record

    def resume_page(self, titles: list[str], keys: list[str] | None = None) -> int:
        """The page to resume on in a lesson whose pages are now `titles` (and `keys`).

        The same page key if it still exists, else the same title (the nearest such page if
        several), else the same index, clamped to the lesson: a lesson edited since keeps the
        student close to where they were.
        """
        if not titles:
            return 0
        if keys is not None and self.page_key:
            matches = [i for i, k in enumerate(keys) if k == self.page_key]
            if matches:
                return min(matches, key=lambda i: abs(i - self.page))
        matches = [i for i, t in enumerate(titles) if t == self.page_title]
        if matches:
            return min(matches, key=lambda i: abs(i - self.page))
        return max(0, min(self.page, len(titles) - 1))


def _typed(data: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    value = data.get(name, default)
    # type(), not isinstance: True is an int to isinstance, and 1 is not a bool here.
    if type(value) is not kind:
        raise ValueError(f"{name} is {type(value).__name__}, not {kind.__name__}")
    return value


def _count(data: dict[str, Any], name: str) -> int:
    value = _typed(data, name, int, 0)
    if not 0 <= value <= MAX_PAGE_NUMBER:
        raise ValueError(f"{name} = {value} is out of range")
    return value


def _time(data: dict[str, Any]) -> float:
    value = data.get("updated", 0.0)
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError("updated is not a time")
    return float(value)


def _key(key: str) -> str:
    return printable(key)


def _answer(key: str, value: Any) -> AnswerRecord:
    if not isinstance(value, dict):
        raise ValueError(f"the answer for {printable(key)[:40]!r} is not a mapping")
    tries = _typed(value, "tries", int, 0)
    if not 0 <= tries <= 10**9:
        raise ValueError("tries is out of range")
    return AnswerRecord(_typed(value, "right", bool, False), tries)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise ValueError(f"the number {text[:20]} is not finite")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number we write")


class Newer(Exception):
    """The file was written by a newer version of the tutor."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


LANGUAGE_CODES = ("en", "ko")
"""The languages a progress file may remember (anything else is read as none chosen)."""


def parse_progress(raw: bytes) -> dict[str, LessonProgress]:
    """The lessons of a progress file's bytes.

    Raises:
        ValueError: the bytes are not a progress file we can read (the message says why).
    """
    return parse_file(raw)[0]


def parse_file(raw: bytes) -> tuple[dict[str, LessonProgress], str]:
    """The lessons of a progress file's bytes, and the language the user chose ("" for none).

    The language is one key beside the lessons: files written before it are read as before,
    and an older tutor reading a newer file passes over it.

    Raises:
        ValueError: the bytes are not a progress file we can read (the message says why).
    """
    try:
        document = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, a non-finite number, an integer of 5,000 digits
        raise ValueError(f"not valid JSON ({str(exc)[:100]})") from None
    if not isinstance(document, dict) or not isinstance(document.get("lessons"), dict):
        raise ValueError("not a progress file")
    version = document.get("version", VERSION)
    if type(version) is not int or version < 1:
        raise ValueError("its version is not a number we write")
    if version > VERSION:
        raise Newer(version)
    language = document.get("language", "")
    try:
        lessons = {_key(k): LessonProgress.from_json(v) for k, v in document["lessons"].items()}
    except ValueError as exc:
        raise ValueError(f"a lesson entry is damaged ({exc})") from None
    return lessons, language if language in LANGUAGE_CODES else ""
