"""Safe YAML reading that remembers the line of every key, with limits checked before work.

Only PyYAML's safe composer is used, and the node tree is turned into plain Python by our own
walk, so no tag is ever constructed into an object, aliases cannot blow up ("billion laughs"),
and every value keeps the line it came from for error messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import LessonError

MAX_FILE_BYTES = 1_000_000
"""A lesson file larger than this is refused unread."""
MAX_DEPTH = 32
"""Mappings and lists nested deeper than this are refused."""
MAX_NODES = 100_000
"""A document with more values than this (after expanding aliases) is refused."""
MAX_ALIASES = 100
"""A document using more aliases (`*name`) than this is refused."""

Location = tuple[Any, ...]

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SAFE_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def read_yaml(path: Path) -> tuple[Any, dict[Location, int]]:
    """Read one YAML document from `path`.

    Returns:
        The document as dicts, lists and scalars, and the 1-based line of each location
        (a tuple of keys and list indexes; `()` is the document itself).

    Raises:
        LessonError: naming the file and line of the first problem.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LessonError.at(path, 0, f"cannot read the file: {exc.strerror or exc}") from None
    if not path.is_file():
        raise LessonError.at(path, 0, "not a file")
    if size > MAX_FILE_BYTES:
        raise LessonError.at(path, 1, f"file is {size:,} bytes; a lesson may be at most {MAX_FILE_BYTES:,}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LessonError.at(path, 0, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes, path: Path | str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML bytes as `read_yaml` does (for text that is not on disk)."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise LessonError.at(path, line, "binary data (a NUL byte): a lesson is a UTF-8 text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LessonError.at(path, line, "not UTF-8 text: save the lesson as UTF-8") from None
    if not text.strip():
        raise LessonError.at(path, 1, "the file is empty: a lesson needs at least `title` and `pages`")
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise LessonError.at(path, number, "a tab in the indentation: YAML indents with spaces only")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or str(exc)
        if exc.context and "single document" in str(exc.context):
            what = "more than one YAML document (`---`): a lesson is one document"
        raise LessonError.at(path, line, f"YAML syntax: {what}") from None
    except yaml.YAMLError as exc:
        raise LessonError.at(path, 0, f"YAML syntax: {exc}") from None
    except RecursionError:
        raise LessonError.at(path, 0, f"nested too deeply: at most {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if node is None:
        raise LessonError.at(path, 1, "the file is empty: a lesson needs at least `title` and `pages`")
    return _Walker(path, loader).walk(node)


class _Walker:
    """Turns a composed node tree into Python values and a line map, within the limits."""

    def __init__(self, path: Path | str, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[Location, int] = {}
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node) -> tuple[Any, dict[Location, int]]:
        value = self._value(node, (), 0)
        return value, self.lines

    def _fail(self, node: yaml.Node, message: str) -> LessonError:
        return LessonError.at(self.path, node.start_mark.line + 1, message)

    def _value(self, node: yaml.Node, loc: Location, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(node, f"too many values: a lesson may hold at most {MAX_NODES:,}")
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
                raise self._fail(node, f"the tag {node.tag} is not allowed: use plain YAML lists")
            return [self._value(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _SAFE_SCALARS:
            raise self._fail(node, f"the tag {node.tag} is not allowed: use plain numbers and text")
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._fail(node, f"cannot read this value: {exc}") from None

    def _mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise self._fail(node, f"the tag {node.tag} is not allowed: use plain YAML mappings")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(key_node, "merge keys (<<) are not supported: write the keys out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_SCALARS:
                raise self._fail(key_node, "a key must be plain text")
            key = self.loader.construct_object(key_node)
            if key in result:
                raise self._fail(key_node, f"duplicate key {key!r}: each key may appear once here")
            self.lines[loc + (key,)] = key_node.start_mark.line + 1
            result[key] = self._value(value_node, loc + (key,), depth + 1)
        return result
