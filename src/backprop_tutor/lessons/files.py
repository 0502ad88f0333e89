"""Reading a file someone else wrote: a regular file, within a size limit, as UTF-8 text."""

from __future__ import annotations

from pathlib import Path

from ..errors import LessonError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_limited(path: Path, limit: int, kind: str) -> bytes:
    """The bytes of `path`, refused unread when it is not a regular file or holds over `limit`.

    Args:
        path: the file.
        limit: the most bytes accepted.
        kind: what the file is, for messages (`a lesson`, `a data file`).

    Raises:
        LessonError: the file is missing, a folder, a device or pipe, unreadable or too big.
    """
    try:
        if path.is_dir():
            raise LessonError.at(path, 0, f"is a folder, not a file: {kind} is a single file")
        if not path.is_file():
            what = "no such file" if not path.exists() else "not a regular file (a device or a pipe?)"
            raise LessonError.at(path, 0, what)
        size = path.stat().st_size
        if size > limit:
            raise LessonError.at(path, 1, f"file is {size:,} bytes; {kind} may be at most {limit:,}")
        with path.open("rb") as stream:
            # Read one byte past the limit: a file that grew since stat() is still caught.
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise LessonError.at(path, 0, f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte in the path
        raise LessonError.at(path, 0, "cannot read the file: its name holds a NUL character") from None
    if len(raw) > limit:
        raise LessonError.at(path, 1, f"file is over {limit:,} bytes; {kind} may be at most {limit:,}")
    return raw


def decode_text(raw: bytes, path: Path | str, kind: str) -> str:
    """`raw` as text, or a `LessonError` at the line of the first byte that is not UTF-8 text."""
    if raw.startswith(_UTF16_BOMS):
        raise LessonError.at(path, 1, f"UTF-16 text: save {kind} as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise LessonError.at(path, line, f"binary data (a NUL byte): {kind} is a UTF-8 text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LessonError.at(path, line, f"not UTF-8 text: save {kind} as UTF-8") from None
