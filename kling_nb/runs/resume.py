"""Resuming after a restart: every unfinished job waited for and downloaded, or a sweep
finished; ``journal.resume(client)`` calls this."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import KlingError, NotFoundError
from kling_nb.core.html import pretty
from kling_nb.journal.entries import LOST, LOST_NOTE, Entry
from kling_nb.journal.journal import Journal
from kling_nb.journal.reconcile import Reconciliation, mismatch
from kling_nb.specs.results import Result, results_bundle

from .sweep import Sweep

if TYPE_CHECKING:
    from kling_nb.client.client import Client
    from kling_nb.client.jobs import Job

RECENT_S = 3 * 86400.0
"""Completed jobs this recent with no local file are downloaded by ``resume`` (URLs expire)."""


def resume(journal: Journal, client: Client, *, sweep: str | None = None,
           download: bool = True, timeout: float | None = None) -> Resumed:
    """Pick up every unfinished job (wait, download); with ``sweep``, finish that sweep."""
    if sweep is not None:
        looked = [journal.reconcile(client, e.handle)[0]
                  for e in journal.sweep_entries(sweep).values() if e.unknown_outcome]
        swept = Sweep.load(journal, sweep)
        run = swept.run(client, journal=journal, download=download, timeout=timeout)
        unknown = [e for e in journal.sweep_entries(sweep).values() if e.unknown_outcome]
        return Resumed(run.results, errors=run.errors, unknown=unknown,
                       skipped=swept.mismatched, halted=swept.halted,
                       reconciled=[r for r in looked if r.found])
    return resume_jobs(journal, client, download=download, timeout=timeout)


def resume_jobs(journal: Journal, client: Client, *, download: bool = True,
                timeout: float | None = None) -> Resumed:
    """Look again for unknown outcomes' jobs, then wait for (and download) every journaled job
    still in flight or not downloaded. A job an older version marked lost though its video is
    on disk and whole is complete again."""
    for entry in journal.history(status=LOST):
        if entry.saved is not None:
            journal.on_disk(entry.handle)
    reconciled = journal.reconcile(client)
    open_jobs = journal.unfinished()
    unknown = [e for e in open_jobs if e.unknown_outcome]
    todo = [e for e in open_jobs if e.job_id is not None]
    if download:
        recent = datetime.fromtimestamp(journal.clock() - RECENT_S, timezone.utc)
        todo += [e for e in journal.history(status="complete", since=recent)
                 if e.saved is None]
    report = Resumed(unknown=unknown, reconciled=[r for r in reconciled if r.found])
    report.not_looked = {r.entry.handle: r.skipped for r in reconciled if r.skipped}
    for entry in list(todo):
        reason = mismatch(entry, client)
        if reason is not None:
            report.skipped.append((entry, reason))
            todo.remove(entry)
    jobs = [_reattach(client, e) for e in todo]
    outcomes = client.wait_all(jobs, timeout=timeout) if jobs else []
    for entry, job, outcome in zip(todo, jobs, outcomes, strict=True):
        if isinstance(outcome, Result):
            if download:
                _download(client, outcome, report, job)
            report.append(outcome)
        elif entry.sandbox and isinstance(outcome, NotFoundError) and journal.lost(entry.handle):
            report.lost.append(entry)  # its sandbox is gone, and no file of it was saved
        else:
            report.errors.append((job.id, outcome))
    return report


def _download(client: Client, result: Result, report: Resumed, job: Job) -> None:
    try:
        client.download(result)
    except KlingError as exc:
        report.errors.append((job.id, exc))


def _reattach(client: Client, entry: Entry) -> Job:
    assert entry.job_id is not None
    job = client.job(entry.provider, entry.job_id, model=entry.model, spec=entry.spec,
                     submitted_at=entry.submitted_at)
    job.cost = entry.cost  # reported at submit; status answers do not repeat it
    return job


class Resumed(list[Result]):
    """The results ``resume`` brought back, with the errors and unknown outcomes beside them.

    ``skipped`` lists jobs this client cannot pick up (sandbox vs live) with the reason;
    ``lost`` the sandbox jobs their sandbox no longer knows, with no file of them on disk;
    ``halted`` why a sweep sends nothing new (an unknown outcome to resolve first).
    """

    def __init__(self, results: Sequence[Result] = (), *,
                 errors: Sequence[tuple[str, KlingError]] = (),
                 unknown: Sequence[Entry] = (),
                 skipped: Sequence[tuple[Entry, str]] = (),
                 lost: Sequence[Entry] = (), halted: str | None = None,
                 reconciled: Sequence[Reconciliation] = ()) -> None:
        super().__init__(results)
        self.reconciled: list[Reconciliation] = list(reconciled)
        """Unknown outcomes looked for again: recovered, not created, or still unknown."""
        self.errors: list[tuple[str, KlingError]] = list(errors)
        self.unknown: list[Entry] = list(unknown)
        self.skipped: list[tuple[Entry, str]] = list(skipped)
        self.lost: list[Entry] = list(lost)
        self.halted = halted
        self.not_looked: dict[str, str] = {}
        """Unknown outcomes not looked for, by journal handle: why (e.g. their sender still
        runs and may still get the answer)."""

    def __str__(self) -> str:
        lines = [f"resumed {len(self)} result(s), {len(self.errors)} error(s), "
                 f"{len(self.unknown)} unknown outcome(s)"
                 + (f", {len(self.skipped)} skipped" if self.skipped else "")
                 + (f", {len(self.lost)} lost" if self.lost else "")]
        if self.halted:
            lines.append(f"  HALTED: {self.halted}")
        lines += [f"  looked for {r}" for r in self.reconciled]
        lines += [f"  {r}" for r in self]
        lines += [f"  {job_id}: {exc}" for job_id, exc in self.errors]
        lines += [f"  {e.check_hint()}" for e in self.unknown]
        lines += [f"  skipped {e.job_id}: {reason}" for e, reason in self.skipped]
        lines += [f"  lost {e.job_id}: {LOST_NOTE}" for e in self.lost]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return results_bundle(self, str(self), include, exclude)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(self, printer)

