"""Lesson files: the typed format, safe YAML reading with line numbers, data, and templates.

Nothing here imports a user interface. The validating half (pydantic, YAML) is imported only
when first named: `tutor run` on a cached lesson never needs it (see cache.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .catalogue import find_lesson, lesson_files, lessons_dir, shipped_root
from .lesson import Lesson

if TYPE_CHECKING:
    from .loader import load_lesson
    from .model import Experiment, LessonSpec, Page, Question

_LAZY = {
    "load_lesson": "loader",
    "Experiment": "model",
    "LessonSpec": "model",
    "Page": "model",
    "Question": "model",
}

__all__ = [
    "Experiment",
    "Lesson",
    "LessonSpec",
    "Page",
    "Question",
    "find_lesson",
    "lesson_files",
    "lessons_dir",
    "load_lesson",
    "shipped_root",
]


def __getattr__(name: str) -> Any:
    """The validating names, imported on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
