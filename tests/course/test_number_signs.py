"""One number, one way of writing it: a negative number reads `-2` everywhere on a screen.

The app writes a number's sign with the ASCII minus (the table, the plot titles and axes, the
live numbers, the graph); a lesson that wrote `−2` (U+2212) in its text put the same number on
screen twice, two ways (lesson03 page 2: "starting at w = −2" above "Now: w = -2"). The minus
sign − stays the operator of a formula, `w − 1`: that is the typography test's rule.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.translation import lesson_in
from backprop_tutor.session import Session

from tests.support import LESSONS

SIGN_AS_MINUS = re.compile(r"(?<![\w)²³])−(?=\d)")
"""− written as the sign of a number (before a digit, not after an operand)."""


def strings(value, out: list[str]) -> list[str]:
    """Every string in a frame (dataclasses and tuples walked)."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, tuple):
        for item in value:
            strings(item, out)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            strings(getattr(value, field.name), out)
    return out


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("stem", [f"lesson0{i}" for i in range(1, 9)])
def test_every_screen_writes_a_negative_number_with_one_sign(stem, language):
    lesson = lesson_in(load_lesson(LESSONS / f"{stem}.yaml"), language)
    assert lesson is not None
    found = []
    for index, page in enumerate(lesson.pages):
        session = Session(lesson, index)
        for _ in range(3):  # the page as it opens, then two updates (or graph events)
            for text in strings(session.frame(), []):
                found += [f"p{index + 1}: …{text[max(0, m.start() - 20):m.end() + 10]}…" for m in SIGN_AS_MINUS.finditer(text)]
            session.press("space", " ")
    assert not found, "write a negative number as the app does, -2:\n" + "\n".join(sorted(set(found)))


def test_the_check_finds_a_sign_and_spares_an_operator():
    assert SIGN_AS_MINUS.search("starting at w = −2") and SIGN_AS_MINUS.search("(−1, −1)")
    assert not SIGN_AS_MINUS.search("w − 1") and not SIGN_AS_MINUS.search("2⁻²³") and not SIGN_AS_MINUS.search("x²−1")


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("stem", [f"lesson0{i}" for i in range(1, 9)])
def test_a_live_number_reads_as_the_table_beside_it_reads(stem, language):
    """`{w:.4f}` wrote "w = 3.0000" above the table's "3" (and the lecture's w = 3, E = 4, 2.6)."""
    from backprop_tutor.lessons.templates import placeholders

    lesson = lesson_in(load_lesson(LESSONS / f"{stem}.yaml"), language)
    formatted = []
    for index, page in enumerate(lesson.pages):
        if page.experiment is None:
            continue
        q = page.question
        for text in (page.text, q.prompt if q else "", q.hint if q else "", (q.explain or "") if q else ""):
            formatted += [f"p{index + 1}: {{{name}:{spec}}}" for name, spec, _ in placeholders(text) if spec]
    assert not formatted, "write the live number as the table does, {w}:\n" + "\n".join(formatted)
