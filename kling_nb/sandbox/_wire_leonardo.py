"""Leonardo bodies: v1 image-to-video and text-to-video (camelCase), v2 generations.

Each v2 model has its own row in ``V2_MODELS`` (api-notes §3, §9.2): parameter keys, guidance
keys, durations, sizes per mode, prompt limit, audio default and edit rules. Rules the notes
mark [inferred] are not enforced unless the notes say the API refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._wire import (
    IMAGE_TYPES,
    LANDSCAPE,
    PORTRAIT,
    SIZES_720,
    SIZES_1080,
    Assets,
    Order,
    Ref,
    VideoInfo,
    WireError,
    check_images,
    no_unknown,
    obj,
    prompt,
    ref,
    required,
    typed,
)

# ---- v1: POST /generations-image-to-video and /generations-text-to-video ----------------------

V1_SIZES = {"KLING2_1": {LANDSCAPE, PORTRAIT}, "KLING2_5": set(SIZES_1080)}
V1_KEYS = frozenset({
    "prompt", "imageId", "imageType", "endFrameImage", "resolution", "duration",
    "width", "height", "model", "isPublic",
})
V1_TEXT_KEYS = frozenset({"prompt", "model", "duration", "width", "height", "resolution",
                          "isPublic"})
V1_TEXT_MODELS = ("KLING2_5",)
SCHEMA_DEFAULT_DURATION = 8
"""The text-to-video schema's default ``duration`` (a Veo value; api-notes §9.3)."""


def parse_v1(raw: object, assets: Assets) -> Order:
    """Validate a Leonardo v1 image-to-video body (Kling 2.1 Pro, Kling 2.5 Turbo)."""
    body = obj(raw, "$")
    no_unknown(body, V1_KEYS, "$")
    model = required(body, "model", str, "$")
    if model not in V1_SIZES:
        raise WireError(f"invalid model {model!r}", path="$.model")
    start = _v1_start(body, model)
    end = _v1_end(body, start)
    check_images([start, end], assets)
    width, height = _v1_size(body, model)
    return Order(api="v1", model=model, prompt=prompt(body, "$"),
                 seconds=_v1_duration(body, 5), width=width, height=height,
                 public=bool(typed(body, "isPublic", bool, "$")), start=start, end=end)


def parse_v1_text(raw: object) -> Order:
    """Validate a Leonardo v1 text-to-video body (Kling 2.5 Turbo; no image or audio keys).

    A missing ``duration`` takes the schema's documented default, 8, which Kling refuses.
    """
    body = obj(raw, "$")
    no_unknown(body, V1_TEXT_KEYS, "$")
    model = required(body, "model", str, "$")
    if model not in V1_TEXT_MODELS:
        raise WireError(f"invalid model {model!r}", path="$.model")
    width, height = _v1_size(body, model)
    return Order(api="v1", model=model, prompt=prompt(body, "$"),
                 seconds=_v1_duration(body, SCHEMA_DEFAULT_DURATION), width=width,
                 height=height, public=bool(typed(body, "isPublic", bool, "$")))


def _v1_start(body: dict[str, Any], model: str) -> Ref | None:
    image_id = typed(body, "imageId", str, "$")
    image_type = typed(body, "imageType", str, "$")
    if image_id is None and image_type is None:
        if model == "KLING2_1":
            raise WireError("expecting a value for non-nullable variable: imageId",
                            path="$.imageId")
        return None
    return ref({"id": image_id, "type": image_type}, "$")


def _v1_end(body: dict[str, Any], start: Ref | None) -> Ref | None:
    if body.get("endFrameImage") is None:
        return None
    if start is None:
        raise WireError("endFrameImage requires a start frame (imageId, imageType)",
                        path="$.endFrameImage")
    return ref(body["endFrameImage"], "$.endFrameImage")


def _v1_duration(body: dict[str, Any], default: int) -> int:
    duration = typed(body, "duration", int, "$")
    duration = default if duration is None else duration
    if duration not in (5, 10):
        raise WireError(f"invalid duration {duration}: expected 5 or 10", path="$.duration")
    resolution = typed(body, "resolution", str, "$")
    if resolution not in (None, "RESOLUTION_1080"):
        raise WireError("invalid resolution: expected RESOLUTION_1080", path="$.resolution")
    return duration


def _v1_size(body: dict[str, Any], model: str) -> tuple[int, int]:
    width = typed(body, "width", int, "$")
    height = typed(body, "height", int, "$")
    size = LANDSCAPE if width is None and height is None else (width, height)
    if size not in V1_SIZES[model]:
        raise WireError("invalid dimensions", path="$.width")
    return 1920 if width is None else width, 1080 if height is None else height


# ---- v2: POST /generations ---------------------------------------------------------------------

O1, K30, K26, K30_TURBO, O3 = (
    "kling-video-o-1", "kling-3.0", "kling-2.6", "kling-3.0-turbo", "kling-video-o-3")
