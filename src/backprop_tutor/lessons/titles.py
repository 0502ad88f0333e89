"""A lesson's title for `tutor list`, read without building the lesson.

`tutor list` shows one line per file; building every lesson whole to show its title made a
folder of large lessons take minutes. Here the YAML is only scanned, event by event, until the
top-level `title` has been read, within the same size and character limits as the loader.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import LessonError
from .files import decode_text, read_limited
from .yaml_source import MAX_FILE_BYTES, PARSER, _check_characters, _loader_class


def read_title(path: Path) -> str | None:
    """The top-level `title` of the lesson at `path`, or None when the file is not a lesson we can read.

    Only the events up to the title are parsed; the file is not validated (`tutor validate` does that).
    """
    try:
        text = decode_text(read_limited(path, MAX_FILE_BYTES, "a lesson"), path, "a lesson")
        _check_characters(text, path)
    except LessonError:
        return None
    loader = _loader_class(PARSER)(text, path)
    try:
        return _scan(loader)
    except (yaml.YAMLError, LessonError, RecursionError):
        return None
    finally:
        loader.dispose()


def _scan(loader: yaml.Loader) -> str | None:
    """Walk the events of the top mapping: its keys at depth 1, skipping whole values until `title`."""
    for expected in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent):
        if not isinstance(loader.get_event(), expected):
            return None
    while not loader.check_event(yaml.MappingEndEvent):
        key = loader.get_event()
        if not isinstance(key, yaml.ScalarEvent):
            return None
        if key.value == "title":
            value = loader.get_event()
            return value.value if isinstance(value, yaml.ScalarEvent) and value.value.strip() else None
        _skip_value(loader)
    return None


def _skip_value(loader: yaml.Loader) -> None:
    """Consume one value's events (a scalar, an alias, or a whole collection)."""
    depth = 0
    while True:
        event = loader.get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if depth == 0:
            return
