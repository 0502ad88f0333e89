"""One table of the app's strings per language (issue 15): the same keys, the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from backprop_tutor import words as language
from backprop_tutor.session.keys import HELP, KEYS, help_rows
from backprop_tutor.words import TABLES, Words, choose_language
from backprop_tutor.words.en import EN
from backprop_tutor.words.ko import KEY_HELP, KO

SOURCE = Path(language.__file__).resolve().parent.parent


def fields(text: str) -> set[str]:
    return {name for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def test_every_english_string_has_a_korean_one_with_the_same_placeholders():
    assert set(KO) == set(EN), (set(EN) - set(KO), set(KO) - set(EN))
    wrong = {key: (fields(EN[key]), fields(KO[key])) for key in EN if fields(EN[key]) != fields(KO[key])}
    assert wrong == {}
    untranslated = [key for key in EN if EN[key] and KO[key] == EN[key] and any(c.isalpha() and c.isascii() for c in EN[key])]
    # Only what is the same in both languages on purpose: formulas, key names, ASCII-mode words.
    assert set(untranslated) <= {"plot.curve", "key.move", "key.move_b", "key.step_ascii", "key.back_ascii"}


def test_every_key_the_help_lists_says_what_it_does_in_korean():
    listed = {key.action for key in KEYS if key.shown}
    assert listed <= set(KEY_HELP), listed - set(KEY_HELP)
    assert set(KEY_HELP) <= {key.action for key in KEYS}  # none for a key that is gone
    rows = help_rows(Words("ko"))
    assert len(rows) == len(help_rows(Words("en"))) and all(what for _, what in rows)
    assert help_rows(Words("en")) == HELP  # English is the key table's own words
    assert ("?  /  L ctrl+l", KEY_HELP["help"]) in rows


def test_every_key_the_code_asks_for_is_in_the_tables():
    """Each `words("key", …)` / `say("key")` / `Phrase("key", …)` with a literal key names an entry (a typo would raise at run time)."""
    asked = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                first = node.args[0]
                # `words("a" if x else "b")` asks for both; `_changing(KEY)` names the phrase a failed change says.
                keys = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                if name in ("words", "say", "Phrase", "_changing"):
                    asked |= {k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    assert len(asked) > 50
    assert {"pin.pinned", "until.stopped", "plot.off", "progress.set_aside", "progress.cannot_forget"} <= asked
    assert asked - set(EN) == set()


def test_words_fill_in_placeholders_and_count_tries():
    assert Words("ko")("last_step", step=7) == "기록된 마지막 단계(7)입니다. r을 누르면 처음부터 다시 합니다."
    assert Words("en").ordinal(2) == "2nd" and Words("ko").ordinal(2) == "2번째"
    assert Words("ko").cell("converged") == "수렴" and Words("en").cell("converged") == "converged"
    assert Words("xx").language == "en"
    assert set(TABLES) == {"en", "ko"}


@pytest.mark.parametrize(
    ("flag", "env", "saved", "expected"),
    [
        ("ko", {"TUTOR_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "ko"),  # --lang first
        (None, {"TUTOR_LANG": "ko", "LANG": "en_US.UTF-8"}, "en", "ko"),  # then TUTOR_LANG
        (None, {"LANG": "ko_KR.UTF-8"}, "en", "en"),  # then the language chosen last (L, --lang)
        (None, {"LANG": "ko_KR.UTF-8"}, "", "ko"),  # then the locale
        (None, {"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "", "ko"),
        (None, {"LC_MESSAGES": "ko_KR.eucKR", "LANG": "C"}, "", "ko"),
        (None, {"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "", "en"),  # the first one set decides
        (None, {"TUTOR_LANG": "fr", "LANG": "ko_KR.UTF-8"}, "", "ko"),  # a language it does not speak is passed over
        (None, {}, "", "en"),
    ],
)
def test_the_language_is_the_flag_then_tutor_lang_then_the_last_choice_then_the_locale(flag, env, saved, expected):
    assert choose_language(flag, env, saved) == expected
