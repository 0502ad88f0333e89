"""The `tutor` command: list, progress, reset, validate, check, trace, schema, run, serve.

Thin by design: each command loads lessons, asks the engine or the app, and prints. A bad lesson
is reported as `PATH:LINE: message` with exit status 1, never as a traceback. Only `run`
imports the user interface.

`main.py` runs a command and turns its failures into one line; `parser.py` names the commands
and their options; the commands live by what they are about: `course.py` (the student's
lessons and progress), `authoring.py` (an instructor's checks), `tracing.py` (headless runs),
`app.py` (the terminal app and the browser).
"""

from .main import main

__all__ = ["main"]
