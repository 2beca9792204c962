"""AI/ML API bodies (snake_case) for the legacy Kling path and the universal endpoint.

Both paths take every model of ``AIML_MODELS`` (the legacy path "still works", api-notes
§9.4). A body is refused (400) for an unknown model or key, a missing required key, a bad value
(``_wire_aiml_fields``), both or neither of ``prompt``/``multi_prompt``, or an image the Turbo
image-to-video page refuses. Shot durations that do not add up to ``duration`` are accepted:
that rule is only [inferred] in the notes.

A ``video_url`` on the sandbox's CDN must name a finished sandbox video (its length, size and
sound are then known); a ``data:video/...`` URI must hold a real video; any other https URL is
taken on trust (the sandbox fetches nothing): its length is taken as 5 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._frames import Shot
from ._media import image_format, image_size, probe_video
from ._wire import Assets, Order, Ref, VideoInfo, WireError, aspect_size, b64, image_url, obj
from ._wire_aiml_fields import DATA_VIDEO, FIELDS, fail, image, no_extra, video, whole
from ._wire_aiml_models import AIML_MODELS, ALIASES, AimlModel

DEFAULT_SECONDS = 5
TURBO_IMAGE_MIN_SIDE = 300
TURBO_IMAGE_MAX_BYTES = 50 * 1024 * 1024
TURBO_IMAGE_MAX_RATIO = 2.5
TURBO_IMAGE_FORMATS = ("PNG", "JPEG")


@dataclass(frozen=True)
class Source:
    """The video a request edits or follows: a sandbox video (``ref``) and what is known."""

    ref: Ref | None
    info: VideoInfo | None


def parse_aiml(raw: object, assets: Assets, cdn: str) -> Order:
    """Validate an AI/ML API body; ``cdn`` is the sandbox CDN origin (for its own URLs)."""
    body = obj(raw, "$")
    model = find_model(body.get("model"))
    no_extra(body, model.keys, "$")
    for key in sorted(model.required):
        if body.get(key) is None:
            raise fail(f"$.{key}", "should not be empty")
    for key, value in body.items():
        check = FIELDS.get(key)
        if check is not None and value is not None:
            check(value, model, f"$.{key}")
    inline, url = start_image(body.get("image_url"), model, assets, cdn)
    source = video_source(body.get("video_url"), model, assets, cdn)
    width, height = output_size(body, model, source)
    return Order(api="aiml", model=model.name, prompt=prompt_text(body, model),
                 seconds=seconds(body, model, source), width=width, height=height,
                 audio=audio(body, model, source), video=source.ref if source else None,
                 short_side=model.short_side, inline_image=inline, image_url=url,
                 external_task_id=body.get("external_task_id"), shots=shots(body))


def find_model(name: object) -> AimlModel:
    """The row of a model id (or a documented alias)."""
    if isinstance(name, str):
        found = AIML_MODELS.get(ALIASES.get(name, name))
        if found is not None:
            return found
    names = ", ".join([*AIML_MODELS, *ALIASES])
    raise WireError(f"model must be one of the following values: {names}", path="$.model")


def prompt_text(body: dict[str, Any], model: AimlModel) -> str:
    """The prompt, or the storyboard's shots; exactly one of them for 3.0 and Turbo."""
    text, shots = body.get("prompt"), body.get("multi_prompt")
    if model.storyboard and (text is None) == (shots is None):
        raise WireError("exactly one of prompt and multi_prompt must be given",
                        path="$.multi_prompt")
    if text is not None:
        return str(text)
    return " / ".join(s if isinstance(s, str) else str(s["prompt"]) for s in shots or [])


def shots(body: dict[str, Any]) -> tuple[Shot, ...]:
    """The storyboard's shots: 3.0 gives prompts, Turbo prompts with optional durations."""
    return tuple(Shot(s) if isinstance(s, str)
                 else Shot(str(s["prompt"]), whole(s.get("duration")))
                 for s in body.get("multi_prompt") or [])


def seconds(body: dict[str, Any], model: AimlModel, source: Source | None) -> int:
    """The requested length; an edit (no ``duration`` key) follows its source video."""
    if not model.durations:
        return source.info.seconds if source and source.info else DEFAULT_SECONDS
    return whole(body.get("duration")) or DEFAULT_SECONDS


def output_size(body: dict[str, Any], model: AimlModel,
                source: Source | None) -> tuple[int | None, int | None]:
    """Text-like tasks follow ``aspect_ratio`` (16:9 by default), an edit its source video,
    image-to-video its image (None: decided when the job opens)."""
    if model.kind == "edit":
        info = source.info if source else None
        return (info.width, info.height) if info else (None, None)
    if model.kind == "image":
        return None, None
    return aspect_size(body.get("aspect_ratio") or "16:9", model.short_side)


def audio(body: dict[str, Any], model: AimlModel, source: Source | None) -> bool:
    """``generate_audio`` (default per model); ``keep_audio`` keeps a source's sound."""
    if "generate_audio" in model.keys:
        return bool(body.get("generate_audio", model.audio_default))
    if "keep_audio" in model.keys and body.get("keep_audio"):
        return bool(source and source.info and source.info.audio)
    return False


def start_image(value: Any, model: AimlModel, assets: Assets,
                cdn: str) -> tuple[bytes | None, str | None]:
    """``image_url`` as inline bytes or a URL; Turbo's documented image limits are checked
    where the sandbox holds the bytes (inline data or its own uploaded images)."""
    if value is None:
        return None, None
    image(value, model, "$.image_url")
    inline, url = image_url(value, "$.image_url")
    if model.family == "3.0-turbo":
        data = inline if inline is not None else _own_image(url or "", assets, cdn)
        if data is not None:
            _turbo_image(data)
    return inline, url


def _own_image(url: str, assets: Assets, cdn: str) -> bytes | None:
    prefix = cdn + "/images/"
    if not url.startswith(prefix):
        return None
    return assets.image_data(url[len(prefix):].split(".", 1)[0])


def _turbo_image(data: bytes) -> None:
    path = "$.image_url"
    if image_format(data) not in TURBO_IMAGE_FORMATS or len(data) > TURBO_IMAGE_MAX_BYTES:
        raise fail(path, "must be a JPG or PNG image of at most 50 MB")
    width, height = image_size(data)
    if min(width, height) < TURBO_IMAGE_MIN_SIDE:
        raise fail(path, f"must be at least {TURBO_IMAGE_MIN_SIDE} px on each side")
    if max(width, height) / min(width, height) > TURBO_IMAGE_MAX_RATIO:
        raise fail(path, "must have an aspect ratio between 1:2.5 and 2.5:1")


def video_source(value: Any, model: AimlModel, assets: Assets, cdn: str) -> Source | None:
    """What is known of ``video_url``: a sandbox video, a data: URI's video, or nothing."""
    if value is None:
        return None
    path = "$.video_url"
    video(value, model, path)
    match = DATA_VIDEO.match(value)
    if match is not None:
        data = b64(match.group(1))
        probed = probe_video(data) if data else None
        if probed is None:
            raise fail(path, "does not hold a playable video")
        return Source(None, VideoInfo(*probed))
    prefix = cdn + "/videos/"
    if not value.startswith(prefix):
        return Source(None, None)
    video_id = value[len(prefix):].split(".", 1)[0]
    info = assets.video_info(video_id)
    if info is None:
        raise WireError("video_url could not be downloaded (404): no such finished video",
                        path=path)
    return Source(Ref(video_id, "GENERATED"), info)
