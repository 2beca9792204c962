"""Answer the AI/ML API's Kling endpoints: create a task, read its status.

Two paths (api-notes §9.4): the legacy ``/v2/generate/video/kling/generation`` (201, UUID ids,
as seed 002 shows) and the universal ``/v2/video/generations`` (the declared 200; ids like the
documented ``"<uuid>:klingai/video-v2-6-pro-text-to-video"``, with ``:`` and ``/``, so a client
must URL-encode them). Either status path finds a task created on either.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._http import Request, Response, json_response
from ._jobs import Job
from ._orders import open_job, tokens
from ._wire import Order, WireError
from ._wire_aiml import parse_aiml

if TYPE_CHECKING:
    from ._app import Sandbox

_STATUS = {"queued": "queued", "running": "generating", "complete": "completed",
           "failed": "error"}


def _meta(job: Job) -> dict[str, Any]:
    return {"usage": {"credits_used": tokens(job.cost), "usd_spent": job.cost}}


def _order(sb: Sandbox, req: Request) -> Order:
    try:
        body = req.json()
    except ValueError as exc:
        raise WireError("invalid JSON body") from exc
    return parse_aiml(body, sb.store, req.origins.cdn, generic=sb.accept_unknown_models)


def create(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v2/generate/video/kling/generation -> 201 ``{id, status: queued, meta}``."""
    job = open_job(sb, "aiml", _order(sb, req))
    return json_response(201, {"id": job.id, "status": "queued", "meta": _meta(job)})


def create_universal(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v2/video/generations -> 200 ``{id: "<uuid>:<model>", status: queued, meta}``."""
    order = _order(sb, req)
    job = open_job(sb, "aiml", order, job_id=f"{sb.store.new_id()}:{order.model}")
    return json_response(200, {"id": job.id, "status": "queued", "meta": _meta(job)})


def _find(sb: Sandbox, req: Request) -> Job:
    """The task asked for by ``generation_id`` (documented) or ``external_task_id``.

    The lookup by ``external_task_id`` is a [decided] emulation: the project uses that id to
    recover a task whose create answer was lost, but the AI/ML API documents lookups by
    ``generation_id`` only, and the live API may not offer this one (so the client takes a
    task it finds for the request's own, but never takes finding none, or a 4xx answer, for
    proof that no task was created). Like a listing, it finds a job only ``sb.listing_delay``
    seconds after its create.
    """
    wanted = req.query.get("generation_id")
    task = req.query.get("external_task_id")
    if wanted is None and task is None:
        raise WireError("generation_id should not be empty", path="$.generation_id")
    for job in reversed(list(sb.store.jobs.values())):
        if job.provider != "aiml":
            continue
        if job.id == wanted or (task is not None and job.order.external_task_id == task
                                and sb.listed(job.created)):
            return job
    raise WireError("Generation not found", code="not-found", status=404)


def _answer(sb: Sandbox, req: Request, job: Job) -> dict[str, Any]:
    state = _STATUS[sb.store.state(job, poll=True)]
    video = {"url": f"{req.origins.cdn}/videos/{job.videos[0]}.mp4"} if state == "completed" \
        else None
    failure = {"name": "GenerationError", "message": "sandbox: the generation failed"} \
        if state == "error" else None
    return {"id": job.id, "status": state, "video": video, "error": failure,
            "meta": _meta(job)}


def status(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """GET /v2/generate/video/kling/generation?generation_id=<id>.

    Also answers ``?external_task_id=<id>``: a decided emulation the live API may not offer.
    """
    return json_response(200, _answer(sb, req, _find(sb, req)))


def status_universal(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """GET /v2/video/generations?generation_id=<id>: the poll shape of §9.4, with the
    documented extras some results carry (top-level ``model``, ``video.content_type`` and
    ``video.file_name``)."""
    if req.query.get("generation_id") is None:
        raise WireError("generation_id should not be empty", path="$.generation_id")
    job = _find(sb, req)
    answer = _answer(sb, req, job)
    if answer["video"] is not None:
        answer["video"].update(content_type="video/mp4", file_name=f"{job.videos[0]}.mp4")
    return json_response(200, {**answer, "model": job.order.model})
