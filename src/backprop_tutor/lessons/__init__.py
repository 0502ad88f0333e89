"""Lesson files: the typed format, safe YAML reading with line numbers, data, and templates.

Nothing here imports a user interface.
"""

from .catalogue import find_lesson, lesson_files, lessons_dir, shipped_root
from .loader import Lesson, load_lesson
from .model import Experiment, LessonSpec, Page, Question

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
