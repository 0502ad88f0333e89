"""A stand-in for a Textual app under textual-serve: the same framing on stdin and stdout, no UI.

It reports the terminal size it was started with (and whether the server's token leaked into
its environment), echoes what it is sent, and quits when asked, unless started as `stubborn`,
when it ignores both the quit request and SIGTERM (so the server has to kill it), or `crash`,
when it writes a traceback to stderr and exits.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def send(kind: bytes, payload: bytes) -> None:
    """One packet to the server: kind, 4-byte big-endian length, payload."""
    sys.stdout.buffer.write(kind + len(payload).to_bytes(4, "big") + payload)
    sys.stdout.buffer.flush()


def main() -> None:
    if sys.argv[1:] == ["crash"]:  # fails before it starts, as a broken install would
        sys.stderr.write('Traceback (most recent call last):\n  File "app.py"\nRuntimeError: boom\n')
        sys.exit(1)
    stubborn = sys.argv[1:] == ["stubborn"]
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stdout.buffer.write(b"__GANGLION__\n")
    leaked = "TUTOR_SERVE_TOKEN" in os.environ
    send(b"D", f"size {os.environ['COLUMNS']}x{os.environ['ROWS']} token-in-env={leaked}".encode())
    stdin = sys.stdin.buffer
    while len(head := stdin.read(5)) == 5:
        kind, payload = head[:1], stdin.read(int.from_bytes(head[1:], "big"))
        if kind == b"D":
            send(b"D", b"echo " + payload)
            continue
        meta = json.loads(payload)
        if meta["type"] == "resize":
            send(b"D", f"resize {meta['width']}x{meta['height']}".encode())
        elif meta["type"] == "quit" and not stubborn:
            return


if __name__ == "__main__":
    main()
