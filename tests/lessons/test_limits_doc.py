"""docs/limits.md lists every limit with its value as the code has it."""

from __future__ import annotations

import pytest

from backprop_tutor import errors, export, progress, until
from backprop_tutor.engine import trace
from backprop_tutor.lessons import data, loader, model, variants, yaml_source

from tests.support import REPO

LIMITS = [
    (yaml_source, "MAX_FILE_BYTES"),
    (yaml_source, "MAX_DEPTH"),
    (yaml_source, "MAX_NODES"),
    (yaml_source, "MAX_ALIASES"),
    (yaml_source, "MAX_INTEGER"),
    (data, "MAX_CSV_BYTES"),
    (data, "MAX_ROWS"),
    (model, "MAX_STEPS"),
    (model, "MAX_INPUTS"),
    (model, "MAX_POINTS"),
    (model, "ABSURD"),
    (loader, "MAX_ROW_UPDATES"),
    (loader, "MAX_LESSON_ROW_UPDATES"),
    (model, "MAX_PAGES"),
    (progress, "MAX_PROGRESS_BYTES"),
    (progress, "MAX_PAGE_NUMBER"),
    (export, "MAX_EXPORT_NUMBER"),
    (loader, "MAX_FORMAT_WIDTH"),
    (errors, "MAX_REPORTED"),
    (errors, "MAX_MESSAGE"),
    (trace, "LARGEST"),
    (variants, "MAX_COMPARED"),
    (until, "STEP_CAP"),
]


@pytest.mark.parametrize(("module", "name"), LIMITS, ids=[name for _, name in LIMITS])
def test_each_limit_is_documented_with_its_value(module, name):
    value = getattr(module, name)
    shown = f"{value:,}" if isinstance(value, int) and value < 10**15 else f"{value:.0e}" if isinstance(value, int) else f"{value:g}"
    rows = [line for line in (REPO / "docs" / "limits.md").read_text().splitlines() if line.startswith(f"| `{name}` |")]
    assert len(rows) == 1, f"docs/limits.md has no row for {name}"
    assert rows[0].split("|")[2].strip() == shown
