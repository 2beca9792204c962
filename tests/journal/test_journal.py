"""The journal: intents before sends, no keys, concurrent writers, migrations, learned timing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from client_helpers import FakeClock

import kling_nb as kn
from kling_nb.journal.defaults import default_observer
from kling_nb.journal.journal import Journal
from kling_nb.journal.schema import SCHEMA_VERSION, default_path, migrate
from kling_nb.journal.sidecars import SidecarWriter
from kling_nb.sandbox import DROP_AFTER, SERVER_ERROR, Sandbox

WORKER = Path(__file__).resolve().parents[1] / "journal_worker.py"
SPEC = kn.Kling30(prompt="a heron lifts off a misty lake", duration=5, mode="RESOLUTION_720")


def test_intent_is_written_before_the_create_request(tmp_path: Path, journal: Journal) -> None:
    """The row exists (status submitting, request stored) when the create request arrives."""
    seen: list[list[str]] = []

    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    original = sb.handle

    def handle(req: object) -> object:
        seen.append([e.status for e in journal.history()])
        return original(req)  # type: ignore[arg-type]

    sb.handle = handle  # type: ignore[method-assign]
    job = client.submit(SPEC)
    assert seen[0] == ["submitting"]
    entry = journal.entry(job.id)
    assert entry.status == "pending"
    assert entry.cost == kn.Cost.parse("0.95", "USD")
    assert entry.request is not None
    assert entry.request["json"]["parameters"]["prompt"]


def test_server_error_on_create_is_an_unknown_outcome(tmp_path: Path, journal: Journal) -> None:
    """A 5xx answer to a create, not looked for, leaves an unknown-outcome row with the
    request that was sent."""
    sb = Sandbox()
    sb.faults.add(SERVER_ERROR, route="create", status=500)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path,
                       retry=kn.RetryPolicy(reconcile_grace=None))
    with pytest.raises(kn.UnknownOutcomeError):
        client.submit(SPEC)
    [entry] = journal.unfinished()
    assert entry.status == "unknown"
    assert entry.request
    assert "sent_at" in entry.request


def test_lost_answers_end_recovered_or_not_created(tmp_path: Path, journal: Journal) -> None:
    """Looked for over the grace period: a job that exists is linked to its intent and marked
    recovered; a request that made none ends ``not_created`` - never in flight, never billed."""
    clock = FakeClock()
    sb = Sandbox(clock=clock)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path, clock=clock,
                       sleep=clock.sleep)
    sb.faults.add(DROP_AFTER, route="create")
    with pytest.warns(kn.RecoveredJobWarning):
        job = client.submit(SPEC)
    sb.faults.add(SERVER_ERROR, route="create", status=502)
    with pytest.raises(kn.NotCreatedError) as caught:
        client.submit(SPEC.replace(prompt="never made"))
    found, lost = journal.entry(job.id), journal.entry(caught.value.handle or "")
    assert (found.status, found.job_id) == ("pending", job.id)
    assert found.recovered
    assert "listing" in found.recovered
    assert (lost.status, lost.job_id, lost.cost) == ("not_created", None, None)
    assert "no job was created" in (lost.error or "")
    assert [e.handle for e in journal.unfinished()] == [found.handle]
    assert client.wait(job).video_url


def test_no_api_key_is_ever_stored(tmp_path: Path, journal: Journal) -> None:
    """Neither the database nor its WAL nor the sidecar contain the API key."""
    secret = "sk-very-secret-key-123"
    client = kn.Client(sandbox=Sandbox(), leonardo_key=secret, aimlapi_key=secret,
                       journal=journal, download_dir=tmp_path)
    result = client.generate(SPEC)
    assert result.path is not None
    journal.close()
    for path in tmp_path.iterdir():
        assert secret.encode() not in path.read_bytes(), path


def test_rejected_create_is_recorded(tmp_path: Path, journal: Journal) -> None:
    """A refused create is journaled as rejected and is not unfinished."""
    sb = Sandbox()
    sb.faults.add("moderation", route="create")
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    with pytest.raises(kn.ModerationError):
        client.submit(SPEC)
    assert [e.status for e in journal.history()] == ["rejected"]
    assert journal.unfinished() == []


def test_two_processes_write_concurrently(tmp_path: Path) -> None:
    """Two processes writing at once keep every row and pass PRAGMA integrity_check."""
    env = {**os.environ, "KLING_NB_JOURNAL": str(tmp_path / "j.db"),
           "PYTHONPATH": str(WORKER.parents[1])}
    Journal(tmp_path / "j.db").close()  # created once, so both start from the same schema
    workers = [subprocess.Popen([sys.executable, str(WORKER), "write", "250", label], env=env,
                                stdout=subprocess.PIPE, text=True) for label in ("a", "b")]
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        assert "DONE" in out
    journal = Journal(tmp_path / "j.db")
    assert len(journal.history(status="complete")) == 500
    assert journal.integrity_check() == "ok"
    assert journal.costs(by="model").sandbox["leonardo/kling-3.0"].jobs == 500
    journal.close()


def test_migrates_from_an_older_schema(tmp_path: Path) -> None:
    """A version-1 file keeps its rows and gains prompts, notes, tags and sweeps."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute("INSERT INTO jobs (handle, provider, model, job_id, status, spec, submitted_at,"
                 " cost_amount, cost_unit) VALUES ('h1', 'leonardo', 'leonardo/kling-3.0', "
                 "'old-job', 'complete', ?, 1700000000, '0.95', 'USD')",
                 ('{"model": "leonardo/kling-3.0", "prompt": "old heron", "duration": 5}',))
    conn.close()
    journal = Journal(path)
    assert journal.schema_version == SCHEMA_VERSION
    [entry] = journal.history(prompt="HERON")
    assert entry.job_id == "old-job"
    assert entry.duration == 5
    journal.tag("old-job", "legacy")
    assert journal.history(tag="legacy")[0].job_id == "old-job"
    journal.close()


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    """A file from a newer kling_nb is not touched."""
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(kn.ConfigError, match="newer"):
        Journal(path).schema_version  # noqa: B018


