"""Blind verdicts in the journal: kept, read back after reopening, removed by undo, never
between a live and a sandbox video; the migration that adds them keeps older journals."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.journal.schema import MIGRATIONS, SCHEMA_VERSION, _v9_verdicts, migrate

SPEC = kn.Kling30(prompt="a heron lifts off a misty lake", duration=5)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def job(journal: Journal, name: str, *, sandbox: bool = True, prompt: str = "",
        tags: tuple[str, ...] = ()) -> str:
    """A finished job in the journal (no video needed to be judged here); its handle."""
    spec = SPEC.replace(prompt=prompt) if prompt else SPEC
    made = kn.Job(id=name, provider="leonardo", model=spec.key, sandbox=sandbox,
                  submitted_at=START, spec=spec, status=kn.Status.COMPLETE)
    return journal.track(made, tags=tags).handle


def test_a_verdict_is_kept_and_read_back_after_reopening(journal: Journal) -> None:
    """judge() keeps who was left and right, what was said and the session; a new Journal on
    the same file reads the same verdicts."""
    a, b, c = (job(journal, n) for n in "abc")
    first = journal.judge(a, b, "left", session="s1", seconds=2.5)
    journal.judge("c", "a", "tie", session="s1")  # by job id too
    journal.judge(b, c, "skip", session="s2")
    again = Journal(journal.path)
    said = again.verdicts()
    assert [(v.left, v.right, v.outcome, v.session) for v in said] == [
        (a, b, "left", "s1"), (c, a, "tie", "s1"), (b, c, "skip", "s2")]
    assert said[0].id == first
    assert said[0].winner == a
    assert said[1].winner is None
    assert said[0].seconds == 2.5
    assert all(v.sandbox for v in said)
    assert [v.outcome for v in again.verdicts(skips=False)] == ["left", "tie"]
    assert [v.outcome for v in again.verdicts({a, b})] == ["left"]
    assert [v.outcome for v in again.verdicts(session="s2")] == ["skip"]
    assert "[SANDBOX]" in str(said[0])
    again.close()


def test_undo_removes_the_verdict(journal: Journal) -> None:
    """forget_verdict() deletes the row; a second call finds nothing to delete."""
    a, b = job(journal, "a"), job(journal, "b")
    kept = journal.judge(a, b, "right")
    assert journal.forget_verdict(kept) is True
    assert journal.verdicts() == []
    assert journal.forget_verdict(kept) is False


def test_bad_verdicts_are_refused(journal: Journal) -> None:
    """An unknown outcome, a video against itself, a live against a sandbox video: refused,
    each saying why, and nothing is written."""
    a, b, live = job(journal, "a"), job(journal, "b"), job(journal, "l", sandbox=False)
    with pytest.raises(ValueError, match="outcome: 'better'"):
        journal.judge(a, b, "better")
    with pytest.raises(ValueError, match="itself"):
        journal.judge(a, a, "left")
    with pytest.raises(ValueError, match="live and a SANDBOX video are never compared"):
        journal.judge(a, live, "left")
    with pytest.raises(KeyError):
        journal.judge(a, "no-such-job", "left")
    assert journal.verdicts() == []


def test_the_migration_adds_the_table_to_an_older_journal(tmp_path: Path) -> None:
    """A journal at the version before the verdicts keeps its jobs and gains the table."""
    path = tmp_path / "old.db"
    before = MIGRATIONS.index(_v9_verdicts)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=before)
    conn.execute("INSERT INTO jobs (handle, provider, model, status, job_id, sandbox) "
                 "VALUES ('h1', 'leonardo', 'leonardo/kling-3.0', 'complete', 'j1', 1)")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "verdicts" not in tables
    conn.close()
    journal = Journal(path)
    assert journal.schema_version == SCHEMA_VERSION
    assert [e.job_id for e in journal.history()] == ["j1"]
    assert journal.verdicts() == []
    journal.close()
