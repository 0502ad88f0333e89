"""One key table: the session acts on it, the help lists it, and the README's table agrees."""

from __future__ import annotations

import re

from backprop_tutor.session.keys import ACTIONS, HELP, KEYS

from tests.support import REPO

README_NAMES = {"space": "space", "right": "→", "left": "←", "up": "↑", "down": "↓", "pagedown": "PgDn",
                "pageup": "PgUp", "f1": "F1", "ctrl+c": "ctrl+c", "backspace": "backspace", "home": "home",
                "end": "end", "tab": "tab"}


def readme_keys() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("### Keys in `tutor run`"):].split("\n\n")[1]
    return {key for line in table.splitlines() for key in re.findall(r"`([^`]+)`", line.split("|")[1])}


def test_every_key_of_the_table_is_in_the_readme():
    documented = readme_keys()
    missing = [(key.action, name) for key in KEYS for name in key.names
               if README_NAMES.get(name, name) not in documented and name not in ("=", "_", ".", ",", "tab")]
    assert missing == []


def test_every_readme_key_does_something():
    reverse = {v: k for k, v in README_NAMES.items()}
    unknown = [k for k in readme_keys() if reverse.get(k, k) not in ACTIONS and k not in ("h", "a or a digit")]
    assert unknown == []


def test_the_help_lists_every_action():
    shown = " ".join(keys for keys, _ in HELP)
    assert all(any(n in shown for n in key.names) or not key.shown for key in KEYS)
