"""Picking up journaled jobs: which a client can pick up, and what a sweep item becomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.core.errors import JobFailedError, KlingError
from kling_nb.core.net import url_is_loopback
from kling_nb.journal.entries import LOST, LOST_NOTE, RETRYABLE, Entry
from kling_nb.specs.providers import PROVIDER_NAMES

from .plan import IN_FLIGHT, SweepItem

if TYPE_CHECKING:
    from kling_nb.client.client import Client

    from .sweep import Sweep


def mismatch(entry: Entry, client: Client) -> str | None:
    """Why ``client`` cannot pick up the job of ``entry`` (None when it can).

    A sandbox job only exists in a sandbox, a live job only at the provider: their ids mean
    nothing to the other. A loopback host (a served sandbox, a local proxy) may be either.
    """
    here = client.is_sandbox(entry.provider)
    if entry.sandbox == here or (not here and url_is_loopback(client.base_url(entry.provider))):
        return None
    ran = "in the sandbox" if entry.sandbox else "live"
    now = "the sandbox" if here else "the live API"
    return (f"the job ran {ran}, and this client sends "
            f"{PROVIDER_NAMES.get(entry.provider, entry.provider)} requests to {now}")


def halt_reason(sweep: Sweep, index: int, handle: str | None) -> str:
    """Why a sweep halted at an unknown outcome, and how to resolve it."""
    where = repr(handle) if handle else "the handle in journal.unfinished()"
    return (f"job #{index} has an unknown outcome (the create request was sent and no answer "
            "came back: a paid job may exist), so nothing more is sent. Look for it with "
            f"journal.find_submitted(client, {where}); then journal.track(job, handle={where}) "
            f"if it exists, or journal.dismiss({where}) if not; then "
            f"journal.resume(client, sweep={sweep.id!r}) continues the sweep.")


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
