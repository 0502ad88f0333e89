"""Live numbers in lesson text: `{w}`, `{E:.3f}`, `{next_w}` filled in from the current state.

Templates are not code: a placeholder is a bare variable name with an optional numeric format;
nothing is evaluated, and `{{` / `}}` stand for literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..number_format import format_number

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}")

BASE_VARIABLES: tuple[str, ...] = ("step", "alpha", "E", "status", "slope", "h", "e", "E_nudged", "numerical_slope")
"""Variables every experiment page knows; parameters add `w`, `dE_dw`, `next_w` (and b, w1..)."""


def variables_for(param_names: Iterable[str]) -> set[str]:
    """Every variable a page with these parameters may name."""
    names = set(BASE_VARIABLES)
    for p in param_names:
        names |= {p, f"dE_d{p}", f"next_{p}"}
    return names


def placeholders(text: str) -> list[tuple[str, str | None, int]]:
    """Each placeholder in `text` as (name, format spec or None, 0-based line within the text)."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        if match.group(1):
            found.append((match.group(1), match.group(2), text.count("\n", 0, match.start())))
    return found


def lone_braces(text: str) -> list[tuple[str, int]]:
    """Each `{` or `}` of `text` that is neither part of a placeholder nor doubled (`{{`), as
    (the brace, 0-based line within the text): shown as typed, it is most likely a typo."""
    taken = [False] * len(text)
    for match in PLACEHOLDER.finditer(text):
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    return [(c, text.count("\n", 0, i)) for i, c in enumerate(text) if c in "{}" and not taken[i]]


def check_spec(spec: str) -> bool:
    """True if `spec` is a format spec a number accepts (e.g. `.3f`, `8.2g`)."""
    try:
        format(1.5, spec)
    except (ValueError, TypeError):
        return False
    return len(spec) <= 12


OPERATORS = "·×*−-+/"
"""A negative number right after one of these is put in brackets: `1·(-4)`, never `1·-4`."""


def render(text: str, values: Mapping[str, float | str], missing: str = "…") -> str:
    """`text` with each placeholder replaced by its value (or `missing` when there is none).

    A negative number standing right after an operator is bracketed, so a formula an author
    wrote as `{w} − {alpha}·{slope}` reads `-1 − 1·(-4)` in the one sign style of the screen.
    """

    def substitute(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        name, spec = match.group(1), match.group(2)
        if name not in values:
            return missing
        shown = format_number(values[name], spec)
        before = text[: match.start()].rstrip()
        if shown.startswith("-") and before and before[-1] in OPERATORS:
            return f"({shown})"
        return shown

    return PLACEHOLDER.sub(substitute, text)
