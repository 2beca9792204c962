"""Running the kling-nb command in-process, for the command-line tests, against a fresh
default sandbox."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kling_nb.cli import main as _cli
from kling_nb.client import routing as _routing
from kling_nb.sandbox import Sandbox

SETTINGS = ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL", "AIMLAPI_BASE_URL",
            "KLING_NB_SANDBOX", "KLING_NB_INFERRED_RULES")


def run(*argv: str) -> tuple[int, str]:
    """Run the command; returns the exit status and what it printed."""
    out = io.StringIO()
    return _cli.main(list(argv), out=out), out.getvalue()


def run_err(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command: its exit status, what it printed, and its stderr."""
    status, printed = run(*argv)
    return status, printed, capsys.readouterr().err


def default_sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                    sandbox: Sandbox | None = None, *, journal: bool = True) -> Sandbox:
    """Make ``sandbox`` (a new one by default) the process's default, with no keys, base URLs
    or settings in the environment, the journal in ``tmp_path`` (or off) and ``tmp_path`` as
    the working folder."""
    fresh = sandbox if sandbox is not None else Sandbox()
    monkeypatch.setattr(_routing, "_DEFAULT_SANDBOX", fresh)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "journal.db") if journal else "off")
    monkeypatch.chdir(tmp_path)
    return fresh
