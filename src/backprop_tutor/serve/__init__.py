"""`tutor serve`: the tutor in a browser, for the student who started it and nobody else.

textual-serve's `Server` (aiohttp underneath), extended rather than forked:

- a secret token per server, printed in the URL and exchanged for an HttpOnly, SameSite=Strict
  cookie on the first visit; any request without one or the other is refused (403) and logged;
- the websocket accepted only from a page of this server (its Origin is the request's own host
  and port), and on a loopback server only under a loopback host name (no DNS rebinding);
- at most `max_sessions` live app processes, a terminal no larger than `MAX_COLUMNS` x
  `MAX_ROWS`, and each process ended (asked, then made) when its socket closes;
- a port the OS picks unless told, bound before anything is printed, so a busy port is one line;
- a page of our own (`web/app_index.html`) that loads only what this server serves: the font
  comes from textual-serve's package, not from the internet.

On a lab server every user reaches 127.0.0.1: without the token, any of them could drive a
tutor that runs as you, on your progress.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from collections.abc import Sequence
from typing import TextIO


def _install_command() -> str:
    """The pip command that adds textual-serve to the Python this tutor runs on, as pinned by the package."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        wanted = [r.split(";")[0].strip() for r in requires("backprop-tutor") or [] if r.startswith("textual-serve")]
    except PackageNotFoundError:
        wanted = []
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(wanted[0] if wanted else 'textual-serve')}"



try:
    import aiohttp_jinja2  # noqa: F401
    import textual_serve.app_service  # noqa: F401
    import textual_serve.server  # noqa: F401
    from aiohttp import web  # noqa: F401
except ImportError as exc:  # the `serve` extra is absent: say how to get it from *this* install
    raise ImportError(f"install it with: {_install_command()}") from exc


from .access import TOKEN_ENV, ServeError, bind, check_host, check_token, is_loopback, new_token  # noqa: E402 (after the check above)
from .service import MAX_COLUMNS, MAX_ROWS, MIN_COLUMNS, MIN_ROWS, BoundedAppService, TutorServer, clamp_size  # noqa: E402

__all__ = [
    "MAX_COLUMNS", "MAX_ROWS", "MIN_COLUMNS", "MIN_ROWS", "TOKEN_ENV", "BoundedAppService", "ServeError",
    "TutorServer", "bind", "check_host", "check_token", "clamp_size", "is_loopback", "new_token", "serve",
    "token_from_environment",
]


class _OneLine(logging.Formatter):
    """Log records as single lines; an exception becomes its message, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = f"{text}: {type(exc).__name__}: {exc}"
        return "tutor serve: " + " ".join(text.split())


def _log_to(stream: TextIO) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_OneLine())
    for name in ("backprop_tutor.serve", "textual-serve", "aiohttp"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # its lines would carry the token


def serve(
    argv: Sequence[str],
    *,
    title: str,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    max_sessions: int = 2,
    allow_remote: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Serve the app `argv` starts until Ctrl+C; returns the exit status (1, with one line, if it cannot)."""
    err = err or sys.stderr
    try:
        token = check_token(token) if token else new_token()
        if max_sessions < 1:
            raise ServeError("--max-sessions must be at least 1")
        warning = check_host(host, allow_remote)
        sock = bind(host, port)
    except ServeError as exc:
        print(f"tutor serve: {exc}", file=err)
        return 1
    if warning:
        print(f"tutor serve: {warning}", file=err)
    _log_to(err)
    server = TutorServer(argv, sock=sock, token=token, title=title, max_sessions=max_sessions, out=out)
    try:
        server.serve()
    finally:
        sock.close()
    return 0


def token_from_environment() -> str | None:
    """The token set in $TUTOR_SERVE_TOKEN, if any."""
    return os.environ.get(TOKEN_ENV) or None
