"""Sweeps: plans and estimates, a budget and a concurrency cap never exceeded, resume, grids."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn
from kling_nb._journal import Journal
from kling_nb._observer import ObserverChain
from kling_nb._sweep import BudgetExceededError, Sweep
from kling_nb.sandbox import FAILED_JOB, Sandbox

BASE = kn.Kling30(prompt="a lighthouse in a storm", duration=5, mode="RESOLUTION_720")


class Clock:
    """A fake clock; ``sleep`` moves it."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class InFlight(kn.JobObserver):
    """Counts jobs submitted and not yet finished; remembers the peak."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.peak = 0

    def submitted(self, handle: str | None, job: kn.Job) -> None:
        self.open.add(job.id)
        self.peak = max(self.peak, len(self.open))

    def finished(self, job: kn.Job) -> None:
        self.open.discard(job.id)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A journal in a temporary file."""
    j = Journal(tmp_path / "j.db")
    yield j
    j.close()


def _creates(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.method == "POST" and "generations" in r.path)


def test_grid_expands_every_combination() -> None:
    """prompts x seeds x durations x models gives one validated spec per combination."""
    sweep = Sweep({"prompt": "x", "size": "1920x1080"}, prompts=["a", "b"], seeds=[1, 2, 3],
                  durations=[5, 10], models=["leonardo/kling-3.0", "leonardo/kling-o1"])
    assert len(sweep) == 24
    assert {s.key for s in sweep.specs} == {"leonardo/kling-3.0", "leonardo/kling-o1"}
    assert Sweep(specs=[BASE, BASE.replace(seed=7)]).specs[1].seed == 7
    with pytest.raises(kn.SpecError):
        Sweep(BASE, durations=[5, 99])
    with pytest.raises(ValueError, match="not both"):
        Sweep(BASE, specs=[BASE])


def test_plan_uses_documented_figures_then_history(tmp_path: Path, journal: Journal) -> None:
    """The plan counts jobs and estimates costs, marked as estimates, from history when known."""
    sweep = Sweep(BASE, seeds=[1, 2, 3])
    plan = sweep.plan(journal)
    assert plan.jobs == 3
    assert plan.estimated_usd == Decimal("2.85")
    assert "ESTIMATE" in str(plan)
    assert plan.sources == {"documented": 3}
    assert "estimate" in plan._repr_mimebundle_()["text/html"]
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    client.generate(BASE, download=False)
    assert sweep.plan(journal).sources == {"history": 3}


