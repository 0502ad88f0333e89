"""A read-only course and a read-only working folder: the tutor runs and writes only its state."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from tests.support import REPO
from tests.terminal.pty_app import PtyApp


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")}


def test_runs_from_read_only_lessons_and_writes_only_its_state(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(REPO / "lessons", course / "lessons")
    shutil.copytree(REPO / "data", course / "data")
    work = tmp_path / "work"
    work.mkdir()
    for folder in (course, work):
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = snapshot(tmp_path)
    state = tmp_path / "state"
    app = PtyApp(
        ["run", "lesson03", "--lessons", str(course / "lessons"), "--state-dir", str(state)],
        env={"HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "xdg")},
        cwd=work,
    )
    try:
        assert app.read_until_shown("lesson03 1/")
        app.send(b"n")
        assert app.read_until_shown("lesson03 2/")
        app.send(b"  q")
        assert app.wait() == 0
    finally:
        app.close()
        for path in [course, work, *course.rglob("*"), *work.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    after = snapshot(tmp_path)
    written = {p for p in after if p not in before or after[p] != before[p]}
    assert written and all(p.startswith(str(state)) for p in written), written
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
