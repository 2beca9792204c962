"""The hooks a client calls as jobs move: the journal implements them to never lose a job."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import Job
    from ._errors import KlingError
    from ._results import Result
    from ._spec import Spec


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

    def status(self, job: Job) -> None:
        """A status answer arrived for ``job``."""

    def finished(self, job: Job) -> None:
        """``job`` ended (its ``result`` or ``failure`` is set)."""

    def downloaded(self, result: Result, path: Path) -> None:
        """``result``'s video is on disk at ``path``."""

    def expected_seconds(self, model: str, duration: int) -> tuple[float, float] | None:
        """The typical job duration learned from past jobs of this model and length, if known."""
        return None


def default_observer() -> JobObserver:
    """The observer a client uses when none is given: the default journal.

    ``KLING_NB_JOURNAL`` names its file (or ``off``: then only video sidecars are written).
    A journal that cannot be opened is reported with a warning, never an error.
    """
    import warnings

    from ._journal import Journal, default_path

    path = default_path()
    if path is None:
        return SidecarWriter()
    try:
        journal = Journal(path)
        journal.schema_version  # noqa: B018 - open it now, so a broken file shows here
    except Exception as exc:  # the client must work without its journal
        warnings.warn(f"kling_nb: the job journal at {path} cannot be used ({exc}); jobs are "
                      "not journaled in this session", RuntimeWarning, stacklevel=3)
        return SidecarWriter()
    return journal


class SidecarWriter(JobObserver):
    """Without a journal: still write each downloaded video's JSON sidecar."""

    def __init__(self) -> None:
        self.jobs: dict[tuple[str, str], Job] = {}

    def submitted(self, handle: str | None, job: Job) -> None:
        self.jobs[(job.provider, job.id)] = job

    def status(self, job: Job) -> None:
        self.jobs[(job.provider, job.id)] = job

    def downloaded(self, result: Result, path: Path) -> None:
        from ._history import Entry, sidecar_data, write_sidecar

        job = self.jobs.get((result.provider, result.job_id))
        spec = job.spec.to_dict() if job is not None and job.spec is not None else None
        entry = Entry(handle="", provider=result.provider, model=result.model,
                      status="complete", job_id=result.job_id, spec_data=spec,
                      submitted_at=result.submitted_at, finished_at=result.completed_at,
                      cost=result.cost, video_url=result.video_url, poster_url=result.poster_url,
                      asset_id=result.asset_id, sandbox=result.sandbox, seed=result.seed,
                      external_task_id=job.external_task_id if job is not None else None)
        write_sidecar(path, sidecar_data(entry, result))


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

    def status(self, job: Job) -> None:
        for o in self.observers:
            o.status(job)

    def finished(self, job: Job) -> None:
        for o in self.observers:
            o.finished(job)

    def downloaded(self, result: Result, path: Path) -> None:
        for o in self.observers:
            o.downloaded(result, path)

    def expected_seconds(self, model: str, duration: int) -> tuple[float, float] | None:
        learned = (o.expected_seconds(model, duration) for o in self.observers)
        return next((x for x in learned if x is not None), None)
