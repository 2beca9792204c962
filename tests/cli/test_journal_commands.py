"""The journal on the command line: jobs, show, download, resume, resubmit, and the exit
statuses of lost create answers - each non-zero exit naming the command to run next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import default_sandbox
from cli_helpers import run_err as run
from client_helpers import instant_retries, png

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import DROP_AFTER, SERVER_ERROR, Sandbox

__all__ = ["instant_retries"]


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """The process's default sandbox (listings 0.2 s behind), no keys, a journal in tmp_path,
    looking for lost jobs for at most 1 s."""
    fresh = default_sandbox(monkeypatch, tmp_path, Sandbox(listing_delay=0.2))
    monkeypatch.setenv("KLING_NB_RECONCILE_GRACE", "1")
    return fresh


def next_line(err: str) -> str:
    """The command of the ``next:`` line (without its explanation)."""
    line = next(x for x in err.splitlines() if x.startswith("next:  "))
    return line[len("next:  "):].split("   (")[0]


def generate(*extra: str) -> list[str]:
    return ["generate", "--model", "leonardo/kling-3.0", "--prompt", "a heron", "--duration",
            "5", "--size", "1920x1080", *extra]


def test_lost_answer_recovered_exits_0(sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """The create's answer is lost; the job is found in the listing and goes on: exit 0."""
    sb.faults.add(DROP_AFTER, route="create")
    status, text, err = run(capsys, *generate())
    assert status == 0, err
    assert "looking for the job" in text
    assert "recovered leonardo job" in text
    assert "video: " in text
    assert len(sb.store.jobs) == 1
    [entry] = Journal(Path("journal.db")).history()
    assert entry.recovered
    assert entry.path is not None


