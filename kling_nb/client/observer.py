"""The hooks a client calls as jobs move: the journal implements them to never lose a job."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kling_nb.core.errors import KlingError
    from kling_nb.specs.base import Spec
    from kling_nb.specs.results import Result

    from .jobs import Job


class JobObserver:
    """Receives every step of a job's life; the default does nothing.

    ``intent`` is called before a create request goes out and returns a handle that the later
    calls for the same submit receive, so a crash between the two leaves a record.
    """

    def intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        """A create request is about to be sent; returns a handle for it."""
        return None

    def submitted(self, handle: str | None, job: Job) -> None:
        """The create request answered with a job id (and maybe a cost)."""

    def unknown(self, handle: str | None, error: KlingError) -> None:
        """The create request's outcome is unknown: a job may exist."""

    def rejected(self, handle: str | None, error: KlingError) -> None:
        """The create request was refused: no job was created."""

    def recovered(self, handle: str | None, job: Job) -> None:
        """After an unknown outcome, the job was found at the provider (as if submitted)."""
        self.submitted(handle, job)

    def not_created(self, handle: str | None, error: KlingError) -> None:
        """After an unknown outcome, the provider shows no job for the request."""
        self.rejected(handle, error)

    def claimed(self, provider: str, job_id: str) -> bool:
        """Whether a job id already belongs to a request this observer knows (so a lost
        create answer is never matched to another request's job)."""
        return False

    def status(self, job: Job) -> None:
        """A status answer arrived for ``job``."""

    def finished(self, job: Job) -> None:
        """``job`` ended (its ``result`` or ``failure`` is set)."""

    def downloading(self, result: Result, received: int, total: int | None) -> None:
        """``received`` bytes of ``result``'s video are on disk (of ``total``, if announced)."""

    def downloaded(self, result: Result, path: Path) -> None:
        """``result``'s video is on disk at ``path``."""

    def expected_seconds(self, model: str, duration: int, *,
                         sandbox: bool = False) -> tuple[float, float] | None:
        """The typical job duration learned from past jobs of this model and length, if known:
        from live jobs only for a live job, sandbox jobs only for a sandbox one."""
        return None


class ObserverChain(JobObserver):
    """Several observers in order (e.g. the journal, then a progress printer)."""

    def __init__(self, *observers: JobObserver) -> None:
        self.observers = observers

    def intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        handles = [o.intent(spec, request) for o in self.observers]
        return next((h for h in handles if h is not None), None)

    def submitted(self, handle: str | None, job: Job) -> None:
        for o in self.observers:
            o.submitted(handle, job)

    def unknown(self, handle: str | None, error: KlingError) -> None:
        for o in self.observers:
            o.unknown(handle, error)

    def rejected(self, handle: str | None, error: KlingError) -> None:
        for o in self.observers:
            o.rejected(handle, error)

    def recovered(self, handle: str | None, job: Job) -> None:
        for o in self.observers:
            o.recovered(handle, job)

    def not_created(self, handle: str | None, error: KlingError) -> None:
        for o in self.observers:
            o.not_created(handle, error)

    def claimed(self, provider: str, job_id: str) -> bool:
        return any(o.claimed(provider, job_id) for o in self.observers)

    def status(self, job: Job) -> None:
        for o in self.observers:
            o.status(job)

    def finished(self, job: Job) -> None:
        for o in self.observers:
            o.finished(job)

    def downloading(self, result: Result, received: int, total: int | None) -> None:
        for o in self.observers:
            o.downloading(result, received, total)

    def downloaded(self, result: Result, path: Path) -> None:
        for o in self.observers:
            o.downloaded(result, path)

    def expected_seconds(self, model: str, duration: int, *,
                         sandbox: bool = False) -> tuple[float, float] | None:
        learned = (o.expected_seconds(model, duration, sandbox=sandbox) for o in self.observers)
        return next((x for x in learned if x is not None), None)
