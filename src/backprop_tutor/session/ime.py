"""Keys typed with a Korean input method: full-width forms, and Hangul letters for the lesson keys.

With the input method on, a digit may arrive full-width (`１`, `．`, `－`): NFKC makes it the
ASCII one, in answers and for keys. In Hangul mode a letter key types a jamo (`n` is `ㅜ` on
the standard two-set keyboard, 두벌식): outside the answer box it is read as the key it sits on,
so `n`, `b`, `q` and the rest work without switching the input method off. Shift gives another
jamo only on seven keys (`ㅃ` is `Q`); on the others it types the same jamo (Shift+L is `ㅣ`, read
as `l`), so the language key `L` has `ctrl+l` beside it, which an input method passes through as is.
"""

from __future__ import annotations

import unicodedata

DUBEOLSIK = dict(
    zip(
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
        "qwertyuiopasdfghjklzxcvbnmQWERTOP",
    )
)
"""The Latin key under each jamo of the standard Korean keyboard (shifted jamo: capital letters)."""


def typed(character: str | None) -> str | None:
    """`character` in its plain form: full-width digits, point and minus as ASCII (NFKC)."""
    if not character or character.isascii():
        return character
    plain = unicodedata.normalize("NFKC", character)
    return plain if len(plain) == 1 else character


def as_key(character: str | None) -> str | None:
    """The lesson key a character means: a jamo typed in Hangul mode is the Latin key it sits on."""
    if character in DUBEOLSIK:  # before NFKC, which turns these jamo into their conjoining forms
        return DUBEOLSIK[character]
    return typed(character)


def plain_reply(reply: str) -> str:
    """An answer as typed, full-width forms made ASCII (`－１．５` is `-1.5`)."""
    return unicodedata.normalize("NFKC", reply)
