"""Image data of specs and requests, stored once by content beside the journal.

Journal rows and sidecars name an image as ``kling-nb-image:sha256:<hex>`` instead of holding
its base64 data; ``load_images`` turns the references back into data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kling_nb.specs.refs import sniff_image_format

IMAGE_REF = "kling-nb-image:sha256:"
"""How journal rows and sidecars name image data stored once in the image folder."""
MIN_STORED = 256
"""Image data shorter than this (in base64 characters) stays inline."""
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}

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
    return data if sniff_image_format(data) else None


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
    fmt = sniff_image_format(data) or "png"
    target = folder / f"{digest}.{_EXTENSIONS[fmt]}"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    mark = f"data:image/{fmt};" if value.startswith("data:") else ""
    urlsafe = URLSAFE if ("-" in value or "_" in value) and not mark else ""
    return f"{mark}{IMAGE_REF}{digest}{urlsafe}"


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
    found = [p for p in (folder.glob(f"{digest}.*") if folder is not None else [])
             if p.suffix.lstrip(".") in _EXTENSIONS.values()]
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
