"""Video metrics on the command line: generate and show print what was measured and flagged;
kling-nb metrics measures old jobs (and your scorers) by handle or --all."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import default_sandbox
from cli_helpers import run_err as run
from video_clips import moving, write

from kling_nb.journal.journal import Journal
from kling_nb.sandbox import Sandbox


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """The process's default sandbox, no keys, a journal in tmp_path, run from tmp_path."""
    return default_sandbox(monkeypatch, tmp_path)


def generate(capsys: pytest.CaptureFixture[str]) -> str:
    """Make one 5 s sandbox video with sound; its journal handle."""
    status, text, err = run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt",
                            "a heron", "--duration", "5", "--size", "1920x1080", "--audio")
    assert status == 0, err
    assert "\nmetrics: 5.0 s · 320x180 · 8 fps · sound " in text
    return Journal(Path("journal.db")).history()[0].short


def test_show_prints_the_metrics_and_flags(sb: Sandbox,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """show: the one-line summary, each measurement, the checks; --json: the numbers."""
    handle = generate(capsys)
    status, text, _ = run(capsys, "show", handle)
    assert status == 0
    assert "metrics:        5.0 s · 320x180" in text
    assert "  sound_ok:                   yes" in text
    assert "  frozen frames:              0%" in text
    assert "flag:" not in text
    status, text, _ = run(capsys, "show", handle, "--json")
    facts = json.loads(text)
    assert facts["metrics"]["duration_ok"] is True
    assert facts["metrics"]["seconds"] == pytest.approx(5.0)
    assert facts["flags"] == []


def test_metrics_measures_old_jobs_and_flags_them(sb: Sandbox,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A job with no metrics yet (and a file that turned out short) is measured by handle;
    show then prints the flag; --all says what was already measured."""
    handle = generate(capsys)
    journal = Journal(Path("journal.db"))
    [entry] = journal.history()
    assert entry.path is not None
    write(entry.path, moving(), seconds=2)
    with sqlite3.connect("journal.db") as conn:
        conn.execute("DELETE FROM metrics")
    status, text, _ = run(capsys, "metrics", handle)
    assert status == 0
    assert f"{handle} measured: 2.0 s · 160x90" in text
    assert "! shorter than asked: 2.0 s of 5 s" in text
    status, text, _ = run(capsys, "show", handle)
    assert "flag:           shorter than asked: 2.0 s of 5 s" in text
    status, text, _ = run(capsys, "metrics", "--all", "--json")
    [report] = json.loads(text)
    assert report["note"] == "already measured"
    assert report["flags"] == ["shorter than asked: 2.0 s of 5 s", "no sound track, though "
                               "sound was asked"]


def test_metrics_runs_your_scorer(sb: Sandbox, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--scorer module:function=name runs it on the named jobs and keeps its number."""
    (tmp_path / "my_scores.py").write_text("def bright(path):\n    return 0.75\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    handle = generate(capsys)
    status, text, err = run(capsys, "metrics", handle, "--scorer", "my_scores:bright=glow")
    assert status == 0, err
    assert "glow 0.75" in text
    assert Journal(Path("journal.db")).entry(handle).measures["glow"] == 0.75


def test_metrics_usage_and_missing_videos(sb: Sandbox,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """No handle and no --all (or both), a bad scorer: exit 2; a job with no downloaded
    video: exit 1 and the download command; an unknown handle: exit 2."""
    handle = generate(capsys)
    with sqlite3.connect("journal.db") as conn:  # as if it was never downloaded
        conn.execute("UPDATE jobs SET path = NULL")
        conn.execute("DELETE FROM metrics")
    status, _, err = run(capsys, "metrics")
    assert status == 2
    assert "next:  kling-nb metrics --all" in err
    status, _, err = run(capsys, "metrics", "--scorer", "nowhere", "--all")
    assert (status, "is not module:function" in err) == (2, True)
    status, text, err = run(capsys, "metrics", handle)
    assert status == 1
    assert "no downloaded video" in text
    assert f"next:  kling-nb download {handle}" in err
    status, _, err = run(capsys, "metrics", "ffffffff")
    assert status == 2
    assert "no job" in err