def test_not_created_exits_5_and_the_next_command_resends_it(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """A 503 on create and no job in the listing: exit 5, nothing billed, and the printed
    command resends it on purpose."""
    sb.faults.add(SERVER_ERROR, route="create", status=503)
    status, _, err = run(capsys, *generate())
    assert status == 5
    assert "no job was created for this request" in err
    command = next_line(err)
    assert command.startswith("kling-nb resubmit ")
    assert not sb.store.jobs
    status, text, err = run(capsys, *command.split()[1:])
    assert status == 0, err
    assert len(sb.store.jobs) == 1
    assert "video: " in text


def test_unknown_outcome_exits_4_and_resume_leaves_it(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """An AI/ML universal create whose answer is lost cannot be looked for: exit 4, with
    resume (and the forced resubmit) named; resume sends nothing."""
    sb.faults.add(DROP_AFTER, route="create")
    status, _, err = run(capsys, "generate", "--model", "aimlapi/kling-2.6-pro", "--prompt",
                         "a heron")
    assert status == 4
    assert "cannot look for it" in err
    assert next_line(err) == "kling-nb resume"
    assert "--force" in err
    status, text, err = run(capsys, "resume")
    assert status == 4
    assert "unknown " in text
    assert len(sb.store.jobs) == 1
    handle = Journal(Path("journal.db")).unfinished()[0].short
    status, _, err = run(capsys, "resubmit", handle)
    assert status == 2
    assert "a paid job may exist" in err
    assert len(sb.store.jobs) == 1


def test_aiml_task_not_found_exits_4_and_a_forced_resubmit_sends_it(
        sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """AI/ML 2.1 Pro: a 503 on create, and the lookup by external_task_id (not in the AI/ML
    docs) finds no task. That proves nothing, so: exit 4, never 5; the id to look for in the
    dashboard is printed; a plain resubmit is refused, a forced one sends it."""
    frame = tmp_path / "frame.png"
    frame.write_bytes(png())
    sb.faults.add(SERVER_ERROR, route="create", status=503)
    status, _, err = run(capsys, "generate", "--model", "aimlapi/kling-2.1-pro", "--prompt",
                         "a heron", "--start-frame", str(frame))
    assert status == 4, err
    assert "proves nothing" in err
    assert "dashboard" in err
    assert "kling-nb-" in err  # the external_task_id to look for
    assert next_line(err) == "kling-nb resume"
    assert not sb.store.jobs
    handle = Journal(Path("journal.db")).unfinished()[0].short
    status, _, err = run(capsys, "resubmit", handle)
    assert status == 2
    assert "a paid job may exist" in err
    assert not sb.store.jobs
    status, text, err = run(capsys, "resubmit", handle, "--force")
    assert status == 0, err
    assert len(sb.store.jobs) == 1
    assert "video: " in text


def test_resume_finds_lost_jobs_and_downloads(sb: Sandbox, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """kling-nb resume looks for a lost create's job, then waits and downloads: exit 0."""
    quiet = kn.Client(journal=Journal(tmp_path / "journal.db"),
                      retry=kn.RetryPolicy(reconcile_grace=None))
    sb.faults.add(DROP_AFTER, route="create")
    with pytest.raises(kn.UnknownOutcomeError):
        quiet.submit(kn.Kling30(prompt="found later", duration=5, width=1920, height=1080))
    status, text, err = run(capsys, "resume")
    assert status == 0, err
    assert "looked for" in text
    assert "recovered job" in text
    assert "done " in text
    assert "saved at" in text
    assert len(sb.store.jobs) == 1


def test_stopped_waiting_exits_3_then_download_finishes(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """--timeout 0: exit 3 with the command to finish it; download waits and saves it."""
    status, text, err = run(capsys, *generate("--timeout", "0"))
    assert status == 3
    handle = text.split("[")[1].split("]")[0]
    assert f"kling-nb resubmit {handle}" in err or f"kling-nb download {handle}" in err
    status, text, err = run(capsys, "download", handle)
    assert status == 0, err
    assert Path(text.split("video: ")[1].split("\n")[0]).exists()
    assert len(sb.store.jobs) == 1


def test_jobs_and_show(sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """jobs: handle, model, status, mode, cost, age, file; show: every fact and what next."""
    assert run(capsys, *generate())[0] == 0
    status, text, _ = run(capsys, *generate("--timeout", "0", "--no-download"))
    assert status == 3
    status, text, _ = run(capsys, "jobs")
    assert status == 0
    header, *rows = text.splitlines()
    assert header.split() == ["handle", "model", "status", "mode", "cost", "age", "file"]
    assert [r.split()[2] for r in rows] == ["pending", "complete"]
    assert all("SANDBOX" in r and "$0.95" in r for r in rows)
    assert rows[0].split()[-1] == "-"
    assert rows[1].split()[-1].endswith(".mp4")
    listed = json.loads(run(capsys, "jobs", "--json")[1])
    assert [j["status"] for j in listed] == ["pending", "complete"]
    assert run(capsys, "jobs", "--live")[1].startswith("no jobs")
    status, text, _ = run(capsys, "show", listed[0]["handle"])
    assert status == 0
    assert "job_id:" in text
    assert f"next:           kling-nb download {listed[0]['handle']}" in text
    status, _, err = run(capsys, "show", "0000")
    assert status == 2
    assert next_line(err) == "kling-nb jobs"


def test_failed_job_names_the_resubmit(sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """A job that fails exits 1 and names the resubmit; a bad spec exits 2 naming models."""
    sb.faults.add("failed_job", route="create")
    status, _, err = run(capsys, *generate())
    assert status == 1
    assert next_line(err).startswith("kling-nb resubmit ")
    status, _, err = run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt", " ")
    assert status == 2
    assert next_line(err) == "kling-nb models leonardo/kling-3.0"


def test_journal_commands_without_a_journal(sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """With the journal off or not yet written, jobs says so and names the first step."""
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    status, _, err = run(capsys, "jobs")
    assert status == 2
    assert "the journal is off" in err
    assert next_line(err).startswith("kling-nb generate")


def test_a_failed_download_names_the_download_that_resumes_it(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """Downloads that keep breaking: exit 1, and the printed command finishes the download
    of the same job (nothing is created again)."""
    sb.faults.add("drop_after", route="download", times=200)
    status, _, err = run(capsys, *generate())
    assert status == 1
    command = next_line(err)
    assert command.startswith("kling-nb download ")
    sb.faults.clear()
    status, text, err = run(capsys, *command.split()[1:])
    assert status == 0, err
    assert Path(text.split("video: ")[1].split("\n")[0]).exists()
    assert len(sb.store.jobs) == 1
