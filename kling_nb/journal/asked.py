"""What a journaled request asked for (length, size or aspect, sound), for checking its video.

Only what the request itself said counts as asked, plus the model's documented defaults: a
size the spec filled in itself (a default size, an image's own aspect) is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from kling_nb.media.metrics import Asked
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import load_row

_SOUND_FIELDS = ("audio", "generate_audio")


@lru_cache(maxsize=64)
def _row(model: str) -> type[Spec] | None:
    try:
        return load_row(model)
    except (LookupError, ImportError):
        return None


def asked_of(model: str, data: Mapping[str, Any] | None) -> Asked:
    """The length, size (or aspect ratio) and sound a request asked for, from its friendly
    fields (``Spec.to_dict()``) and its row's documented defaults."""
    data = data or {}
    row = _row(model)
    return Asked(seconds=_seconds(row, data), size=_size(data), sound=_sound(row, data))


def _seconds(row: type[Spec] | None, data: Mapping[str, Any]) -> float | None:
    value = data.get("duration")
    if value is None and row is not None and "duration" in row.model_fields:
        value = row.model_fields["duration"].default
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _size(data: Mapping[str, Any]) -> tuple[int, int] | None:
    width, height = data.get("width"), data.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    ratio = data.get("aspect_ratio")
    if isinstance(ratio, str) and ratio.count(":") == 1:
        left, right = ratio.split(":")
        if left.isdigit() and right.isdigit() and int(left) and int(right):
            return int(left), int(right)
    return None


def _sound(row: type[Spec] | None, data: Mapping[str, Any]) -> bool | None:
    for name in _SOUND_FIELDS:
        if isinstance(data.get(name), bool):
            return bool(data[name])
    if data.get("keep_audio") or row is None:
        return None  # the source video's sound, or an unknown row: nothing to check
    if row.audio_default is not None:
        return row.audio_default
    return False if row.sound == "none" else None
