"""Video metrics in the journal: measured on every download, kept with the job and in its
sidecar, checked against the request, shown in the history, the leaderboard and to_pandas(),
measured again for old jobs; your own scorers kept and shown the same way."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from video_clips import moving, write

import kling_nb as kn
from kling_nb.journal.asked import asked_of
from kling_nb.journal.journal import Journal
from kling_nb.journal.schema import MIGRATIONS, _v8_metrics_and_drafts, migrate
from kling_nb.journal.sidecars import load_sidecar
from kling_nb.media.metrics import Asked
from kling_nb.media.scorers import register_scorer
from kling_nb.sandbox import Sandbox

SPEC = kn.Kling30(prompt="a fox in fresh snow", duration=5, size="1920x1080", audio=True)


@pytest.fixture
def client(tmp_path: Path, journal: Journal) -> kn.Client:
    """A sandbox client journaling to ``journal``."""
    return kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)


def test_a_download_is_measured_checked_and_kept(client: kn.Client, journal: Journal) -> None:
    """The sandbox's 5 s video with sound: measured, matching what was asked, in the journal
    and in its sidecar."""
    result = client.generate(SPEC, progress=False)
    metrics = result.metrics
    assert metrics is not None
    assert metrics["seconds"] == pytest.approx(5.0)
    assert metrics.asked == Asked(seconds=5.0, size=(1920, 1080), sound=True)
    assert metrics.checks == {"duration_ok": True, "aspect_ok": True, "sound_ok": True}
    assert metrics.flags == []
    assert metrics["motion"] > 0.5  # the sandbox's picture pans
    entry = journal.entry(result.job_id)
    assert entry.metrics == metrics
    assert entry.result is not None
    assert entry.result.metrics == metrics
    side = json.loads(Path(f"{result.path}.json").read_text())
    assert side["metrics"]["sound_ok"] is True
    assert side["metrics"]["seconds"] == pytest.approx(5.0)
    assert side["flags"] == []
    assert load_sidecar(result.path).result.metrics == metrics


def test_what_the_video_does_not_match_is_flagged(client: kn.Client, journal: Journal,
                                                  tmp_path: Path) -> None:
    """A job whose file turns out 2 s long, square and silent: each mismatch is flagged in the
    history's text, HTML and records."""
    result = client.generate(SPEC, progress=False)
    assert result.path is not None
    write(result.path, moving(90, 90), seconds=2, size=(90, 90))
    [measured] = journal.measure(result.job_id, force=True)
    assert measured.note == "measured"
    flags = journal.entry(result.job_id).metrics.flags  # type: ignore[union-attr]
    assert flags == ["shorter than asked: 2.0 s of 5 s", "aspect 1:1 (90x90), asked 16:9",
                     "no sound track, though sound was asked"]
    history = journal.history()
    assert "  ! shorter than asked" in str(history)
    assert "aspect 1:1 (90x90), asked 16:9" in history._repr_mimebundle_()["text/html"]
    [record] = history.to_records()
    assert (record["duration_ok"], record["aspect_ok"], record["sound_ok"]) == (
        False, False, False)
    assert record["seconds"] == pytest.approx(2.0)
    assert record["flags"].startswith("shorter than asked")


def test_history_leaderboard_and_pandas_show_the_metrics(client: kn.Client,
                                                         journal: Journal) -> None:
    """Every metric is a to_pandas() column; the leaderboard shows mean motion and sharpness
    per group and how many videos were flagged; the HTML history has a measured column."""
    for prompt in ("a fox", "a cat"):
        client.generate(SPEC.replace(prompt=prompt), progress=False)
    history = journal.history()
    frame = history.to_pandas()
    for column in ("seconds", "motion", "flicker", "sharpness", "black", "frozen", "audio",
                   "loudness_db", "silence", "duration_ok", "aspect_ok", "sound_ok", "flags"):
        assert column in frame.columns
    assert frame["duration_ok"].tolist() == [True, True]
    board = history.leaderboard("prompt")
    assert board.metrics == ("motion", "sharpness")
    row = board.row("a fox", sandbox=True)
    assert row.metric("motion") == pytest.approx(frame.set_index("prompt").loc["a fox",
                                                                              "motion"])
    text = str(board)
    assert "motion" in text.splitlines()[0]
    assert "0/1" in text  # flagged / measured
    assert "<th>flagged</th>" in board.html()
    assert "<th>measured</th>" in history._repr_mimebundle_()["text/html"]
    assert history.leaderboard("prompt", metrics=()).metric_columns == ()


