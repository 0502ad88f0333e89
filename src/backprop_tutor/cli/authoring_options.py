"""The options and the command an instructor writing a lesson uses: `run --page/--watch`, `new`."""

from __future__ import annotations

import argparse
from typing import Any


def add_authoring_options(run: argparse.ArgumentParser) -> None:
    """`tutor run`'s `--page` and `--watch`."""
    run.add_argument(
        "--page", metavar="PAGE", help="open this page: its number (5), id, title as a slug (alpha for α) or a word of one title (divergence)"
    )
    run.add_argument(
        "--watch", action="store_true",
        help="reload the lesson when its file (or a CSV it reads) is saved, staying on the same page and step",
    )


def add_new_command(sub: Any) -> None:
    """`tutor new NAME [--from LESSON]`: a starter lesson (or a copy) in ./lessons, with its data."""
    from .parser import command

    p = sub.add_parser("new", help="write a starter lesson ./lessons/NAME.yaml (and its data) to edit")
    p.add_argument("name", metavar="NAME", help="the new lesson's id: letters, digits, _ . -")
    p.add_argument("--from", dest="source", metavar="LESSON", help="copy this lesson (lesson03, 3 or a path) instead")
    p.add_argument("--lessons", metavar="DIR", help="where --from looks for lessons (default: the shipped course)")
    p.add_argument("--into", metavar="DIR", default="lessons", help="the folder to write into (default: ./lessons)")
    p.set_defaults(handler=command("new_lesson", "cmd_new"))
