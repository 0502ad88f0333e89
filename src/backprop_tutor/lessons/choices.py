"""Which choice a multiple-choice question's `answer` names: its text, its number, or its letter.

YAML reads `answer: 2` as a number, and the model keeps numbers as floats, so the answer that
reaches us is `2.0`: it names the choice written `"2"` (or `"2.0"`, or `"2.00"`) by its value.
"""

from __future__ import annotations

import math


def choice_index(answer: float | str, choices: list[str]) -> int | None:
    """The index of the choice `answer` names, or None when it names none.

    In order: a choice's exact text, a choice that is the same number, a letter (`a` is the first).
    """
    text = str(answer)
    if text in choices:
        return choices.index(text)
    value = _number(answer)
    if value is not None:
        same = [i for i, choice in enumerate(choices) if _number(choice) == value]
        if same:
            return same[0]
    letters = [chr(ord("a") + i) for i in range(len(choices))]
    if isinstance(answer, str) and answer.lower() in letters:
        return letters.index(answer.lower())
    return None


def _number(value: float | str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
