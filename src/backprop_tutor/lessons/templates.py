"""Live numbers in lesson text: `{w}`, `{E:.3f}`, `{next_w}` filled in from the current state.

Templates are not code: a placeholder is a bare variable name with an optional numeric format;
nothing is evaluated, and `{{` / `}}` stand for literal braces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

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


def check_spec(spec: str) -> bool:
    """True if `spec` is a format spec a number accepts (e.g. `.3f`, `8.2g`)."""
    try:
        format(1.5, spec)
    except (ValueError, TypeError):
        return False
    return len(spec) <= 12


def format_number(value: float, spec: str | None = None) -> str:
    """A number as a student reads it: `2.6`, `18.6667`, `4.00001`, `1.2e+17`, `-5`."""
    if isinstance(value, str):
        return value
    if spec:
        text = format(value, spec)
        if text.startswith("-") and not any(c in "123456789" for c in text.split("e")[0]):
            text = text[1:]  # -0.000 is just 0.000 to a reader
    elif not math.isfinite(value):
        text = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    elif value == int(value) and abs(value) < 1e9:
        text = str(int(value))
    elif abs(value) >= 1e6 or abs(value) < 1e-4:
        text = f"{value:.4g}"
    else:
        text = f"{value:.6g}"
    return text


def render(text: str, values: Mapping[str, float | str], missing: str = "…") -> str:
    """`text` with each placeholder replaced by its value (or `missing` when there is none)."""

    def substitute(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        name, spec = match.group(1), match.group(2)
        if name not in values:
            return missing
        return format_number(values[name], spec)

    return PLACEHOLDER.sub(substitute, text)
