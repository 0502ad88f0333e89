"""The screen audit's one tally per run (the summary is printed by tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.tui.audit_tally import TALLY, ScreenAuditTally


@pytest.fixture(scope="session")
def screen_audit(pytestconfig: pytest.Config) -> ScreenAuditTally:
    """The run's one tally of the screen audit."""
    return pytestconfig.stash.setdefault(TALLY, ScreenAuditTally())
