"""Which language the tutor speaks, and its words: one table per language (`en.py`, `ko.py`), chosen once.

The language is `--lang`, else `TUTOR_LANG`, else the user's locale (`LC_ALL`, `LC_MESSAGES`,
`LANG` starting with `ko`), else English. Korean needs a terminal that shows UTF-8: without
one (or with `--ascii`) the tutor says so in one line and runs in English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from . import en, ko

TABLES: dict[str, dict[str, str]] = {"en": en.EN, "ko": ko.KO}
"""Every string the app writes, per language (the same keys and placeholders in each)."""
KEY_HELPS: dict[str, dict[str, str]] = {"en": {}, "ko": ko.KEY_HELP}
"""The help screen's words per action, where they are not `keys.KEYS`'s English."""
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}
"""Each language as its speakers write it."""


class Words:
    """The app's strings in one language: `words("last_step", step=3)`."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in TABLES else "en"
        self.table = TABLES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        """The string `key`, its placeholders filled from `values` (a `Phrase` among them said in this language too)."""
        text = self.table[key]
        return text.format(**{k: self.say(v) if isinstance(v, Phrase) else v for k, v in values.items()}) if values else text

    def say(self, text: str) -> str:
        """`text` in this language when it is a `Phrase` (as other code's messages are), else as it is."""
        return self(text.key, **text.values) if isinstance(text, Phrase) else text

    def ordinal(self, n: int) -> str:
        """`1st` or `1번째`."""
        return ko.ordinal(n) if self.language == "ko" else en.ordinal(n)

    def status(self, status: str) -> str:
        """The run's status as a sentence (empty while it simply runs)."""
        return self.table.get(f"status.{status}", "")

    def cell(self, status: str) -> str:
        """The run's status as one word, for the table's status column."""
        return self.table.get(f"cell.{status}", status)

    def key_help(self, action: str, english: str) -> str:
        """What the key for `action` does, in this language (`english` as `session/keys.py` says it)."""
        return KEY_HELPS[self.language].get(action, english)


class Phrase(str):
    """A message written by code below the app (the progress store), in English, that also knows
    how to be said in another language: its word-table key and values. `Words.say` says it.

    It is a `str` (the English text, exactly): code and tests that only print it need not know.
    """

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Phrase:
        phrase = super().__new__(cls, ENGLISH(key, **values))
        phrase.key, phrase.values = key, values
        return phrase

    def __reduce__(self) -> tuple[object, ...]:
        return _phrase, (self.key, self.values)  # pickled (to another process) as a phrase still


def _phrase(key: str, values: dict[str, object]) -> Phrase:
    return Phrase(key, **values)


ENGLISH = Words()


def choose_language(flag: str | None, environ: Mapping[str, str] | None = None, saved: str = "") -> str:
    """The language to run in: `flag`, else `TUTOR_LANG`, else the `saved` choice, else the locale, else English.

    Args:
        flag: `--lang` as given (None when absent).
        environ: the environment (default: this process's).
        saved: the language remembered with the user's progress (`L` in the app), if any.
    """
    env = os.environ if environ is None else environ
    for wanted in (flag, env.get("TUTOR_LANG"), saved):
        if wanted:
            code = wanted.strip().lower()[:2]
            if code in TABLES:
                return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:  # the first one set decides, as for the C library
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
