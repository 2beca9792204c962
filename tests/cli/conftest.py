"""What the command-line tests share: a fresh in-process sandbox with no keys and no journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from kling_nb.client import routing as _routing
from kling_nb.sandbox import Sandbox


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """A fresh default sandbox, no keys, no journal, a clean working folder (a test module
    that needs a journal or another sandbox defines its own ``sb``)."""
    fresh = Sandbox()
    monkeypatch.setattr(_routing, "_DEFAULT_SANDBOX", fresh)
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                 "AIMLAPI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    monkeypatch.chdir(tmp_path)
    return fresh
