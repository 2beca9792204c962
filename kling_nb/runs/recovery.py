"""Picking up journaled jobs: which a client can pick up, and what a sweep item becomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.core.errors import JobFailedError, KlingError
from kling_nb.journal.entries import LOST, LOST_NOTE, NOT_CREATED, RETRYABLE, Entry
from kling_nb.specs.providers import PROVIDER_NAMES

from .plan import IN_FLIGHT, SweepItem

if TYPE_CHECKING:
    from kling_nb.client.client import Client

    from .sweep import Sweep


def halt_reason(sweep: Sweep, index: int, handle: str | None) -> str:
    """Why a sweep halted at an unknown outcome, and how to resolve it."""
    where = repr(handle) if handle else "the handle in journal.unfinished()"
    return (f"job #{index} has an unknown outcome (the create request was sent, no answer "
            "came back and looking for the job did not settle it: a paid job may exist), so "
            f"nothing more is sent. journal.reconcile(client) (or kling-nb resume) looks for it "
            f"again; or check yourself with journal.find_submitted(client, {where}), then "
            f"journal.track(job, handle={where}) if it exists or journal.dismiss({where}) if "
            f"not; then journal.resume(client, sweep={sweep.id!r}) continues the sweep.")


def retryable(entry: Entry) -> bool:
    """A journaled refusal that started no job and may be sent again (429, unreachable)."""
    legacy = entry.status == "rejected" and "HTTP 429" in (entry.error or "")
    return entry.job_id is None and (entry.status in RETRYABLE or legacy)


def adopt(item: SweepItem, entry: Entry, client: Client) -> None:
    """Set a sweep item from its journal entry (on resume)."""
    if retryable(entry):
        item.state, item.note = "planned", f"sent again: {entry.status}"
    elif entry.status == LOST:
        item.state, item.note = "lost", entry.error or LOST_NOTE
    elif entry.status == "complete":
        item.state, item.result = "complete", entry.result
    elif entry.status == "failed":
        item.state = "failed"
        item.error = JobFailedError(f"the job failed: {entry.error}", job_id=entry.job_id,
                                    provider=PROVIDER_NAMES.get(entry.provider, entry.provider))
    elif entry.status == NOT_CREATED:
        item.state, item.note = "not_created", entry.error
    elif entry.status == "rejected":
        item.state, item.error = "rejected", KlingError(entry.error or "rejected")
    elif entry.job_id is not None:
        item.state = entry.status if entry.status in IN_FLIGHT else "pending"
        item.job = client.job(entry.provider, entry.job_id, model=entry.model, spec=item.spec,
                              submitted_at=entry.submitted_at)
        if entry.cost is not None:
            item.job.cost = entry.cost
    else:
        item.state, item.note = "unknown", entry.check_hint()
