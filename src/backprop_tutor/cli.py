"""The `tutor` command: list, validate, check, trace, schema, run.

Thin by design: each command loads lessons, asks the engine or the app, and prints. A bad lesson
is reported as `PATH:LINE: message` with exit status 1, never as a traceback. Only `run`
imports the user interface.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LessonError
from .number_format import is_number
from .safe_text import printable

if TYPE_CHECKING:
    from .progress import ProgressStore


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(_glue_negative_numbers(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    from .progress import ProgressError

    try:
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # here, where a full disk can be told, not at exit as a traceback
        return status
    except LessonError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except ProgressError as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `tutor trace ... | head`
        _drop_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # `tutor trace > /dev/full`, a folder that cannot be read
        _drop_stdout()
        where = f" ({printable(str(exc.filename))})" if exc.filename else ""
        print(f"tutor: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit cannot fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout closed or not a file: nothing left to flush into
        pass


_NUMBER_OPTIONS = ("--alpha", "--steps")


def _glue_negative_numbers(argv: list[str]) -> list[str]:
    """`--alpha -1e-3` as `--alpha=-1e-3`: argparse takes `-1e-3` or `-inf` for an option name."""
    glued: list[str] = []
    for arg in argv:
        if glued and glued[-1] in _NUMBER_OPTIONS and arg.startswith("-") and is_number(arg):
            glued[-1] = f"{glued[-1]}={arg}"
        else:
            glued.append(arg)
    return glued


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor", description="Step through linear regression and back-propagation, one update at a time."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def lessons_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lessons", metavar="DIR", help="a folder of lesson files (default: the shipped course)")

    def state_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--state-dir", metavar="DIR", help="where progress is kept (default: $TUTOR_STATE_DIR or your state folder)"
        )

    p = sub.add_parser("list", help="list the lessons, each marked done, in progress or new")
    lessons_option(p)
    state_option(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("progress", help="where you are in each lesson")
    state_option(p)
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(handler=cmd_progress)

    p = sub.add_parser("reset", help="forget your progress in one lesson (or all)")
    p.add_argument("lesson", nargs="?", metavar="LESSON", help="lesson03, 3 or a path; all lessons when absent")
    lessons_option(p)
    state_option(p)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_reset)

    p = sub.add_parser("validate", help="check lesson files; print PATH:LINE: problem for each fault")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("check", help="validate lessons and replay them, verifying every `expect`")
    p.add_argument("lessons_or_paths", nargs="*", metavar="LESSON", help="default: every lesson")
    lessons_option(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("trace", help="run a lesson's experiments headlessly and print the states")
    p.add_argument("lesson", metavar="LESSON_OR_PATH")
    lessons_option(p)
    p.add_argument("--experiment", metavar="ID", help="only this experiment (overrides apply to it)")
    p.add_argument("--alpha", type=float, metavar="A", help="learning rate α")
    p.add_argument("--init", action="append", default=[], metavar="NAME=VALUE", help="a start value, e.g. w=3")
    p.add_argument("--data", type=Path, metavar="CSV", help="data from this CSV (header x,y or x1..xn,y)")
    p.add_argument("--loss", choices=("l1", "l2"))
    p.add_argument("--steps", type=int, metavar="N", help="number of updates")
    p.add_argument("--dtype", choices=("float32", "float64"))
    p.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
    p.set_defaults(handler=cmd_trace)

    p = sub.add_parser("schema", help="print the JSON Schema of the lesson format")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser("run", help="open a lesson in the terminal app")
    p.add_argument("lesson", metavar="LESSON", help="lesson03, 3, or a path to a YAML file")
    lessons_option(p)
    p.add_argument("--ascii", action="store_true", help="ASCII-only plots and borders")
    p.add_argument("--no-color", action="store_true", help="monochrome (also when NO_COLOR is set, or TERM=dumb)")
    p.add_argument(
        "--no-mouse", action="store_true",
        help="leave the mouse to the terminal, so text selects without Shift (PuTTY; also TUTOR_NO_MOUSE=1)",
    )
    p.add_argument("--restart", action="store_true", help="start the lesson over instead of resuming")
    state_option(p)
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("serve", help="serve the app to your web browser, behind a secret link (needs textual-serve)")
    p.add_argument("lesson", nargs="?", default="lesson01", metavar="LESSON")
    lessons_option(p)
    state_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument(
        "--token", help="the secret in the link (default: a new random one; $TUTOR_SERVE_TOKEN is safer: ps shows this)"
    )
    p.add_argument("--max-sessions", type=int, default=2, metavar="N", help="browser tabs at once (default: 2)")
    p.add_argument("--allow-remote", action="store_true", help="let --host be an address other machines reach")
    p.set_defaults(handler=cmd_serve)
    return parser


# -- commands ------------------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> ProgressStore:
    """The user's progress store (`ProgressError` when there is no place for it)."""
    from .progress import ProgressStore, state_dir

    return ProgressStore(state_dir(args.state_dir))


