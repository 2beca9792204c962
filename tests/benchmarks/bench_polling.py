"""Polling: our adaptive schedule against fixed 10 s and 0.5 s polling, on the sandbox's clock.

Every job runs through the real client and the sandbox in realistic timing (36-48 s per
second of video, api-notes §4) on an injected clock, so no real time passes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import kling_nb as kn
from kling_nb.sandbox import Sandbox

from .common import FakeClock, Row, mean, p95

JOBS_PER_DURATION = 40
DURATIONS = (5, 10)


def fixed(interval: float) -> kn.PollSchedule:
    """A schedule that polls every ``interval`` seconds from the start."""
    return kn.PollSchedule((0.0, 1e9), min_interval=interval, max_interval=interval,
                           per_window=1e9, lead=0.0)


def run(schedule_for: Callable[[int], kn.PollSchedule] | None, seed: int = 7,
        journal: kn.Journal | None = None) -> tuple[list[float], list[int]]:
    """Lags (s) and status requests per job for one strategy over the same job durations."""
    clock = FakeClock()
    sandbox = Sandbox(timing="realistic", clock=clock.now, seed=seed, balance=1e9)
    poll = (lambda spec, duration: schedule_for(duration)) if schedule_for else None
    client = kn.Client(sandbox=sandbox, clock=clock.now, sleep=clock.sleep, poll=poll,
                       journal=journal or False, download_dir=tempfile.gettempdir())
    lags: list[float] = []
    requests: list[int] = []
    for duration in DURATIONS:
        for index in range(JOBS_PER_DURATION):
            before = _status_requests(sandbox)
            job = client.submit(kn.Kling30(prompt=f"job {index}", duration=duration))
            client.wait(job, timeout=10_000)
            lags.append(clock.now() - sandbox.store.jobs[job.id].end)
            requests.append(_status_requests(sandbox) - before)
    return lags, requests


def _status_requests(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.method == "GET" and "/generations/" in r.path)


def benchmark() -> list[Row]:
    """All polling figures, as ratios to fixed 10 s polling measured in the same run."""
    base_lag, base_req = run(lambda d: fixed(10.0))
    rows = [Row("polling", "fixed 10 s: mean lag / p95 lag / requests per job",
                f"{mean(base_lag):.1f} s / {p95(base_lag):.1f} s / {mean(base_req):.1f}")]
    fast_lag, fast_req = run(lambda d: fixed(0.5))
    rows.append(Row("polling", "fixed 0.5 s: mean lag / p95 lag / requests per job",
                    f"{mean(fast_lag):.2f} s / {p95(fast_lag):.2f} s / {mean(fast_req):.1f}",
                    ratio=f"{mean(fast_req) / mean(base_req):.2f}x requests"))
    ours_lag, ours_req = run(None)
    rows += _compare("kling_nb schedule", ours_lag, ours_req, base_lag, base_req, 0.5)
    with tempfile.TemporaryDirectory() as tmp:
        journal = kn.Journal(Path(tmp) / "journal.db")
        _history(journal, seed=3)
        learned_lag, learned_req = run(None, journal=journal)
        journal.close()
    rows += _compare("after learning from 20 jobs", learned_lag, learned_req, base_lag, base_req,
                     0.3)
    return rows


def _history(journal: kn.Journal, seed: int) -> None:
    """20 earlier jobs (10 per duration) recorded in the journal the client learns from."""
    clock = FakeClock()
    sandbox = Sandbox(timing="realistic", clock=clock.now, seed=seed, balance=1e9)
    client = kn.Client(sandbox=sandbox, clock=clock.now, sleep=clock.sleep, journal=journal,
                       download_dir=tempfile.gettempdir())
    for index in range(20):
        job = client.submit(kn.Kling30(prompt=f"history {index}",
                                       duration=DURATIONS[index % 2]))
        client.wait(job, timeout=10_000)


def _compare(label: str, lag: list[float], req: list[int], base_lag: list[float],
             base_req: list[int], target: float) -> list[Row]:
    ratio = mean(req) / mean(base_req)
    return [
        Row("polling", f"{label}: mean lag / p95 lag",
            f"{mean(lag):.1f} s / {p95(lag):.1f} s",
            f"{mean(base_lag):.1f} s / {p95(base_lag):.1f} s",
            f"{mean(lag) / mean(base_lag):.2f}x mean lag", "mean lag <= fixed 10 s",
            mean(lag) <= mean(base_lag)),
        Row("polling", f"{label}: status requests per job", f"{mean(req):.1f}",
            f"{mean(base_req):.1f}", f"{ratio:.2f}x", f"<= {target}x", ratio <= target),
    ]
