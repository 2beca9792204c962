"""Resume: a killed kernel's jobs are picked up again; unknown outcomes are never resubmitted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from client_helpers import KEY
from crash_helpers import HeldCreates, crash_during_create, worker_env

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import DROP_AFTER, Sandbox, serve

WORKER = Path(__file__).resolve().parents[1] / "journal_worker.py"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {**os.environ, "KLING_NB_JOURNAL": str(tmp_path / "j.db"), "LEONARDO_BASE_URL": url,
            "LEONARDO_API_KEY": "worker-key", "PYTHONPATH": str(WORKER.parents[1])}


def _creates(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.method == "POST" and "generations" in r.path)


def test_killed_wait_is_resumed_in_a_new_process(tmp_path: Path) -> None:
    """A process SIGKILLed while waiting loses nothing: a new process finishes every job."""
    clock = Clock()
    with serve(timing="realistic", clock=clock) as server:
        env = _env(tmp_path, server.url)
        worker = subprocess.Popen([sys.executable, str(WORKER), "submit", "3", str(tmp_path)],
                                  env=env, stdout=subprocess.PIPE, text=True)
        assert worker.stdout is not None
        line = worker.stdout.readline()
        ids = line.split()[1:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker.stdout.close()
        assert worker.returncode == -signal.SIGKILL
        assert len(ids) == 3
        clock.now += 10_000
        done = subprocess.run([sys.executable, str(WORKER), "resume", str(tmp_path)], env=env,
                              capture_output=True, text=True, timeout=60, check=True)
        report = json.loads(done.stdout.splitlines()[-1])
        assert sorted(report["results"]) == sorted(ids)
        assert report["errors"] == []
        assert report["unknown"] == 0
        assert all(Path(p).stat().st_size > 0 for p in report["paths"])
        assert _creates(server.sandbox) == 3
    journal = Journal(tmp_path / "j.db")
    assert {e.job_id for e in journal.history(status="complete")} == set(ids)
    assert journal.unfinished() == []
    journal.close()


def test_a_crash_during_create_is_looked_for_at_once(tmp_path: Path) -> None:
    """A process SIGKILLed while its create request was out: reconcile right after the crash
    looks for the job (its sender is gone, so nothing waits for the answer), finds it and
    links it; resume then downloads it; nothing is sent twice."""
    held = HeldCreates()
    with serve(key=KEY, listing_delay=0.2, sleep=held) as server:
        env = worker_env(server, KEY, tmp_path / "j.db")
        pid = crash_during_create(server, held, env, tmp_path)
        journal = Journal(tmp_path / "j.db")
        [entry] = journal.unfinished()
        assert entry.status == "submitting"
        assert entry.sender is not None
        assert entry.sender.pid == pid
        client = kn.Client(leonardo_key=KEY, leonardo_base_url=server.url, env_file=False,
                           environ={}, journal=journal, download_dir=tmp_path,
                           retry=kn.RetryPolicy(reconcile_grace=10))
        [looked] = journal.reconcile(client)
        assert looked.verdict == "found", looked
        assert journal.entry(entry.handle).recovered
        [result] = journal.resume(client)
        assert result.path is not None
        assert _creates(server.sandbox) == 1
        journal.close()


def test_a_create_whose_sender_still_runs_is_left_to_it(tmp_path: Path,
                                                       journal: Journal) -> None:
    """A request still waiting for its answer in a process that runs (here: this one) is not
    looked for, and the reason names that process; once recorded by a process that no longer
    runs (the same id, started at another time: the id was reused), it is looked for."""
    sb = Sandbox(listing_delay=0)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    spec = kn.Kling30(prompt="still out", duration=5, mode="RESOLUTION_720")
    handle = journal.intent(spec, spec.to_request(client.base_url("leonardo")).to_dict())
    [waiting] = journal.reconcile(client)
    assert waiting.verdict == "skipped"
    assert f"in process {os.getpid()} on " in str(waiting)
    assert "which still runs" in str(waiting)
    with journal._write() as conn:
        conn.execute("UPDATE jobs SET sender_started = sender_started - 1000 WHERE handle = ?",
                     (handle,))
    [looked] = journal.reconcile(client, grace=0)
    assert looked.verdict == "not_created"
    assert sb.requests


def test_intent_without_id_is_reported_not_resubmitted(tmp_path: Path, journal: Journal
                                                       ) -> None:
    """A lost answer that cannot be looked for (an AI/ML universal row) stays an unknown
    outcome through resume, which sends nothing and says what to run."""
    sb = Sandbox(listing_delay=0)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    sb.faults.add(DROP_AFTER, route="create")
    spec = kn.parse_spec({"model": "aimlapi/kling-2.6-pro", "prompt": "lost answer"})
    with pytest.raises(kn.UnknownOutcomeError):
        client.submit(spec)
    report = journal.resume(client)
    assert list(report) == []
    assert len(report.unknown) == 1
    entry = report.unknown[0]
    assert entry.unknown_outcome
    assert entry.request
    assert entry.request["json"]
    assert "kling-nb resume" in entry.check_hint()
    assert f"kling-nb resubmit {entry.short} --force" in entry.check_hint()
    assert "NOT resubmitted" in str(report)
    assert "cannot look for it" in str(report)
    assert len(sb.store.jobs) == 1


def _lost_create(tmp_path: Path, journal: Journal) -> tuple[Sandbox, kn.Client, str]:
    """A Kling 3.0 create whose answer was lost, by a client that does not look for the job:
    the sandbox, that client, and the journal handle of the unknown intent."""
    sb = Sandbox(listing_delay=0)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path,
                       retry=kn.RetryPolicy(reconcile_grace=None))
    sb.faults.add(DROP_AFTER, route="create")
    with pytest.raises(kn.UnknownOutcomeError):
        client.submit(kn.Kling30(prompt="find me", duration=5, mode="RESOLUTION_720"))
    return sb, client, journal.unfinished()[0].handle


def test_resume_finds_the_job_of_an_unknown_intent(tmp_path: Path, journal: Journal) -> None:
    """An unknown outcome left by a client that did not look is looked for by resume: found,
    linked to its intent, waited for and downloaded; nothing is sent again."""
    sb, _, handle = _lost_create(tmp_path, journal)
    with journal._write() as conn:  # sent long ago: looked for once, with no grace left
        conn.execute("UPDATE jobs SET intent_at = intent_at - 600 WHERE handle = ?", (handle,))
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    results = journal.resume(client)
    assert [r.verdict for r in results.reconciled] == ["found"]
    assert "looked for" in str(results)
    [result] = results
    assert result.path is not None
    assert journal.entry(result.job_id).handle == handle
    assert journal.entry(handle).recovered
    assert _creates(sb) == 1


def test_unknown_intent_is_found_and_linked_by_hand(tmp_path: Path, journal: Journal) -> None:
    """find_submitted locates the job behind an unknown outcome; track links it; resume ends it."""
    sb, client, handle = _lost_create(tmp_path, journal)
    found = journal.find_submitted(client, handle)
    assert len(found) == 1
    journal.track(found[0], handle=handle)
    results = journal.resume(client)
    assert [r.job_id for r in results] == [found[0].id]
    assert results[0].path is not None
    assert journal.entry(found[0].id).handle == handle
    assert _creates(sb) == 1


def test_process_died_during_create_shows_as_unknown(journal: Journal) -> None:
    """An intent with no answer at all (the process died mid-create) is an unknown outcome."""
    spec = kn.Kling30(prompt="died", duration=5, mode="RESOLUTION_720")
    handle = journal.intent(spec, spec.to_request().to_dict())
    [entry] = journal.unfinished()
    assert entry.handle == handle
    assert entry.unknown_outcome
    assert entry.status == "submitting"
    journal.dismiss(handle)
    assert journal.unfinished() == []


def test_reattached_outside_job_is_tracked_and_resumed(tmp_path: Path, journal: Journal) -> None:
    """A job submitted elsewhere is reattached by provider and id, journaled and resumed."""
    sb = Sandbox()
    outside = kn.Client(sandbox=sb, journal=False, download_dir=tmp_path)
    job = outside.submit(kn.Kling30(prompt="from the web app", duration=5,
                                    mode="RESOLUTION_720"))
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    entry = journal.track(client.job("leonardo", job.id, model="leonardo/kling-3.0"),
                          tags=["outside"])
    assert entry.status == "pending"
    assert entry.tags == ("outside",)
    results = journal.resume(client)
    assert [r.job_id for r in results] == [job.id]
    assert journal.entry(job.id).status == "complete"


def test_resume_brings_back_the_cost(tmp_path: Path) -> None:
    """Resumed results carry the cost reported when the job was submitted."""
    sb = Sandbox()
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    job = client.submit(kn.Kling30(prompt="cost survives a restart", duration=3))
    fresh = kn.Client(sandbox=sb, journal=Journal(tmp_path / "j.db"), download_dir=tmp_path)
    resumed = Journal(tmp_path / "j.db").resume(fresh)
    assert [r.cost for r in resumed] == [job.cost]
    assert job.cost is not None


def _status_calls(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.method == "GET" and "generations" in r.path)


def test_sandbox_jobs_gone_after_a_restart_are_marked_lost(tmp_path: Path, journal: Journal
                                                          ) -> None:
    """A sandbox job its (new) sandbox no longer knows is marked lost, and never polled again."""
    before = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    job = before.submit(kn.Kling30(prompt="gone with the kernel", duration=5))
    restarted = Sandbox()  # the in-process sandbox of a new kernel knows no old job
    client = kn.Client(sandbox=restarted, journal=journal, download_dir=tmp_path)
    report = journal.resume(client)
    assert [e.job_id for e in report.lost] == [job.id]
    assert report.errors == []
    assert "do not survive a restart" in str(report)
    entry = journal.entry(job.id)
    assert entry.status == "lost"
    assert entry.error == "sandbox jobs do not survive a restart of the process that ran them"
    assert journal.unfinished() == []
    polls = _status_calls(restarted)
    journal.resume(client)
    assert _status_calls(restarted) == polls


def test_resume_never_marks_a_job_with_a_file_lost(tmp_path: Path, journal: Journal) -> None:
    """A downloaded sandbox job whose file was cut short, its sandbox gone: resume tries to
    fetch it again, but a file of it is on disk, so it is reported, never marked lost; a job
    with its whole file is not even asked about."""
    before = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    whole = before.generate(kn.Kling30(prompt="kept whole", duration=3), progress=False)
    cut = before.generate(kn.Kling30(prompt="cut short", duration=3), progress=False)
    assert cut.path is not None
    cut.path.write_bytes(cut.path.read_bytes()[:100])
    restarted = Sandbox()
    report = journal.resume(kn.Client(sandbox=restarted, journal=journal,
                                      download_dir=tmp_path))
    assert report.lost == []
    assert [job_id for job_id, _ in report.errors] == [cut.job_id]
    assert journal.entry(cut.job_id).status == journal.entry(whole.job_id).status == "complete"
    assert journal.lost(cut.job_id) is False
    asked = {r.path.rsplit("/", 1)[-1] for r in restarted.requests}
    assert asked == {cut.job_id}
    with journal._write() as conn:  # as older versions left a saved job whose sandbox was gone
        conn.execute("UPDATE jobs SET status = 'lost' WHERE job_id = ?", (whole.job_id,))
    journal.resume(kn.Client(sandbox=restarted, journal=journal, download_dir=tmp_path))
    assert journal.entry(whole.job_id).status == "complete"


def test_resume_skips_jobs_of_the_other_mode(tmp_path: Path, journal: Journal) -> None:
    """A live client leaves sandbox jobs alone (and the reverse), and says why."""
    sandboxed = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    job = sandboxed.submit(kn.Kling30(prompt="made in the sandbox", duration=5))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404, json={"error": "no such generation"})

    live = kn.Client(leonardo_key="k", aimlapi_key="k", env_file=False, environ={},
                     transport=httpx.MockTransport(handler), journal=journal,
                     download_dir=tmp_path)
    report = journal.resume(live)
    assert sent == []
    [(entry, reason)] = report.skipped
    assert entry.job_id == job.id
    assert "sandbox" in reason
    assert journal.entry(job.id).status == "pending"
    live_entry = journal.track(live.job("leonardo", "live-job-1", model="leonardo/kling-3.0"))
    assert not live_entry.sandbox
    back = journal.resume(sandboxed)
    assert [e.job_id for e, _ in back.skipped] == ["live-job-1"]
    assert [r.job_id for r in back] == [job.id]


def test_sweep_resume_skips_jobs_of_the_other_mode(tmp_path: Path, journal: Journal) -> None:
    """Resuming a sandbox sweep with a live client polls nothing and lists the jobs skipped."""
    from kling_nb.runs.sweep import Sweep

    sandboxed = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    spec = kn.Kling30(prompt="sweep in the sandbox", duration=5)
    sweep = Sweep(spec, seeds=[1])
    journal.record_sweep(sweep.id, None, [s.to_dict() for s in sweep.specs], {"cap": 2})
    with journal.labels(sweep=sweep.id, index=0):
        sandboxed.submit(sweep.specs[0])
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    live = kn.Client(leonardo_key="k", aimlapi_key="k", env_file=False, environ={},
                     transport=httpx.MockTransport(handler), journal=journal,
                     download_dir=tmp_path)
    report = journal.resume(live, sweep=sweep.id)
    assert sent == []
    assert len(report.skipped) == 1
