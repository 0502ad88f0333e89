"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.support import LESSONS
from tests.tui.audit_tally import TALLY, ScreenAuditTally

# Fuzz budgets: small locally, larger in CI (which sets CI). Tests with their own settings keep them.
settings.register_profile(
    "backprop-local", max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "backprop-ci", max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("backprop-ci" if os.environ.get("CI") else "backprop-local")


@pytest.fixture
def lessons_dir() -> Path:
    """The shipped lessons of the checkout."""
    return LESSONS


@pytest.fixture(autouse=True, scope="session")
def _own_lesson_cache(tmp_path_factory: pytest.TempPathFactory):
    """`tutor run` caches validated lessons: tests (and the programs they start) use a folder of their own."""
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("lesson-cache"))
    yield
    if old is None:
        os.environ.pop("TUTOR_CACHE_DIR", None)
    else:
        os.environ["TUTOR_CACHE_DIR"] = old


# -- the screen audit's summary, from one process or from every xdist worker -----------------------


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)  # set only in an xdist worker
    tally = session.config.stash.get(TALLY, None)
    if workeroutput is not None and tally is not None:
        workeroutput["screen_audit"] = tally.to_plain()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # xdist, in the controller: a worker has finished
    plain = getattr(node, "workeroutput", {}).get("screen_audit")
    if plain is not None:
        node.config.stash.setdefault(TALLY, ScreenAuditTally()).merge(plain)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    tally = config.stash.get(TALLY, None)
    if tally is None or not tally.passes:
        return
    terminalreporter.write_sep("-", "screen audit")
    for line in tally.lines():
        terminalreporter.write_line(line)