def test_refuses_to_start_over_budget(tmp_path: Path, journal: Journal) -> None:
    """A plan over max_jobs or max_cost_usd raises before anything is sent."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    with pytest.raises(BudgetExceededError, match="max_jobs"):
        Sweep(BASE, seeds=[1, 2, 3], max_jobs=2).run(client)
    with pytest.raises(BudgetExceededError, match="max_cost_usd"):
        Sweep(BASE, seeds=[1, 2, 3], max_cost_usd=2.0).run(client)
    assert sb.requests == []


def _cheap_history(journal: Journal, count: int = 3) -> None:
    for i in range(count):
        handle = journal.intent(BASE, BASE.to_request().to_dict())
        job = kn.Job(id=f"old-{i}", provider="leonardo", model=BASE.key, sandbox=True,
                     submitted_at=datetime(2030, 1, 1, tzinfo=timezone.utc), spec=BASE,
                     cost=kn.Cost.parse("0.10", "USD"))
        journal.submitted(handle, job)


def test_stops_submitting_before_the_budget_is_passed(tmp_path: Path, journal: Journal) -> None:
    """When reported costs run above the estimate, the sweep stops instead of overspending."""
    _cheap_history(journal)
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2, 3, 4, 5, 6], max_cost_usd=2.0)
    assert sweep.plan(journal).estimated_usd == Decimal("0.60")
    results = sweep.run(client, download=False)
    assert results.total_cost <= Decimal("2.0")
    assert _creates(sb) == 2
    assert sweep.progress == {"complete": 2, "skipped": 4}
    assert all("budget" in (i.note or "") for i in results if i.state == "skipped")


def test_concurrency_cap_from_account_slots(tmp_path: Path, journal: Journal) -> None:
    """At most apiConcurrencySlots jobs are in flight (realistic timing, injected clock)."""
    clock = Clock()
    sb = Sandbox(timing="realistic", clock=clock, slots=3)
    counter = InFlight()
    client = kn.Client(sandbox=sb, journal=ObserverChain(journal, counter),
                       download_dir=tmp_path, clock=clock, sleep=clock.sleep)
    seen: list[int] = []
    sweep = Sweep(BASE, seeds=list(range(7)), on_progress=lambda s: seen.append(s.in_flight))
    results = sweep.run(client)
    assert sweep.cap == 3
    assert counter.peak == 3
    assert max(seen) <= 3
    assert len(results.results) == 7
    assert all(r.path for r in results.results)
    assert sb.peak_running() <= 3


def test_failures_are_reported_per_job(tmp_path: Path, journal: Journal) -> None:
    """One failed job is reported with its error; the other jobs still finish."""
    sb = Sandbox()
    sb.faults.add(FAILED_JOB)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    results = Sweep(BASE, seeds=[1, 2, 3]).run(client, download=False)
    assert sorted(i.state for i in results) == ["complete", "complete", "failed"]
    [(job_id, error)] = results.errors
    assert isinstance(error, kn.JobFailedError)
    assert job_id
    assert "failed" in str(results)


def test_run_async_keeps_the_cap(tmp_path: Path, journal: Journal) -> None:
    """run_async submits within the cap and returns every result."""
    counter = InFlight()
    client = kn.Client(sandbox=Sandbox(), journal=ObserverChain(journal, counter),
                       download_dir=tmp_path)
    sweep = Sweep(BASE, prompts=["a", "b", "c", "d", "e"], concurrency=2)
    results = asyncio.run(sweep.run_async(client))
    assert counter.peak <= 2
    assert len(results.results) == 5
    assert {e.sweep_index for e in journal.history(sweep=sweep.id)} == {0, 1, 2, 3, 4}


def test_resume_submits_only_what_was_never_sent(tmp_path: Path, journal: Journal) -> None:
    """After a restart a sweep picks up in-flight jobs, leaves unknowns, submits the rest."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2, 3, 4], name="storm")
    journal.record_sweep(sweep.id, sweep.name, [s.to_dict() for s in sweep.specs], {})
    for index in (0, 1):
        with journal.labels(sweep=sweep.id, index=index):
            client.submit(sweep.specs[index])
    with journal.labels(sweep=sweep.id, index=2):
        journal.intent(sweep.specs[2], sweep.specs[2].to_request().to_dict())
    fresh = Journal(journal.path)
    client = kn.Client(sandbox=sb, journal=fresh, download_dir=tmp_path)
    report = fresh.resume(client, sweep=sweep.id)
    assert len(report) == 3
    assert len(report.unknown) == 1
    assert _creates(sb) == 3
    assert all(r.path is not None for r in report)
    states = {i: e.status for i, e in fresh.sweep_entries(sweep.id).items()}
    assert states == {0: "complete", 1: "complete", 2: "submitting", 3: "complete"}
    assert fresh.sweeps()[0]["name"] == "storm"
    fresh.close()


def test_grid_notes_differing_parameters(tmp_path: Path, journal: Journal) -> None:
    """The results grid shows shared parameters once and what differs on each card."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, prompts=["calm sea", "rough sea"], seeds=[3])
    results = sweep.run(client)
    html = results._repr_mimebundle_()["text/html"]
    assert "<b>differs:</b> prompt" in html
    assert "calm sea" in html
    assert "<video src='" in html  # sandbox posters are unreachable: the local file stands in
    assert "base64" not in html
    assert "seed=3" in html
    view = sweep._repr_mimebundle_()
    assert "<progress value='2' max='2'>" in view["text/html"]
    assert "2 complete" in view["text/plain"]


def test_run_shows_one_live_progress_line_in_a_notebook(
    tmp_path: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a kernel, run() shows one progress line and refreshes it as jobs move; not elsewhere."""
    import IPython
    import IPython.display

    shown: list[Any] = []

    class Handle:
        def update(self, obj: Any) -> None:
            shown.append(obj._repr_mimebundle_()["text/plain"])

    def display(obj: Any, display_id: bool = False) -> Handle:
        shown.append(obj._repr_mimebundle_()["text/plain"])
        return Handle()

    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Shell", (), {"kernel": 1})())
    monkeypatch.setattr(IPython.display, "display", display)
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    Sweep(BASE, prompts=["calm sea", "rough sea"]).run(client)
    assert len(shown) >= 2
    assert "2 complete" in shown[-1]
    shown.clear()
    Sweep(BASE, prompts=["fog"]).run(client, progress=False)
    assert shown == []
