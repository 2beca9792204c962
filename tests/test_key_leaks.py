"""The API key appears nowhere after a full run: notebooks, logs, journal (+ WAL), sidecars."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from client_helpers import aiml_spec, instant_retries, leo_spec, v2_spec
from nbclient import NotebookClient

import kling_nb as kn
from kling_nb.sandbox import SandboxServer, serve

__all__ = ["instant_retries"]

KEY = "sk-LEAK-TEST-91b2"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CELL_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[SandboxServer]:
    """A loopback sandbox that accepts only KEY."""
    with serve(key=KEY, balance=1e9, listing_delay=0.2) as server:
        yield server


def _leaks(folder: Path) -> list[str]:
    """Files under ``folder`` whose bytes hold the key (text or UTF-16, as SQLite may)."""
    needles = (KEY.encode(), KEY.encode("utf-16-le"))
    return [str(p) for p in folder.rglob("*") if p.is_file()
            and any(n in p.read_bytes() for n in needles)]


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_run_live_leaves_no_key(name: str, keyed_server: SandboxServer,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    """Each tutorial, run live against a keyed loopback server, never shows or stores the key."""
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work, ignore=shutil.ignore_patterns("kling_videos", "*.db*"))
    url = keyed_server.url
    for variable, value in {"LEONARDO_API_KEY": KEY, "AIMLAPI_API_KEY": KEY,
                            "LEONARDO_BASE_URL": url, "AIMLAPI_BASE_URL": url,
                            "KLING_NB_JOURNAL": str(tmp_path / "journal.db")}.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("KLING_NB_SANDBOX", raising=False)
    notebook = nbformat.read(work / name, as_version=4)
    before = len(keyed_server.sandbox.requests)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}, allow_errors=True).execute()
    seconds = time.perf_counter() - started
    nbformat.write(notebook, work / f"executed-{name}")
    errors = [o for c in notebook.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert KEY not in nbformat.writes(notebook)
    assert len(keyed_server.sandbox.requests) > before, f"{name} sent nothing: not live"
    assert _leaks(tmp_path) == []
    logging.getLogger(__name__).info("%s ran live in %.1f s with %d error output(s)", name,
                                     seconds, len(errors))
    assert errors == [], f"{name} failed live: {[e.get('ename') for e in errors]}"


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
