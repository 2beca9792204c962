"""The API key appears nowhere after a full run: logs, journal (+ WAL), sidecars, reprs (the
tutorials run live are checked in tests/test_tutorials_live.py)."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from client_helpers import aiml_spec, instant_retries, leo_spec, v2_spec
from tutorial_runs import KEY, files_holding, server

import kling_nb as kn
from kling_nb.sandbox import SandboxServer

__all__ = ["instant_retries"]


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[SandboxServer]:
    """A loopback sandbox that accepts only KEY."""
    with server() as keyed:
        yield keyed


def _leaks(folder: Path) -> list[str]:
    return files_holding(folder, KEY)


def test_client_run_with_journal_and_sweep_leaves_no_key(keyed_server: SandboxServer,
                                                         tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    """A journaled run with a sweep, sidecars, errors and resume leaves no key anywhere."""
    caplog.set_level(logging.DEBUG)
    for logger in ("httpx", "httpcore", "stamina", "kling_nb"):
        logging.getLogger(logger).setLevel(logging.DEBUG)
    url = keyed_server.url
    environ = {"LEONARDO_API_KEY": KEY, "AIMLAPI_API_KEY": KEY, "LEONARDO_BASE_URL": url,
               "AIMLAPI_BASE_URL": url}
    journal = kn.Journal(tmp_path / "journal.db")
    client = kn.Client(env_file=False, environ=environ, journal=journal,
                       download_dir=tmp_path / "videos",
                       retry=kn.RetryPolicy(reconcile_grace=1.0))
    shown: list[object] = [client, client.configs, journal]
    for make in (leo_spec, v2_spec, aiml_spec):
        result = client.generate(make())
        shown += [result, result.path]
    sweep = kn.Sweep(v2_spec(), prompts=["leak a", "leak b"], seeds=[1, 2], concurrency=2)
    shown += [sweep.plan(journal), sweep.run(client), sweep]
    keyed_server.sandbox.faults.add("drop_after", route="create")
    with pytest.warns(kn.RecoveredJobWarning) as warned:
        recovered = client.submit(v2_spec(prompt="lost answer"))
    shown += [recovered, recovered.recovered, *[str(w.message) for w in warned]]
    keyed_server.sandbox.faults.add("server_error", route="create")
    with pytest.raises(kn.NotCreatedError) as caught:
        client.submit(v2_spec(prompt="never made"))
    shown += [caught.value, caught.value.__dict__, client.find_submitted(caught.value)]
    shown += [journal.reconcile(client), journal.resubmit(client, caught.value.handle or "")]
    quiet = kn.Client(env_file=False, environ=environ, journal=journal,
                      retry=kn.RetryPolicy(reconcile_grace=None))
    keyed_server.sandbox.faults.add("drop_after", route="create")
    with pytest.raises(kn.UnknownOutcomeError) as unknown:
        quiet.submit(v2_spec(prompt="lost again"))
    shown += [unknown.value, unknown.value.__dict__, journal.reconcile(client)]
    shown += [journal.resume(client), journal.history(), journal.costs()]
    for entry in journal.history():
        shown += [entry, entry.request]
    bad = kn.Client(env_file=False, journal=False, environ={**environ,
                                                            "LEONARDO_API_KEY": "sk-other"})
    with pytest.raises(kn.AuthenticationError) as refused:
        bad.submit(v2_spec())
    shown += [refused.value, refused.value.__dict__]
    for thing in shown:
        assert KEY not in repr(thing)
        assert KEY not in str(thing)
    for record in caplog.records:
        assert KEY not in f"{record.getMessage()} {record.args!r} {record.__dict__!r}"
    wal = Path(f"{journal.path}-wal")
    assert wal.exists(), "the check should see the WAL before a checkpoint folds it in"
    assert _leaks(tmp_path) == []
    journal.close()
    with sqlite3.connect(tmp_path / "journal.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert KEY not in dump
    assert _leaks(tmp_path) == []
    assert list((tmp_path / "videos").glob("*.json")), "sidecars were written"
    assert os.environ.get("LEONARDO_API_KEY") != KEY