def cmd_list(args: argparse.Namespace) -> int:
    """One line per lesson: its id, whether it is new, in progress or done, then its title."""
    from .lessons import lesson_files, lessons_dir
    from .lessons.catalogue import progress_key_for
    from .lessons.titles import read_title
    from .progress import ProgressError

    files = lesson_files(lessons_dir(args.lessons))
    try:
        store = _store(args)
        saved = store.load()
        notice = store.notice
    except ProgressError as exc:  # no home folder: the lessons are still worth listing
        saved, notice = {}, str(exc)
    if notice:
        print(notice, file=sys.stderr)
    for path in files:
        title = read_title(path)
        shown = title if title is not None else "(invalid: run tutor validate)"
        entry = saved.get(progress_key_for(path))
        mark = "new" if entry is None else "done" if entry.done else "in progress"
        print(f"{printable(path.stem):<10} {mark:<12} {printable(shown)}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    """Print where the student is in each lesson (or the raw entries as JSON)."""
    store = _store(args)
    saved = store.load()  # every string in it is cleaned for the terminal as it is read
    if store.notice:
        print(store.notice, file=sys.stderr)
    if args.json:
        print(json.dumps({k: v.to_json() for k, v in sorted(saved.items())}, indent=2, ensure_ascii=False))
        return 0
    if not saved:
        print(f"No progress yet (kept in {printable(str(store.path))}).")
        return 0
    for lesson_key, entry in sorted(saved.items()):
        right = sum(a.right for a in entry.answers.values())
        state = "done" if entry.done else "in progress"
        print(f"{printable(lesson_key):<10} {state:<12} page {entry.page + 1}/{entry.pages}  "
              f"questions right {right}/{len(entry.answers)}  ({printable(entry.page_title)})")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    """Forget progress after a confirmation.

    A lesson is named as `tutor run` names it (`3`, `lesson03`, a path), or by the key
    `tutor progress` shows; a name that is neither is an error, not "nothing to forget".
    """
    store = _store(args)
    key = None if args.lesson is None else _reset_key(args.lesson, args.lessons, store)
    what = f"your progress in {printable(key)}" if key else "all your progress"
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"Not forgetting {what}: add --yes to confirm.", file=sys.stderr)
            return 1
        reply = input(f"Forget {what}? [y/N] ").strip().lower()
        if reply not in ("y", "yes"):
            print("Nothing forgotten.")
            return 0
    gone = store.forget(key)
    print(f"Forgot {', '.join(map(printable, gone))}." if gone else "Nothing to forget.")
    return 0


def _reset_key(name: str, lessons: str | None, store: ProgressStore) -> str:
    """The progress key `tutor reset NAME` means; a `LessonError` for a lesson that does not exist."""
    from .lessons import find_lesson, lessons_dir
    from .lessons.catalogue import lesson_id_for, progress_key_for

    if name in store.load() or lesson_id_for(name) in store.load():  # also a lesson whose file is gone
        return name if name in store.load() else lesson_id_for(name)
    path = find_lesson(name, lessons_dir(lessons))
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        raise LessonError.at(path, 0, "not a lesson file: name a lesson as tutor list shows it, or its .yaml file")
    return progress_key_for(path)


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 if every file is a valid lesson; else print each problem and exit 1."""
    from .lessons import load_lesson

    failed = False
    for name in args.paths:
        try:
            load_lesson(Path(name))
        except LessonError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate and replay lessons; report every expectation that does not hold."""
    from .experiments import check_expectations, make_trace
    from .lessons import find_lesson, lesson_files, lessons_dir, load_lesson

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
    from .lessons import LessonSpec

    schema = LessonSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "backprop-tutor lesson"
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    """Run experiments headlessly; print states (and graph events) as a table, JSONL or CSV."""
    from .experiments import Overrides, apply_overrides, make_trace
    from .lessons import find_lesson, lessons_dir, load_lesson
    from .lessons.loader import check_work

    lesson = load_lesson(find_lesson(args.lesson, lessons_dir(args.lessons)))
    experiments = lesson.experiments()
    if args.experiment:
        ids = [e.id for e in experiments]
        if args.experiment not in ids:
            raise LessonError.at(lesson.path, 0, f"no experiment {args.experiment!r} (experiments: {', '.join(ids)})")
        experiments = [experiments[ids.index(args.experiment)]]
    if not experiments:
        raise LessonError.at(lesson.path, 0, "this lesson has no experiments to trace")
    overrides = Overrides(
        alpha=args.alpha,
        init=dict(_name_value(item) for item in args.init),
        loss=args.loss,
        steps=args.steps,
        dtype=args.dtype,
        data=args.data,
    )
    from .export import finite_or_null, trace_records, write_csv, write_table

    runs = []
    total = 0
    for exp in experiments:
        exp, data = apply_overrides(exp, lesson.datasets[exp.id], overrides)
        total = check_work(exp, data, "command line", 0, total)
        trace = make_trace(exp, data)
        trace.extend_to(exp.steps)
        runs.append((exp, trace))
    out = sys.stdout
    if args.format == "jsonl":
        for exp, trace in runs:
            for record in trace_records(lesson, exp, trace):
                out.write(json.dumps(finite_or_null(record), ensure_ascii=False, allow_nan=False) + "\n")
    elif args.format == "csv":
        write_csv(((lesson.id, exp.id, trace) for exp, trace in runs), out)
    else:
        for exp, trace in runs:
            write_table(lesson, exp, trace, out)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Open the lesson in the terminal app (imported only now: it is the heavy part)."""
    from .lessons import find_lesson, lessons_dir, load_lesson
    from .progress import ProgressStore, state_dir

    lesson = load_lesson(find_lesson(args.lesson, lessons_dir(args.lessons)))
    # Textual needs a terminal to draw in and read keys from; piped, it would wait forever.
    # (textual-serve runs us with its web driver named in TEXTUAL_DRIVER: no terminal needed.)
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("tutor run needs a terminal (its input or output is a pipe or a file); "
              "for a run without one, try: tutor trace " + printable(args.lesson[:100]), file=sys.stderr)
        return 1
    store = ProgressStore(state_dir(args.state_dir))
    from .tui.launch import run_app

    return run_app(
        lesson, ascii_only=args.ascii, no_color=args.no_color, mouse=not args.no_mouse, store=store, restart=args.restart
    )


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve `tutor run LESSON` in a browser, to whoever has the printed link (see serve.py)."""
    from .lessons import find_lesson, lessons_dir, load_lesson

    lesson = load_lesson(find_lesson(args.lesson, lessons_dir(args.lessons)))  # fail here, not in the browser
    try:
        from . import serve
    except ImportError as exc:  # the `serve` extra is absent; the message says how to add it here
        print(f"tutor serve needs textual-serve; {exc}", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "backprop_tutor", "run", str(lesson.path)]
    if args.state_dir:
        command += ["--state-dir", args.state_dir]
    return serve.serve(
        command,
        title=f"backprop-tutor: {lesson.title}",
        host=args.host,
        port=args.port,
        token=args.token or serve.token_from_environment(),
        max_sessions=args.max_sessions,
        allow_remote=args.allow_remote,
    )


# -- output --------------------------------------------------------------------------------------


def _name_value(item: str) -> tuple[str, float]:
    name, sep, value = item.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise LessonError.at("command line", 0, f"--init {item!r}: write NAME=VALUE, e.g. --init w=3") from None
