"""AI/ML API endpoints of the sandbox: create, status, lookup by external_task_id, errors."""

from __future__ import annotations

import base64

import httpx
import pytest

from kling_nb.sandbox import Sandbox
from kling_nb.sandbox._aimlapi import _find as find_task

from .helpers import AIML, png_bytes

MODEL = "kling-video/v2.1/pro/image-to-video"


def body(**extra: object) -> dict[str, object]:
    """The seed 002 request shape."""
    return {"model": MODEL, "image_url": "https://example.com/mona.jpg",
            "prompt": "Mona Lisa puts on glasses with her hands.", "duration": "5", **extra}


def test_seed_002_sample_and_lifecycle(client: httpx.Client) -> None:
    """The vendor sample gives 201 queued with usage; polling reaches completed with a URL."""
    created = client.post(AIML, json=body())
    assert created.status_code == 201
    job = created.json()
    assert job["status"] == "queued"
    assert job["meta"]["usage"] == {"credits_used": 610, "usd_spent": 0.61}
    states = []
    for _ in range(2):
        got = client.get(AIML, params={"generation_id": job["id"]}).json()
        assert set(got) == {"id", "status", "video", "error", "meta"}
        states.append(got["status"])
    assert states == ["generating", "completed"]
    assert got["video"]["url"].endswith(".mp4")
    assert got["error"] is None


def test_inline_base64_image_and_external_task_id(client: httpx.Client, sb: Sandbox) -> None:
    """A data: URL image is accepted; the job is found again by its external_task_id once the
    listing delay has passed (by its generation_id at once)."""
    data = "data:image/png;base64," + base64.b64encode(png_bytes((90, 160))).decode()
    created = client.post(AIML, json=body(image_url=data, duration=10, external_task_id="t-1"))
    assert created.status_code == 201
    assert client.get(AIML, params={"external_task_id": "t-1"}).status_code == 404
    assert client.get(AIML, params={"generation_id": created.json()["id"]}).status_code == 200
    sb.clock.now += sb.listing_delay  # type: ignore[attr-defined]
    found = client.get(AIML, params={"external_task_id": "t-1"}).json()
    assert found["id"] == created.json()["id"]


@pytest.mark.parametrize("extra", [
    {"foo": 1}, {"duration": 7}, {"cfg_scale": 1.5}, {"model": "kling-video/v9"},
    {"image_url": "not an image"}, {"type": "text-to-video"},
])
def test_rejections_have_aiml_error_shape(client: httpx.Client, extra: dict[str, object]) -> None:
    """Unknown keys and bad values -> 400 {message, path, requestId, statusCode, timestamp}."""
    answer = client.post(AIML, json=body(**extra))
    assert answer.status_code == 400
    assert set(answer.json()) == {"message", "path", "requestId", "statusCode", "timestamp"}


def test_missing_image_url_and_auth(sb: Sandbox, client: httpx.Client) -> None:
    """image_url is required; no bearer key is 401."""
    no_image = body()
    del no_image["image_url"]
    assert client.post(AIML, json=no_image).status_code == 400
    with httpx.Client(transport=sb.transport()) as bare:
        assert bare.post(AIML, json=body()).status_code == 401


def test_out_of_credits_is_403() -> None:
    """A balance below the job's cost gives 403 on the AI/ML API."""
    sb = Sandbox(balance=0.5)
    with httpx.Client(transport=sb.transport(), headers={"Authorization": "Bearer k"}) as c:
        assert c.post(AIML, json=body()).status_code == 403


def test_unknown_external_task_id_is_404(client: httpx.Client) -> None:
    """The lookup by an unknown external_task_id answers 404; it is marked as an emulation."""
    client.post(AIML, json=body(external_task_id="t-known"))
    answer = client.get(AIML, params={"external_task_id": "t-unknown"})
    assert answer.status_code == 404
    assert "may not offer" in (find_task.__doc__ or "")
