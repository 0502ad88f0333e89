"""Safe YAML reading that remembers the line of every key, with limits checked before work.

Only PyYAML's safe composer is used, and the node tree is turned into plain Python by our own
walk, so no tag is ever constructed into an object, aliases cannot blow up ("billion laughs"),
and every value keeps the line it came from for error messages. The size, nesting, node and
alias limits are checked while the document is composed, before anything is built from it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from ..errors import LessonError
from ..safe_text import describe, first_unsafe
from .files import decode_text, read_limited
from .limits import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported: its home was here
from .yaml_syntax import syntax_problem

MAX_DEPTH = 32
"""Mappings and lists nested deeper than this are refused."""
MAX_NODES = 100_000
"""A document with more values than this (after expanding aliases) is refused."""
MAX_ALIASES = 100
"""A document using more aliases (`*name`) than this is refused."""
MAX_INTEGER = 10**18
"""A whole number larger than this in size is refused as a typing mistake."""

Location = tuple[Any, ...]

_YAML = "tag:yaml.org,2002:"
_MAP = _YAML + "map"
_SEQ = _YAML + "seq"
_STR = _YAML + "str"
_SAFE_SCALARS = {_STR, _YAML + "int", _YAML + "float", _YAML + "bool", _YAML + "null"}
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "null"}
_TAG_HINTS = {
    _YAML + "timestamp": "reads as a date or time, which a lesson cannot hold: put it in quotes",
    _YAML + "merge": "`<<` is YAML's merge key: put it in quotes to mean the text",
    _YAML + "value": "`=` is a YAML value key: put it in quotes to mean the text",
}
_DIGITS = re.compile(r"[-+]?[0-9_]{19,}")
# The characters YAML refuses (PyYAML's list): checked first, to name the line.
_NOT_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

PURE_PARSER: tuple[type, ...] = (Reader, Scanner, Parser)
"""PyYAML's own reader, scanner and parser, in Python."""
try:  # libyaml scans about four times faster; the composing stays ours, in Python.
    from yaml.cyaml import CParser

    PARSER: tuple[type, ...] = (CParser,)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    PARSER = PURE_PARSER


def read_yaml(path: Path) -> tuple[Any, dict[Location, int]]:
    """Read one YAML document from `path`.

    Returns:
        The document as dicts, lists and scalars, and the 1-based line of each location
        (a tuple of keys and list indexes; `()` is the document itself).

    Raises:
        LessonError: naming the file and line of the first problem.
    """
    return parse_yaml(read_limited(path, MAX_FILE_BYTES, "a lesson"), path)


