"""Shared fixtures: the vendor pages beside the repo, and a hypothesis profile for CI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Keep every Client() in the tests, and in the notebook kernels nbval starts (they inherit the
# environment), out of the user's real journal.
os.environ["KLING_NB_JOURNAL"] = os.path.join(
    tempfile.mkdtemp(prefix="kling-nb-journal-"), "journal.db"
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The vendor pages (``../shared/seeds``), or a skip when they are not beside the repo."""
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"the vendor pages are not at {folder}")
    return folder
