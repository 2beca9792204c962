"""Helpers for the sandbox tests: URLs, images, the upload flow, polling."""

from __future__ import annotations

import io
import json

import httpx
from PIL import Image

from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, LEONARDO_SANDBOX_URL

V1 = LEONARDO_SANDBOX_URL + "/api/rest/v1"
V2 = LEONARDO_SANDBOX_URL + "/api/rest/v2"
AIML = AIMLAPI_SANDBOX_URL + "/v2/generate/video/kling/generation"
AUTH = {"authorization": "Bearer test-key"}


def png_bytes(size: tuple[int, int] = (64, 36), fmt: str = "PNG") -> bytes:
    """A small real image."""
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, format=fmt)
    return buf.getvalue()


def upload(client: httpx.Client, data: bytes, extension: str = "png") -> str:
    """Run the two-step init-image upload; returns the init image id."""
    made = client.post(V1 + "/init-image", json={"extension": extension}).json()
    info = made["uploadInitImage"]
    fields = json.loads(info["fields"])
    with httpx.Client(transport=client._transport) as bare:
        answer = bare.post(info["url"], data=fields, files={"file": ("x." + extension, data)})
    assert answer.status_code == 204, answer.text
    return str(info["id"])


def finish(client: httpx.Client, generation_id: str) -> dict[str, object]:
    """Poll a Leonardo generation until it is no longer PENDING (fast timing)."""
    for _ in range(5):
        gen = client.get(f"{V1}/generations/{generation_id}").json()["generations_by_pk"]
        if gen["status"] != "PENDING":
            return dict(gen)
    raise AssertionError("still pending")
