"""A YAML syntax error in an instructor's words, on the line to fix.

PyYAML (and libyaml, in other words) reports where its scanner gave up, which is often the
line *after* the mistake: a key without its `:` is noticed at the next line, a quote or a `[`
left open at the end of the file. Here each common mistake is named with what to write
instead, at the line where it was made. Both parsers' wordings are understood.
"""

from __future__ import annotations

import re

import yaml

MAX_SHOWN = 40
"""The most characters of a line quoted back in a message."""


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, max_depth: int) -> tuple[int, str]:
    """The line (0: none known) and the message for a YAML syntax error.

    Args:
        exc: the parser's error.
        text: the document, to read the lines named.
        max_depth: the nesting limit, for the parser's own nesting complaint.
    """
    lines = text.splitlines()
    problem_line = exc.problem_mark.line + 1 if exc.problem_mark else 0
    context_line = exc.context_mark.line + 1 if exc.context_mark else 0
    line = problem_line or context_line
    problem, context = exc.problem or "", exc.context or ""
    if exc.problem_mark and 0 < line <= len(lines):
        line_text = lines[line - 1]
        if "\t" in line_text[: len(line_text) - len(line_text.lstrip(" \t"))]:
            return line, "a tab in the indentation: YAML indents with spaces only"
    if "single document" in context:
        return line, "more than one YAML document (`---`): a lesson is one document"
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000), met while scanning ahead
        return line, f"nested too deeply: at most {max_depth} levels"
    if "simple key" in context and context_line:
        return context_line, _no_colon(_shown(lines, context_line))
    if "quoted scalar" in context and context_line:
        return context_line, "a quote opened on this line is never closed: end the text with the same quote (' or \")"
    if "flow sequence" in context and context_line:
        return context_line, "a `[` opened on this line is never closed: end the list with `]`, items separated by `,`"
    if "flow mapping" in context and context_line:
        return context_line, "a `{` opened on this line is never closed: end it with `}`, entries separated by `,`"
    opened = _open_quote(lines, context_line or 1, line)
    if opened is not None and ("block" in context or "mapping values" in problem):
        return opened, (
            f"a quote opened on this line is not closed on it, so YAML reads on to the next quote (line {line}): "
            "close it on this line"
        )
    if "mapping values are not allowed" in problem and line:
        return _colon_not_allowed(lines, line, exc.problem_mark.column if exc.problem_mark else 0)
    if "block collection" in context and ("expected '-'" in problem or "<block end>" in problem):
        return line, (
            f"this line does not line up with the list that starts on line {context_line}: indent it like the keys "
            "of the item above, or start a new item with `- `"
        )
    if "block mapping" in context and ("expected key" in problem or "<block end>" in problem):
        if line == context_line:
            return line, "text after a closing quote: put the whole text inside the quotes"
        above = _line_above(lines, line)
        if above and _lost_colon(lines[above - 1]) and _column(lines[above - 1]) == _column(lines[line - 1]):
            return above, _no_colon(_shown(lines, above))  # a key of this mapping, one line up, without its `:`
        return line, (
            f"this line does not line up with the keys above it (the mapping from line {context_line}): "
            "indent it like them"
        )
    what = problem or context or "not valid YAML"
    if context and problem and context_line and context_line != line:
        what += f" ({context} on line {context_line})"
    return line, f"YAML syntax: {what}"


_VALUE_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+|-\s+)?(["'])""")


def _open_quote(lines: list[str], start: int, end: int) -> int | None:
    """The line from `start` to before `end` whose value opens a quote that closes only on line `end`.

    A quoted text may go on over lines; one that runs on to where the parser failed is the mistake.
    """
    for number in range(max(start, 1), min(end, len(lines) + 1)):
        text = lines[number - 1]
        match = _VALUE_QUOTE.match(text)
        if not match:
            continue
        quote = match.group(1)
        if quote in _unescaped(text[match.end():], quote):
            continue
        closing = next((n for n in range(number + 1, len(lines) + 1) if quote in _unescaped(lines[n - 1], quote)), None)
        return number if closing == end else None
    return None


def _unescaped(text: str, quote: str) -> str:
    """`text` without escaped quotes (`''` in single quotes, a backslash and any character in double)."""
    return text.replace("''", "") if quote == "'" else re.sub(r"\\.", "", text)


def _shown(lines: list[str], line: int) -> str:
    """Line `line`, stripped and cut to `MAX_SHOWN` characters."""
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _line_above(lines: list[str], line: int) -> int:
    """The nearest line above `line` that holds more than a comment (0: none)."""
    above = line - 1
    while above > 0 and (not lines[above - 1].strip() or lines[above - 1].lstrip().startswith("#")):
        above -= 1
    return above


def _lost_colon(text: str) -> bool:
    """True when `text` reads as a key that lost its `:` (`id a  # note`, `- title one`): words with
    no `:` before a comment, neither a quoted text, a list, a block text's sign nor a bare `-`."""
    content = re.sub(r"\s#.*$", "", text).strip()
    content = content[2:].lstrip() if content.startswith("- ") else content
    return bool(content) and ":" not in content and not content.startswith(("-", "[", "{", '"', "'", "|", ">"))


def _column(text: str) -> int:
    """Where a line's key starts: after its indentation, and after `- ` on a list item."""
    stripped = text.lstrip(" ")
    column = len(text) - len(stripped)
    return column + 2 if stripped.startswith("- ") else column


def _no_colon(shown: str) -> str:
    return (
        f"no `:` after {shown!r}: write `key: value` (a line that goes on with the text above is indented like "
        "that text)"
    )


def _colon_not_allowed(lines: list[str], line: int, column: int) -> tuple[int, str]:
    """A `key:` where YAML reads text: a value holding `: `, a key indented too deep, or the
    line above without its `:`.

    YAML reads a line without `:` and the next as one text; the `:` on the second is then
    refused, so the mistake is on the line above when that line holds no `:` at all.
    """
    text = lines[line - 1] if line <= len(lines) else ""
    first = text.find(":")
    if 0 <= first < column:
        return line, "this value holds `: `, which YAML reads as another key: put the value in quotes"
    above = _line_above(lines, line)
    if above and _lost_colon(lines[above - 1]):
        return above, _no_colon(_shown(lines, above))
    key = text.strip().split(":", 1)[0][:MAX_SHOWN]
    return line, (
        f"`{key}:` cannot start a key here: line it up with the keys above it (a text that holds `: ` "
        "goes in quotes)"
    )