P = "$.parameters"
G = "$.parameters.guidances"
MODES = {"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}
AUTO = (0, 0)
TURBO_TYPES = ("INIT", "GENERATION", "UPLOADED", "GENERATED", "VARIATION")
_SAME_AS = {"INIT": "UPLOADED", "GENERATION": "GENERATED"}
_COMMON = frozenset({"prompt", "duration", "width", "height", "mode", "prompt_enhance",
                     "quantity", "seed", "guidances"})
_ALL_GUIDES = frozenset({"start_frame", "end_frame", "image_reference", "video_reference_base"})
_START_ONLY = frozenset({"start_frame"})


@dataclass(frozen=True)
class V2Model:
    """One v2 model's documented wire rules."""

    keys: frozenset[str]
    guidances: frozenset[str] = _ALL_GUIDES
    durations: tuple[int, ...] = (5, 10)
    modes: tuple[str, ...] = ("RESOLUTION_1080",)
    prompt_max: int = 1500
    audio_default: bool = False
    max_refs: int = 4
    start_types: tuple[str, ...] = IMAGE_TYPES
    size_from_start: bool = True
    """Width and height may be left out with a start frame (the output follows it)."""
    tier_by_size: bool = False
    """``mode`` is deprecated: the size decides the tier (Turbo); 0x0 is "Auto"."""
    max_quantity: int = 4
    video_limits: bool = True
    """Enforce the source-video limits documented for O1 (3-10 s, 720-2160 px)."""
    edit_rules: bool = False
    """O3: video ref not with frames, at most 10 s, length and size follow the source."""


_3_TO_15 = tuple(range(3, 16))
_BOTH = ("RESOLUTION_720", "RESOLUTION_1080")
V2_MODELS = {
    O1: V2Model(_COMMON, size_from_start=False),
    K30: V2Model(_COMMON | {"motion_has_audio"}, durations=_3_TO_15, modes=_BOTH, max_refs=7),
    # 2.6: the prompt "can include description of audio", so its video gets a sound track
    # (a sandbox convention: the notes infer "likely has sound"; no audio key exists).
    K26: V2Model(frozenset({"prompt", "duration", "width", "height", "guidances"}),
                 guidances=_START_ONLY, audio_default=True, max_quantity=1),
    K30_TURBO: V2Model(frozenset({"prompt", "duration", "width", "height", "mode",
                                  "motion_has_audio", "quantity", "guidances"}),
                       guidances=_START_ONLY, durations=_3_TO_15, modes=_BOTH, prompt_max=2500,
                       audio_default=True, start_types=TURBO_TYPES, tier_by_size=True,
                       max_quantity=1),
    O3: V2Model(_COMMON | {"motion_has_audio"}, durations=_3_TO_15, modes=_BOTH, max_refs=7,
                video_limits=False, edit_rules=True),
}
EDIT_MAX_SECONDS = 10
REFS_WITH_VIDEO = 4


@dataclass(frozen=True)
class Guides:
    """The guidances of a v2 body, checked."""

    start: Ref | None = None
    end: Ref | None = None
    references: tuple[Ref, ...] = ()
    video: Ref | None = None
    source: VideoInfo | None = None


def parse_v2(raw: object, assets: Assets) -> Order:
    """Validate a Leonardo v2 body ``{model, public, parameters}``."""
    body = obj(raw, "$")
    no_unknown(body, frozenset({"model", "public", "parameters"}), "$")
    name = required(body, "model", str, "$")
    model = V2_MODELS.get(name)
    if model is None:
        raise WireError(f"invalid model {name!r}", path="$.model")
    public = required(body, "public", bool, "$")
    params = obj(required(body, "parameters", dict, "$"), P)
    no_unknown(params, model.keys, P)
    guides = guidances(params.get("guidances"), model, assets)
    width, height, short_side = v2_size(params, model, guides)
    audio = typed(params, "motion_has_audio", bool, P)
    editing = guides.video is not None and model.edit_rules  # O3 drops audio when editing
    return Order(
        api="v2", model=name, prompt=prompt(params, P, model.prompt_max),
        seconds=v2_duration(params, model, guides), width=width, height=height, public=public,
        seed=typed(params, "seed", int, P),
        audio=not editing and (model.audio_default if audio is None else audio),
        quantity=_v2_extras(params, model), start=guides.start, end=guides.end,
        references=guides.references, video=guides.video, short_side=short_side,
    )


def v2_duration(params: dict[str, Any], model: V2Model, guides: Guides) -> int:
    """The requested length; an O3 edit without one follows its source (at most 10 s)."""
    duration = typed(params, "duration", int, P)
    if duration is None:
        source = guides.source if model.edit_rules else None
        duration = 5 if source is None else max(3, min(source.seconds, EDIT_MAX_SECONDS))
    if duration not in model.durations:
        raise WireError(f"invalid duration {duration}", path=f"{P}.duration")
    if model.edit_rules and guides.video is not None and duration > EDIT_MAX_SECONDS:
        raise WireError(f"invalid duration {duration}: at most {EDIT_MAX_SECONDS} seconds "
                        "with a video_reference_base", path=f"{P}.duration")
    return duration


def v2_size(params: dict[str, Any], model: V2Model,
            guides: Guides) -> tuple[int | None, int | None, int]:
    """Width, height (None: follow the input) and the tier's short side."""
    mode = typed(params, "mode", str, P)
    if mode is not None and mode not in model.modes:
        raise WireError(f"invalid mode {mode!r}", path=f"{P}.mode")
    width, height = typed(params, "width", int, P), typed(params, "height", int, P)
    tier = 720 if mode == "RESOLUTION_720" else 1080
    if width is None and height is None:
        return _size_from_input(model, guides, tier)
    size = (width, height)
    if model.tier_by_size:
        if size == AUTO:
            return None, None, 1080
        mode = next((m for m in model.modes if size in MODES[m]), None)
    if size not in MODES[mode or "RESOLUTION_1080"]:
        raise WireError("invalid dimensions", path=f"{P}.width")
    return width, height, 720 if mode == "RESOLUTION_720" else 1080


def _size_from_input(model: V2Model, guides: Guides,
                     tier: int) -> tuple[int | None, int | None, int]:
    if guides.start is not None and model.size_from_start:
        return None, None, tier
    if model.edit_rules and guides.source is not None:
        return guides.source.width, guides.source.height, tier
    raise WireError("invalid dimensions: width and height are required without a start "
                    "frame", path=f"{P}.width")


def _v2_extras(params: dict[str, Any], model: V2Model) -> int:
    enhance = typed(params, "prompt_enhance", str, P)
    if enhance not in (None, "ON", "OFF"):
        raise WireError("invalid prompt_enhance: expected ON or OFF",
                        path=f"{P}.prompt_enhance")
    quantity = typed(params, "quantity", int, P)
    quantity = 1 if quantity is None else quantity
    if not 1 <= quantity <= model.max_quantity:
        raise WireError(f"invalid quantity: expected 1 to {model.max_quantity}",
                        path=f"{P}.quantity")
    return quantity


def _items(guides: dict[str, Any], key: str, kind: str, types: tuple[str, ...]) -> list[Ref]:
    path = f"{G}.{key}"
    value = guides.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireError(f"expected a list at {path}", path=path)
    refs = []
    for index, item in enumerate(value):
        entry = obj(item, f"{path}[{index}]")
        no_unknown(entry, frozenset({kind}), f"{path}[{index}]")
        found = ref(entry.get(kind), f"{path}[{index}].{kind}", types)
        refs.append(Ref(found.id, _SAME_AS.get(found.type, found.type)))
    return refs


def guidances(raw: object, model: V2Model, assets: Assets) -> Guides:
    """Check the guidances: keys, counts, exclusions, that every asset exists."""
    if raw is None:
        return Guides()
    found = obj(raw, G)
    no_unknown(found, model.guidances, G)
    start = _items(found, "start_frame", "image", model.start_types)
    end = _items(found, "end_frame", "image", IMAGE_TYPES)
    refs = _items(found, "image_reference", "image", IMAGE_TYPES)
    videos = _items(found, "video_reference_base", "video", ("GENERATED",))
    _guidance_rules(model, start, end, refs, videos)
    check_images([*start, *end, *refs], assets)
    source = _check_video(videos[0], model, assets) if videos else None
    return Guides(start=start[0] if start else None, end=end[0] if end else None,
                  references=tuple(refs), video=videos[0] if videos else None, source=source)


def _guidance_rules(model: V2Model, start: list[Ref], end: list[Ref], refs: list[Ref],
                    videos: list[Ref]) -> None:
    if len(start) > 1 or len(end) > 1 or len(videos) > 1:
        raise WireError("start_frame, end_frame and video_reference_base take at most 1 item",
                        path=G)
    if end and not start:
        raise WireError("end_frame is only available when start_frame is provided",
                        path=f"{G}.end_frame")
    if refs and (start or end):
        raise WireError("image_reference is not available together with start_frame or "
                        "end_frame", path=f"{G}.image_reference")
    if model.edit_rules and videos and (start or end):
        raise WireError("video_reference_base is not available together with start_frame or "
                        "end_frame", path=f"{G}.video_reference_base")
    limit = REFS_WITH_VIDEO if videos else model.max_refs
    if len(refs) > limit:
        raise WireError(f"image_reference takes at most {limit} items",
                        path=f"{G}.image_reference")


def _check_video(video: Ref, model: V2Model, assets: Assets) -> VideoInfo:
    info = assets.video_info(video.id)
    path = f"{G}.video_reference_base"
    if info is None:
        raise WireError("invalid video reference id", code="invalid-video-reference", path=path)
    width, height, seconds, _ = info
    if model.video_limits and (not 3 <= seconds <= 10 or min(width, height) < 720
                               or width > 2160):
        raise WireError("reference video must be 3-10 s long, at least 720 px and at most "
                        "2160 px wide", path=path)
    return info
