"""Running the kling-nb command in-process, for the command-line tests."""

from __future__ import annotations

import io

from kling_nb.cli import main as _cli


def run(*argv: str) -> tuple[int, str]:
    """Run the command; returns the exit status and what it printed."""
    out = io.StringIO()
    return _cli.main(list(argv), out=out), out.getvalue()