def parse_yaml(raw: bytes, path: Path | str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML bytes as `read_yaml` does (for text that is not on disk)."""
    if len(raw) > MAX_FILE_BYTES:
        raise LessonError.at(path, 1, f"{len(raw):,} bytes; a lesson may be at most {MAX_FILE_BYTES:,}")
    text = decode_text(raw, path, "a lesson")
    if not text.strip():
        raise LessonError.at(path, 1, "the file is empty: a lesson needs at least `title` and `pages`")
    _check_characters(text, path)
    loader = _loader_class(PARSER)(text, path)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise LessonError.at(path, *syntax_problem(exc, text, MAX_DEPTH)) from None
    except yaml.reader.ReaderError as exc:
        raise LessonError.at(path, 0, f"not plain text: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise LessonError.at(path, 0, f"YAML syntax: {exc}") from None
    except RecursionError:  # the composer's own limit holds first; this is a last guard
        raise LessonError.at(path, 0, f"nested too deeply: at most {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if node is None:
        raise LessonError.at(path, 1, "the file is empty: a lesson needs at least `title` and `pages`")
    return _Walker(path, loader).walk(node)


def _check_characters(text: str, path: Path | str) -> None:
    """Refuse control characters in the raw text, naming the line.

    Escapes (`"\\e"`, `"\\x1b"`, `"\\u009b"`) are caught later, on each string once it is read.
    A tab is not refused here: inside a `text: |` block it is content; where it indents, the
    YAML scanner fails on it and `yaml_syntax.syntax_problem` says so.
    """
    bad = _NOT_TEXT.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise LessonError.at(path, line, f"a control character ({code}) on this line: a lesson is plain text, remove it")


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


class _BoundedComposer(Composer):
    """PyYAML's composer, refusing a document over the limits while it is being composed.

    Counting here, on the events, stops a document that is too deep or too big before its
    node tree is built (and before Python's own recursion limit is near).
    """

    def _start(self, path: Path | str) -> None:
        self.path = path
        self.depth = 0
        self.count = 0
        self.alias_count = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        self.count += 1
        if self.count > MAX_NODES:
            raise LessonError.at(self.path, line, f"too many values: a lesson may hold at most {MAX_NODES:,}")
        if isinstance(event, yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise LessonError.at(self.path, line, f"too many aliases (*name): at most {MAX_ALIASES}")
        if self.depth > MAX_DEPTH:
            raise LessonError.at(self.path, line, f"nested too deeply: at most {MAX_DEPTH} levels")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@functools.cache
def _loader_class(parser: tuple[type, ...]) -> type[_BoundedComposer]:
    """A safe loader over `parser` whose composer counts; only plain scalars are constructed."""

    class Loader(_BoundedComposer, *parser, SafeConstructor, Resolver):  # type: ignore[misc]
        def __init__(self, text: str, path: Path | str) -> None:
            parser[0].__init__(self, text)  # type: ignore[misc]
            for part in parser[1:]:  # the pure-Python scanner and parser take no stream
                part.__init__(self)  # type: ignore[misc]
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start(path)

    return Loader


class _Walker:
    """Turns a composed node tree into Python values and a line map, within the limits."""

    def __init__(self, path: Path | str, loader: SafeConstructor) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[Location, int] = {}
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node) -> tuple[Any, dict[Location, int]]:
        """The document under `node` and the line of each location in it."""
        value = self._value(node, (), 0)
        return value, self.lines

    def _fail(self, node: yaml.Node, message: str) -> LessonError:
        return LessonError.at(self.path, node.start_mark.line + 1, message)

    def _value(self, node: yaml.Node, loc: Location, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(node, f"too many values once aliases are expanded: at most {MAX_NODES:,}")
        if depth > MAX_DEPTH:
            raise self._fail(node, f"nested too deeply: at most {MAX_DEPTH} levels")
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self._fail(node, f"too many aliases (*name): at most {MAX_ALIASES}")
        elif not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self._fail(node, f"the tag {_short_tag(node.tag)} is not allowed: write a plain YAML list")
            return [self._value(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node, key: bool = False) -> Any:
        if node.tag in _TAG_HINTS:
            raise self._fail(node, f"{node.value[:40]!r} {_TAG_HINTS[node.tag]}")
        if node.tag not in _SAFE_SCALARS:
            raise self._fail(node, f"the tag {_short_tag(node.tag)} is not allowed: write plain numbers and text")
        kind = _KINDS.get(node.tag.removeprefix(_YAML), "text")
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError, IndexError, TypeError):
            if _DIGITS.fullmatch(node.value):  # Python refuses to read over 4300 digits
                raise self._fail(node, self._too_large(node)) from None
            raise self._fail(node, f"cannot read {node.value[:40]!r} as {kind} ({_short_tag(node.tag)})") from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise self._fail(node, self._too_large(node))
        if isinstance(value, str) and not key:  # a key is only ever shown escaped, in a message
            self._check_text(node, value)
        return value

    def _check_text(self, node: yaml.ScalarNode, value: str) -> None:
        """Refuse a string that would control the terminal: `"\\e]0;x\\a"`, `"\\u202e"`, a NUL.

        Newlines and tabs are text; every other control, bidi or zero-width character is not,
        whether written raw or as a YAML escape.
        """
        index = first_unsafe(value, multiline=True)
        if index is None:
            return
        line = node.start_mark.line + 1
        if node.style in ("|", ">"):  # a block: its text starts on the line after the indicator
            line += 1 + value.count("\n", 0, index)
        raise LessonError.at(
            self.path, line, f"{describe(value[index])} in this text: a lesson shows plain text only, remove it"
        )

    @staticmethod
    def _too_large(node: yaml.Node) -> str:
        shown = node.value if len(node.value) <= 24 else node.value[:20] + "…"
        return f"{shown} is too large a number (at most {MAX_INTEGER:.0e} in size)"

    def _mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise self._fail(node, f"the tag {_short_tag(node.tag)} is not allowed: write a plain YAML mapping")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                raise self._fail(key_node, "merge keys (<<) are not supported: write the keys out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_SCALARS:
                raise self._fail(key_node, "a key must be plain text")
            key = self._scalar(key_node, key=True)
            if not isinstance(key, str):
                raise self._fail(key_node, f"the key {key_node.value[:40]!r} is not a name: put it in quotes")
            if key in result:
                raise self._fail(key_node, f"duplicate key {key!r}: each key may appear once here")
            self.lines[loc + (key,)] = key_node.start_mark.line + 1
            result[key] = self._value(value_node, loc + (key,), depth + 1)
        return result
