"""Each job operation once - create, status, wait - as a generator of HTTP calls and sleeps."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

from kling_nb.core.errors import JobTimeoutError, NotFoundError, UnknownOutcomeError
from kling_nb.specs.base import Spec
from kling_nb.specs.results import Cost, Result, Status, utcnow

from .answers import (
    SANDBOX_HEADER,
    as_dict,
    as_text,
    error_from_response,
    provider_label,
    recovery_hint,
)
from .http import Call, Sleep, Step
from .polling import PollSchedule

AIML_PATH = "/v2/generate/video/kling/generation"
LEONARDO_V1 = "/api/rest/v1"
DEFAULT_POLL_PATHS = {"leonardo": LEONARDO_V1 + "/generations/{id}",
                      "aimlapi": AIML_PATH + "?generation_id={id}"}
"""Where a job of a row kling_nb does not know is polled (``Spec.poll_path`` for the rest)."""


@dataclass
class Created:
    """What a create request gave back."""

    job_id: str
    cost: Cost | None
    sandbox: bool
    raw: dict[str, Any]
    sandbox_timing: str | None = None


@dataclass
class Snapshot:
    """One status answer, in the common vocabulary."""

    status: Status
    raw: dict[str, Any]
    video_url: str | None = None
    poster_url: str | None = None
    asset_id: str | None = None
    width: int | None = None
    height: int | None = None
    seed: int | None = None
    prompt: str | None = None
    cost: Cost | None = None
    failure: str | None = None
    sandbox: bool = False
    sandbox_timing: str | None = None
    variants: list[Video] = field(default_factory=list)
    """The job's other videos (Leonardo ``quantity`` > 1), in the API's order."""


@dataclass(frozen=True)
class Video:
    """One more video of a job that made several: its asset id, video and poster URLs."""

    asset_id: str | None
    video_url: str
    poster_url: str | None = None


def json_body(response: httpx.Response) -> Any:
    """The answer's JSON, or None when it is not JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def check(provider: str, response: httpx.Response, job_id: str | None, action: str) -> Any:
    """The answer's JSON; an error answer raises the matching ``APIError``."""
    if response.is_error:
        raise error_from_response(provider, response, job_id=job_id, action=action)
    return json_body(response)


# -- create -------------------------------------------------------------------------------------
def create(spec: Spec, base_url: str, clock: Callable[[], float] | None = None) -> Step[Created]:
    """Send one create request; never retried here beyond what provably did not leave.

    ``sent`` (in an unknown-outcome error) records when it went out, on ``clock`` (the
    client's), so the job can be matched in the provider's listing later.
    """
    request = spec.to_request(base_url)
    at = datetime.fromtimestamp(clock(), timezone.utc) if clock is not None else utcnow()
    sent = {**request.to_dict(), "sent_at": at.isoformat(), "model": spec.key}
    response = yield Call(spec.provider, "POST", request.url, kind="create", json=request.json,
                          sent=sent)
    name = provider_label(spec.provider, response)
    if response.status_code >= 500:
        error = error_from_response(spec.provider, response)
        raise UnknownOutcomeError(
            f"the create request got HTTP {response.status_code}: a job may or may not have "
            "started", provider=name, status=response.status_code,
            api_message=error.api_message, request_id=error.request_id, sent=sent,
            hint=recovery_hint(spec.provider, sent),
        )
    body = check(spec.provider, response, None, f"creating a {spec.display_name} job")
    created = parse_created(spec.provider, body, response)
    if created is None:
        raise UnknownOutcomeError(
            "the create request succeeded but the answer has no job id", provider=name,
            status=response.status_code, sent=sent, api_message=response.text[:300],
        )
    return created


def parse_created(provider: str, body: Any, response: httpx.Response) -> Created | None:
    """The job id and cost from a create answer (v1, v2 or AI/ML shape)."""
    if not isinstance(body, dict):
        return None
    sandbox = response.headers.get(SANDBOX_HEADER) == "true"
    timing = response.headers.get(SANDBOX_HEADER + "-timing")
    if provider == "aimlapi":
        usage = (body.get("meta") or {}).get("usage") or {}
        cost = Cost.parse(usage.get("usd_spent"), "USD") or Cost.parse(
            usage.get("credits_used"), "CREDITS")
        job_id = body.get("id") or body.get("generation_id")
        return Created(str(job_id), cost, sandbox, body, timing) if job_id else None
    job = body.get("motionVideoGenerationJob") or body.get("generate") or {}
    job_id = job.get("generationId") if isinstance(job, dict) else None
    if not job_id:
        return None
    money = as_dict(job.get("cost"))
    cost = Cost.parse(money.get("amount"), money.get("unit")) or Cost.parse(
        job.get("apiCreditCost"), "CREDITS")
    return Created(str(job_id), cost, sandbox, body, timing)


# -- status -------------------------------------------------------------------------------------
def poll_call(provider: str, base_url: str, job_id: str, poll_path: str) -> Call:
    """The status request for a job: ``poll_path`` with the id in the path (quoted) or in the
    query (URL-encoded by httpx; AI/ML ids contain ``:`` and ``/``)."""
    path, _, query = poll_path.partition("?")
    url = base_url + path.replace("{id}", quote(job_id, safe=""))
    params = {name: value.replace("{id}", job_id) for name, value in parse_qsl(query)}
    return Call(provider, "GET", url, params=params or None, job_id=job_id)


