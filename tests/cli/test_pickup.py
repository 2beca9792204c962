"""Picking jobs up again on the command line: a finished job is never marked lost, download
says when its video is on disk, --no-download in the in-process sandbox still saves the video,
and resume's closing line counts what it printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import default_sandbox
from cli_helpers import run_err as run
from client_helpers import KEY, instant_retries, server, shared_server
from crash_helpers import HeldCreates, crash_during_create, worker_env

from kling_nb.client import routing as _routing
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import Sandbox, SandboxServer, serve

__all__ = ["instant_retries", "server", "shared_server"]


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """The process's in-process sandbox, no keys, a journal in tmp_path."""
    return default_sandbox(monkeypatch, tmp_path)


def restart(monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """What the next ``kling-nb`` process sees: a new in-process sandbox that knows no job."""
    fresh = Sandbox()
    monkeypatch.setattr(_routing, "_DEFAULT_SANDBOX", fresh)
    return fresh


def generate(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    return run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt", "a heron",
               "--duration", "3", *extra)


def handle_in(text: str) -> str:
    return text.split("[")[1].split("]")[0]


def video_in(text: str) -> Path:
    return Path(text.split("video: ")[1].split("\n")[0])


def status_of(handle: str) -> str:
    journal = Journal(Path("journal.db"))
    try:
        return journal.entry(handle).status
    finally:
        journal.close()


def test_download_of_a_finished_sandbox_job_says_it_is_on_disk(
        sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """generate in the in-process sandbox, then download in a new process: the video is on
    disk and whole, so it says so, exits 0 and sends nothing; jobs and show still say
    complete, never lost."""
    status, text, _ = generate(capsys)
    assert status == 0
    handle, video = handle_in(text), video_in(text).resolve()
    later = restart(monkeypatch)
    status, text, err = run(capsys, "download", handle)
    assert status == 0, err
    assert "already downloaded" in text
    assert "nothing was sent" in text
    assert video_in(text) == video
    assert later.requests == []
    assert status_of(handle) == "complete"
    status, text, _ = run(capsys, "jobs")
    assert text.splitlines()[1].split()[2] == "complete"
    status, text, _ = run(capsys, "show", handle)
    assert f"nothing: the video is at {video}" in text
    assert "lost" not in text


def test_a_sandbox_job_is_lost_only_when_no_file_of_it_is_on_disk(
        sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With its sandbox gone: a cut-short file is not whole, so download says so, tries the
    sandbox, and leaves the job complete (a file is there); once no file is there, the job
    is lost and the resubmit is named."""
    handle = handle_in(generate(capsys)[1])
    video = Path(Journal(Path("journal.db")).entry(handle).path or "")
    video.write_bytes(video.read_bytes()[:100])
    restart(monkeypatch)
    status, _, err = run(capsys, "download", handle)
    assert status == 1
    assert "is not the whole video that was saved" in err
    assert status_of(handle) == "complete"
    video.unlink()
    status, _, err = run(capsys, "download", handle)
    assert status == 1
    assert "no file of its video is on disk" in err
    assert "next:  kling-nb resubmit " + handle in err
    assert status_of(handle) == "lost"


def test_a_job_marked_lost_with_its_file_on_disk_is_complete_again(
        sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A job an older version marked lost though its video was saved: download (its sandbox
    gone) finds the file whole, exits 0, and the job is complete again."""
    handle = handle_in(generate(capsys)[1])
    journal = Journal(Path("journal.db"))
    with journal._write() as conn:  # as older versions left it
        conn.execute("UPDATE jobs SET status = 'lost', error = 'gone'")
    restart(monkeypatch)
    assert run(capsys, "download", handle)[0] == 0
    entry = journal.entry(handle)
    assert (entry.status, entry.error) == ("complete", None)
    journal.close()


def test_no_download_in_process_saves_the_video_with_a_note(
        sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """--no-download on the in-process sandbox: the video is saved anyway (nothing could fetch
    it after the command), with a note saying why; a later download finds it on disk."""
    status, text, err = generate(capsys, "--no-download")
    assert status == 0, err
    assert "--no-download is not followed here" in err
    assert video_in(text).is_file()
    restart(monkeypatch)
    status, text, _ = run(capsys, "download", handle_in(text))
    assert status == 0
    assert "already downloaded" in text


def test_no_download_on_a_served_sandbox_is_followed(
        server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A served sandbox keeps its videos, so --no-download is followed there, silently."""
    for name, value in (("LEONARDO_API_KEY", KEY), ("LEONARDO_BASE_URL", server.url),
                        ("KLING_NB_JOURNAL", str(tmp_path / "journal.db"))):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    status, text, err = generate(capsys, "--no-download")
    assert status == 0, err
    assert "video: (not downloaded)" in text
    assert "--no-download" not in err
    assert not (tmp_path / "kling_videos").exists()


def test_resume_summary_counts_what_it_printed(
        sb: Sandbox, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A job left pending by a finished process, and one saved: resume marks only the first
    lost and its last line counts it - never "nothing to resume" after a job line; the next
    resume has nothing left, and says so."""
    saved = handle_in(generate(capsys)[1])
    status, text, _ = generate(capsys, "--timeout", "0")
    assert status == 3
    pending = handle_in(text)
    restart(monkeypatch)
    status, text, err = run(capsys, "resume")
    assert status == 0, err
    lines = text.splitlines()
    assert lines[0].startswith(f"lost {pending}: ")
    assert lines[-1] == "resume: 1 lost (no file on disk)"
    assert "nothing to resume" not in text
    assert (status_of(pending), status_of(saved)) == ("lost", "complete")
    status, text, _ = run(capsys, "resume")
    assert status == 0
    assert text.splitlines() == [
        "nothing to resume: no job in the journal is in flight or waiting for its download"]


def test_resume_right_after_a_crash_during_create_finds_the_job(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A process killed while its create request was out; kling-nb resume at once: the sender
    is gone, so the job is looked for straight away (over the listing's grace), found,
    waited for and downloaded - one create in all."""
    held = HeldCreates()
    journal = tmp_path / "journal.db"
    with serve(key=KEY, listing_delay=0.2, sleep=held) as upstream:
        crash_during_create(upstream, held, worker_env(upstream, KEY, journal), tmp_path)
        for name, value in (("LEONARDO_API_KEY", KEY), ("LEONARDO_BASE_URL", upstream.url),
                            ("KLING_NB_JOURNAL", str(journal)),
                            ("KLING_NB_RECONCILE_GRACE", "10")):
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        status, text, err = run(capsys, "resume")
        made = [r for r in upstream.sandbox.requests if r.method == "POST"
                and r.path.endswith("/generations")]
    assert status == 0, err
    assert "looked for " in text
    assert "recovered job" in text
    assert "saved at " in text
    assert text.splitlines()[-1] == "resume: 1 done"
    assert "may still be waiting" not in text
    assert len(made) == 1
