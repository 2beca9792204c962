"""Check raw request bodies against the documented wire rules of both APIs (api-notes §3).

Written straight from the vendor pages, independently of the client's own specs layer,
so that a wire mistake in the client cannot hide here.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import urlparse

from ._media import image_format

PROMPT_MAX = 1500
IMAGE_TYPES = ("UPLOADED", "GENERATED")
_LANDSCAPE, _PORTRAIT, _SQUARE = (1920, 1080), (1080, 1920), (1440, 1440)
V1_SIZES = {"KLING2_1": {_LANDSCAPE, _PORTRAIT}, "KLING2_5": {_LANDSCAPE, _PORTRAIT, _SQUARE}}
V1_KEYS = frozenset({
    "prompt", "imageId", "imageType", "endFrameImage", "resolution", "duration",
    "width", "height", "model", "isPublic",
})
O1, K30 = "kling-video-o-1", "kling-3.0"
V2_SIZES = {
    "RESOLUTION_720": {(1280, 720), (960, 960), (720, 1280)},
    "RESOLUTION_1080": {_LANDSCAPE, _SQUARE, _PORTRAIT},
}
_V2_COMMON = frozenset({
    "prompt", "duration", "width", "height", "mode", "prompt_enhance", "quantity", "seed",
    "guidances",
})
V2_PARAM_KEYS = {O1: _V2_COMMON, K30: _V2_COMMON | {"motion_has_audio"}}
GUIDANCE_KEYS = frozenset({"start_frame", "end_frame", "image_reference", "video_reference_base"})
AIML_MODEL = "kling-video/v2.1/pro/image-to-video"
AIML_KEYS = frozenset({
    "model", "image_url", "prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
    "type", "external_task_id", "camera_control", "dynamic_masks",
})
_DATA_URL = re.compile(r"^data:image/(png|jpeg|jpg|webp);base64,(.*)$", re.DOTALL)
_INLINE_FORMATS = ("PNG", "JPEG", "WEBP")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")


class WireError(Exception):
    """A request the real API would refuse: message, machine code, HTTP status, JSON path."""

    def __init__(self, message: str, *, code: str = "validation-failed", status: int = 400,
                 path: str = "$") -> None:
        super().__init__(message)
        self.message, self.code, self.status, self.path = message, code, status, path


@dataclass(frozen=True)
class Ref:
    """A reference to an image or video asset: ``{id, type}``."""

    id: str
    type: str


@dataclass(frozen=True)
class Order:
    """A validated generation request, normalised across the three wire formats."""

    api: str
    model: str
    prompt: str
    seconds: int
    width: int | None
    height: int | None
    public: bool = False
    seed: int | None = None
    audio: bool = False
    quantity: int = 1
    start: Ref | None = None
    end: Ref | None = None
    references: tuple[Ref, ...] = ()
    video: Ref | None = None
    short_side: int = 1080
    """The mode's resolution (720 or 1080): a size that follows the start frame is scaled to it."""
    inline_image: bytes | None = None
    image_url: str | None = None
    external_task_id: str | None = None


class Assets(Protocol):
    """What the validators need to know about the sandbox's stored assets."""

    def has_image(self, ref: Ref) -> bool:
        """True when ``ref`` names a usable image of that type."""

    def video_info(self, video_id: str) -> tuple[int, int, int] | None:
        """(width, height, seconds) of a generated video, None if unknown."""


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WireError(f"expected an object at {path}", path=path)
    return value