def status(provider: str, base_url: str, job_id: str,
           poll_path: str | None = None) -> Step[Snapshot]:
    """One status request (Leonardo: v1 GET for v1 and v2 jobs alike)."""
    path = poll_path or DEFAULT_POLL_PATHS[provider]
    response = yield poll_call(provider, base_url, job_id, path)
    body = check(provider, response, job_id, "checking the job")
    snapshot = (parse_leonardo_status if provider == "leonardo" else parse_aiml_status)(body)
    if snapshot is None:
        raise NotFoundError("checking the job failed: no such job",
                            provider=provider_label(provider, response),
                            status=response.status_code, job_id=job_id)
    snapshot.sandbox = response.headers.get(SANDBOX_HEADER) == "true"
    snapshot.sandbox_timing = response.headers.get(SANDBOX_HEADER + "-timing")
    return snapshot


def parse_leonardo_status(body: Any) -> Snapshot | None:
    """``generations_by_pk`` in the common vocabulary."""
    gen = body.get("generations_by_pk") if isinstance(body, dict) else None
    if not isinstance(gen, dict):
        return None
    state = Status.from_wire(gen.get("status"))
    images = [i for i in gen.get("generated_images") or [] if isinstance(i, dict)]
    first = images[0] if images else {}
    if state is Status.COMPLETE and not first.get("motionMP4URL"):
        state = Status.RUNNING  # finished, but the video is not listed yet
    variants = [Video(as_text(i.get("id")), str(i["motionMP4URL"]), as_text(i.get("url")))
                for i in images[1:] if i.get("motionMP4URL")]
    return Snapshot(
        state, gen, video_url=first.get("motionMP4URL"), poster_url=first.get("url"),
        asset_id=first.get("id"), width=gen.get("imageWidth"), height=gen.get("imageHeight"),
        seed=gen.get("seed"), prompt=gen.get("prompt"), variants=variants,
        failure=("Leonardo reports the job FAILED and gives no reason (its API exposes none); "
                 "content moderation of the prompt or an image is a common cause.")
        if state is Status.FAILED else None,
    )


def parse_aiml_status(body: Any) -> Snapshot | None:
    """The AI/ML status answer in the common vocabulary."""
    if not isinstance(body, dict) or not (body.get("id") or body.get("status")):
        return None
    state = Status.from_wire(body.get("status"))
    video = as_dict(body.get("video"))
    if state is Status.COMPLETE and not video.get("url"):
        state = Status.RUNNING
    usage = (body.get("meta") or {}).get("usage") or {}
    return Snapshot(state, body, video_url=video.get("url"),
                    cost=Cost.parse(usage.get("usd_spent"), "USD"),
                    failure=_aiml_failure(body.get("error")) if state is Status.FAILED else None)


def _aiml_failure(error: Any) -> str:
    if isinstance(error, dict):
        if isinstance(error.get("detail"), list):
            return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d)
                             for d in error["detail"])
        return str(error.get("message") or error.get("name") or error)
    return str(error) if error else "the AI/ML API reports an error and gives no reason"


# -- wait ---------------------------------------------------------------------------------------
@dataclass
class WaitPlan:
    """How to wait for one job: schedule, deadline (seconds from now), clock."""

    schedule: PollSchedule
    timeout: float
    clock: Callable[[], float]


def wait(job: Any, base_url: str, plan: WaitPlan) -> Step[Snapshot]:
    """Poll until the job ends or the deadline passes (the job goes on on the server)."""
    deadline = plan.clock() + plan.timeout
    while True:
        snapshot = yield from status(job.provider, base_url, job.id, job.poll_path)
        job.observe(snapshot)
        if snapshot.status.done:
            return snapshot
        now = plan.clock()
        if now >= deadline:
            raise JobTimeoutError(
                f"stopped waiting after {plan.timeout:.0f} s; the job is still "
                f"{snapshot.status.value} on the server",
                provider=provider_label(job.provider, sandbox=job.sandbox), job_id=job.id,
                hint=f"Pick it up again later with: {job.resume_code}",
            )
        elapsed = now - job.submitted_at.timestamp()
        schedule = PollSchedule.fast() if getattr(job, "fast", False) else plan.schedule
        yield Sleep(min(schedule.delay(elapsed), max(deadline - now, 0.0)))


def result_of(job: Any, snap: Snapshot) -> Result:
    """The finished video(s) from a job and its last snapshot.

    The first video is the result; a job that made several lists the others in
    ``result.variants`` (same job id and facts, their own ids and URLs, the cost only once).
    """
    result = Result.from_facts(
        snap, job.spec, job_id=job.id, provider=job.provider, model=job.model,
        video_url=snap.video_url or "", cost=job.cost or snap.cost, sandbox=job.sandbox,
        submitted_at=job.submitted_at, raw=snap.raw,
        completed_at=(datetime.fromtimestamp(job.client.clock(), timezone.utc)
                      if job.client is not None else utcnow()),  # the clock submitted_at is on
    )
    result.variants = [
        dataclasses.replace(result, video_url=v.video_url, poster_url=v.poster_url,
                            asset_id=v.asset_id, cost=None, index=n, variants=[])
        for n, v in enumerate(snap.variants, start=1)
    ]
    return result


