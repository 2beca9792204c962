"""Helpers for the sandbox tests: URLs, images, the upload flow, polling."""

from __future__ import annotations

import io
import json

import av
import httpx
from PIL import Image

from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, LEONARDO_SANDBOX_URL

V1 = LEONARDO_SANDBOX_URL + "/api/rest/v1"
V2 = LEONARDO_SANDBOX_URL + "/api/rest/v2"
AIML = AIMLAPI_SANDBOX_URL + "/v2/generate/video/kling/generation"
UNIVERSAL = AIMLAPI_SANDBOX_URL + "/v2/video/generations"
T2V = V1 + "/generations-text-to-video"
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


def generated_video(client: httpx.Client, seconds: int = 5, *, audio: bool = False,
                    size: tuple[int, int] = (1920, 1080)) -> tuple[str, str]:
    """Make a finished Kling 3.0 video; returns its ``generated_images[0]`` id and MP4 URL."""
    body = {"model": "kling-3.0", "public": False, "parameters": {
        "prompt": "source", "duration": seconds, "width": size[0], "height": size[1],
        "mode": "RESOLUTION_720" if min(size) < 1080 else "RESOLUTION_1080",
        "motion_has_audio": audio}}
    answer = client.post(V2 + "/generations", json=body)
    assert answer.status_code == 200, answer.text
    item = finish(client, answer.json()["generate"]["generationId"])["generated_images"]
    return str(item[0]["id"]), str(item[0]["motionMP4URL"])  # type: ignore[index]


def probe(data: bytes) -> tuple[float, float, bool]:
    """Seconds, width/height ratio and whether there is sound, of MP4 bytes."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        return (container.duration / 1e6, stream.width / stream.height,
                bool(container.streams.audio))
