"""Waiting for jobs: each on its poll schedule, one or many at once, sync or async."""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import JobFailedError, KlingError
from kling_nb.core.live import live_display
from kling_nb.specs.base import Spec
from kling_nb.specs.results import Result, Status

from .answers import provider_label
from .http import Sleep, Step, Stepper
from .operations import Snapshot, WaitPlan, status, wait
from .polling import PollSchedule

if TYPE_CHECKING:
    from .client import Client
    from .jobs import Job

PollOption = PollSchedule | Callable[[Spec | None, int], PollSchedule] | None


class Scheduler:
    """When a client asks about its jobs, and until when it waits."""

    def __init__(self, client: Client, poll: PollOption) -> None:
        self.client = client
        self.poll = poll

    def schedule(self, job: Job) -> PollSchedule:
        """The poll schedule for a job (fast in the sandbox's fast mode)."""
        if job.fast:
            return PollSchedule.fast()
        duration = int(getattr(job.spec, "duration", 5) or 5)
        if isinstance(self.poll, PollSchedule):
            return self.poll
        if self.poll is not None:
            return self.poll(job.spec, duration)
        learned = self.client.observer.expected_seconds(job.model, duration,
                                                        sandbox=job.sandbox)
        if learned:
            return PollSchedule.learned(learned)
        typical = getattr(job.spec, "typical_job_seconds", None)
        return PollSchedule(typical) if typical else PollSchedule.for_duration(duration)

    def plan(self, job: Job, timeout: float | None) -> WaitPlan:
        """The schedule, the deadline and the clock of one wait."""
        schedule = self.schedule(job)
        return WaitPlan(schedule, schedule.deadline() if timeout is None else timeout,
                        self.client.clock)

    def waiting(self, job: Job, timeout: float | None) -> Step[Snapshot]:
        """The wait for one job, as an operation."""
        return wait(job, self.client.base_url(job.provider), self.plan(job, timeout))

    @staticmethod
    def finish(job: Job) -> Result:
        """The job's result; its failure as ``JobFailedError``."""
        if job.status is Status.FAILED:
            raise JobFailedError(f"the job failed: {job.failure}",
                                 provider=provider_label(job.provider, sandbox=job.sandbox),
                                 job_id=job.id)
        assert job.result is not None
        return job.result

    def refresh(self, job: Job) -> Status:
        """One status request for ``job``."""
        base = self.client.base_url(job.provider)
        job.observe(self.client.driver.run(status(job.provider, base, job.id, job.poll_path)))
        return job.status

    def wait(self, job: Job, timeout: float | None, progress: bool) -> Result:
        """Poll ``job`` on its schedule until it ends or ``timeout`` seconds pass."""
        if not job.done:
            with live_line(job, progress):
                self.client.driver.run(self.waiting(job, timeout))
        return self.finish(job)

    async def wait_async(self, job: Job, timeout: float | None, progress: bool) -> Result:
        """``wait`` without blocking the event loop."""
        if not job.done:
            op = self.waiting(job, timeout)
            with live_line(job, progress):
                await self.client.async_driver.run(op)
        return self.finish(job)

    def wait_all(self, jobs: Sequence[Job], timeout: float | None) -> list[Result | KlingError]:
        """Wait for many jobs in this thread, each on its own schedule; errors are returned."""
        return _Multiplexer(self, jobs, timeout).run()

    async def wait_all_async(self, jobs: Sequence[Job], timeout: float | None
                             ) -> list[Result | KlingError]:
        """Wait for many jobs on the event loop (no thread per job); errors are returned."""
        import asyncio

        async def one(job: Job) -> Result | KlingError:
            try:
                return await self.wait_async(job, timeout, progress=True)
            except KlingError as exc:
                return exc

        return list(await asyncio.gather(*(one(job) for job in jobs)))


@contextlib.contextmanager
def live_line(job: Job, enabled: bool) -> Iterator[None]:
    """In a notebook, one live status line while a job that takes minutes is waited for.

    Not for the sandbox's fast mode: those jobs end at the next status request.
    """
    refresh = live_display(job) if enabled and not job.fast else None
    if refresh is None:
        yield
        return
    job.watchers.append(refresh)
    try:
        yield
    finally:
        job.watchers.remove(refresh)
        refresh(force=True)


class _Multiplexer:
    """Waits for many jobs in one thread: each job's next poll is due at its own time."""

    def __init__(self, scheduler: Scheduler, jobs: Sequence[Job], timeout: float | None) -> None:
        self.scheduler, self.jobs, self.timeout = scheduler, list(jobs), timeout
        self.client = scheduler.client
        self.results: dict[int, Result | KlingError] = {}
        """Each job's outcome by its index; every job gets one (its wait ends or raises)."""

    def run(self) -> list[Result | KlingError]:
        queue: list[tuple[float, int, Stepper[Any]]] = []
        for index, job in enumerate(self.jobs):
            self._advance(queue, index, Stepper(self.scheduler.waiting(job, self.timeout)))
        while queue:
            due, index, stepper = heapq.heappop(queue)
            pause = due - self.client.clock()
            if pause > 0:
                self.client.sleep(pause)
            self._advance(queue, index, stepper)
        return [self.results[index] for index in range(len(self.jobs))]

    def _advance(self, queue: list[tuple[float, int, Stepper[Any]]], index: int,
                 stepper: Stepper[Any]) -> None:
        """Run one job's wait up to its next pause (or its end)."""
        try:
            while (step := stepper.next()) is not None:
                if isinstance(step, Sleep):
                    heapq.heappush(queue, (self.client.clock() + step.seconds, index, stepper))
                    return
                self.client.driver.carry_out(stepper, step)
            self.results[index] = self.scheduler.finish(self.jobs[index])
        except KlingError as exc:
            self.results[index] = exc
