"""Unchecked bodies in the runs layer: a process killed while waiting is resumed by another
(nothing sent twice), a sweep varies the body's prompt and seed under a budget and resumes,
and a sidecar holds enough to remix the body."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from client_helpers import FakeClock
from crash_helpers import WORKER, worker_env

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import Sandbox, serve

BODY = {"model": "kling-9.1", "public": False, "parameters": {
    "prompt": "a fox", "duration": 4, "width": 1920, "height": 1080}}


def test_a_killed_wait_for_unchecked_jobs_is_resumed_in_a_new_process(tmp_path: Path) -> None:
    """SIGKILLed while waiting for two unchecked jobs: a new process finds them in the
    journal (their bodies parse back unchecked) and downloads both; two creates in all."""
    clock = FakeClock()
    with serve(timing="realistic", clock=clock, accept_unknown_models=True) as server:
        env = worker_env(server, "worker-key", tmp_path / "j.db")
        worker = subprocess.Popen([sys.executable, str(WORKER), "submit-unchecked", "2",
                                   str(tmp_path)], env=env, stdout=subprocess.PIPE, text=True)
        assert worker.stdout is not None
        ids = worker.stdout.readline().split()[1:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker.stdout.close()
        assert len(ids) == 2
        clock.now += 10_000
        done = subprocess.run([sys.executable, str(WORKER), "resume", str(tmp_path)], env=env,
                              capture_output=True, text=True, timeout=60, check=True)
        report = json.loads(done.stdout.splitlines()[-1])
        assert sorted(report["results"]) == sorted(ids)
        assert report["errors"] == []
        creates = [r for r in server.sandbox.requests if r.method == "POST"
                   and r.path == "/api/rest/v2/generations"]
        assert len(creates) == 2
    journal = Journal(tmp_path / "j.db")
    entries = journal.history(status="complete")
    assert {e.job_id for e in entries} == set(ids)
    assert all(e.model == "leonardo/kling-9.1 (unchecked)" and e.saved for e in entries)
    journal.close()


def test_a_sweep_over_the_bodys_prompt_and_seed(tmp_path: Path) -> None:
    """Prompts x seeds go into the body; a cost budget is kept from what the provider reports
    for the first job, as the plan says up front (a job budget works too); every job is
    journaled with the sweep; resuming the sweep sends nothing new; the results show on the
    compare board labelled UNCHECKED."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(accept_unknown_models=True), journal=journal,
                       download_dir=tmp_path, env_file=False, environ={})
    base = kn.parse_spec(BODY, unchecked=True)
    priced = kn.Sweep(base, prompts=["a fox"], seeds=[1], max_cost_usd=5)
    assert ("no known price for leonardo/kling-9.1 (unchecked): job #0 (4 s) is sent while "
            "the budget has room") in str(priced.plan())
    sweep = kn.Sweep(base, prompts=["a fox", "a hare"], seeds=[1, 2], max_jobs=4)
    assert [s.to_wire()["parameters"]["seed"] for s in sweep.specs] == [1, 2, 1, 2]
    assert {s.prompt for s in sweep.specs} == {"a fox", "a hare"}
    results = sweep.run(client)
    assert len(results.results) == 4
    entries = journal.sweep_entries(sweep.id)
    assert {e.seed for e in entries.values()} == {1, 2}
    assert all(e.to_spec().key == base.key for e in entries.values())
    again = kn.Sweep.load(journal, sweep.id).run(client, journal=journal)
    assert len(again.results) == 4
    assert len(client.routing.sandboxes["leonardo"].store.jobs) == 4
    board = kn.compare(results.results)
    assert board.differ == {"prompt", "seed"}
    assert all(card["unchecked"] for card in board.board.cards)
    assert board.shared["model"] == "leonardo/kling-9.1 (unchecked)"
    journal.close()


def test_a_sidecar_remixes_the_body(tmp_path: Path) -> None:
    """The video's sidecar holds the unchecked spec: remixing it changes the body's prompt
    and keeps where it goes."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(accept_unknown_models=True), journal=journal,
                       download_dir=tmp_path, env_file=False, environ={})
    result = client.generate(kn.parse_spec(BODY, unchecked=True), progress=False)
    assert result.path is not None
    sidecar = kn.load_sidecar(result.path)
    assert sidecar.data["model"] == "leonardo/kling-9.1 (unchecked)"
    assert sidecar.result.prompt == "a fox"
    assert sidecar.result.duration == 4
    remixed = sidecar.remix(prompt="a fox in the rain")
    assert isinstance(remixed, kn.UncheckedSpec)
    assert remixed.endpoint == "/api/rest/v2/generations"
    assert remixed.to_wire()["parameters"]["prompt"] == "a fox in the rain"
    assert client.generate(remixed, progress=False).path is not None
    journal.close()


@pytest.mark.parametrize("provider", ["leonardo", "aimlapi"])
def test_history_and_leaderboard_keep_unchecked_jobs_apart(tmp_path: Path,
                                                           provider: str) -> None:
    """The history lists the job under its unchecked key; the leaderboard by model ranks it
    under that key, never with a checked row's jobs."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(accept_unknown_models=True), journal=journal,
                       download_dir=tmp_path, env_file=False, environ={})
    body = BODY if provider == "leonardo" else {"model": "klingai/video-v9-text-to-video",
                                                "prompt": "a fox", "duration": 4}
    result = client.generate(kn.parse_spec(body, unchecked=True), progress=False)
    journal.rate(result.job_id, 4)
    [entry] = journal.history()
    assert entry.model.endswith("(unchecked)")
    assert entry.provider == provider
    board = journal.history().leaderboard(by="model")
    assert "(unchecked)" in board.html()
    journal.close()
