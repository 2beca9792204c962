"""Reconciling a create request whose answer was lost: did it start a job, or not?

A create request costs money and is never sent twice on its own. When its answer is lost (the
connection reset after the request went out, a 502/503/504, a timeout), the client looks for
the job itself: Leonardo.AI's listing of the account's recent generations (matched on what was
sent and when), or the AI/ML lookup by the request's ``external_task_id``. A listing shows a new
job only after a short delay, so it looks a few times over a bounded grace period
(``RetryPolicy.reconcile_grace``: 60 s, or ``$KLING_NB_RECONCILE_GRACE``) before its verdict:

``found``        exactly one job matches (and no other request of ours has claimed it)
``not_created``  Leonardo's listing was read after the grace period and shows none
``unknown``      it cannot be told: the listing could not be read, several jobs match, or
                 the provider offers no way to look that could prove a job absent (the AI/ML
                 lookup by ``external_task_id`` is not in its docs, whose status endpoint
                 takes a ``generation_id`` only: it can find a task, but finding none proves
                 nothing; the universal endpoint takes no ``external_task_id`` at all)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from kling_nb.core.errors import KlingError, NotCreatedError, UnknownOutcomeError
from kling_nb.specs.providers import PROVIDER_NAMES

from . import account
from .answers import as_dict
from .http import Sleep, Step

Verdict = Literal["found", "not_created", "unknown"]
def grace_waits(grace: float) -> tuple[float, ...]:
    """The pauses between looks: doubling from a thirtieth of ``grace``, adding up to it.

    60 s gives looks at 0, 2, 6, 14, 30 and 60 s after the lost answer.
    """
    waits: list[float] = []
    total, step = 0.0, max(grace / 30.0, 0.05)
    while grace - total > 1e-9:
        pause = min(step, grace - total)
        waits.append(pause)
        total += pause
        step *= 2
    return tuple(waits)


def source_of(provider: str) -> str:
    """Where the client looks for a job of ``provider``."""
    if provider == "aimlapi":
        return "the AI/ML API's lookup by external_task_id"
    return f"{PROVIDER_NAMES.get(provider, provider)}'s listing of the account's generations"


@dataclass(frozen=True)
class Reconciled:
    """What looking for a job after a lost create answer showed."""

    verdict: Verdict
    job_ids: tuple[str, ...] = ()
    looks: int = 0
    waited: float = 0.0
    source: str = ""
    reason: str = ""
    """For ``unknown``: why it could not be told."""

    def __str__(self) -> str:
        over = _over(self.looks, self.waited)
        if self.verdict == "found":
            return f"found job {self.job_ids[0]} in {self.source} ({over})"
        if self.verdict == "not_created":
            return f"no job was created for this request as far as {self.source} shows ({over})."
        return f"still unknown: {self.reason}"


def _over(looks: int, waited: float) -> str:
    return f"{looks} look(s) over {waited:.{0 if waited >= 10 else 1}f} s"


def external_task_id(sent: dict[str, Any]) -> str | None:
    """The ``external_task_id`` a request carried, if any."""
    value = as_dict(sent.get("json")).get("external_task_id")
    return str(value) if value else None


def reconcile(provider: str, base_url: str, sent: dict[str, Any], waits: tuple[float, ...],
              claimed: Callable[[str], bool] = lambda _: False) -> Step[Reconciled]:
    """Look for the job a create request (``sent``) started; a verdict after ``waits``.

    ``claimed(job_id)`` says a job is already another request's (e.g. in the journal), so
    two identical requests are never taken for one.
    """
    source = source_of(provider)
    task = external_task_id(sent)
    if provider == "aimlapi" and task is None:
        return Reconciled("unknown", source=source, reason=(
            "the AI/ML API lists no tasks and this request carried no external_task_id, so "
            "the client cannot look for it: check the usage page of the AI/ML dashboard for a "
            f"{as_dict(sent.get('json')).get('model', 'Kling')} task sent at "
            f"{sent.get('sent_at', 'that time')}"))
    looks, waited = 0, 0.0
    failure: str | None = None
    for pause in (0.0, *waits):
        if pause:
            yield Sleep(pause)
            waited += pause
        looks += 1
        try:
            if task is not None:
                ids, complete = (yield from account.find_aiml(base_url, task)), True
            else:
                ids, complete = yield from account.scan_leonardo(base_url, sent)
        except KlingError as exc:
            failure = f"{source} could not be read ({type(exc).__name__}: {exc})"
            continue
        failure = None if complete else (
            f"{source} holds more recent generations than the client pages through")
        fresh = tuple(i for i in ids if not claimed(i))
        if len(fresh) == 1:
            return Reconciled("found", fresh, looks, waited, source)
        if len(fresh) > 1:
            return Reconciled("unknown", fresh, looks, waited, source, reason=(
                f"{len(fresh)} jobs in {source} match this request ({', '.join(fresh)}): "
                "the client cannot tell which is its own"))
    if failure is not None:
        return Reconciled("unknown", (), looks, waited, source, reason=failure)
    if task is not None:
        return Reconciled("unknown", (), looks, waited, source, reason=(
            f"{source} found no task {task} ({_over(looks, waited)}), but that lookup is "
            "not in the AI/ML docs (their status endpoint takes a generation_id only), so "
            "finding nothing proves nothing: look for a task with that external_task_id, sent at "
            f"{sent.get('sent_at', 'that time')}, in the AI/ML dashboard"))
    return Reconciled("not_created", (), looks, waited, source)


def not_created_error(error: UnknownOutcomeError, found: Reconciled) -> NotCreatedError:
    """The verdict "no job was created" for a lost create, with the way to resend it."""
    return NotCreatedError(f"the create request's answer was lost, and {found}",
                           provider=error.provider, sent=error.sent, handle=error.handle,
                           status=error.status, api_message=error.api_message,
                           hint=resubmit_hint(error.handle))


def resubmit_hint(handle: str | None) -> str:
    """The one way to send a request again that provably started no job: on purpose."""
    if handle:
        return (f"Nothing was billed. To send it again on purpose: kling-nb resubmit {handle[:8]}"
                f" (or journal.resubmit(client, {handle[:8]!r}) in Python).")
    return "Nothing was billed. To send it again on purpose, submit the spec again."


def unknown_hint(found: Reconciled, handle: str | None) -> str:
    """What to do when looking for the job could not settle it (never: resubmit blindly)."""
    later = (f"kling-nb resume looks again later (journal handle {handle[:8]}); once you "
             f"know no job exists: kling-nb resubmit {handle[:8]} --force"
             if handle else "client.reconcile(error) looks again later")
    return f"{str(found)[0].upper()}{str(found)[1:]}. Do not resubmit blindly: {later}."
