"""Image data (and sound clips and videos) of specs and requests, stored once by content
beside the journal.

Journal rows and sidecars name an image - or an avatar's audio clip, a motion reference video -
as ``kling-nb-image:sha256:<hex>`` (the name predates clips) instead of holding its base64
data; ``load_images`` turns the references back into data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from kling_nb.specs.clips import sniff_audio_format, sniff_video_format
from kling_nb.specs.refs import sniff_image_format

IMAGE_REF = "kling-nb-image:sha256:"
"""How journal rows and sidecars name image data stored once in the image folder."""
MIN_STORED = 256
"""Image data shorter than this (in base64 characters) stays inline."""
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_CLIP_EXTENSIONS = ("mp3", "wav", "m4a", "aac", "ogg", "flac", "mp4", "webm", "avi")
"""What sound clips and videos are stored as (by their bytes)."""


def _extension(data: bytes, mime: str = "") -> str | None:
    """The file extension of image, sound or video bytes (None: none of these)."""
    image = sniff_image_format(data)
    if image is not None:
        return _EXTENSIONS[image]
    if mime.startswith("video/") or _VIDEO_TRACK.search(data):
        return sniff_video_format(data) or sniff_audio_format(data)
    return sniff_audio_format(data) or sniff_video_format(data)


_VIDEO_TRACK = re.compile(rb"hdlr.{8}vide", re.DOTALL)
"""An MPEG-4 file's handler box of a picture track: an MP4 video, not an M4A clip."""

def image_folder(journal_path: Path) -> Path:
    """Where a journal keeps image data, content-addressed: ``<journal>.images/`` beside it."""
    return journal_path.with_name(journal_path.name + ".images")


URLSAFE = ";urlsafe"
"""Marks a reference whose data was URL-safe base64 (as pydantic writes bytes)."""


def _decode(text: str) -> bytes | None:
    payload = text.split(",", 1)[1] if text.startswith("data:") else text
    altchars = b"-_" if ("-" in payload or "_" in payload) else None
    try:
        data = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=altchars,
                                validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if _extension(data) else None


def store_images(value: Any, folder: Path) -> Any:
    """A copy of ``value`` with image data (base64 or data URLs) stored once in ``folder``.

    Each image becomes ``"kling-nb-image:sha256:<hex>"``; ``load_images`` turns it back.
    """
    if isinstance(value, dict):
        return {k: store_images(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [store_images(v, folder) for v in value]
    if not isinstance(value, str) or len(value) < MIN_STORED or value.startswith(("http", "/")):
        return value
    data = _decode(value)
    if data is None:
        return value
    digest = hashlib.sha256(data).hexdigest()
    image = sniff_image_format(data)
    head = value.split(",", 1)[0] if value.startswith("data:") else ""
    target = folder / f"{digest}.{_extension(data, head[5:])}"
    if not target.exists() and not _stored(folder, digest):  # a clip named another way
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    if not head:
        mark = ""
    elif image is not None:
        mark = f"data:image/{image};"
    else:  # a clip's data URI keeps the media type it was given
        mark = head.removesuffix(";base64") + ";"
    urlsafe = URLSAFE if ("-" in value or "_" in value) and not mark else ""
    return f"{mark}{IMAGE_REF}{digest}{urlsafe}"


def _stored(folder: Path, digest: str) -> list[Path]:
    """The files holding the data of ``digest`` (one; a clip's extension may differ)."""
    if not folder.is_dir():
        return []
    return [p for p in folder.glob(f"{digest}.*")
            if p.suffix.lstrip(".") in (*_EXTENSIONS.values(), *_CLIP_EXTENSIONS)]


def load_images(value: Any, folder: Path | None) -> Any:
    """A copy of ``value`` with every stored-image reference replaced by its data again."""
    if isinstance(value, dict):
        return {k: load_images(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [load_images(v, folder) for v in value]
    if not isinstance(value, str) or IMAGE_REF not in value:
        return value
    mark, _, digest = value.partition(IMAGE_REF)
    digest, urlsafe, _ = digest.partition(URLSAFE)
    found = _stored(folder, digest) if folder is not None else []
    if not found:
        msg = (f"the image {value} is not in {folder}: the journal's image folder was moved "
               "or deleted")
        raise LookupError(msg)
    data = found[0].read_bytes()
    encoded = (base64.urlsafe_b64encode(data) if urlsafe else base64.b64encode(data)).decode()
    return f"{mark[:-1]};base64,{encoded}" if mark else encoded


def has_images(value: Any) -> bool:
    """Whether ``value`` holds a stored-image reference."""
    return IMAGE_REF in json.dumps(value, default=str)
