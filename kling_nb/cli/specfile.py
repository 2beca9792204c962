"""A spec file for ``kling-nb generate``: its JSON object, with relative image and clip paths
taken from the file's folder; and ``--shot`` flags as timed shots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kling_nb.specs.clips import AUDIO_SUFFIXES, VIDEO_SUFFIXES
from kling_nb.specs.refs import looks_like_path

from .models import UsageError

CLIP_SUFFIXES = AUDIO_SUFFIXES + VIDEO_SUFFIXES
"""A spec file's sound clips and videos are local files too (taken from its folder)."""


def shots(shots: list[str]) -> list[Any]:
    """``--shot "3:a fox wakes"`` -> a timed shot; ``--shot "a fox wakes"`` -> its prompt."""
    parsed: list[Any] = []
    for shot in shots:
        seconds, colon, prompt = shot.partition(":")
        if colon and seconds.strip().isdigit():
            parsed.append({"prompt": prompt.strip(), "duration": int(seconds)})
        else:
            parsed.append(shot)
    return parsed


def load_spec(path: Path) -> dict[str, Any]:
    """The spec file's fields; relative image paths are taken from the spec file's folder."""
    return {k: beside(path.parent, v) for k, v in load_json(path).items()}


def load_json(path: Path) -> dict[str, Any]:
    """The spec file's JSON object, as written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the spec file {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"the spec file {path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(f"the spec file {path} must hold a JSON object")
    return data


def beside(folder: Path, value: Any) -> Any:
    """A relative file name in a spec file, taken from the file's ``folder`` when it is
    there and not in the working folder; anything else as written."""
    if isinstance(value, list):
        return [beside(folder, v) for v in value]
    if not isinstance(value, str) or value.startswith("data:") or "://" in value \
            or not (looks_like_path(value) or value.lower().endswith(CLIP_SUFFIXES)):
        return value
    local = Path(value).expanduser()
    try:
        if local.is_absolute() or local.is_file() or not (folder / local).is_file():
            return value
    except OSError:  # not a usable file name (too long, ...): leave it to the spec's checks
        return value
    return str(folder / local)