def test_nothing_measured_leaves_the_views_as_they_were(tmp_path: Path,
                                                        journal: Journal) -> None:
    """Without measured videos the leaderboard and history show no metric columns."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    client.downloads.metrics = False
    result = client.generate(SPEC, progress=False)
    assert result.metrics is None
    history = journal.history()
    assert history[0].metrics is None
    assert history.leaderboard("prompt").metric_columns == ()
    assert "<th>measured</th>" not in history._repr_mimebundle_()["text/html"]
    assert "motion" not in history.to_records()[0]


def test_old_jobs_are_measured_on_demand(client: kn.Client, journal: Journal) -> None:
    """Jobs downloaded before metrics existed are measured by journal.measure(): every job,
    once; force measures again; a missing file is said, not raised."""
    first = client.generate(SPEC, progress=False)
    second = client.generate(SPEC.replace(prompt="an owl"), progress=False)
    with sqlite3.connect(journal.path) as conn:
        conn.execute("DELETE FROM metrics")
    assert journal.entry(first.job_id).metrics is None
    report = journal.measure()
    assert [m.note for m in report] == ["measured", "measured"]
    assert "2 of 2 video(s) measured" in str(report)
    assert journal.entry(first.job_id).metrics is not None
    assert [m.note for m in journal.measure()] == ["already measured"] * 2
    assert [m.note for m in journal.measure(second.job_id, force=True)] == ["measured"]
    assert second.path is not None
    second.path.unlink()
    [gone] = journal.measure(second.job_id, force=True)
    assert gone.note.startswith("the file is missing")
    assert gone.metrics is not None  # what was measured before is kept
    assert "kling-nb-measured" in report._repr_mimebundle_()["text/html"]


def test_a_scorer_plugs_in_like_a_metric(client: kn.Client, journal: Journal) -> None:
    """A registered scorer runs on download; its number is stored, shown on the leaderboard,
    in to_pandas() and the sidecar; a slow one runs only when measuring on demand."""
    register_scorer("kb", lambda path: round(path.stat().st_size / 1000, 1))
    register_scorer("slow", lambda path: 7.0, on_download=False)
    result = client.generate(SPEC, progress=False)
    assert result.metrics is not None
    assert result.metrics["kb"] == pytest.approx(round(result.path.stat().st_size / 1000, 1))
    assert "slow" not in result.metrics
    entry = journal.entry(result.job_id)
    assert entry.measures["kb"] == result.metrics["kb"]
    board = journal.history().leaderboard("prompt")
    assert board.metrics == ("motion", "sharpness", "kb")
    assert [m.note for m in journal.measure()] == ["measured"]  # "slow" was missing
    assert journal.entry(result.job_id).measures["slow"] == 7.0
    assert journal.history().to_records()[0]["slow"] == 7.0
    assert json.loads(Path(f"{result.path}.json").read_text())["metrics"]["slow"] == 7.0


def test_an_older_journal_gains_the_metrics_table(tmp_path: Path) -> None:
    """A journal from before metrics keeps its jobs; their videos can then be measured."""
    video = write(tmp_path / "old.mp4", moving(), seconds=2)
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    before = MIGRATIONS.index(_v8_metrics_and_drafts)
    assert migrate(conn, target=before) == before
    conn.execute("INSERT INTO jobs (handle, provider, model, job_id, status, spec, path, "
                 "submitted_at) VALUES ('h1', 'leonardo', 'leonardo/kling-3.0', 'old-job', "
                 "'complete', ?, ?, 1700000000)",
                 ('{"model": "leonardo/kling-3.0", "prompt": "old", "duration": 5}',
                  str(video)))
    conn.close()
    journal = Journal(path)
    [entry] = journal.history()
    assert entry.metrics is None
    assert entry.draft_of is None
    [measured] = journal.measure("old-job")
    assert measured.metrics is not None
    assert measured.metrics.flags == ["shorter than asked: 2.0 s of 5 s"]
    journal.close()


def test_what_was_asked_comes_from_the_spec_and_the_row() -> None:
    """Length and size as set (or the row's default length); sound as set, else the row's
    documented default, else none for a row without sound, else unknown."""
    assert asked_of("leonardo/kling-3.0", SPEC.to_dict()) == Asked(5.0, (1920, 1080), True)
    aiml = kn.Kling30StandardAIML(prompt="a fox", aspect_ratio="9:16")
    assert asked_of(aiml.key, aiml.to_dict()) == Asked(5.0, (9, 16), True)  # 5 s: the default
    turbo = kn.Kling25Turbo(prompt="a fox")
    assert asked_of(turbo.key, turbo.to_dict()).sound is False
    assert asked_of("leonardo/kling-2.6", {"prompt": "x"}).sound is None
    assert asked_of("leonardo/no-such-row", {"duration": 5}) == Asked(5.0, None, None)


def test_the_journal_is_copied_with_its_metrics(client: kn.Client, journal: Journal,
                                                tmp_path: Path) -> None:
    """A copy of the journal file holds the metrics (they are rows, not a cache)."""
    result = client.generate(SPEC, progress=False)
    journal.close()
    copy = tmp_path / "copy.db"
    shutil.copyfile(journal.path, copy)
    other = Journal(copy)
    assert other.entry(result.job_id).metrics == result.metrics
    other.close()
