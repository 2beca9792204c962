"""Sweeps: plans and estimates, a budget and a concurrency cap never exceeded, resume, grids."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.client.observer import ObserverChain
from kling_nb.journal.journal import Journal
from kling_nb.runs.plan import BudgetExceededError
from kling_nb.runs.sweep import Sweep
from kling_nb.sandbox import DROP_AFTER, FAILED_JOB, SERVER_ERROR, Sandbox

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
    assert sweep.plan(journal, client).sources == {"history": 3}
    assert sweep.plan(journal).sources == {"documented": 3}  # a sandbox price is not a live one


def test_plan_of_unpriced_models_says_so_instead_of_zero(journal: Journal) -> None:
    """A row with no published price is not estimated at $0.00."""
    frame = kn.generated("00000000-0000-4000-8000-000000000001")
    turbo = kn.Kling30Turbo(prompt="a fox", start_frame=frame)
    plan = Sweep(turbo, prompts=["a fox", "a cat"]).plan(journal)
    assert plan.unpriced == 2
    assert "no price known" in str(plan)
    assert "$0.00" not in str(plan)
    mixed = Sweep(specs=[turbo, BASE]).plan(journal)
    assert "for 1 of them, 1 with no known price" in str(mixed)


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
    assert sweep.plan(journal, client).estimated_usd == Decimal("0.60")
    results = sweep.run(client, download=False)
    assert results.sandbox_prices <= Decimal("2.0")
    assert _creates(sb) == 2
    assert sweep.progress == {"complete": 2, "skipped": 4}
    assert all("budget" in (i.note or "") for i in results if i.state == "skipped")


def test_sandbox_prices_are_labelled_never_spent(tmp_path: Path, journal: Journal) -> None:
    """A sandbox sweep commits sandbox prices, labelled so; nothing counts as money spent."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2], max_cost_usd=5)
    results = sweep.run(client, download=False)
    assert results.total_cost == 0
    assert results.sandbox_prices == 2 * Decimal("0.95")
    assert "$1.90 in sandbox prices committed (not billed) of max $5" in str(sweep)
    assert "$1.90 in sandbox prices, not billed" in str(results)
    assert "reported" not in str(results).splitlines()[0]
    assert "$0.95 (sandbox price, not billed)" in str(results)
    assert "$0.95 (sandbox price, not billed)" in unguarded(
        results._repr_mimebundle_()["text/html"])


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
    """After a restart a sweep picks up in-flight jobs; an unknown halts it until resolved."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2, 3, 4], name="storm")
    journal.record_sweep(sweep.id, sweep.name, [s.to_dict() for s in sweep.specs], {})
    for index in (0, 1):
        with journal.labels(sweep=sweep.id, index=index):
            client.submit(sweep.specs[index])
    with journal.labels(sweep=sweep.id, index=2):
        handle = journal.intent(sweep.specs[2], sweep.specs[2].to_request().to_dict())
    fresh = Journal(journal.path)
    client = kn.Client(sandbox=sb, journal=fresh, download_dir=tmp_path)
    report = fresh.resume(client, sweep=sweep.id)
    assert len(report) == 2
    assert len(report.unknown) == 1
    assert report.halted is not None
    assert f"journal.dismiss({handle!r})" in report.halted
    assert "HALTED" in str(report)
    assert _creates(sb) == 2
    assert all(r.path is not None for r in report)
    states = {i: e.status for i, e in fresh.sweep_entries(sweep.id).items()}
    assert states == {0: "complete", 1: "complete", 2: "submitting"}
    fresh.dismiss(handle)  # checked: no job behind it
    report = fresh.resume(client, sweep=sweep.id)
    assert report.halted is None
    assert len(report) == 4
    assert _creates(sb) == 4
    assert fresh.sweeps()[0]["name"] == "storm"
    fresh.close()


class RefuseCreates(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the sandbox: after ``after`` creates, the next ``times`` get a 429 without
    Retry-After, a ``ConnectError`` (never left) or are handled and then lose their answer."""

    def __init__(self, sb: Sandbox, times: int, how: str = "429", after: int = 0) -> None:
        self.sync, self.asynchronous = sb.transport(), sb.async_transport()
        self.left, self.how, self.after = times, how, after

    def _refuse(self, request: httpx.Request) -> bool:
        if request.method != "POST" or "generations" not in request.url.path:
            return False
        if self.after > 0:
            self.after -= 1
            return False
        if self.left <= 0:
            return False
        self.left -= 1
        if self.how == "connect":
            raise httpx.ConnectError("refused", request=request)
        return True

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if self.how == "drop_after":
            raise httpx.RemoteProtocolError("hung up", request=request)
        return httpx.Response(429, json={"error": "Too Many Requests"}, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        refuse = self._refuse(request)
        if refuse and self.how == "429":
            return self._answer(request)
        response = self.sync.handle_request(request)
        return self._answer(request) if refuse else response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        refuse = self._refuse(request)
        if refuse and self.how == "429":
            return self._answer(request)
        response = await self.asynchronous.handle_async_request(request)
        return self._answer(request) if refuse else response


def _refusing_client(sb: Sandbox, journal: Journal, tmp_path: Path, clock: Clock,
                     times: int, how: str = "429", after: int = 0,
                     **options: Any) -> kn.Client:
    wrapper = RefuseCreates(sb, times, how, after)
    sb.transport = lambda: wrapper  # type: ignore[method-assign]
    sb.async_transport = lambda: wrapper  # type: ignore[method-assign]
    return kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path, clock=clock,
                     sleep=clock.sleep, **options)