def _no_unknown(body: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    for key in body:
        if key not in allowed:
            raise WireError(f"Unexpected variable {key}", path=f"{path}.{key}")


def _typed(body: dict[str, Any], key: str, kind: type[T], path: str) -> T | None:
    value = body.get(key)
    if value is None:
        return None
    bad_bool = kind is not bool and isinstance(value, bool)
    if bad_bool or not isinstance(value, kind):
        raise WireError(f"invalid type for variable {key}: expected {kind.__name__}",
                        path=f"{path}.{key}")
    return value


def _required(body: dict[str, Any], key: str, kind: type[T], path: str) -> T:
    value = _typed(body, key, kind, path)
    if value is None:
        raise WireError(f"expecting a value for non-nullable variable: {key}",
                        path=f"{path}.{key}")
    return value


def _prompt(body: dict[str, Any], path: str) -> str:
    prompt = _required(body, "prompt", str, path)
    if len(prompt) > PROMPT_MAX:
        raise WireError(f"prompt exceeds the maximum length of {PROMPT_MAX} characters",
                        path=f"{path}.prompt")
    return prompt


def _ref(value: object, path: str, types: tuple[str, ...] = IMAGE_TYPES) -> Ref:
    item = _object(value, path)
    _no_unknown(item, frozenset({"id", "type"}), path)
    ref_id = _required(item, "id", str, path)
    ref_type = _required(item, "type", str, path)
    if ref_type not in types:
        raise WireError(f"invalid type {ref_type!r}: expected one of {', '.join(types)}",
                        path=f"{path}.type")
    return Ref(ref_id, ref_type)


def _check_images(refs: list[Ref | None], assets: Assets) -> None:
    for ref in refs:
        if ref is not None and not assets.has_image(ref):
            raise WireError("invalid init image id", code="invalid-init-image")


# ---- Leonardo v1: POST /generations-image-to-video -------------------------------------------


def parse_v1(raw: object, assets: Assets) -> Order:
    """Validate a Leonardo v1 image-to-video body (Kling 2.1 Pro, Kling 2.5 Turbo)."""
    body = _object(raw, "$")
    _no_unknown(body, V1_KEYS, "$")
    model = _required(body, "model", str, "$")
    if model not in V1_SIZES:
        raise WireError(f"invalid model {model!r}", path="$.model")
    start = _v1_start(body, model)
    end = _v1_end(body, start)
    _check_images([start, end], assets)
    width, height = _v1_size(body, model)
    return Order(api="v1", model=model, prompt=_prompt(body, "$"),
                 seconds=_v1_duration(body), width=width, height=height,
                 public=bool(_typed(body, "isPublic", bool, "$")), start=start, end=end)


def _v1_start(body: dict[str, Any], model: str) -> Ref | None:
    image_id = _typed(body, "imageId", str, "$")
    image_type = _typed(body, "imageType", str, "$")
    if image_id is None and image_type is None:
        if model == "KLING2_1":
            raise WireError("expecting a value for non-nullable variable: imageId",
                            path="$.imageId")
        return None
    return _ref({"id": image_id, "type": image_type}, "$")


def _v1_end(body: dict[str, Any], start: Ref | None) -> Ref | None:
    if body.get("endFrameImage") is None:
        return None
    if start is None:
        raise WireError("endFrameImage requires a start frame (imageId, imageType)",
                        path="$.endFrameImage")
    return _ref(body["endFrameImage"], "$.endFrameImage")


def _v1_duration(body: dict[str, Any]) -> int:
    duration = _typed(body, "duration", int, "$") or 5
    if duration not in (5, 10):
        raise WireError("invalid duration: expected 5 or 10", path="$.duration")
    resolution = _typed(body, "resolution", str, "$")
    if resolution not in (None, "RESOLUTION_1080"):
        raise WireError("invalid resolution: expected RESOLUTION_1080", path="$.resolution")
    return duration


def _v1_size(body: dict[str, Any], model: str) -> tuple[int, int]:
    width = _typed(body, "width", int, "$")
    height = _typed(body, "height", int, "$")
    size = (1920, 1080) if width is None and height is None else (width, height)
    if size not in V1_SIZES[model]:
        raise WireError("invalid dimensions", path="$.width")
    return 1920 if width is None else width, 1080 if height is None else height


# ---- Leonardo v2: POST /generations -----------------------------------------------------------


@dataclass(frozen=True)
class _Guidances:
    start: Ref | None = None
    end: Ref | None = None
    references: tuple[Ref, ...] = ()
    video: Ref | None = None


def parse_v2(raw: object, assets: Assets) -> Order:
    """Validate a Leonardo v2 body ``{model, public, parameters}`` (Kling O1, Kling 3.0)."""
    body = _object(raw, "$")
    _no_unknown(body, frozenset({"model", "public", "parameters"}), "$")
    model = _required(body, "model", str, "$")
    if model not in V2_PARAM_KEYS:
        raise WireError(f"invalid model {model!r}", path="$.model")
    public = _required(body, "public", bool, "$")
    params = _object(_required(body, "parameters", dict, "$"), "$.parameters")
    _no_unknown(params, V2_PARAM_KEYS[model], "$.parameters")
    guides = _guidances(params.get("guidances"), model, assets)
    width, height = _v2_size(params, model, guides.start is not None)
    return Order(
        api="v2", model=model, prompt=_prompt(params, "$.parameters"),
        seconds=_v2_duration(params, model), width=width, height=height, public=public,
        seed=_typed(params, "seed", int, "$.parameters"),
        audio=bool(_typed(params, "motion_has_audio", bool, "$.parameters")),
        quantity=_v2_extras(params), start=guides.start, end=guides.end,
        references=guides.references, video=guides.video,
        short_side=720 if params.get("mode") == "RESOLUTION_720" else 1080,
    )


def _v2_duration(params: dict[str, Any], model: str) -> int:
    duration = _typed(params, "duration", int, "$.parameters") or 5
    allowed = range(3, 16) if model == K30 else (5, 10)
    if duration not in allowed:
        raise WireError(f"invalid duration {duration} for {model}", path="$.parameters.duration")
    return duration


def _v2_size(params: dict[str, Any], model: str, has_start: bool) -> tuple[int | None, int | None]:
    mode = _typed(params, "mode", str, "$.parameters") or "RESOLUTION_1080"
    modes = V2_SIZES if model == K30 else {"RESOLUTION_1080": V2_SIZES["RESOLUTION_1080"]}
    if mode not in modes:
        raise WireError(f"invalid mode {mode!r}", path="$.parameters.mode")
    width = _typed(params, "width", int, "$.parameters")
    height = _typed(params, "height", int, "$.parameters")
    if width is None and height is None and model == K30 and has_start:
        return None, None
    if (width, height) not in modes[mode]:
        raise WireError("invalid dimensions", path="$.parameters.width")
    return width, height


def _v2_extras(params: dict[str, Any]) -> int:
    enhance = _typed(params, "prompt_enhance", str, "$.parameters")
    if enhance not in (None, "ON", "OFF"):
        raise WireError("invalid prompt_enhance: expected ON or OFF",
                        path="$.parameters.prompt_enhance")
    quantity = _typed(params, "quantity", int, "$.parameters") or 1
    if not 1 <= quantity <= 4:
        raise WireError("invalid quantity", path="$.parameters.quantity")
    return quantity


def _items(guides: dict[str, Any], key: str, kind: str, types: tuple[str, ...]) -> list[Ref]:
    path = f"$.parameters.guidances.{key}"
    value = guides.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireError(f"expected a list at {path}", path=path)
    refs = []
    for index, item in enumerate(value):
        entry = _object(item, f"{path}[{index}]")
        _no_unknown(entry, frozenset({kind}), f"{path}[{index}]")
        refs.append(_ref(entry.get(kind), f"{path}[{index}].{kind}", types))
    return refs


def _guidances(raw: object, model: str, assets: Assets) -> _Guidances:
    if raw is None:
        return _Guidances()
    guides = _object(raw, "$.parameters.guidances")
    _no_unknown(guides, GUIDANCE_KEYS, "$.parameters.guidances")
    start = _items(guides, "start_frame", "image", IMAGE_TYPES)
    end = _items(guides, "end_frame", "image", IMAGE_TYPES)
    refs = _items(guides, "image_reference", "image", IMAGE_TYPES)
    videos = _items(guides, "video_reference_base", "video", ("GENERATED",))
    _guidance_rules(model, start, end, refs, videos)
    _check_images([*start, *end, *refs], assets)
    for video in videos:
        _check_video(video, assets)
    return _Guidances(start=start[0] if start else None, end=end[0] if end else None,
                      references=tuple(refs), video=videos[0] if videos else None)


def _guidance_rules(model: str, start: list[Ref], end: list[Ref], refs: list[Ref],
                    videos: list[Ref]) -> None:
    where = "$.parameters.guidances"
    if len(start) > 1 or len(end) > 1 or len(videos) > 1:
        raise WireError("start_frame, end_frame and video_reference_base take at most 1 item",
                        path=where)
    if end and not start:
        raise WireError("end_frame is only available when start_frame is provided",
                        path=f"{where}.end_frame")
    if refs and (start or end):
        raise WireError("image_reference is not available together with start_frame or "
                        "end_frame", path=f"{where}.image_reference")
    limit = 7 if model == K30 and not videos else 4
    if len(refs) > limit:
        raise WireError(f"image_reference takes at most {limit} items",
                        path=f"{where}.image_reference")


def _check_video(video: Ref, assets: Assets) -> None:
    info = assets.video_info(video.id)
    path = "$.parameters.guidances.video_reference_base"
    if info is None:
        raise WireError("invalid video reference id", code="invalid-video-reference", path=path)
    width, height, seconds = info
    if not 3 <= seconds <= 10 or min(width, height) < 720 or width > 2160:
        raise WireError("reference video must be 3-10 s long, at least 720 px and at most "
                        "2160 px wide", path=path)


# ---- AI/ML API: POST /v2/generate/video/kling/generation ---------------------------------------


def parse_aiml(raw: object) -> Order:
    """Validate an AI/ML API Kling 2.1 Pro image-to-video body (snake_case)."""
    body = _object(raw, "$")
    for key in body:
        if key not in AIML_KEYS:
            raise WireError(f"property {key} should not exist", path=f"$.{key}")
    if body.get("model") != AIML_MODEL:
        raise WireError(f"model must be one of the following values: {AIML_MODEL}",
                        path="$.model")
    inline, url = _image_url(_required(body, "image_url", str, "$"))
    _aiml_optional(body)
    return Order(api="aiml", model=AIML_MODEL, prompt=_typed(body, "prompt", str, "$") or "",
                 seconds=_aiml_duration(body), width=None, height=None,
                 inline_image=inline, image_url=url,
                 external_task_id=_typed(body, "external_task_id", str, "$"))


def _aiml_duration(body: dict[str, Any]) -> int:
    duration = body.get("duration", 5)
    if duration in ("5", "10"):
        return int(duration)
    if isinstance(duration, bool) or duration not in (5, 10):
        raise WireError("duration must be one of the following values: 5, 10",
                        path="$.duration")
    return int(duration)


def _aiml_optional(body: dict[str, Any]) -> None:
    for key in ("negative_prompt", "static_mask"):
        _typed(body, key, str, "$")
    _typed(body, "camera_control", dict, "$")
    _typed(body, "dynamic_masks", list, "$")
    if body.get("type", "image-to-video") != "image-to-video":
        raise WireError("type must be one of the following values: image-to-video",
                        path="$.type")
    cfg = body.get("cfg_scale", 0.5)
    if isinstance(cfg, bool) or not isinstance(cfg, (int, float)) or not 0 <= cfg <= 1:
        raise WireError("cfg_scale must not be greater than 1 or less than 0",
                        path="$.cfg_scale")


def _image_url(value: str) -> tuple[bytes | None, str | None]:
    """Split ``image_url`` into inline image bytes or a URL; refuse anything else."""
    parsed = urlparse(value)
    if parsed.scheme == "https" and parsed.netloc:
        return None, value
    if parsed.scheme == "http" and parsed.hostname in _LOOPBACK:
        return None, value
    match = _DATA_URL.match(value)
    data = _b64(match.group(2) if match else value)
    if data is None or image_format(data) not in _INLINE_FORMATS:
        raise WireError("image_url must be an https URL or a base64-encoded PNG, JPEG or "
                        "WebP image", path="$.image_url")
    return data, None


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
