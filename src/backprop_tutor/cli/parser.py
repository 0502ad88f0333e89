"""The commands `tutor` knows and their options; each names the function that carries it out."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from .authoring_options import add_authoring_options, add_new_command

Handler = Callable[[argparse.Namespace], int]


def command(module: str, name: str) -> Handler:
    """The function `name` of `cli/<module>.py` that carries a command out, imported only when that
    command runs: `tutor run` starts without the code of `trace` or `check`."""

    def handler(args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(f"{__package__}.{module}"), name)(args) or 0)

    handler.__qualname__ = f"{module}.{name}"
    return handler


NUMBER_OPTIONS = ("--alpha", "--steps")
"""Options whose value may be negative: `--alpha -1e-3` is glued to `--alpha=-1e-3` before parsing."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor", description="Step through linear regression and back-propagation, one update at a time."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def lessons_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lessons", metavar="DIR", help="a folder of lesson files (default: the shipped course)")

    def state_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--state-dir", metavar="DIR", help="where progress is kept (default: $TUTOR_STATE_DIR or your state folder)"
        )

    def language_option(p: argparse.ArgumentParser, remembered: bool = False) -> None:
        said = "the language, remembered for later runs as L is" if remembered else "the language"
        p.add_argument("--lang", choices=("en", "ko"), help=f"{said} (default: $TUTOR_LANG, the one chosen last, your locale)")

    p = sub.add_parser("list", help="list the lessons, each marked done, in progress or new")
    lessons_option(p)
    state_option(p)
    language_option(p)
    p.set_defaults(handler=command("course", "cmd_list"))

    p = sub.add_parser("progress", help="where you are in each lesson")
    state_option(p)
    p.add_argument("--json", action="store_true", help="as JSON")
    language_option(p)
    p.set_defaults(handler=command("course", "cmd_progress"))

    p = sub.add_parser("reset", help="forget your progress in one lesson (or all)")
    p.add_argument("lesson", nargs="?", metavar="LESSON", help="lesson03, 3 or a path; all lessons when absent")
    lessons_option(p)
    state_option(p)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    language_option(p)
    p.set_defaults(handler=command("course", "cmd_reset"))

    p = sub.add_parser("validate", help="check lesson files; print PATH:LINE: problem for each fault")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=command("authoring", "cmd_validate"))

    p = sub.add_parser("check", help="validate lessons and replay them, verifying every `expect`")
    p.add_argument("lessons_or_paths", nargs="*", metavar="LESSON", help="default: every lesson (the course's, and ./lessons')")
    lessons_option(p)
    p.set_defaults(handler=command("authoring", "cmd_check"))

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
    p.add_argument("--compare", metavar="NAME=V1,V2", help="runs side by side, e.g. alpha=0.1,1,2 or loss=l1,l2 or w=-2,3")
    p.add_argument("--until", metavar="WHAT", help="stop at sign-change, overshoot, converged, oscillating, diverged, stalled or 'E<1e-6'")
    p.set_defaults(handler=command("tracing", "cmd_trace"))

    add_new_command(sub)

    p = sub.add_parser("schema", help="print the JSON Schema of the lesson format")
    p.add_argument("--translation", action="store_true", help="the schema of a translation file (lessons/ko/*.yaml)")
    p.set_defaults(handler=command("authoring", "cmd_schema"))

    p = sub.add_parser("run", help="open a lesson in the terminal app")
    p.add_argument("lesson", metavar="LESSON", help="lesson03, 3, or a path to a YAML file; lesson03:5 opens page 5")
    lessons_option(p)
    add_authoring_options(p)
    p.add_argument("--ascii", action="store_true", help="ASCII-only plots and borders")
    p.add_argument("--no-color", action="store_true", help="monochrome (also when NO_COLOR is set, or TERM=dumb)")
    p.add_argument(
        "--no-mouse", action="store_true",
        help="leave the mouse to the terminal, so text selects without Shift (PuTTY; also TUTOR_NO_MOUSE=1)",
    )
    p.add_argument("--restart", action="store_true", help="start the lesson over instead of resuming")
    language_option(p, remembered=True)
    state_option(p)
    p.set_defaults(handler=command("app", "cmd_run"))

    p = sub.add_parser("serve", help="serve the app to your web browser, behind a secret link (needs textual-serve)")
    p.add_argument("lesson", nargs="?", default="lesson01", metavar="LESSON", help="as for run: lesson03:5 opens page 5")
    p.add_argument("--page", metavar="PAGE", help="open this page: its number (5), id or title as a slug")
    lessons_option(p)
    state_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument(
        "--token", help="the secret in the link (default: a new random one; $TUTOR_SERVE_TOKEN is safer: ps shows this)"
    )
    p.add_argument("--max-sessions", type=int, default=2, metavar="N", help="browser tabs at once (default: 2)")
    p.add_argument("--allow-remote", action="store_true", help="let --host be an address other machines reach")
    language_option(p)
    p.set_defaults(handler=command("app", "cmd_serve"))
    return parser

