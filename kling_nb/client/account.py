"""Uploads, the account, recovery of unknown creates and deletion, as operations."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from kling_nb.core.errors import APIError
from kling_nb.specs.refs import ImageRef
from kling_nb.specs.results import parse_time

from .answers import as_dict, provider_label
from .http import Call, Step
from .operations import AIML_PATH, LEONARDO_V1, check


# -- uploads ------------------------------------------------------------------------------------
def upload(base_url: str, data: bytes, extension: str, mime: str) -> Step[ImageRef]:
    """Leonardo's init-image flow: presign, then multipart POST without auth (204).

    A presigned URL lives about two minutes and may not be reused once a retried upload
    already went through: on a 403 the whole flow runs once more with a fresh presign.
    """
    for attempt in range(2):
        asset_id, target, fields = yield from _presign(base_url, extension)
        response = yield Call("leonardo", "POST", target, auth=False, data=fields,
                              files={"file": (f"image.{extension}", data, mime)})
        if attempt == 0 and response.status_code == 403:
            continue
        check("leonardo", response, None, "uploading the image")
        return ImageRef(id=asset_id, type="UPLOADED")
    raise AssertionError  # pragma: no cover - the second attempt returns or raises


def _presign(base_url: str, extension: str) -> Step[tuple[str, str, dict[str, str]]]:
    """``POST /init-image``: the asset id, the upload URL and its form fields."""
    response = yield Call("leonardo", "POST", f"{base_url}{LEONARDO_V1}/init-image",
                          json={"extension": extension})
    body = check("leonardo", response, None, "preparing the image upload")
    info = as_dict(as_dict(body).get("uploadInitImage"))
    try:
        raw = info["fields"]
        fields = json.loads(raw) if isinstance(raw, str) else dict(raw)
        target, asset_id = str(info["url"]), str(info["id"])
    except (KeyError, TypeError, ValueError):
        raise APIError("preparing the image upload gave an unexpected answer",
                       provider=provider_label("leonardo", response),
                       status=response.status_code) from None
    return asset_id, target, {str(k): str(v) for k, v in fields.items()}


def fetch_image(url: str, provider: str) -> Step[bytes]:
    """Download an image from an https URL (to upload it to Leonardo)."""
    response = yield Call(provider, "GET", url, auth=False)
    check(provider, response, None, f"fetching the image {url}")
    data: bytes = response.content
    return data


# -- account, recovery, deletion --------------------------------------------------------------
def me(base_url: str, kind: Literal["safe", "lookup"] = "safe") -> Step[dict[str, Any]]:
    """Leonardo's ``/me``: user id, concurrency slots, token balances."""
    response = yield Call("leonardo", "GET", f"{base_url}{LEONARDO_V1}/me", kind=kind)
    body = check("leonardo", response, None, "reading the account")
    details = (body or {}).get("user_details") or [{}]
    return details[0] if isinstance(details[0], dict) else {}


RECENT_LIMIT = 50
"""How many generations one page of the account's listing holds."""
MAX_PAGES = 20
"""How far back recovery pages through the listing (20 pages of 50: the latest 1000)."""
_CLOCK_SKEW = 30.0
"""Seconds a listed ``createdAt`` may lie before our send time (the clocks differ a little)."""


def find_leonardo(base_url: str, sent: dict[str, Any], window: float = 180.0) -> Step[list[str]]:
    """Ids of recent generations matching a create request whose outcome is unknown."""
    ids, _ = yield from scan_leonardo(base_url, sent, window)
    return ids


def scan_leonardo(base_url: str, sent: dict[str, Any],
                  window: float = 180.0) -> Step[tuple[list[str], bool]]:
    """Matching generation ids, and whether the listing was read back past the send time.

    Strict, so an unrelated job (or an image generation) is never taken for ours: the listed
    ``createdAt`` must parse and fall within ``window`` seconds of when the request was sent,
    the prompt must be the one sent, and the model, size and seed must agree wherever the
    listing shows them. The listing is newest first; it is paged until a generation older
    than the send time shows (or ``MAX_PAGES``: then the answer is incomplete).
    """
    account = yield from me(base_url, "lookup")
    user_id = (account.get("user") or {}).get("id")
    if not user_id:
        return [], False
    sent_at = parse_time(sent.get("sent_at"))
    found: list[str] = []
    for page in range(MAX_PAGES):
        response = yield Call("leonardo", "GET",
                              f"{base_url}{LEONARDO_V1}/generations/user/{user_id}",
                              params={"offset": str(page * RECENT_LIMIT),
                                      "limit": str(RECENT_LIMIT)}, kind="lookup")
        listing = as_dict(check("leonardo", response, None, "listing recent generations"))
        generations = [g for g in listing.get("generations") or [] if isinstance(g, dict)]
        found += [str(g["id"]) for g in generations if g.get("id") and _matches(g, sent, window)]
        oldest = parse_time(generations[-1].get("createdAt")) if generations else None
        if len(generations) < RECENT_LIMIT or sent_at is None or (
                oldest is not None and (sent_at - oldest).total_seconds() > _CLOCK_SKEW):
            return found, True
    return found, False


def _matches(generation: dict[str, Any], sent: dict[str, Any], window: float) -> bool:
    """Whether a listed generation is the one a create request (``sent``) started."""
    created, sent_at = parse_time(generation.get("createdAt")), parse_time(sent.get("sent_at"))
    if created is None or sent_at is None:
        return False
    if not -_CLOCK_SKEW <= (created - sent_at).total_seconds() <= window:
        return False
    body = as_dict(sent.get("json"))
    params = as_dict(body.get("parameters"))  # Leonardo v2 nests everything but the model
    prompt = body.get("prompt", params.get("prompt"))
    if prompt and generation.get("prompt") != prompt:
        return False
    wanted = {"width": body.get("width", params.get("width")),
              "height": body.get("height", params.get("height")),
              "model": body.get("model"), "seed": body.get("seed", params.get("seed"))}
    listed = {"width": generation.get("imageWidth"), "height": generation.get("imageHeight"),
              "model": generation.get("motionModel") or generation.get("modelId"),
              "seed": generation.get("seed")}
    return all(_same(listed[k], v) for k, v in wanted.items()
               if v is not None and listed[k] is not None)


def _same(listed: object, wanted: object) -> bool:
    """Equal up to case and punctuation (``Kling2_5`` is ``KLING2_5``)."""
    def norm(value: object) -> str:
        return re.sub(r"[^a-z0-9]", "", str(value).lower())

    return norm(listed) == norm(wanted)


def find_aiml(base_url: str, external_task_id: str) -> Step[list[str]]:
    """The AI/ML job created with our ``external_task_id``, if it can be found.

    A best effort: the API documents lookups by ``generation_id`` only, so any 4xx answer
    (the lookup unsupported, or no such task) gives an empty list rather than an error, and
    an empty list proves nothing (``reconcile`` keeps such an outcome unknown).
    """
    response = yield Call("aimlapi", "GET", base_url + AIML_PATH,
                          params={"external_task_id": external_task_id}, kind="lookup")
    if 400 <= response.status_code < 500:
        return []
    body = check("aimlapi", response, None, "looking for the job")
    return [str(body["id"])] if isinstance(body, dict) and body.get("id") else []


def delete(base_url: str, job_id: str) -> Step[None]:
    """Leonardo's ``DELETE /generations/{id}``."""
    response = yield Call("leonardo", "DELETE", f"{base_url}{LEONARDO_V1}/generations/{job_id}",
                          job_id=job_id)
    check("leonardo", response, job_id, "deleting the job")

