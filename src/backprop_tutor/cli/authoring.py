"""The instructor's commands: validate lesson files, replay their `expect`s, print the schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import LessonError
from ..safe_text import printable


def cmd_validate(args: argparse.Namespace) -> int:
    """One summary line per valid file (`lesson03.yaml: 12 pages, 4 questions, ok`); each problem of
    the others as `PATH:LINE: message`, and exit 1."""
    from ..lessons import load_lesson

    failed = False
    for name in args.paths:
        try:
            lesson = load_lesson(Path(name))
        except LessonError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        questions = sum(page.question is not None for page in lesson.pages)
        print(f"{printable(name)}: {_count(len(lesson.pages), 'page')}, {_count(questions, 'question')}, ok")
    return 1 if failed else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate and replay lessons; report every expectation that does not hold."""
    from ..experiments import check_expectations, make_trace
    from ..lessons import find_lesson, lesson_files, lessons_dir, load_lesson

    folder = lessons_dir(args.lessons)
    paths = [find_lesson(n, folder) for n in args.lessons_or_paths] or lesson_files(folder)
    failures = 0
    for path in paths:
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            failures += len(exc.problems)
            for fault in exc.problems:
                print(fault, file=sys.stderr)
            continue
        problems: list[str] = []
        for exp in lesson.experiments():
            problems += check_expectations(exp, make_trace(exp, lesson.datasets[exp.id]))
        for problem in problems:
            print(f"{printable(str(path))}: {printable(problem)}", file=sys.stderr)
        failures += len(problems)
        checked = sum(len(e.expect) for e in lesson.experiments())
        verdict = "ok" if not problems else f"{len(problems)} failed"
        print(f"{lesson.id}: {len(lesson.pages)} pages, {checked} expectations, {verdict}")
    return 1 if failures else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the lesson format."""
    from ..lessons import LessonSpec

    schema = LessonSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "backprop-tutor lesson"
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0

