"""Budgets on rows with no published price: said up front, one job first, then held."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.runs.sweep import Sweep
from kling_nb.sandbox import Sandbox

TURBO = kn.Kling30TurboStandardAIML(prompt="a paper lantern drifts up", duration=3)
"""No published price; the sandbox charges its made-up $0.084 a second: $0.25 for 3 s."""
PROMPTS = ["a lantern", "a kite", "a balloon", "a bird", "a leaf"]


class Reports(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the sandbox: remembers, for each create, how many jobs had completed before it;
    ``at_create=False`` takes the price out of create answers (it comes with the finished
    job's status), ``at_all=False`` out of every answer."""

    def __init__(self, sb: Sandbox, *, at_create: bool = True, at_all: bool = True) -> None:
        self.sync, self.asynchronous = sb.transport(), sb.async_transport()
        self.at_create, self.at_all = at_create, at_all
        self.completed = 0
        self.creates: list[int] = []
        """For each create sent: how many jobs were seen complete before it."""

    def _seen(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        create = request.method == "POST" and "generations" in request.url.path
        if create:
            self.creates.append(self.completed)
        body = json.loads(response.read() or b"null")
        if not isinstance(body, dict):
            return response
        done = body.get("status") == "completed"
        self.completed += done
        keep = self.at_all and (self.at_create or (done and not create))
        if not keep:
            body.pop("meta", None)
        return httpx.Response(response.status_code, json=body, request=request,
                              headers={k: v for k, v in response.headers.items()
                                       if k.lower().startswith("x-kling-nb")})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._seen(request, self.sync.handle_request(request))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._seen(request, await self.asynchronous.handle_async_request(request))


def _client(sb: Sandbox, journal: Journal, tmp_path: Path, **reports: bool
            ) -> tuple[kn.Client, Reports]:
    wrapper = Reports(sb, **reports)
    sb.transport = lambda: wrapper  # type: ignore[method-assign]
    sb.async_transport = lambda: wrapper  # type: ignore[method-assign]
    return kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path), wrapper


def test_the_plan_says_up_front_how_jobs_with_no_price_are_priced(journal: Journal) -> None:
    """A cost budget on a row with no published price is startable, and the plan says which
    job runs first (the shortest) and how the rest are priced."""
    sweep = Sweep(TURBO, prompts=["a", "b"], durations=[5, 3], max_cost_usd=1)
    plan = sweep.plan(journal)
    assert plan.problems() == []
    text = str(plan)
    assert "NOT STARTABLE" not in text
    assert ("budget: no known price for aimlapi/kling-3.0-turbo-standard (4 jobs): job #1 "
            "(3 s) is sent first, alone, while the budget has room") in text
    assert "the other 3 are priced from what the provider reports for it" in text
    assert "budget:" not in str(Sweep(TURBO, prompts=["a", "b"]).plan(journal))
    priced = Sweep(kn.Kling30(prompt="x", mode="RESOLUTION_720", duration=3), seeds=[1, 2],
                   max_cost_usd=5).plan(journal)
    assert "no known price" not in str(priced)
    single = Sweep(specs=[TURBO], max_cost_usd=1).plan(journal)
    assert ("no known price for aimlapi/kling-3.0-turbo-standard: job #0 (3 s) is sent while "
            "the budget has room") in str(single)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_one_job_first_then_the_rest_held_to_the_budget(tmp_path: Path, journal: Journal,
                                                        mode: str) -> None:
    """The first job goes alone; from its reported $0.25 the rest are priced and sent while
    they fit: $0.75 of $0.80 spent, two jobs not sent, and the results say how they were
    priced."""
    sb = Sandbox()
    client, seen = _client(sb, journal, tmp_path)
    sweep = Sweep(TURBO, prompts=PROMPTS, max_cost_usd="0.80", concurrency=2)
    if mode == "sync":
        results = sweep.run(client, download=False)
    else:
        results = asyncio.run(sweep.run_async(client, download=False))
    assert len(seen.creates) == 3
    assert results.sandbox_prices == Decimal("0.75") <= Decimal("0.80")
    assert [i.state for i in results] == ["complete"] * 3 + ["skipped"] * 2
    assert all("budget" in (i.note or "") for i in results if i.state == "skipped")
    assert [str(i.estimate) for i in results][1:3] == [
        "~$0.25 (estimate: $0.083 per second, reported for job #0)",
        "~$0.25 (estimate: $0.083 per second, reported for jobs #0, #1)"]
    assert ("priced from the provider's reports: aimlapi/kling-3.0-turbo-standard at $0.083 "
            "per second, reported for jobs #0, #1, #2") in str(results)


