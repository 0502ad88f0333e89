"""Who may reach `tutor serve`: the secret token, the host it listens on, the port it binds.

Plain standard library, so the command line can refuse a bad token or host before anything
of the browser side is imported.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import secrets
import socket

TOKEN_ENV = "TUTOR_SERVE_TOKEN"
"""Environment variable that sets the token (safer than `--token`, which `ps` shows to all)."""
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,256}")
"""A token given by hand: URL- and cookie-safe, and not too short to guess."""
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class ServeError(Exception):
    """A reason not to serve, said in one line."""


def new_token() -> str:
    """A fresh secret: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def check_token(token: str) -> str:
    """The token if it is usable in a URL and a cookie and long enough; raises ServeError otherwise."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise ServeError(
            f"the token must be 16 to 256 letters, digits, '-' or '_' (from --token or ${TOKEN_ENV})"
        )
    return token


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    name = host.strip("[]")
    if name.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> str | None:
    """None for a loopback host, a warning for a remote one allowed; raises ServeError if not allowed."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise ServeError(
            f"--host {host} lets other machines reach your tutor; add --allow-remote if you mean it"
        )
    return (
        f"warning: serving on {host}: anyone who can reach this machine and gets the link drives your "
        "tutor, and plain http sends the link unencrypted (an SSH tunnel to 127.0.0.1 is safer)"
    )


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: one the OS picks); raises ServeError in one line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"cannot listen on {host}: {getattr(exc, 'strerror', None) or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        # Only lets us reuse a port in TIME_WAIT; Linux still refuses a port someone listens on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use; choose another with --port, or leave --port out"
                " and the system picks a free one"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


