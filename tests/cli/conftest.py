"""What the command-line tests share: a fresh in-process sandbox with no keys and no journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import default_sandbox

from kling_nb.sandbox import Sandbox


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """A fresh default sandbox, no keys, no journal, a clean working folder (a test module
    that needs a journal or another sandbox defines its own ``sb``)."""
    return default_sandbox(monkeypatch, tmp_path, journal=False)
