"""The instructor's commands: validate lesson files, replay their `expect`s, print the schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LessonError
from ..safe_text import printable

if TYPE_CHECKING:
    from ..lessons import Lesson
    from ..lessons.yaml_source import Location


def cmd_validate(args: argparse.Namespace) -> int:
    """One summary line per valid file (`lesson03.yaml: 12 pages, 4 questions, ok`); each problem of
    the others as `PATH:LINE: message`, and exit 1."""
    from ..lessons import load_lesson
    from ..lessons.translation import english_path_for, load_translated, load_translation_file, translations_of

    failed = False
    for name in args.paths:
        path = Path(name)
        try:
            if english_path_for(path) is not None:  # a translation, checked against its English lesson
                _summary(name, load_translation_file(path))
                continue
            lesson = load_lesson(path)
        except LessonError as exc:
            failed = True
            _print_problems(exc)
            continue
        # Translations first: the lesson's line says "ok" only when its translations are too.
        good, faults = [], 0
        for language, translated in translations_of(path):
            try:
                good.append((str(translated), load_translated(lesson, translated, language)))
            except LessonError as exc:
                failed, faults = True, faults + len(exc.problems)
                _print_problems(exc)
        _summary(name, lesson, faults)
        for translated_name, translated_lesson in good:
            _summary(translated_name, translated_lesson)
    return 1 if failed else 0


def _summary(name: str, lesson: Lesson, faults_in_translations: int = 0) -> None:
    questions = sum(page.question is not None for page in lesson.pages)
    verdict = "ok" if not faults_in_translations else f"its translation: {_count(faults_in_translations, 'problem')} (above)"
    print(f"{printable(name)}: {_count(len(lesson.pages), 'page')}, {_count(questions, 'question')}, {verdict}")


def _print_problems(exc: LessonError) -> None:
    for problem in exc.problems:  # in English, whatever the language: instructors grep them
        print(problem, file=sys.stderr)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate and replay lessons; report every expectation that does not hold."""
    from ..experiments import expectation_failures, make_trace
    from ..lessons import find_lesson, lessons_dir, load_lesson
    from ..lessons.catalogue import course_files
    from ..lessons.translation import english_path_for, translations_of

    folder = lessons_dir(args.lessons)
    paths = [find_lesson(n, folder) for n in args.lessons_or_paths] or course_files(folder)
    # A translation named by its path is checked with its lesson.
    paths = [english_path_for(p) or p for p in paths]
    failures = 0
    for path in paths:
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            failures += len(exc.problems)
            for fault in exc.problems:
                print(fault, file=sys.stderr)
            continue
        problems: list[tuple[Location, str]] = []
        for index, page in enumerate(lesson.pages):
            if exp := page.experiment:
                for number, problem in expectation_failures(exp, make_trace(exp, lesson.datasets[exp.id])):
                    problems.append((("pages", index, "experiment", "expect", number), problem))
        lines = _lines_of(path) if problems else {}
        for where, problem in problems:
            print(f"{printable(str(path))}:{_nearest_line(lines, where)}: {printable(problem)}", file=sys.stderr)
        failures += len(problems)
        checked = sum(len(e.expect) for e in lesson.experiments())
        verdict = "ok" if not problems else f"{len(problems)} failed"
        print(f"{lesson.id}: {len(lesson.pages)} pages, {checked} expectations, {verdict}")
        for language, translated in translations_of(path):
            failures += _check_translation(lesson, translated, language, checked, verdict)
    return 1 if failures else 0


def _lines_of(path: Path) -> dict[Location, int]:
    """The line of every key and item of the lesson file (read again: the lesson cache keeps none)."""
    from ..lessons.files import read_limited
    from ..lessons.limits import MAX_FILE_BYTES
    from ..lessons.yaml_source import parse_yaml

    try:
        return parse_yaml(read_limited(path, MAX_FILE_BYTES, "a lesson"), path)[1]
    except (LessonError, OSError):  # it was read a moment ago; if it changed since, say line 1
        return {}


def _nearest_line(lines: dict[Location, int], where: Location) -> int:
    """The line of `where`, else of the closest enclosing key it is written under (never 0)."""
    for end in range(len(where), 0, -1):
        if where[:end] in lines:
            return lines[where[:end]]
    return 1


def _check_translation(lesson: Lesson, path: Path, language: str, checked: int, verdict: str) -> int:
    """Validate one translation and replay its pages; returns the number of failures."""
    from ..lessons.translation import load_translated
    from ..session.replay import replay_pages

    try:
        translated = load_translated(lesson, path, language)
    except LessonError as exc:
        _print_problems(exc)
        return len(exc.problems)
    problems = replay_pages(translated)
    for problem in problems:
        print(f"{printable(str(path))}: {printable(problem)}", file=sys.stderr)
    if problems:
        verdict = f"{len(problems)} pages failed"
    # The experiments are the English file's: their expectations were checked just above.
    print(f"{lesson.id} ({language}): {len(translated.pages)} pages, {checked} expectations, {verdict}")
    return len(problems)


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the lesson format (or, with `--translation`, of a translation file)."""
    from ..lessons import LessonSpec
    from ..lessons.translation_schema import TranslationSpec

    translation = getattr(args, "translation", False)
    schema = (TranslationSpec if translation else LessonSpec).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "backprop-tutor lesson translation" if translation else "backprop-tutor lesson"
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0

