"""Which page `--page` (or `lesson03:5`) names: a number, a page's id, its title as a slug, or
the id of its experiment."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LessonError
from ..safe_text import printable
from .rules import slug

if TYPE_CHECKING:
    from .model import LessonSpec

MAX_NAMED = 12
"""The most page keys a message lists."""


def split_page(name: str) -> tuple[str, str | None]:
    """`lesson03:5` as (`lesson03`, `5`); a name without `:PAGE` (or a file that exists) as (name, None)."""
    lesson, sep, page = name.rpartition(":")
    if not sep or not lesson or not page:
        return name, None
    try:
        if Path(name).exists():  # a file whose name holds a colon is that file
            return name, None
    except (OSError, ValueError):
        pass
    return lesson, page


def typable(key: str) -> str:
    """A page key as a lab keyboard types it: `α` is `alpha` (`l2-α-2-divergence` is `l2-alpha-2-divergence`)."""
    return key.replace("α", "alpha")


def find_page(spec: LessonSpec, wanted: str, path: Path | str) -> int:
    """The 0-based index of the page `wanted` names: `5` (1-based), a page id, a title slug (`alpha` for
    `α`), an experiment id, or words of one page's title only (`divergence`).

    Raises:
        LessonError: no page of the lesson at `path` is named so; says what the pages are.
    """
    text = wanted.strip()
    count = len(spec.pages)
    if text.isascii() and text.isdecimal() and len(text) < 10:
        number = int(text)
        if 1 <= number <= count:
            return number - 1
        raise LessonError.at(path, 0, f"no page {number}: this lesson has pages 1 to {count}")
    keys = [page.key for page in spec.pages]
    experiments = [page.experiment.id if page.experiment else "" for page in spec.pages]
    typed = [typable(key) for key in keys]
    wanted = typable(slug(text))
    for candidates in (keys, [slug(page.title) for page in spec.pages], experiments, typed):
        if text in candidates:
            return candidates.index(text)
        if wanted in candidates:
            return candidates.index(wanted)
    # Words of a title (`divergence`, `one-jump`): the page, if only one has them.
    within = [i for i, key in enumerate(typed) if f"-{wanted}-" in f"-{key}-"]
    if len(within) == 1:
        return within[0]
    close = [typed[i] for i in within] or difflib.get_close_matches(wanted[:100], typed, n=1)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    shown = ", ".join(typed[:MAX_NAMED]) + (", …" if count > MAX_NAMED else "")
    raise LessonError.at(
        path, 0, f"no page {printable(text[:60])!r}{hint} (pages 1 to {count}, or by name: {printable(shown)})"
    )
