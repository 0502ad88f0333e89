"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import LESSONS


@pytest.fixture
def lessons_dir() -> Path:
    """The shipped lessons of the checkout."""
    return LESSONS
