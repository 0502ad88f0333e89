"""The course writes its formulas one way: a minus sign (−), never a hyphen, between operands.

Only questions are checked (prompt, hint, explain): they hold no code, where `-` is Python's.
"""

import re
from pathlib import Path

import pytest
import yaml

LESSONS = Path(__file__).parents[2] / "lessons"
FILES = sorted(LESSONS.glob("lesson*.yaml")) + sorted(LESSONS.glob("*/lesson*.yaml"))

# An operand (a digit, `)`, `²`, or a one-letter name), ` - `, then an operand: `w·1 - 1`, `2(w - 1)`.
# `Press - until` is a key name in a sentence: its left side is a word, not an operand.
HYPHEN_AS_MINUS = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]|[0-9)²]) - [A-Za-z0-9(α]")


def _questions(path: Path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    pages = document["pages"]
    for key, page in pages.items() if isinstance(pages, dict) else enumerate(pages):
        question = page.get("question") or {}
        for field in ("prompt", "hint", "explain"):
            if isinstance(question.get(field), str):
                yield f"{key}.{field}", question[field]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(LESSONS)))
def test_questions_write_minus_not_hyphen(path):
    found = [f"{where}: {text}" for where, text in _questions(path) if HYPHEN_AS_MINUS.search(text)]
    assert not found, "write − (U+2212) for minus:\n" + "\n".join(found)


def test_the_check_finds_a_hyphen_and_spares_a_key_name():
    assert HYPHEN_AS_MINUS.search("E = (w·1 - 1)²") and HYPHEN_AS_MINUS.search("2(w - 1)")
    assert not HYPHEN_AS_MINUS.search("Press - until E reads 0") and not HYPHEN_AS_MINUS.search("2(w − 1)")
