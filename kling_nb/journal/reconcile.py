"""Settling the journal's unknown outcomes, and resending a request on purpose.

``journal.reconcile(client)`` looks for the job of every create request whose answer was lost
(the client already looked once, over its grace period, when it happened), and of every request
still waiting for its answer whose sender process is gone (a crash): found, the job is linked
to its intent and goes on; not there, the intent ends as ``not_created``; otherwise it stays
unknown, with the reason. A request whose sender still runs may still get its answer: it is
left alone for ``STALE_INTENT_S``. ``journal.resubmit(client, handle)`` sends a request again,
on purpose, only when no job came of it (or with ``force=True``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kling_nb.client.reconcile import not_created_error
from kling_nb.core.errors import DuplicateRiskError, UnknownOutcomeError
from kling_nb.core.net import url_is_loopback
from kling_nb.specs.providers import PROVIDER_NAMES
from kling_nb.specs.results import parse_time

from .entries import LOST, NOT_CREATED, Entry
from .senders import running

if TYPE_CHECKING:
    from kling_nb.client.client import Client
    from kling_nb.client.jobs import Job
    from kling_nb.client.reconcile import Reconciled

    from .hooks import Hooks

STALE_INTENT_S = 180.0
"""An intent still ``submitting`` this long after it was written lost its answer (its process
died or gave up); a younger one may still be waiting for its answer while its sender runs."""
RESENDABLE = (NOT_CREATED, "dismissed", "rejected", "rate_limited", "not_sent", "failed", LOST)
"""Statuses whose request started no job (or a failed one): resent on purpose without force."""


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


@dataclass
class Reconciliation:
    """What looking for one unknown outcome's job showed (or why it was not looked for)."""

    entry: Entry
    found: Reconciled | None = None
    job: Job | None = None
    skipped: str | None = None

    @property
    def verdict(self) -> str:
        """``found``, ``not_created``, ``unknown`` or ``skipped``."""
        return "skipped" if self.found is None else self.found.verdict

    def __str__(self) -> str:
        head = f"{self.entry.short} {self.entry.model}"
        if self.found is None:
            return f"{head}: not looked for: {self.skipped}"
        if self.job is not None:
            return f"{head}: recovered job {self.job.id}: {self.found}"
        return f"{head}: {self.found}"


def still_waiting(entry: Entry, age: float) -> str | None:
    """Why a create request without an answer may still get one (None: look for its job now).

    Only a request still ``submitting`` less than ``STALE_INTENT_S`` ago, whose sender still
    runs (or cannot be checked from here), may: once its sender is gone, nothing waits for its
    answer any more.
    """
    if entry.status != "submitting" or age >= STALE_INTENT_S:
        return None
    sender = entry.sender
    alive = running(sender) if sender is not None else None
    if alive is False:
        return None
    sent = f"sent {age:.0f} s ago; looked for once {STALE_INTENT_S / 60:.0f} minutes have passed"
    if sender is None:
        return f"its create request may still be waiting for its answer ({sent})"
    if alive:
        return (f"its create request may still be waiting for its answer in {sender}, which "
                f"still runs ({sent}, or at once when that process ends)")
    return (f"its create request may still be waiting for its answer in {sender}, which "
            f"cannot be checked from here ({sent})")


def unknown_error(entry: Entry) -> UnknownOutcomeError:
    """The unknown-outcome error a journal entry stands for (what was sent, and when)."""
    sent = {**(entry.request or {}), "model": entry.model}
    if not sent.get("sent_at"):
        sent["sent_at"] = entry.intent_at.isoformat() if entry.intent_at else None
    return UnknownOutcomeError("unknown outcome (from the journal)", sent=sent,
                               handle=entry.handle,
                               provider=PROVIDER_NAMES.get(entry.provider, entry.provider))


def reconcile_entries(journal: Hooks, client: Client, entries: list[Entry], *,
                      grace: float | None = None) -> list[Reconciliation]:
    """Look for the job of each unknown-outcome entry; record what was found."""
    return [_reconcile_one(journal, client, entry, grace) for entry in entries]


def _reconcile_one(journal: Hooks, client: Client, entry: Entry,
                   grace: float | None) -> Reconciliation:
    if not entry.unknown_outcome:
        return Reconciliation(entry, skipped=f"its outcome is known ({entry.status})")
    reason = mismatch(entry, client)
    if reason is not None:
        return Reconciliation(entry, skipped=reason)
    age = journal.clock() - entry.intent_at.timestamp() if entry.intent_at else STALE_INTENT_S
    waiting = still_waiting(entry, age)
    if waiting is not None:
        return Reconciliation(entry, skipped=waiting)
    error = unknown_error(entry)
    sent = parse_time(error.sent.get("sent_at"))
    since = journal.clock() - sent.timestamp() if sent is not None else age
    policy = client.retry.reconcile_grace or 0.0  # what is left of it since the request went
    found = client.reconcile(error, grace=max(policy - since, 0.0) if grace is None else grace)
    if found.verdict == "found":
        job = client.recovered_job(error, found, entry.spec)
        journal.recovered(entry.handle, job)
        return Reconciliation(journal._entry(entry.handle), found, job)
    if found.verdict == "not_created":
        journal.not_created(entry.handle, not_created_error(error, found))
    else:
        journal.still_unknown(entry.handle, str(found))
    return Reconciliation(journal._entry(entry.handle), found)


def check_resend(entry: Entry, force: bool) -> None:
    """Refuse to resend a request whose job may exist (or does), unless ``force``."""
    if force or entry.status in RESENDABLE:
        return
    if entry.unknown_outcome:
        why = ("its create answer was lost and a paid job may exist: kling-nb resume (or "
               "journal.reconcile(client)) looks for it first")
    else:
        ident = entry.job_id or entry.short
        why = f"it already made job {ident} ({entry.status}): sending it again pays again"
    msg = (f"not resubmitted: {why}. To send it again anyway: "
           f"kling-nb resubmit {entry.short} --force (or force=True). Nothing was sent.")
    raise DuplicateRiskError(msg)
