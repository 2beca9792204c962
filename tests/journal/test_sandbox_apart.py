"""Sandbox and live never mix: every row is marked, and live timing and costs ignore the sandbox."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from client_helpers import KEY, mock_client, server, shared_server
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.client.polling import PollSchedule
from kling_nb.journal.journal import Journal
from kling_nb.journal.schema import SCHEMA_VERSION, migrate
from kling_nb.journal.sidecars import SidecarWriter, load_sidecar
from kling_nb.sandbox import DROP_AFTER, Sandbox, SandboxServer

__all__ = ["server", "shared_server"]

SPEC = kn.Kling30(prompt="a heron lifts off a misty lake", duration=5, mode="RESOLUTION_720")
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def _finished(journal: Journal, name: str, seconds: float, *, sandbox: bool,
              cost: str = "0.95") -> None:
    """One complete Kling 3.0 job of 5 s that took ``seconds``, live or in the sandbox."""
    base = "https://leonardo.sandbox.kling-nb.invalid" if sandbox else None
    handle = journal.intent(SPEC, SPEC.to_request(base).to_dict())
    job = kn.Job(id=name, provider="leonardo", model=SPEC.key, sandbox=sandbox,
                 submitted_at=START, spec=SPEC, cost=kn.Cost.parse(cost, "USD"))
    journal.submitted(handle, job)
    job.status = kn.Status.COMPLETE
    journal.clock = lambda: (START + timedelta(seconds=seconds)).timestamp()
    journal.finished(job)


def _mixed(journal: Journal) -> None:
    """Twenty sandbox jobs that took a moment, five live ones that took minutes."""
    for i in range(20):
        _finished(journal, f"sb-{i}", 0.05, sandbox=True, cost="0.57")
    for i, seconds in enumerate((200, 210, 220, 230, 240)):
        _finished(journal, f"live-{i}", seconds, sandbox=False, cost="0.95")


def test_live_timing_ignores_sandbox_rows(journal: Journal) -> None:
    """expected_seconds learns a live job's pace from live jobs only, a sandbox job's from
    sandbox jobs only."""
    _mixed(journal)
    assert journal.expected_seconds(SPEC.key, 5) == pytest.approx((204.0, 236.0))
    assert journal.expected_seconds(SPEC.key, 5, sandbox=True) == pytest.approx((0.05, 0.05))


def test_a_live_job_after_the_tutorials_polls_on_the_documented_schedule(
        tmp_path: Path, journal: Journal) -> None:
    """Only sandbox jobs in the journal: a live Kling 3.0 job keeps the documented band and
    its 720 s deadline (not a schedule learned from jobs that took milliseconds)."""
    for i in range(20):
        _finished(journal, f"sb-{i}", 0.05, sandbox=True)
    live = mock_client(lambda r: httpx.Response(500), tmp_path, journal=journal)
    job = live.job("leonardo", "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01", spec=SPEC)
    assert not job.sandbox
    schedule = live.schedule(job)
    assert schedule == PollSchedule.for_duration(5)
    assert schedule.deadline() == 720.0
    for i, seconds in enumerate((200, 210, 220, 230, 240)):
        _finished(journal, f"live-{i}", seconds, sandbox=False)
    assert live.schedule(job).expected == pytest.approx((204.0, 236.0))


def test_live_costs_ignore_sandbox_rows(journal: Journal) -> None:
    """The live rows and total hold live jobs only; sandbox jobs are apart and marked."""
    _mixed(journal)
    table = journal.costs(by="model")
    assert table[SPEC.key].jobs == 5
    assert table.total.usd == Decimal("4.75")
    assert table.total.jobs == 5
    assert table.sandbox is not None
    assert table.sandbox[SPEC.key].jobs == 20
    assert table.sandbox.total.usd == Decimal("11.40")
    text = str(table)
    live_total = next(line for line in text.splitlines() if line.startswith("live total "))
    assert "4.75" in live_total
    assert f"{SPEC.key} [SANDBOX]" in text
    assert "never billed" in text
    html = unguarded(table._repr_mimebundle_()["text/html"])
    assert "SANDBOX</span>" in html
    assert html.index("$4.75") < html.index("$11.40")
    assert journal.typical_usd(SPEC.key, 5) == (Decimal("0.95"), Decimal("0.95"))
    assert journal.typical_usd(SPEC.key, 5, sandbox=True) == (Decimal("0.57"), Decimal("0.57"))


@pytest.mark.skipif(not __import__("importlib").util.find_spec("pandas"), reason="no pandas")
def test_cost_table_to_pandas_has_a_sandbox_column(journal: Journal) -> None:
    """to_pandas() keeps both kinds of rows, told apart by a ``sandbox`` column."""
    _mixed(journal)
    frame = journal.costs(by="model").to_pandas()
    assert list(frame["sandbox"]) == [False, True]
    assert list(frame["jobs"]) == [5, 20]


def test_history_lists_live_and_sandbox_apart(journal: Journal) -> None:
    """history(sandbox=...) selects; every sandbox entry says SANDBOX in text and HTML."""
    _mixed(journal)
    assert len(journal.history(sandbox=False)) == 5
    assert len(journal.history(sandbox=True)) == 20
    assert all(not e.sandbox for e in journal.history(sandbox=False))
    assert "[SANDBOX]" in str(journal.entry("sb-0"))
    assert "[SANDBOX]" not in str(journal.entry("live-0"))
    assert journal.history(sandbox=True, limit=1)._repr_mimebundle_()["text/html"].count(
        ">SANDBOX<") == 1


def test_an_unanswered_sandbox_create_is_marked_sandbox(tmp_path: Path,
                                                       journal: Journal) -> None:
    """The intent is marked when it is written: a sandbox create whose answer was lost stays
    a sandbox row (never a live one)."""
    sb = Sandbox()
    sb.faults.add(DROP_AFTER, route="create")
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path,
                       retry=kn.RetryPolicy(reconcile_grace=None))
    with pytest.raises(kn.UnknownOutcomeError) as caught:
        client.submit(SPEC)
    [entry] = journal.history()
    assert entry.status == "unknown"
    assert entry.sandbox
    sb.clock = lambda: 4e9  # type: ignore[method-assign]  # long after: the listing shows it
    sb.store.clock = sb.clock
    [looked] = journal.reconcile(client)
    assert looked.verdict == "found"
    [entry] = journal.history()
    assert entry.sandbox
    assert entry.recovered
    assert entry.job_id == next(iter(sb.store.jobs))
    assert caught.value.handle == entry.handle


def test_a_live_intent_is_live(tmp_path: Path, journal: Journal) -> None:
    """A create to the live host is a live row, answered or not."""
    live = mock_client(lambda r: httpx.Response(502), tmp_path, journal=journal,
                       retry=kn.RetryPolicy(reconcile_grace=None))
    with pytest.raises(kn.KlingError):
        live.submit(SPEC)
    [entry] = journal.history()
    assert not entry.sandbox


def test_a_served_sandbox_is_marked_from_its_answers(server: SandboxServer, tmp_path: Path,
                                                    journal: Journal) -> None:
    """A keyed client pointed at ``kling-nb sandbox`` looks live; the sandbox's answers mark its
    jobs (submitted and reattached ones)."""
    environ = {"LEONARDO_API_KEY": KEY, "LEONARDO_BASE_URL": server.url}
    client = kn.Client(env_file=False, environ=environ, journal=journal,
                       download_dir=tmp_path, sleep=lambda s: None)
    assert client.mode("leonardo") == "live"
    job = client.submit(SPEC)
    assert journal.entry(job.id).sandbox
    other = Journal(tmp_path / "other.db")
    client.observer = other
    again = client.job("leonardo", job.id, spec=SPEC)
    other.track(again)
    assert not other.entry(job.id).sandbox  # nothing says so yet
    again.refresh()
    assert other.entry(job.id).sandbox
    other.close()


def test_sidecars_and_remixes_keep_the_mark(tmp_path: Path, journal: Journal) -> None:
    """A sandbox video's sidecar says sandbox, also after a note rewrites it and without a
    journal; a remix run in the sandbox is a sandbox job again."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    result = client.generate(SPEC)
    assert result.path is not None
    sidecar = load_sidecar(result.path)
    assert sidecar.sandbox
    assert sidecar.result.sandbox
    journal.rate(result.job_id, 4)
    assert load_sidecar(result.path).data["sandbox"] is True
    again = client.generate(sidecar.remix(prompt="a heron at dawn"), download=False)
    assert journal.entry(again.job_id).sandbox
    unjournaled = kn.Client(sandbox=Sandbox(), journal=SidecarWriter(),
                            download_dir=tmp_path / "no-journal").generate(SPEC)
    assert unjournaled.path is not None
    assert load_sidecar(unjournaled.path).sandbox


