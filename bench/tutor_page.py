"""`tutor run LESSON`, but opened directly on page PAGE (0-based): usage `tutor_page.py LESSON PAGE`.

The bench uses it to time the first frame of a page that has plots, and to measure the size of a
full frame of such a page. It builds the app exactly as `tutor run` does (same `make_app`, same
ASCII and colour rules), without a progress store.
"""

from __future__ import annotations

import os
import sys

# Run as a script, bench/ is first on sys.path: drop it, so no bench script shadows a module.
if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]


def main() -> int:
    """Open the lesson on the page given on the command line."""
    lesson_name, page = sys.argv[1], int(sys.argv[2])
    from backprop_tutor.lessons import find_lesson, lessons_dir, load_lesson

    try:  # as `tutor run` loads it: from the lesson cache when warm (issue 18)
        from backprop_tutor.lessons.cache import load_lesson_cached as load_lesson
    except ImportError:  # older code had no cache
        pass
    lesson = load_lesson(find_lesson(lesson_name, lessons_dir(None)))
    try:
        from backprop_tutor.tui.launch import make_app, wants_ascii
    except ImportError:  # the app before the UI rewrite (up to 8ef3d74), so "before" can be re-measured
        from backprop_tutor.tui.app import make_app, wants_ascii

    no_color = bool(os.environ.get("NO_COLOR"))
    app = make_app(lesson, ascii_only=wants_ascii(), no_color=no_color, page=page)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
