"""Serve the fake S3 upload target and the CDN (videos, posters, images, with Range support)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._faults import TRUNCATE
from ._http import Request, Response, error
from ._media import Rendered, RenderSpec, image_format, matches_extension, render
from ._wire import Order, Track

if TYPE_CHECKING:
    from ._app import Sandbox

UPLOAD_TTL = 120.0
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
_TYPES = {"mp4": "video/mp4", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
          "webp": "image/webp"}
_CDN_ASSET = re.compile(r"/(?:images|posters)/([^/.]+)\.\w+$")
_NAME = re.compile(rb'name="([^"]*)"')
_RANGE = re.compile(r"bytes=(\d*)-(\d*)\Z")


def extension_of(data: bytes) -> str:
    """File extension for seeded image bytes (png, jpg, webp); ValueError otherwise."""
    fmt = image_format(data)
    if fmt not in _EXTENSIONS:
        raise ValueError("image bytes must be a PNG, JPEG or WebP image")
    return _EXTENSIONS[str(fmt)]


# ---- media ---------------------------------------------------------------------------------


def rendered(sb: Sandbox, video_id: str) -> Rendered | None:
    """The rendered clip of a completed video, rendering it on first use."""
    found = sb.store.complete_video(video_id)
    if found is None:
        return None
    job, video = found
    if video.rendered is None:
        order = job.order
        spec = RenderSpec(width=job.width, height=job.height, seconds=order.seconds,
                          model=order.model, prompt=order.prompt,
                          seed=job.seed + video.index, audio=order.audio,
                          stereo=order.audio and order.stereo,
                          start=start_bytes(sb, order),
                          end=image_bytes(sb, order.end.id) if order.end else None,
                          shots=order.shots, images=order.images, length=order.length,
                          sound=track_bytes(sb, order.sound_from),
                          motion=track_bytes(sb, order.motion_from), follows=follows(order))
        video.rendered = render(spec)
    return video.rendered


def track_bytes(sb: Sandbox, track: Track | None) -> bytes | None:
    """The bytes of an input the video plays or follows: given inline, or a sandbox video's
    render (None for a URL the sandbox does not fetch)."""
    if track is None:
        return None
    if track.data is not None:
        return track.data
    clip = rendered(sb, track.video) if track.video else None
    return clip.mp4 if clip else None


def follows(order: Order) -> str:
    """What the frames say the video follows: the motion it copies, the clip it speaks."""
    if order.motion_from is not None:
        return f"moves as {order.motion_from.label}"
    if order.sound_from is not None and order.length is not None:
        return f"speaks {order.sound_from.label}"
    return ""


def image_bytes(sb: Sandbox, asset_id: str) -> bytes | None:
    """Bytes of an image asset, or the poster of a completed generated video."""
    image = sb.store.images.get(asset_id)
    if image is not None:
        return image.data
    clip = rendered(sb, asset_id)
    return clip.poster if clip else None


def start_bytes(sb: Sandbox, order: Order) -> bytes | None:
    """The image a job animates: start frame, the AI/ML image, or the poster of the video it
    edits or follows."""
    if order.start is not None:
        return image_bytes(sb, order.start.id)
    if order.inline_image is not None:
        return order.inline_image
    match = _CDN_ASSET.search(order.image_url or "")
    if match is not None:
        return image_bytes(sb, match.group(1))
    return image_bytes(sb, order.video.id) if order.video is not None else None


# ---- upload target -------------------------------------------------------------------------


def _multipart(req: Request) -> dict[str, bytes]:
    ctype = req.headers.get("content-type", "")
    boundary = ctype.partition("boundary=")[2].strip().strip('"')
    if not ctype.startswith("multipart/form-data") or not boundary:
        return {}
    parts: dict[str, bytes] = {}
    for chunk in req.body.split(b"--" + boundary.encode())[1:-1]:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        name = _NAME.search(head)
        if name is not None:
            parts[name.group(1).decode()] = data.removesuffix(b"\r\n")
    return parts


def upload(sb: Sandbox, req: Request, _: re.Match[str]) -> Response:
    """POST to the presigned URL: form fields + ``file`` part -> 204, like S3."""
    if "authorization" in req.headers:
        return _s3(sb, 403, "InvalidArgument",
                   "Only one auth mechanism allowed; do not send an Authorization header")
    parts = _multipart(req)
    key = parts.get("key", b"").decode(errors="replace")
    image = next((i for i in sb.store.images.values()
                  if i.fields.get("key") == key and i.data is None), None)
    if image is None or any(parts.get(k) != v.encode() for k, v in image.fields.items()):
        return _s3(sb, 403, "AccessDenied", "Invalid according to Policy: Policy Condition failed")
    if sb.clock() - image.created > UPLOAD_TTL:
        return _s3(sb, 403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    data = parts.get("file")
    if data is None or not matches_extension(data, image.extension):
        return _s3(sb, 400, "InvalidImage",
                   f"the uploaded bytes are not a valid {image.extension} image")
    image.data = data
    return Response(204)


def _s3(sb: Sandbox, status: int, code: str, message: str) -> Response:
    return error("s3", status, message, code=code, at=sb.clock())


# ---- CDN -----------------------------------------------------------------------------------


def _asset(sb: Sandbox, folder: str, asset_id: str) -> bytes | None:
    if folder == "images":
        image = sb.store.images.get(asset_id)
        return image.data if image else None
    clip = rendered(sb, asset_id)
    if clip is None:
        return None
    return clip.mp4 if folder == "videos" else clip.poster


def download(sb: Sandbox, req: Request, match: re.Match[str]) -> Response:
    """GET a video/poster/image; honours ``Range`` (206/416); ``truncate`` faults cut it short."""
    data = _asset(sb, match["folder"], match["id"])
    if data is None:
        return error("cdn", 404, "Not Found")
    headers = {"content-type": _TYPES.get(match["ext"], "application/octet-stream"),
               "accept-ranges": "bytes"}
    status, body = 200, data
    wanted = req.headers.get("range")
    if wanted is not None:
        span = _span(wanted, len(data))
        if span is None:
            return error("cdn", 416, "Range Not Satisfiable",
                         headers={"content-range": f"bytes */{len(data)}"})
        status, body = 206, data[span[0]:span[1] + 1]
        headers["content-range"] = f"bytes {span[0]}-{span[1]}/{len(data)}"
    headers["content-length"] = str(len(body))
    cut = sb.faults.take("download", TRUNCATE)
    cut_at = int(len(body) * cut.keep) if cut else None
    return Response(status, b"" if req.method == "HEAD" else body, headers, cut_at)


def _span(header: str, size: int) -> tuple[int, int] | None:
    """Parse one ``bytes=a-b`` / ``a-`` / ``-n`` range; None when unsatisfiable."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if not first:
        if not last or int(last) == 0:
            return None
        return max(0, size - int(last)), size - 1
    start, end = int(first), int(last) if last else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)
