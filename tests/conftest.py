"""Shared fixtures: the vendor pages beside the repo, a journal in a temporary file, and a
hypothesis profile for CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from kling_nb.journal.journal import Journal

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The run's fresh HOME, data dirs and journal are set in the repository's conftest.py.

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A journal in a temporary file (closed after the test)."""
    j = Journal(tmp_path / "j.db")
    yield j
    j.close()


@pytest.fixture(autouse=True)
def no_scorers() -> Iterator[None]:
    """No scorer registered by a test (or by a README example it runs) outlives the test."""
    yield
    from kling_nb.media.scorers import registered, unregister_scorer

    for name in list(registered()):
        unregister_scorer(name)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The vendor pages (``../shared/seeds``), or a skip when they are not beside the repo."""
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"the vendor pages are not at {folder}")
    return folder


@pytest.fixture
def fake_kernel(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Pretend to run in an IPython kernel; collects the text of every display and update."""
    import IPython
    import IPython.display

    shown: list[str] = []

    class Handle:
        def update(self, obj: Any) -> None:
            shown.append(obj._repr_mimebundle_()["text/plain"])

    def display(obj: Any, display_id: bool = False) -> Handle:
        shown.append(obj._repr_mimebundle_()["text/plain"])
        return Handle()

    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Shell", (), {"kernel": 1})())
    monkeypatch.setattr(IPython.display, "display", display)
    return shown
