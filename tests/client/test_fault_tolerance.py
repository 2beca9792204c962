"""Fault tolerance: many jobs through a faulty network, and processes killed mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from client_helpers import KEY, FakeClock, aiml_spec, creates, instant_retries, leo_spec, v2_spec
from fault_proxy import FaultProxy

from kling_nb import (
    Client,
    Job,
    NotCreatedError,
    RecoveredJobWarning,
    Result,
    Spec,
    UnknownOutcomeError,
)
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, LEONARDO_SANDBOX_URL, Sandbox, serve

__all__ = ["instant_retries"]

WORKER = Path(__file__).resolve().parents[1] / "fault_worker.py"
JOBS = 200
RATES = {"refused": 0.03, "lost_request": 0.02, "gateway_error": 0.03, "rate_limited": 0.03,
         "upstream_timeout": 0.03, "dropped": 0.03, "truncated": 0.08}
MAKERS: tuple[Callable[..., Spec], ...] = (leo_spec, v2_spec, aiml_spec)


def _prompt(body: dict[str, Any]) -> str:
    return str(body.get("prompt") or (body.get("parameters") or {}).get("prompt"))


def _submit(client: Client, spec: Spec, log: Counter[str], sb: Sandbox) -> Job:
    """Submit as a user would: a lost answer is looked for by the client itself; a "not
    created" verdict is sent again, on purpose; an AI/ML task the lookup did not find is sent
    again once the user has seen in the dashboard (here: the sandbox's store) that none exists."""
    while True:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                job = client.submit(spec)
        except NotCreatedError:
            log["not created, resubmitted"] += 1
            continue
        except UnknownOutcomeError as exc:
            unknown = exc
        else:
            if any(issubclass(w.category, RecoveredJobWarning) for w in caught):
                assert job.recovered
                log["recovered"] += 1
            return job
        task = unknown.sent["json"].get("external_task_id")
        assert unknown.provider.startswith("AI/ML"), unknown
        assert task, unknown
        assert not [j for j in sb.store.jobs.values() if j.order.external_task_id == task]
        log["unknown, none in the dashboard, resubmitted"] += 1


def test_200_jobs_through_a_faulty_network(tmp_path: Path) -> None:
    """Every video arrives byte-identical and every spec made exactly one job on the server:
    lost create answers are recovered from the listing, never sent twice."""
    clock = FakeClock()
    sb = Sandbox(balance=1e9, clock=clock)
    proxy = FaultProxy(sb.transport(), RATES, seed=11)
    client = Client(leonardo_key=KEY, aimlapi_key=KEY, leonardo_base_url=LEONARDO_SANDBOX_URL,
                    aimlapi_base_url=AIMLAPI_SANDBOX_URL, transport=proxy, env_file=False,
                    environ={}, download_dir=tmp_path / "videos", clock=clock,
                    sleep=clock.sleep, journal=False)
    log: Counter[str] = Counter()
    prompts = [f"fault soak job {i}" for i in range(JOBS)]
    jobs = [_submit(client, MAKERS[i % 3](prompt=p), log, sb) for i, p in enumerate(prompts)]
    outcomes = client.wait_all(jobs)
    assert all(isinstance(o, Result) for o in outcomes), [o for o in outcomes
                                                           if not isinstance(o, Result)]
    clean = httpx.Client(transport=sb.transport())
    for outcome in outcomes:
        assert isinstance(outcome, Result)
        path = client.download(outcome)
        assert path.read_bytes() == clean.get(outcome.video_url).content
        assert not path.with_name(path.name + ".part").exists()
    reached = Counter(_prompt(r.json) for r in creates(sb))
    assert sorted(reached) == sorted(prompts)
    assert set(reached.values()) == {1}, "a spec reached the server twice"
    assert len(sb.store.jobs) == JOBS
    assert {j.id for j in jobs} == set(sb.store.jobs)
    assert proxy.forwarded["create"] == JOBS
    kinds = {kind for kind, _ in proxy.injected}
    assert kinds == set(RATES), f"not every fault kind struck: {proxy.injected}"
    assert log["recovered"] > 0
    assert log["not created, resubmitted"] > 0
    assert {r for _, r in proxy.injected} >= {"create", "status", "download", "upload"}


# -- processes killed with SIGKILL -------------------------------------------------------------
class _Clock:
    """The sandbox server's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {**os.environ, "KLING_NB_JOURNAL": str(tmp_path / "j.db"),
            "LEONARDO_BASE_URL": url, "AIMLAPI_BASE_URL": url, "LEONARDO_API_KEY": KEY,
            "AIMLAPI_API_KEY": KEY, "PYTHONPATH": str(WORKER.parents[1])}


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_after(worker: subprocess.Popen[str], marker: str) -> str:
    """Read lines until one starts with ``marker``, then SIGKILL the worker; returns it."""
    assert worker.stdout is not None
    deadline = time.monotonic() + 30
    line = ""
    while time.monotonic() < deadline:
        line = worker.stdout.readline()
        if not line or line.startswith(marker):
            break
    worker.send_signal(signal.SIGKILL)
    _, err = worker.communicate(timeout=10)
    assert line.startswith(marker), f"worker said {line!r}; stderr: {err[-2000:]}"
    assert worker.returncode == -signal.SIGKILL
    return line[len(marker):].strip()


def _final_files_are_whole(folder: Path, expected: dict[str, bytes]) -> None:
    """Every .mp4 present is complete: its bytes are the server's, byte for byte."""
    for path in folder.glob("*.mp4"):
        job_id = next(i for i in expected if i in path.name)
        assert path.read_bytes() == expected[job_id], f"{path.name} is not the whole video"


def test_killed_during_waits_and_downloads_resumes_every_job(tmp_path: Path) -> None:
    """SIGKILL while waiting, then while downloading: a third process finishes every job whole."""
    clock = _Clock()
    videos = tmp_path / "videos"
    with serve(key=KEY, timing="realistic", clock=clock, balance=1e9) as server:
        env = _env(tmp_path, server.url)
        ids = _kill_after(_start(env, "submit", str(videos)), "SUBMITTED").split()
        assert len(ids) == 6
        clock.now += 300  # the 5 s jobs are done (<= 240 s), the 10 s ones still run
        part = Path(_kill_after(_start(env, "resume-slowly", str(videos)), "PART"))
        assert part.name.endswith(".mp4.part")
        assert part.exists()
        assert not part.with_suffix("").exists()
        clock.now += 10_000
        sb = server.sandbox
        clean = httpx.Client(headers={"authorization": f"Bearer {KEY}"})
        expected = {}
        for job_id in ids:
            job = sb.store.jobs[job_id]
            expected[job_id] = clean.get(f"{server.url}/_sandbox/cdn/videos/{job.videos[0]}"
                                         ".mp4").content
        _final_files_are_whole(videos, expected)
        owner = next(i for i in ids if i in part.name)
        assert expected[owner].startswith(part.read_bytes())
        assert part.stat().st_size < len(expected[owner])
        done = subprocess.run([sys.executable, str(WORKER), "resume", str(videos)], env=env,
                              capture_output=True, text=True, timeout=60, check=True)
        report = json.loads(done.stdout.splitlines()[-1])
        assert report["errors"] == []
        assert report["unknown"] == 0
        assert sorted(report["results"]) == sorted(ids)
        assert len(creates(sb)) == 6
    finals = sorted(videos.glob("*.mp4"))
    assert len(finals) == 6
    _final_files_are_whole(videos, expected)
    assert list(videos.glob("*.part")) == []
    journal = Journal(tmp_path / "j.db")
    assert {e.job_id for e in journal.history(status="complete")} == set(ids)
    assert all(e.path is not None and e.path.exists() for e in journal.history())
    assert journal.unfinished() == []
    journal.close()


def test_kill_while_waiting_leaves_no_video_file(tmp_path: Path) -> None:
    """A process killed while waiting leaves no video file at all, only journal rows."""
    clock = _Clock()
    videos = tmp_path / "videos"
    with serve(key=KEY, timing="realistic", clock=clock) as server:
        ids = _kill_after(_start(_env(tmp_path, server.url), "submit", str(videos)), "SUBMITTED")
    assert len(ids.split()) == 6
    assert not videos.exists() or list(videos.iterdir()) == []
    journal = Journal(tmp_path / "j.db")
    assert {e.job_id for e in journal.unfinished()} == set(ids.split())
    journal.close()