@pytest.fixture
def no_create_retries() -> Iterator[None]:
    """stamina does not retry (nor wait): a refused connection is a NetworkError at once."""
    stamina.set_testing(True, attempts=1)
    yield
    stamina.set_testing(False)


class Sleeps(Clock):
    """A fake clock that remembers every pause."""

    def __init__(self) -> None:
        super().__init__()
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        super().sleep(seconds)


def test_rate_limited_create_is_sent_again_after_a_backoff(tmp_path: Path, journal: Journal
                                                           ) -> None:
    """A 429 without Retry-After puts the job back in the plan and pauses submits (2 s, 4 s)."""
    sb, clock = Sandbox(), Sleeps()
    client = _refusing_client(sb, journal, tmp_path, clock, times=2)
    sweep = Sweep(BASE, seeds=[1, 2, 3])
    results = sweep.run(client, download=False)
    assert [i.state for i in results] == ["complete"] * 3
    assert _creates(sb) == 3
    assert clock.pauses[:2] == [2.0, 4.0]
    statuses = [e.status for e in journal.history(sweep=sweep.id)]
    assert statuses.count("rate_limited") == 2
    assert sweep.halted is None


def test_unreachable_create_is_sent_again(tmp_path: Path, journal: Journal,
                                          no_create_retries: None) -> None:
    """A create that provably never left (connection refused) is sent again, not rejected."""
    sb, clock = Sandbox(), Sleeps()
    client = _refusing_client(sb, journal, tmp_path, clock, times=1, how="connect")
    results = Sweep(BASE, seeds=[1, 2]).run(client, download=False)
    assert [i.state for i in results] == ["complete", "complete"]
    assert clock.pauses[0] == 2.0
    assert "not_sent" in [e.status for e in journal.history()]


def test_rate_limited_create_is_sent_again_async(tmp_path: Path, journal: Journal) -> None:
    """run_async also puts a 429-refused job back and sends it after the pause."""
    sb, clock = Sandbox(), Sleeps()
    client = _refusing_client(sb, journal, tmp_path, clock, times=2)
    sweep = Sweep(BASE, seeds=[1, 2, 3], concurrency=2)
    results = asyncio.run(sweep.run_async(client, download=False))
    assert [i.state for i in results] == ["complete"] * 3
    assert _creates(sb) == 3
    assert clock.pauses[:2] == [2.0, 4.0]


def test_endless_refusals_halt_instead_of_spinning(tmp_path: Path, journal: Journal) -> None:
    """After several 429s in a row the sweep halts; resume sends the jobs later."""
    sb, clock = Sandbox(), Sleeps()
    client = _refusing_client(sb, journal, tmp_path, clock, times=100)
    sweep = Sweep(BASE, seeds=[1, 2])
    results = sweep.run(client, download=False)
    assert results.halted is not None
    assert "resume" in results.halted
    assert _creates(sb) == 0
    fresh = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    report = journal.resume(fresh, sweep=sweep.id, download=False)
    assert len(report) == 2


