"""Run one `tutor` command and turn whatever goes wrong into one line and an exit status."""

from __future__ import annotations

import os
import sys

from ..errors import LessonError
from ..number_format import is_number
from ..safe_text import printable
from .parser import NUMBER_OPTIONS, make_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = make_parser()
    args = parser.parse_args(_glue_negative_numbers(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    from ..progress import ProgressError

    try:
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # here, where a full disk can be told, not at exit as a traceback
        return status
    except LessonError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except ProgressError as exc:  # in the user's language (`--lang`, TUTOR_LANG, the locale)
        from ..words import Words, choose_language

        print(f"tutor: {Words(choose_language(getattr(args, 'lang', None))).say(str(exc))}", file=sys.stderr)
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


def _glue_negative_numbers(argv: list[str]) -> list[str]:
    """`--alpha -1e-3` as `--alpha=-1e-3`: argparse takes `-1e-3` or `-inf` for an option name."""
    glued: list[str] = []
    for arg in argv:
        if glued and glued[-1] in NUMBER_OPTIONS and arg.startswith("-") and is_number(arg):
            glued[-1] = f"{glued[-1]}={arg}"
        else:
            glued.append(arg)
    return glued

