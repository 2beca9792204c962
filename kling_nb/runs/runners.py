"""The two ways a sweep runs: one thread polling whichever job is due, or the event loop.

Both submit within the budget and the concurrency cap, put a refused submit (429, provider
unreachable) back in the plan with a pause, and halt at the first unknown outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kling_nb.core.errors import (
    JobFailedError,
    JobTimeoutError,
    KlingError,
    NetworkError,
    NotCreatedError,
    NotFoundError,
    RateLimitedError,
    UnknownOutcomeError,
)
from kling_nb.journal.entries import LOST, LOST_NOTE
from kling_nb.journal.journal import Journal
from kling_nb.specs.providers import PROVIDER_NAMES
from kling_nb.specs.results import Result

from .plan import DEFAULT_CONCURRENCY, IN_FLIGHT, SweepItem
from .recovery import halt_reason

if TYPE_CHECKING:
    from kling_nb.client.client import Client
    from kling_nb.client.jobs import Job

    from .sweep import Sweep

BACKOFF_S = 2.0
"""First pause after a 429 without Retry-After or an unreachable provider; doubles each time."""
BACKOFF_MAX_S = 60.0
MAX_DEFERRALS = 6
"""Refusals in a row (429, unreachable) after which the sweep halts instead of waiting on."""


@contextlib.contextmanager
def labelled(journal: Journal | None, sweep: Sweep, item: SweepItem) -> Iterator[None]:
    if journal is None:
        yield
        return
    with journal.labels(sweep=sweep.id, index=item.index, draft_of=sweep.draft_of(item.index)):
        yield


def _deferrable(exc: KlingError) -> bool:
    """A refusal that started no job and may be sent again later: 429, or never left."""
    return isinstance(exc, (RateLimitedError, NetworkError))


@dataclass
class Run:
    """What the sync and async runners share: submitting one item and ending one."""

    sweep: Sweep
    client: Client
    journal: Journal | None
    download: bool
    timeout: float | None
    stopped: bool = field(default=False)
    deferrals: int = field(default=0)
    """Refusals in a row (429, unreachable); a submit that works resets it."""

    def __post_init__(self) -> None:
        if self.sweep.halted is not None:
            self.halt(self.sweep.halted)

    def halt(self, reason: str) -> None:
        """Send nothing new (the jobs in flight are still waited for)."""
        self.stopped = True
        self.sweep.halted = self.sweep.halted or reason
        self.sweep._skip_rest("not sent: the sweep halted (see sweep.halted)")

    def may_submit(self, item: SweepItem) -> bool | None:
        """True: send it; False: send nothing more (halted, or the budget would pass); None:
        not now (it waits for a price, or was skipped as unpriceable)."""
        if self.stopped:
            return False
        verdict = self.sweep.affordable(item)
        if verdict is False:
            self.stopped = True
            self.sweep._skip_rest(self.sweep._budget_reason())
        return verdict

    def submitted(self, item: SweepItem, job: Job) -> None:
        item.job, item.state, item.note = job, job.status.value, None
        self.deferrals = 0

    def refused(self, item: SweepItem, exc: KlingError) -> float | None:
        """Record a refused submit; the seconds to pause when the item goes back to the plan."""
        if _deferrable(exc) and self.deferrals < MAX_DEFERRALS:
            self.deferrals += 1
            told = exc.retry_after if isinstance(exc, RateLimitedError) else None
            pause = told if told else min(BACKOFF_S * 2 ** (self.deferrals - 1), BACKOFF_MAX_S)
            why = "rate limited" if isinstance(exc, RateLimitedError) else "provider unreachable"
            item.state, item.error = "planned", None
            item.note = f"{why}: sending again in {pause:.0f} s"
            self.sweep._changed()
            return pause
        item.error = exc
        if isinstance(exc, UnknownOutcomeError):
            item.state = "unknown"
            self.halt(halt_reason(self.sweep, item.index, self._handle(item)))
        elif isinstance(exc, NotCreatedError):
            item.state, item.note = "not_created", exc.hint  # nothing billed; never resent
        else:
            item.state = "rejected"
            if _deferrable(exc):
                self.halt(f"the provider refused {self.deferrals + 1} creates in a row ({exc}); "
                          f"journal.resume(client, sweep={self.sweep.id!r}) sends the rest "
                          "later")
        self.sweep._changed()
        return None

    def _handle(self, item: SweepItem) -> str | None:
        if self.journal is None:
            return None
        entry = self.journal.sweep_entries(self.sweep.id).get(item.index)
        return entry.handle if entry is not None else None

    def ended(self, item: SweepItem, outcome: Result | KlingError) -> None:
        job = item.job
        if isinstance(outcome, Result):
            item.state, item.result = "complete", outcome
        elif isinstance(outcome, JobFailedError):
            item.state, item.error = "failed", outcome
        elif isinstance(outcome, NotFoundError) and job is not None and job.sandbox:
            item.state, item.error, item.note = LOST, outcome, LOST_NOTE
            if self.journal is not None:
                with contextlib.suppress(KeyError):
                    self.journal.lost(job.id)
        else:
            item.state, item.error = "stopped", outcome
            item.note = "still on the server: journal.resume(client, sweep=...) picks it up"
        self.sweep._changed()

    def needs_download(self, item: SweepItem) -> bool:
        result = item.result
        return self.download and result is not None and (
            result.path is None or not result.path.exists())

    def deadline(self, job: Job) -> float:
        return self.timeout if self.timeout is not None else self.client.schedule(
            job).deadline()


class SyncRun(Run):
    """One thread: submits while there is room, then polls whichever job is due next."""

    retry_at: float | None = None
    """When new submits may go on after a 429 or an unreachable provider."""

    def run(self) -> None:
        queue: list[tuple[float, int]] = []
        for item in self.sweep.items:
            if item.state in IN_FLIGHT:
                self._enqueue(queue, item)
            elif self.needs_download(item):
                self._fetch(item)
        while True:
            self._submit_more(queue)
            poll = queue[0][0] if queue else None
            retry = self.retry_at if not self.stopped else None
            if poll is None and retry is None:
                return
            wake = min(t for t in (poll, retry) if t is not None)
            pause = wake - self.client.clock()
            if pause > 0:
                self.client.sleep(pause)
            if poll is not None and (retry is None or poll <= retry):
                _, index = heapq.heappop(queue)
                self._poll(queue, self.sweep.items[index])
            else:
                self.retry_at = None  # waited it out (an injected sleep may not move the clock)

    def _submit_more(self, queue: list[tuple[float, int]]) -> None:
        # Again while a pass both sent a job and left one waiting for a price: the job sent
        # may have reported it (a create answer carries the cost), so the next need not wait
        # for a poll that may be minutes away.
        while self._submit_pass(queue):
            pass

    def _submit_pass(self, queue: list[tuple[float, int]]) -> bool:
        """Send what fits now; whether to look again (a job was sent while another waited)."""
        if self.retry_at is not None:
            if self.client.clock() < self.retry_at:
                return False
            self.retry_at = None
        cap = self.sweep.cap or DEFAULT_CONCURRENCY
        in_flight = self.sweep.in_flight  # counted once: per item it made each call O(n^2)
        sent = waited = False
        for item in self.sweep.items:
            if in_flight >= cap:
                return False
            if item.state != "planned":
                continue
            verdict = self.may_submit(item)
            if verdict is None:
                waited = waited or item.state == "planned"
                continue
            if not verdict:
                return False
            try:
                with labelled(self.journal, self.sweep, item):
                    job = self.client.submit(item.spec)
            except KlingError as exc:
                pause = self.refused(item, exc)
                if pause is not None:
                    self.retry_at = self.client.clock() + pause
                    return False
                continue
            self.submitted(item, job)
            in_flight += item.state in IN_FLIGHT
            sent = True
            self.sweep._changed()
            self._enqueue(queue, item)
        return sent and waited

    def _enqueue(self, queue: list[tuple[float, int]], item: SweepItem) -> None:
        assert item.job is not None
        delay = self.client.schedule(item.job).delay(item.job.elapsed)
        heapq.heappush(queue, (self.client.clock() + delay, item.index))

    def _poll(self, queue: list[tuple[float, int]], item: SweepItem) -> None:
        job = item.job
        assert job is not None
        try:
            job.refresh()
        except KlingError as exc:
            self.ended(item, exc)
            return
        if job.done:
            self.ended(item, self._outcome(job))
            return
        if job.elapsed > self.deadline(job):
            self.ended(item, JobTimeoutError(
                f"stopped waiting after {job.elapsed:.0f} s", job_id=job.id,
                provider=PROVIDER_NAMES[job.provider], hint=job.resume_code))
            return
        item.state = job.status.value
        self._enqueue(queue, item)

    def _fetch(self, item: SweepItem) -> None:
        assert item.result is not None
        try:
            self.client.download(item.result)
        except KlingError as exc:
            item.error = exc

    def _outcome(self, job: Job) -> Result | KlingError:
        try:
            result = self.client.wait(job, progress=False)
            if self.download:
                self.client.download(result)
        except KlingError as exc:
            return exc
        return result


class AsyncRun(Run):
    """On the event loop: a semaphore holds the cap; budget decisions are taken one by one."""

    news: asyncio.Event | None = None
    """Set (and replaced) whenever a job is sent or ends: jobs waiting for a price look again."""

    async def run(self) -> None:
        slots = asyncio.Semaphore(self.sweep.cap or DEFAULT_CONCURRENCY)
        decide = asyncio.Lock()
        self.news = asyncio.Event()
        await asyncio.gather(*(self._one(item, slots, decide) for item in self.sweep.items))

    def _tell(self) -> None:
        event, self.news = self.news, asyncio.Event()
        if event is not None:
            event.set()

    async def _until_priced(self, item: SweepItem) -> None:
        """Wait, holding no slot, while ``item`` waits for a price (see ``Sweep.waits``)."""
        while item.state == "planned" and not self.stopped and self.sweep.waits(item):
            assert self.news is not None
            await self.news.wait()

    async def _one(self, item: SweepItem, slots: asyncio.Semaphore, decide: asyncio.Lock
                   ) -> None:
        if self.needs_download(item):
            assert item.result is not None
            try:
                await self.client.download_async(item.result)
            except KlingError as exc:
                item.error = exc
        if item.state not in ("planned", *IN_FLIGHT):
            return
        while True:
            await self._until_priced(item)
            async with slots:
                if item.state == "planned":
                    async with decide:  # held through a pause: no other job is sent meanwhile
                        sent = await self._submit(item)
                    self._tell()
                    if sent is None:
                        continue  # not now: wait for the price again, without the slot
                    if not sent:
                        return
                elif item.state not in IN_FLIGHT:
                    return  # skipped (budget, halt) while it waited for a slot
                self.ended(item, await self._wait(item))
                self._tell()
                return

    async def _submit(self, item: SweepItem) -> bool | None:
        while True:
            verdict = self.may_submit(item)
            if not verdict:
                return verdict
            try:
                with labelled(self.journal, self.sweep, item):
                    job = await self.client.submit_async(item.spec)
            except KlingError as exc:
                pause = self.refused(item, exc)
                if pause is None:
                    return False
                await asyncio.to_thread(self.client.sleep, pause)  # the injectable sleep
                continue
            self.submitted(item, job)
            self.sweep._changed()
            return True

    async def _wait(self, item: SweepItem) -> Result | KlingError:
        job = item.job
        assert job is not None
        try:
            result = await self.client.wait_async(job, timeout=self.timeout, progress=False)
            if self.download:
                await self.client.download_async(result)
        except KlingError as exc:
            return exc
        return result
