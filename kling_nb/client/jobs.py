"""A submitted job: its id, status and result, and how it shows itself in a notebook."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import KlingError
from kling_nb.core.html import BANNER, SANDBOX_TEXT, Renders, duration_text, esc, rows, status_badge
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.results import Cost, Result, Status, cost_text
from kling_nb.specs.views import cost_row, model_label

from .operations import Snapshot, result_of

if TYPE_CHECKING:
    from .client import Client


@dataclass(eq=False)
class Job(Renders):
    """A submitted generation: its id, status and (once done) result."""

    id: str
    provider: str
    model: str
    sandbox: bool
    submitted_at: datetime
    spec: Spec | None = None
    cost: Cost | None = None
    status: Status = Status.PENDING
    result: Result | None = None
    failure: str | None = None
    external_task_id: str | None = None
    recovered: str | None = None
    """Set when the create answer was lost and the job was found at the provider: how."""
    client: Client | None = field(default=None, repr=False)
    fast: bool = field(default=False, repr=False)
    watchers: list[Callable[[], None]] = field(default_factory=list, repr=False)
    """Called after every status answer (e.g. a live line in the notebook)."""

    @property
    def done(self) -> bool:
        """Whether the job has ended."""
        return self.status.done

    @property
    def poll_path(self) -> str | None:
        """Where the job's status is asked (its row's), None for a row kling_nb does not know."""
        if self.spec is not None:
            return self.spec.poll_path
        return MODELS[self.model].spec.poll_path if self.model in MODELS else None

    @property
    def resume_code(self) -> str:
        """The line of Python that picks this job up again."""
        return f'client.job("{self.provider}", "{self.id}", model="{self.model}").wait()'

    @property
    def elapsed(self) -> float:
        """Seconds since the job was submitted."""
        clock = self.client.clock if self.client else time.time
        return max(clock() - self.submitted_at.timestamp(), 0.0)

    def observe(self, snap: Snapshot) -> None:
        """Take in one status answer."""
        self.status = snap.status
        self.cost = self.cost or snap.cost
        self.sandbox = self.sandbox or snap.sandbox  # the server said it is the sandbox
        self.fast = self.fast or snap.sandbox_timing == "fast"
        if snap.status is Status.COMPLETE and self.result is None:
            self.result = result_of(self, snap)
        if snap.status is Status.FAILED:
            self.failure = snap.failure
        for watcher in list(self.watchers):
            watcher()
        if self.client is not None:
            self.client.notify("status", self)
            if self.done:
                self.client.notify("finished", self)

    def _owner(self) -> Client:
        if self.client is None:
            msg = "this job is not attached to a client: use client.job(provider, id)"
            raise KlingError(msg)
        return self.client

    def refresh(self) -> Status:
        """Ask the API once for the job's status."""
        return self._owner().refresh(self)

    def wait(self, timeout: float | None = None, *, progress: bool = True) -> Result:
        """Block until the job is done; raises ``JobFailedError`` or ``JobTimeoutError``.

        In a notebook, ``progress`` shows a live status line while a long job runs.
        """
        return self._owner().wait(self, timeout=timeout, progress=progress)

    async def wait_async(self, timeout: float | None = None, *, progress: bool = True
                         ) -> Result:
        """Await the job without blocking the event loop (notebooks can ``await``)."""
        return await self._owner().wait_async(self, timeout=timeout, progress=progress)

    def __await__(self) -> Generator[Any, None, Result]:
        return self.wait_async().__await__()

    def download(self, directory: str | os.PathLike[str] | None = None) -> Path:
        """Wait if needed, then download the video; returns the local path.

        Only the main video: ``client.download_all(job.result)`` fetches every one.
        """
        result = self.result or self.wait()
        return self._owner().download(result, directory)

    @property
    def expected(self) -> tuple[float, float] | None:
        """The typical range of this job's duration (seconds), from its poll schedule."""
        return self.client.schedule(self).expected if self.client is not None else None

    def _text_view(self) -> str:
        return job_text(self, self.expected)

    def _html_view(self) -> str:
        return job_html(self, self.expected)

    def __str__(self) -> str:
        mark = " [SANDBOX]" if self.sandbox else ""
        cost = cost_text(self.cost, sandbox=self.sandbox, model=self.model)
        cost = f", {cost}" if cost else ""
        name = MODELS[self.model].name if self.model in MODELS else self.model
        return f"{name} job {self.id}: {self.status.value}{cost}{mark}"


def expected_text(expected: tuple[float, float] | None, elapsed: float) -> str:
    """The expected finish as a band, e.g. ``usually ready 3:00-4:00 after submit``."""
    if expected is None:
        return ""
    low, high = expected
    if high <= 0:
        return "sandbox fast mode: ready at the next status check"
    band = f"usually ready {duration_text(low)}-{duration_text(high)} after submit"
    if elapsed > high:
        return f"taking longer than usual ({band})"
    return band


def job_text(job: Job, expected: tuple[float, float] | None = None) -> str:
    """The plain-text view of a job."""
    mark = f" [{SANDBOX_TEXT}]" if job.sandbox else ""
    parts = [f"{model_label(job.model)} job {job.id}: {job.status.value}",
             f"elapsed {duration_text(job.elapsed)}"]
    if job.cost:
        parts.append(("price " if job.sandbox else "cost ")
                     + cost_text(job.cost, sandbox=job.sandbox, model=job.model))
    band = expected_text(expected, job.elapsed)
    if band:
        parts.append(band)
    text = ", ".join(parts) + mark
    if job.recovered:
        text += f"\n  recovered: {job.recovered}"
    if job.failure:
        text += f"\n  failed: {job.failure}"
    return text


def job_html(job: Job, expected: tuple[float, float] | None = None) -> str:
    """The HTML view of a job (also the live progress line of a form)."""
    table = [("model", esc(model_label(job.model)), job.model),
             ("status", status_badge(job.status.value), ""),
             ("elapsed", esc(duration_text(job.elapsed)), "since submit"),
             ("expected", esc(expected_text(expected, job.elapsed)),
              "from the poll schedule: typical duration, not a percentage"),
             cost_row(job.cost, job.sandbox, job.model),
             ("job id", f"<code>{esc(job.id)}</code>", job.provider)]
    if job.recovered:
        table.append(("recovered", esc(job.recovered), "found after the create answer was lost"))
    if job.failure:
        table.append(("failure", esc(job.failure), ""))
    banner = BANNER if job.sandbox else ""
    return f"<div class='kling-nb-job' style='line-height:1.4'>{banner}{rows(table)}</div>"