def test_journaled_rate_limited_refusal_is_planned_on_resume(tmp_path: Path, journal: Journal
                                                             ) -> None:
    """On resume a journaled 429 refusal counts as planned: the job is sent, not 'rejected'."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2])
    journal.record_sweep(sweep.id, None, [s.to_dict() for s in sweep.specs], {})
    with journal.labels(sweep=sweep.id, index=0):
        handle = journal.intent(sweep.specs[0], sweep.specs[0].to_request().to_dict())
    journal.rejected(handle, kn.RateLimitedError("rate limited", provider="Leonardo.AI",
                                                 status=429))
    report = journal.resume(client, sweep=sweep.id, download=False)
    assert len(report) == 2
    assert _creates(sb) == 2


def test_unknown_outcome_halts_new_submits(tmp_path: Path, journal: Journal) -> None:
    """At the first unknown outcome nothing more is sent; jobs in flight finish; it says how.
    Resuming looks for the lost job, finds it, and finishes the sweep without resending it."""
    sb = Sandbox(listing_delay=0)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path,
                       retry=kn.RetryPolicy(reconcile_grace=None))  # does not look itself
    sb.faults.add(DROP_AFTER, route="create")
    sweep = Sweep(BASE, seeds=[1, 2, 3, 4])
    results = sweep.run(client, download=False)
    assert _creates(sb) == 1
    assert [i.state for i in results] == ["unknown", "skipped", "skipped", "skipped"]
    handle = journal.sweep_entries(sweep.id)[0].handle
    assert results.halted is not None
    assert f"journal.find_submitted(client, {handle!r})" in results.halted
    assert "kling-nb resume" in results.halted
    assert "HALTED" in str(results)
    assert "HALTED" in str(sweep)
    looking = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    done = journal.resume(looking, sweep=sweep.id, download=False)
    assert [r.verdict for r in done.reconciled] == ["found"]
    assert done.halted is None
    assert len(done) == 4
    assert _creates(sb) == 4  # the found job was picked up, not sent again


def test_a_create_that_made_no_job_does_not_halt_the_sweep(tmp_path: Path,
                                                           journal: Journal) -> None:
    """A lost answer the listing shows no job for ends ``not_created``: the sweep goes on, the
    item is never resent on its own, and ``journal.resubmit`` sends it on purpose."""
    clock = Clock()
    sb = Sandbox(clock=clock)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path, clock=clock,
                       sleep=clock.sleep)
    sb.faults.add(SERVER_ERROR, route="create", status=503)
    sweep = Sweep(BASE, seeds=[1, 2, 3])
    results = sweep.run(client, download=False)
    assert [i.state for i in results] == ["not_created", "complete", "complete"]
    assert results.halted is None
    assert "kling-nb resubmit" in (results[0].note or "")
    assert results[0].committed_usd == 0
    again = journal.resume(client, sweep=sweep.id, download=False)
    assert journal.sweep_entries(sweep.id)[0].status == "not_created"
    assert len(sb.store.jobs) == 2
    assert len(again) == 2
    handle = journal.sweep_entries(sweep.id)[0].handle
    job = journal.resubmit(client, handle)
    assert len(sb.store.jobs) == 3
    assert journal.sweep_entries(sweep.id)[0].job_id == job.id
    assert f"resubmit-of:{handle[:8]}" in journal.entry(job.id).tags
    with pytest.raises(kn.DuplicateRiskError, match="already made job"):
        journal.resubmit(client, job.id)
    assert len(sb.store.jobs) == 3


def test_unknown_outcome_halts_async_and_waits_in_flight(tmp_path: Path, journal: Journal
                                                         ) -> None:
    """run_async: the job sent before the unknown outcome finishes; nothing more is sent."""
    sb, clock = Sandbox(), Sleeps()
    client = _refusing_client(sb, journal, tmp_path, clock, times=1, how="drop_after", after=1,
                              retry=kn.RetryPolicy(reconcile_grace=None))
    sweep = Sweep(BASE, seeds=[1, 2, 3, 4], concurrency=4)
    results = asyncio.run(sweep.run_async(client, download=False))
    assert [i.state for i in results] == ["complete", "unknown", "skipped", "skipped"]
    assert _creates(sb) == 2
    assert results.halted is not None
    assert "#1" in results.halted


def test_zero_budget_is_kept_on_resume(tmp_path: Path, journal: Journal) -> None:
    """A $0 budget is recorded as $0, not as 'no budget'."""
    for i in range(3):
        handle = journal.intent(BASE, BASE.to_request().to_dict())
        journal.submitted(handle, kn.Job(
            id=f"free-{i}", provider="leonardo", model=BASE.key, sandbox=True,
            submitted_at=datetime(2030, 1, 1, tzinfo=timezone.utc), spec=BASE,
            cost=kn.Cost.parse("0", "USD")))
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    sweep = Sweep(BASE, seeds=[1, 2], max_cost_usd=0)
    sweep.run(client, download=False)
    assert Sweep.load(journal, sweep.id).max_cost_usd == Decimal(0)


def test_estimate_counts_every_video_of_a_job(journal: Journal) -> None:
    """quantity=3 is three billed videos: the estimate is three times one video's."""
    one = Sweep(BASE, seeds=[1]).plan(journal).items[0].estimate
    three = Sweep(BASE.replace(quantity=3), seeds=[1]).plan(journal).items[0].estimate
    assert one.usd is not None
    assert three.usd == one.usd * 3
    assert three.upper == one.usd * 3
    handle = journal.intent(BASE.replace(quantity=2), BASE.to_request().to_dict())
    journal.submitted(handle, kn.Job(
        id="pair", provider="leonardo", model=BASE.key, sandbox=False,
        submitted_at=datetime(2030, 1, 1, tzinfo=timezone.utc), spec=BASE,
        cost=kn.Cost.parse("1.00", "USD")))
    assert Sweep(BASE, seeds=[1]).plan(journal).items[0].estimate.usd == Decimal("0.50")


