"""Submitting: one create request per spec, and what follows when its answer is lost.

``Submitter`` records the request (the observer's intent) before it goes out, sends it once,
and turns the answer into a ``Job``. When the answer is lost, it looks for the job over the
retry policy's grace period (``reconcile``) and settles the verdict: the job found, "not
created", or still unknown. Nothing here ever sends a create request twice.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kling_nb.core.errors import APIError, JournalError, KlingError, UnknownOutcomeError
from kling_nb.core.warn import warn
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS, parse_spec
from kling_nb.specs.results import parse_time
from kling_nb.specs.unchecked import CheckedSpecWarning, UncheckedSpec, is_unchecked
from kling_nb.specs.unchecked import provider_of as unchecked_provider

from . import account
from . import operations as ops
from .jobs import Job
from .reconcile import (
    Reconciled,
    external_task_id,
    grace_waits,
    not_created_error,
    reconcile,
    unknown_hint,
)

if TYPE_CHECKING:
    from .client import Client
    from .http import Step


UNKNOWN_IN_SANDBOX = (
    "The sandbox answers a model it does not know as the live API would. To try the whole "
    "path with a made-up model id: kn.Client(sandbox=kn.Sandbox(accept_unknown_models=True)), "
    "or serve one with kling-nb sandbox --accept-unknown-models.")


class RetiredModelWarning(UserWarning):
    """A live request for a model its provider has retired."""


class RecoveredJobWarning(UserWarning):
    """A create answer was lost, and the job was found at the provider: it goes on."""


class Submitter:
    """Sends a client's create requests and settles those whose answer was lost."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.made: set[tuple[str, str]] = set()
        """``(provider, job id)`` of every job this client created or recovered: never taken
        for another request's, even without a journal to say so."""

    # -- submit ---------------------------------------------------------------------------
    def submit_op(self, spec: Spec) -> Step[Job]:
        """Prepare the images, record the intent, send one create request: the job."""
        client = self.client
        self.warn_retired(spec)
        ready = yield from client.images.prepare(spec)
        base = client.base_url(spec.provider)
        handle = self.intent(ready, ready.to_request(base).to_dict())
        try:
            created = yield from ops.create(ready, base, client.clock)
        except UnknownOutcomeError as exc:
            exc.handle = handle
            client.notify("unknown", handle, exc)
            return (yield from self.recover_op(ready, exc))
        except KlingError as exc:
            client.notify("rejected", handle, exc)
            if isinstance(exc, APIError) and isinstance(ready, UncheckedSpec) and (
                    client.is_sandbox(ready.provider) and exc.status == 400
                    and "model" in (exc.api_message or "").lower()):
                exc.hint = exc.hint or UNKNOWN_IN_SANDBOX
            raise
        job = self.job_from(ready, created)
        self.made.add((job.provider, job.id))
        client.notify("submitted", handle, job)
        return job

    def warn_retired(self, spec: Spec) -> None:
        row = MODELS.get(spec.key)  # None for a model sent unchecked
        if row is not None and row.retired and not self.client.is_sandbox(spec.provider):
            warn(row.notice or "", RetiredModelWarning)

    def intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        """Record the request before it goes out; a request that cannot be recorded is not sent.

        (A job the journal never heard of could not be found again after a crash.)
        """
        observer = self.client.observer
        try:
            return observer.intent(spec, request)
        except Exception as exc:
            chain = [observer, *getattr(observer, "observers", ())]
            path = next((o.path for o in chain if getattr(o, "path", None)), None)
            where = f"the job journal ({path})" if path else "the job observer"
            msg = (f"{where} could not record the {spec.display_name} request, so it was "
                   f"not sent: no job was created and nothing was billed "
                   f"({type(exc).__name__}: {exc}). Fix or free the journal file, or turn the "
                   "journal off with KLING_NB_JOURNAL=off (environment) or "
                   "Client(journal=False)")
            raise JournalError(msg) from exc

    def job_from(self, spec: Spec, created: ops.Created) -> Job:
        client = self.client
        sandbox = client.is_sandbox(spec.provider) or created.sandbox
        fast = created.sandbox_timing == "fast" or client.routing.fast(spec.provider)
        return Job(id=created.job_id, provider=spec.provider, model=spec.key, sandbox=sandbox,
                   submitted_at=datetime.fromtimestamp(client.clock(), timezone.utc), spec=spec,
                   cost=created.cost, external_task_id=getattr(spec, "external_task_id", None),
                   client=client, fast=fast)

    # -- a lost answer --------------------------------------------------------------------
    def recover_op(self, spec: Spec, error: UnknownOutcomeError) -> Step[Job]:
        """After a lost create answer: look for the job over the grace period, then settle."""
        grace = self.client.retry.reconcile_grace
        if grace is None:
            raise error
        found = yield from reconcile(spec.provider, self.client.base_url(spec.provider),
                                     error.sent, grace_waits(grace), self.claimed(spec.provider))
        return self.settle(error, found, spec=spec)

    def claimed(self, provider: str) -> Callable[[str], bool]:
        """Whether a job id is already another request's: this client made it, or the
        observer (the journal) holds it."""
        observer = self.client.observer

        def claimed(job_id: str) -> bool:
            if (provider, job_id) in self.made:
                return True
            try:
                return bool(observer.claimed(provider, job_id))
            except Exception:  # an observer that cannot say claims nothing
                return False

        return claimed

    def reconcile(self, error: UnknownOutcomeError, grace: float | None) -> Reconciled:
        sent = error.sent
        provider = provider_of(sent)
        wait = self.client.retry.reconcile_grace if grace is None else grace
        return self.client.driver.run(reconcile(provider, self.client.base_url(provider), sent,
                                                grace_waits(wait or 0.0), self.claimed(provider)))

    def settle(self, error: UnknownOutcomeError, found: Reconciled, spec: Spec | None) -> Job:
        handle = error.handle
        if found.verdict == "found":
            job = self.recovered_job(error, found, spec)
            self.made.add((job.provider, job.id))
            self.client.notify("recovered", handle, job)
            warn(f"{job.recovered}; it goes on as if the answer had arrived",
                 RecoveredJobWarning)
            return job
        if found.verdict == "not_created":
            lost = not_created_error(error, found)
            self.client.notify("not_created", handle, lost)
            raise lost
        error.reconciled = found
        error.hint = unknown_hint(found, handle)
        raise error

    def recovered_job(self, error: UnknownOutcomeError, found: Reconciled,
                      spec: Spec | None) -> Job:
        sent = error.sent
        spec = spec if spec is not None else sent_spec(sent)
        row = MODELS.get(str(sent.get("model")))
        job = self.client.job(spec.provider if spec else provider_of(sent), found.job_ids[0],
                              model=row.key if row else None, spec=spec,
                              submitted_at=parse_time(sent.get("sent_at")))
        job.external_task_id = external_task_id(sent)
        job.recovered = f"the create answer was lost; {found}"
        return job

    def find_submitted(self, error: UnknownOutcomeError) -> list[Job]:
        sent = error.sent
        provider = provider_of(sent)
        base = self.client.base_url(provider)
        run = self.client.driver.run
        if provider == "aimlapi":
            task = (sent.get("json") or {}).get("external_task_id")
            ids = run(account.find_aiml(base, task)) if task else []
        else:
            ids = run(account.find_leonardo(base, sent))
        spec = sent_spec(sent)
        return [self.client.job(provider, i, model=sent.get("model"), spec=spec) for i in ids]


def sent_spec(sent: dict[str, Any]) -> Spec | None:
    """The spec of a recorded create request, if its body still parses (a body sent
    unchecked is taken back unchecked, to the path it was sent to)."""
    body = sent.get("json") or {}
    try:
        if is_unchecked(str(sent.get("model"))):
            path = urlsplit(str(sent.get("url") or "")).path or None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CheckedSpecWarning)  # said when it was sent
                return parse_spec(body, unchecked=True, provider=provider_of(sent),
                                  endpoint=path)
        return parse_spec(body)
    except KlingError:
        return None


def provider_of(sent: dict[str, Any]) -> str:
    """The provider a recorded create request (``sent``) went to."""
    key = str(sent.get("model"))
    row = MODELS.get(key)
    return row.provider if row else unchecked_provider(key) or "leonardo"