def test_migration_marks_old_rows_from_what_they_hold(tmp_path: Path) -> None:
    """Upgrading a version-3 file marks rows whose request, URLs or file name are the sandbox's;
    a row with no such evidence stays live (counted in live costs: nothing hidden)."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=3) == 3
    sandbox_request = json.dumps({"method": "POST", "url": "https://leonardo.sandbox.kling-nb"
                                  ".invalid/api/rest/v2/generations", "json": {}})
    live_request = json.dumps({"method": "POST", "url": "https://cloud.leonardo.ai/api/rest/v2/"
                               "generations", "json": {}})
    rows = [  # handle, job_id, request, video_url, path
        ("intent", None, sandbox_request, None, None),
        ("served", "j1", None, "http://127.0.0.1:8765/_sandbox/cdn/videos/a.mp4", None),
        ("file", "j2", None, None, "/home/u/kling_videos/sandbox-kling-3.0-j2.mp4"),
        ("live", "j3", live_request, "https://cdn.leonardo.ai/v.mp4",
         "/home/u/kling_videos/kling-3.0-j3.mp4"),
        ("broken", None, "{not json", None, None),
    ]
    for handle, job_id, request, video_url, file in rows:
        conn.execute("INSERT INTO jobs (handle, provider, model, job_id, status, request, "
                     "video_url, path, submitted_at, cost_amount, cost_unit) VALUES "
                     "(?, 'leonardo', 'leonardo/kling-3.0', ?, 'complete', ?, ?, ?, "
                     "1700000000, '0.95', 'USD')", (handle, job_id, request, video_url, file))
    conn.close()
    journal = Journal(path)
    assert journal.schema_version == SCHEMA_VERSION
    marks = dict(sqlite3.connect(path).execute("SELECT handle, sandbox FROM jobs").fetchall())
    assert marks == {"intent": 1, "served": 1, "file": 1, "live": 0, "broken": 0}
    assert journal.costs(by="model").total.jobs == 1
    journal.close()