def _account_calls(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.path.endswith("/me"))


def test_account_slots_are_asked_once_per_client_and_not_on_resume(
    tmp_path: Path, journal: Journal
) -> None:
    """/me is asked once per client, however many sweeps run; a resume reuses the cap."""
    sb = Sandbox(slots=3)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    first = Sweep(BASE, seeds=[1, 2])
    first.run(client, download=False)
    Sweep(BASE, seeds=[3, 4]).run(client, download=False)
    assert _account_calls(sb) == 1
    fresh = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    again = Sweep.load(journal, first.id)
    again.run(fresh, download=False)
    assert again.cap == 3
    assert _account_calls(sb) == 1


def test_grid_notes_differing_parameters(tmp_path: Path, journal: Journal,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The results grid shows shared parameters once and what differs on each card."""
    monkeypatch.chdir(tmp_path)
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


def test_images_that_differ_read_by_name_in_the_plan_and_the_results(
        tmp_path: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start frame that varies shows as its file name (or uploaded id) on the plan, each
    card and each text line, never as the field's JSON; saved files by their folder path."""
    monkeypatch.chdir(tmp_path)
    for name in ("dawn.png", "dusk.png"):
        kn.sample_image("landscape", name)
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir="kling_videos")
    specs = [kn.Kling30(prompt="a harbour", duration=5, start_frame=name)
             for name in ("dawn.png", "dusk.png")]
    sweep = Sweep(specs=specs)
    plan = sweep.plan()._repr_mimebundle_()["text/html"]
    results = sweep.run(client)
    text = str(results)
    card = results._repr_mimebundle_()["text/html"]
    for shown in (plan, text, card):
        assert "{'" not in shown
        assert "&#x27;path&#x27;" not in shown
    assert "start_frame=dawn.png" in text
    assert "start_frame=dusk.png" in text
    assert " kling_videos/" in text
    assert str(tmp_path) not in text


def test_run_shows_one_live_progress_line_in_a_notebook(
    tmp_path: Path, journal: Journal, fake_kernel: list[str]
) -> None:
    """In a kernel, run() shows one progress line and refreshes it as jobs move; not elsewhere."""
    shown = fake_kernel
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    Sweep(BASE, prompts=["calm sea", "rough sea"]).run(client)
    assert len(shown) >= 2
    assert "2 complete" in shown[-1]
    shown.clear()
    Sweep(BASE, prompts=["fog"]).run(client, progress=False)
    assert shown == []


def test_sandbox_results_are_marked_in_the_grid_and_history(tmp_path: Path,
                                                            journal: Journal) -> None:
    """Every sandbox card and history row carries the SANDBOX mark."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    results = Sweep(BASE, prompts=["calm sea", "rough sea"]).run(client, progress=False)
    assert results._repr_mimebundle_()["text/html"].count(">SANDBOX<") == 2
    assert journal.history()._repr_mimebundle_()["text/html"].count(">SANDBOX<") == 2
