"""Answer the AI/ML API's Kling endpoints: create a task, read its status."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._http import Request, Response, json_response
from ._jobs import Job
from ._orders import open_job, tokens
from ._wire import WireError, parse_aiml

if TYPE_CHECKING:
    from ._app import Sandbox

_STATUS = {"queued": "queued", "running": "generating", "complete": "completed",
           "failed": "error"}


def _meta(job: Job) -> dict[str, Any]:
    return {"usage": {"credits_used": tokens(job.cost), "usd_spent": job.cost}}


def create(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v2/generate/video/kling/generation -> 201 ``{id, status: queued, meta}``."""
    try:
        body = req.json()
    except ValueError as exc:
        raise WireError("invalid JSON body") from exc
    job = open_job(sb, "aiml", parse_aiml(body))
    return json_response(201, {"id": job.id, "status": "queued", "meta": _meta(job)})


def _find(sb: Sandbox, req: Request) -> Job:
    """The task asked for by ``generation_id`` (documented) or ``external_task_id``.

    The lookup by ``external_task_id`` is a [decided] emulation: the project uses that id to
    recover a task whose create answer was lost, but the AI/ML API documents lookups by
    ``generation_id`` only, and the live API may not offer this one (the client treats any
    4xx answer to it as "not found").
    """
    wanted = req.query.get("generation_id")
    task = req.query.get("external_task_id")
    if wanted is None and task is None:
        raise WireError("generation_id should not be empty", path="$.generation_id")
    for job in reversed(list(sb.store.jobs.values())):
        if job.provider != "aiml":
            continue
        if job.id == wanted or (task is not None and job.order.external_task_id == task):
            return job
    raise WireError("Generation not found", code="not-found", status=404)


def status(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """GET /v2/generate/video/kling/generation?generation_id=<id>.

    Also answers ``?external_task_id=<id>``: a decided emulation the live API may not offer.
    """
    job = _find(sb, req)
    state = _STATUS[sb.store.state(job, poll=True)]
    video = {"url": f"{req.origins.cdn}/videos/{job.videos[0]}.mp4"} if state == "completed" \
        else None
    failure = {"name": "GenerationError", "message": "sandbox: the generation failed"} \
        if state == "error" else None
    return json_response(200, {"id": job.id, "status": state, "video": video, "error": failure,
                               "meta": _meta(job)})