def _finished_job(journal: Journal, seconds: float, *, duration: int = 5,
                  sandbox: bool = True, cost: str | None = None) -> None:
    spec = SPEC.replace(duration=duration)
    handle = journal.intent(spec, spec.to_request().to_dict())
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    job = kn.Job(id=f"t-{seconds}-{duration}-{sandbox}", provider="leonardo", model=spec.key,
                 sandbox=sandbox, submitted_at=start, spec=spec,
                 cost=kn.Cost.parse(cost, "USD") if cost else None)
    journal.submitted(handle, job)
    job.status = kn.Status.COMPLETE
    journal.clock = lambda: (start + timedelta(seconds=seconds)).timestamp()
    journal.finished(job)


def test_learned_timing_needs_enough_jobs(journal: Journal) -> None:
    """expected_seconds is None below five jobs, then the p10-p90 of their durations."""
    for seconds in (200, 210, 220, 230):
        _finished_job(journal, seconds)
    assert journal.expected_seconds("leonardo/kling-3.0", 5, sandbox=True) is None
    _finished_job(journal, 240)
    low, high = journal.expected_seconds("leonardo/kling-3.0", 5, sandbox=True) or (0, 0)
    assert low == pytest.approx(204)
    assert high == pytest.approx(236)
    assert journal.expected_seconds("leonardo/kling-3.0", 10, sandbox=True) is None


def test_client_polls_on_the_learned_schedule(tmp_path: Path, journal: Journal) -> None:
    """The client's poll schedule for a job comes from the journal once it has learned."""
    for seconds in (100, 105, 110, 115, 120):
        _finished_job(journal, seconds)
    client = kn.Client(sandbox=Sandbox(timing="realistic"), journal=journal,
                       download_dir=tmp_path)
    job = client.job("leonardo", "x", spec=SPEC)
    assert client.schedule(job).expected == pytest.approx((102.0, 118.0))


def test_default_observer_follows_the_environment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """KLING_NB_JOURNAL names the default journal's file, or turns it off (sidecars only)."""
    monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "env.db"))
    observer = default_observer()
    assert isinstance(observer, Journal)
    assert observer.path == tmp_path / "env.db"
    observer.close()
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    assert isinstance(default_observer(), SidecarWriter)
    with pytest.raises(kn.ConfigError):
        Journal()
    monkeypatch.delenv("KLING_NB_JOURNAL")
    assert default_path() is not None
    assert default_path().name == "journal.db"


def test_unusable_journal_warns_and_the_client_still_works(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A journal path that cannot be opened gives a warning, not a broken client."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KLING_NB_JOURNAL", str(blocker / "j.db"))
    with pytest.warns(RuntimeWarning, match="cannot be used"):
        client = kn.Client(sandbox=Sandbox(), download_dir=tmp_path)
    result = client.generate(SPEC)
    assert result.path is not None
    assert Path(str(result.path) + ".json").exists()


def test_sidecars_without_a_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the journal off, a downloaded video still gets its sidecar with the spec."""
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    client = kn.Client(sandbox=Sandbox(), download_dir=tmp_path)
    result = client.generate(SPEC)
    assert result.path is not None
    from kling_nb.journal.sidecars import load_sidecar

    assert load_sidecar(result.path).spec == SPEC
