"""Retries say one friendly line (or nothing), never stamina's raw log records."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stamina
from client_helpers import instant_retries, leo_spec, make_client, sb
from stamina.instrumentation import set_on_retry_hooks

from kling_nb.client.http import RetryableStatusError
from kling_nb.client.retrylog import report_retries, retry_line
from kling_nb.sandbox import SERVER_ERROR, Sandbox

__all__ = ["instant_retries", "sb"]


@pytest.fixture(autouse=True)
def default_hooks() -> Iterator[None]:
    """stamina's own default hooks before and after each test."""
    set_on_retry_hooks(None)
    yield
    set_on_retry_hooks(None)


def _run_with_503s(sb: Sandbox, tmp_path: Path) -> None:
    """A job whose status requests get two 503s before they succeed."""
    client = make_client(sb, tmp_path)
    job = client.submit(leo_spec())
    sb.faults.add(SERVER_ERROR, route="status", times=2, status=503)
    job.wait()


SCRIPT = """
import stamina
import kling_nb as kn
from kling_nb.sandbox import SERVER_ERROR, Sandbox

stamina.set_testing(True, attempts=10, cap=True)
sb = Sandbox()
client = kn.Client(sandbox=sb, journal=False, download_dir="videos")
job = client.submit(kn.Kling30(prompt="waves"))
sb.faults.add(SERVER_ERROR, route="status", times=2, status=503)
job.wait()
print("DONE")
"""


def test_retries_print_nothing_raw(tmp_path: Path) -> None:
    """With Python's default logging (a fresh notebook kernel, a script), a retried request
    writes nothing but its own output: no ``stamina.retry_scheduled`` on stderr."""
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.stdout.strip() == "DONE", run.stderr
    assert run.stderr == ""


def test_each_retry_is_one_friendly_line(sb: Sandbox, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    """The kling_nb.retries logger gets one INFO line per retry, naming status and provider."""
    caplog.set_level(logging.DEBUG)
    _run_with_503s(sb, tmp_path)
    lines = [r.getMessage() for r in caplog.records if r.name == "kling_nb.retries"]
    assert lines == ["retrying in 0 s: 503 from Leonardo.AI (SANDBOX)"] * 2
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "kling_nb.retries")
    assert not [r for r in caplog.records if r.name == "stamina"]


def test_report_retries_sends_the_lines_elsewhere(sb: Sandbox, tmp_path: Path) -> None:
    """report_retries(callback) hands each line to the callback instead of the logger."""
    lines: list[str] = []
    with report_retries(lines.append):
        _run_with_503s(sb, tmp_path)
    assert len(lines) == 2
    assert lines[0].startswith("retrying in 0 s: 503 from Leonardo.AI")


def test_other_hooks_stay_silent_for_kling_nb_but_not_for_your_code(
        sb: Sandbox, tmp_path: Path) -> None:
    """A hook that prints (like structlog's) hears nothing of kling_nb's retries, and still
    hears your own stamina retries."""
    heard: list[object] = []
    set_on_retry_hooks([heard.append])
    _run_with_503s(sb, tmp_path)
    assert heard == []
    for attempt in stamina.retry_context(on=ValueError, attempts=2):
        with attempt:
            if attempt.num == 1:
                raise ValueError
    assert len(heard) == 1


@pytest.mark.parametrize(("wait", "cause", "line"), [
    (2.0, RetryableStatusError(httpx.Response(503)), "retrying in 2 s: 503 from Leonardo.AI"),
    (0.5, RetryableStatusError(httpx.Response(429)), "retrying in 0.5 s: 429 from Leonardo.AI"),
    (12.3, httpx.ConnectError("refused"), "retrying in 12 s: ConnectError talking to Leonardo.AI"),
])
def test_retry_line(wait: float, cause: BaseException, line: str) -> None:
    """The wait, rounded, then what went wrong and with whom."""
    assert retry_line("leonardo", wait, cause) == line