@pytest.mark.parametrize(("mode", "concurrency"), [("sync", 3), ("async", 1), ("async", 3)])
def test_nothing_else_is_sent_until_the_first_price_is_reported(
        tmp_path: Path, journal: Journal, mode: str, concurrency: int) -> None:
    """When the price comes only with the finished job, the others wait for it (holding no
    slot: one slot is enough), then go within the budget."""
    sb = Sandbox()
    client, seen = _client(sb, journal, tmp_path, at_create=False)
    sweep = Sweep(TURBO, prompts=PROMPTS[:3], max_cost_usd=5, concurrency=concurrency)
    if mode == "sync":
        results = sweep.run(client, download=False)
    else:
        results = asyncio.run(sweep.run_async(client, download=False))
    assert [i.state for i in results] == ["complete"] * 3
    assert seen.creates[0] == 0
    assert all(before >= 1 for before in seen.creates[1:]), seen.creates


def test_a_row_whose_first_job_reports_no_usd_sends_nothing_more(tmp_path: Path,
                                                                  journal: Journal) -> None:
    """No price in the answers at all: after the first job, nothing more is sent, and each
    job left says why."""
    sb = Sandbox()
    client, seen = _client(sb, journal, tmp_path, at_all=False)
    results = Sweep(TURBO, prompts=PROMPTS[:3], max_cost_usd=5).run(client, download=False)
    assert len(seen.creates) == 1
    assert [i.state for i in results] == ["complete", "skipped", "skipped"]
    assert "job #0 reported no price in USD" in (results[1].note or "")


def _resumable(journal: Journal, tmp_path: Path, sb: Sandbox, **reports: Any
               ) -> tuple[Sweep, kn.Client, Reports]:
    """A sweep killed right after its first job was sent (journaled, never waited for)."""
    sweep = Sweep(TURBO, prompts=PROMPTS, max_cost_usd="0.80", name="lanterns")
    journal.record_sweep(sweep.id, sweep.name, [s.to_dict() for s in sweep.specs],
                         {"max_cost_usd": "0.80"})
    client, seen = _client(sb, journal, tmp_path, **reports)
    with journal.labels(sweep=sweep.id, index=0):
        client.submit(sweep.specs[0])
    return sweep, client, seen


@pytest.mark.parametrize("at_create", [True, False])
def test_killed_after_the_first_job_resume_sends_no_create_twice(
        tmp_path: Path, journal: Journal, at_create: bool) -> None:
    """Resumed, the sweep prices the rest from the first job's report (in the journal, or
    when the job ends), never sends that job again, and keeps the budget."""
    sb = Sandbox()
    sweep, _, seen = _resumable(journal, tmp_path, sb, at_create=at_create)
    first = journal.sweep_entries(sweep.id)[0].job_id
    fresh = Journal(journal.path)
    client = kn.Client(sandbox=sb, journal=fresh, download_dir=tmp_path)
    report = fresh.resume(client, sweep=sweep.id)
    entries = fresh.sweep_entries(sweep.id)
    assert entries[0].job_id == first
    assert len(seen.creates) == 3
    assert sorted(entries) == [0, 1, 2]
    assert sum((e.cost.amount for e in entries.values() if e.cost), Decimal(0)) <= Decimal(
        "0.80")
    assert report.halted is None
    fresh.close()


def test_repeats_run_every_combination_again_round_by_round() -> None:
    """``repeats`` (for rows with no seed) runs each combination again, all of them once
    before any twice; a repeat count that is not a whole number of at least 1 is refused."""
    sweep = Sweep(TURBO, prompts=["a", "b"], repeats=3)
    assert [s.prompt for s in sweep.specs] == ["a", "b"] * 3
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match="repeats"):
            Sweep(TURBO, prompts=["a"], repeats=bad)  # type: ignore[arg-type]
