"""A student's progress: per lesson the page reached, the answers given, and whether it is done.

Kept in one small JSON file in the user's state directory. Every save is a read-merge-write under
an exclusive lock: the file is re-read under the lock and this window's progress merged into what
is there (an answer right in either stays right, tries are the larger, done is either's), so two
tutors of one lesson never lose each other's answers. It is written to a temporary file, fsynced
and renamed over the old one, so a crash or a closed SSH session never leaves a half-written file.

The file is read as untrusted input: a regular file of at most `MAX_PROGRESS_BYTES`, opened
without blocking (a FIFO in its place is set aside, not waited on), JSON with finite numbers and
the exact types written (`"done": "false"` is damage, not true), every string cleaned for the
terminal. A file that cannot be read is set aside with a timestamp, never overwritten; a file
from a newer version is kept as it is and nothing is saved. A state folder owned by another
user, or writable by others, is not used.
"""

from .records import MAX_PAGE_NUMBER, VERSION, AnswerRecord, LessonProgress, parse_progress
from .store import FILE_NAME, MAX_PROGRESS_BYTES, ProgressError, ProgressStore, state_dir

__all__ = [
    "FILE_NAME", "MAX_PAGE_NUMBER", "MAX_PROGRESS_BYTES", "VERSION", "AnswerRecord", "LessonProgress",
    "ProgressError", "ProgressStore", "parse_progress", "state_dir",
]
