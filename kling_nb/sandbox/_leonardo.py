"""Answer the Leonardo.AI endpoints: v1/v2 creates, generations, /me, init images."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import TYPE_CHECKING, Any

from ._http import Request, Response, iso, json_response
from ._jobs import Job
from ._orders import cost_fields, open_job, tokens
from ._storage import UPLOAD_TTL
from ._wire import WireError
from ._wire_leonardo import parse_v1, parse_v1_text, parse_v2

if TYPE_CHECKING:
    from ._app import Sandbox

_STATUS = {"queued": "PENDING", "running": "PENDING", "complete": "COMPLETE",
           "failed": "FAILED"}
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def _body(req: Request) -> Any:
    try:
        return req.json()
    except ValueError as exc:
        raise WireError("invalid JSON body", code="parse-failed") from exc


def _created(job: Job, key: str) -> Response:
    return json_response(200, {key: {"generationId": job.id,
                                     **cost_fields(job.order.model, job.cost)}})


def create_v1(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v1/generations-image-to-video (Kling 2.1 Pro, Kling 2.5 Turbo)."""
    job = open_job(sb, "leonardo", parse_v1(_body(req), sb.store,
                                            generic=sb.accept_unknown_models))
    return _created(job, "motionVideoGenerationJob")


def create_v1_text(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v1/generations-text-to-video (Kling 2.5 Turbo): answers only
    ``motionVideoGenerationJob`` (never ``sdGenerationJob``, api-notes §9.3)."""
    job = open_job(sb, "leonardo", parse_v1_text(_body(req), generic=sb.accept_unknown_models))
    return _created(job, "motionVideoGenerationJob")


def create_v2(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v2/generations (Kling O1, 2.6, 3.0, 3.0 Turbo, O3)."""
    job = open_job(sb, "leonardo", parse_v2(_body(req), sb.store,
                                            generic=sb.accept_unknown_models))
    return _created(job, "generate")


def _not_found(what: str) -> WireError:
    return WireError(f"{what} not found", code="not-found", status=404)


def _job(sb: Sandbox, job_id: str) -> Job:
    job = sb.store.jobs.get(job_id)
    if job is None or job.provider != "leonardo":
        raise _not_found("generation")
    return job


def _generation(sb: Sandbox, req: Request, job: Job, *, poll: bool) -> dict[str, Any]:
    status = _STATUS[sb.store.state(job, poll=poll)]
    cdn = req.origins.cdn
    images = [] if status != "COMPLETE" else [
        {"id": vid, "url": f"{cdn}/posters/{vid}.jpg", "motionMP4URL": f"{cdn}/videos/{vid}.mp4",
         "nsfw": False, "likeCount": 0, "generated_image_variation_generics": []}
        for vid in job.videos
    ]
    return {"id": job.id, "status": status, "createdAt": iso(job.created),
            "prompt": job.order.prompt, "negativePrompt": None, "imageWidth": job.width,
            "imageHeight": job.height, "public": job.order.public, "seed": job.seed,
            "modelId": None, "motionModel": job.order.model, "generated_images": images,
            "generation_elements": []}


def get_generation(sb: Sandbox, req: Request, match: re.Match[str]) -> Response:
    """GET /v1/generations/{id}: polls v1 and v2 jobs alike."""
    job = _job(sb, match["id"])
    return json_response(200, {"generations_by_pk": _generation(sb, req, job, poll=True)})


def list_generations(sb: Sandbox, req: Request, match: re.Match[str]) -> Response:
    """GET /v1/generations/user/{userId}?offset&limit, newest first.

    A job shows here ``sb.listing_delay`` seconds after its create (its status by id at once).
    """
    offset, limit = _int_query(req, "offset", 0), _int_query(req, "limit", 10)
    jobs = [j for j in sb.store.jobs.values() if j.provider == "leonardo" and sb.listed(j.created)]
    if match["user"] != sb.user_id:
        jobs = []
    page = list(reversed(jobs))[offset:offset + limit]
    return json_response(200, {"generations": [_generation(sb, req, j, poll=False) for j in page]})


def _int_query(req: Request, name: str, default: int) -> int:
    value = req.query.get(name, str(default))
    if not value.isdigit():
        raise WireError(f"invalid {name}", path=f"$.{name}")
    return int(value)


def delete_generation(sb: Sandbox, _: Request, match: re.Match[str]) -> Response:
    """DELETE /v1/generations/{id}."""
    job = _job(sb, match["id"])
    sb.store.delete(job.id)
    return json_response(200, {"delete_generations_by_pk": {"id": job.id}})


def me(sb: Sandbox, _: Request, __: re.Match[str]) -> Response:
    """GET /v1/me: the account, its concurrency slots and its API token balance."""
    details = {"user": {"id": sb.user_id, "username": sb.username},
               "tokenRenewalDate": None, "paidTokens": 0, "subscriptionTokens": 0,
               "subscriptionGptTokens": 0, "subscriptionModelTokens": 0,
               "apiConcurrencySlots": sb.slots, "apiPaidTokens": tokens(sb.balance),
               "apiSubscriptionTokens": 0, "apiPlanTokenRenewalDate": None}
    return json_response(200, {"user_details": [details]})


def init_image(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST /v1/init-image: reserve an id and hand out a presigned S3-style upload form."""
    body = _body(req)
    if not isinstance(body, dict):
        raise WireError("expected an object at $")
    for key in body:
        if key != "extension":
            raise WireError(f"Unexpected variable {key}", path=f"$.{key}")
    extension = body.get("extension")
    if extension not in _MIME:
        raise WireError("invalid extension: expected png, jpg, jpeg or webp", path="$.extension")
    image = sb.store.add_image("UPLOADED", extension=str(extension))
    key = f"{sb.user_id}/initImages/{image.id}.{extension}"
    image.fields = _presigned(key, _MIME[str(extension)], image.created)
    upload = {"id": image.id, "url": req.origins.uploads + "/",
              "fields": json.dumps(image.fields), "key": key}
    return json_response(200, {"uploadInitImage": upload})


def _presigned(key: str, mime: str, created: float) -> dict[str, str]:
    policy = base64.b64encode(json.dumps({"expiration": iso(created + UPLOAD_TTL),
                                          "conditions": [{"key": key}]}).encode()).decode()
    signature = hmac.new(b"kling-nb-sandbox", policy.encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": mime, "bucket": "kling-nb-sandbox-init-images",
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Credential": "SANDBOX/00000000/us-east-1/s3/aws4_request",
            "X-Amz-Date": iso(created), "key": key, "Policy": policy,
            "X-Amz-Signature": signature}


def get_init_image(sb: Sandbox, req: Request, match: re.Match[str]) -> Response:
    """GET /v1/init-image/{id}."""
    image = sb.store.images.get(match["id"])
    if image is None or image.kind != "UPLOADED":
        raise _not_found("init image")
    url = f"{req.origins.cdn}/images/{image.id}.{image.extension}"
    return json_response(200, {"init_images_by_pk": {"id": image.id, "url": url,
                                                     "createdAt": iso(image.created)}})
