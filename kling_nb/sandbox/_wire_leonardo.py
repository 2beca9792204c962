"""Leonardo bodies: v1 image-to-video and text-to-video (camelCase), v2 generations.

The keys of each API are fixed here; what differs per model (sizes, durations, guidances and
their limits, the prompt limit, sound, the rules) is its entry's data (``kling_nb/sandbox/
rows``). Only documented rules refuse a body: inferred ones are accepted (api-notes §3, §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _generic, _registry
from ._entry import LeonardoV1, LeonardoV2, Sizes, short_side
from ._rules import Given, MaxSeconds, counts, first_broken
from ._wire import (
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

V1_KEYS = frozenset({
    "prompt", "imageId", "imageType", "endFrameImage", "resolution", "duration",
    "width", "height", "model", "isPublic",
})
V1_TEXT_KEYS = frozenset({"prompt", "model", "duration", "width", "height", "resolution",
                          "isPublic"})
SCHEMA_DEFAULT_DURATION = 8
"""The text-to-video schema's default ``duration`` (a Veo value; api-notes §9.3)."""


def parse_v1(raw: object, assets: Assets, *, generic: bool = False) -> Order:
    """Validate a Leonardo v1 image-to-video body (``generic``: any model id is taken)."""
    body = obj(raw, "$")
    no_unknown(body, V1_KEYS, "$")
    entry = _v1_entry(body, text=False, generic=generic)
    start = _v1_start(body)
    end = ref(body["endFrameImage"], "$.endFrameImage") if body.get(
        "endFrameImage") is not None else None
    given = Given(counts({"imageId": start, "endFrameImage": end}), lambda name: f"$.{name}")
    _refuse(first_broken(entry.rules, given))
    check_images([start, end], assets)
    seconds = _v1_duration(body, entry, 5)
    width, height = _v1_size(body, entry.sizes)
    return Order(api="v1", model=entry.model, prompt=prompt(body, "$", entry.prompt_max),
                 seconds=seconds, width=width, height=height,
                 public=bool(typed(body, "isPublic", bool, "$")), start=start, end=end,
                 audio=entry.sound.decide(body, {}, False), stereo=entry.sound.stereo)


def parse_v1_text(raw: object, *, generic: bool = False) -> Order:
    """Validate a Leonardo v1 text-to-video body (no image or audio keys).

    A missing ``duration`` takes the schema's documented default, 8, which Kling refuses.
    """
    body = obj(raw, "$")
    no_unknown(body, V1_TEXT_KEYS, "$")
    entry = _v1_entry(body, text=True, generic=generic)
    seconds = _v1_duration(body, entry, SCHEMA_DEFAULT_DURATION)
    width, height = _v1_size(body, entry.sizes)
    return Order(api="v1", model=entry.model, prompt=prompt(body, "$", entry.prompt_max),
                 seconds=seconds, width=width,
                 height=height, public=bool(typed(body, "isPublic", bool, "$")),
                 audio=entry.sound.decide(body, {}, False), stereo=entry.sound.stereo)


def _v1_entry(body: dict[str, Any], *, text: bool, generic: bool) -> LeonardoV1:
    model = required(body, "model", str, "$")
    entry = _registry.leonardo_v1(model)
    if entry is None and generic:
        entry = _generic.leonardo_v1(model)
    if entry is None or (text and not entry.text_to_video):
        raise WireError(f"invalid model {model!r}", path="$.model")
    return entry


def _refuse(error: WireError | None) -> None:
    if error is not None:
        raise error


def _v1_start(body: dict[str, Any]) -> Ref | None:
    image_id = typed(body, "imageId", str, "$")
    image_type = typed(body, "imageType", str, "$")
    if image_id is None and image_type is None:
        return None
    return ref({"id": image_id, "type": image_type}, "$")


def _v1_duration(body: dict[str, Any], entry: LeonardoV1, default: int) -> int:
    duration = typed(body, "duration", int, "$")
    duration = default if duration is None else duration
    if duration not in entry.durations:
        allowed = " or ".join(map(str, entry.durations))
        raise WireError(f"invalid duration {duration}: expected {allowed}", path="$.duration")
    resolution = typed(body, "resolution", str, "$")
    if resolution is not None and resolution not in entry.sizes.tiers:
        raise WireError(f"invalid resolution: expected {', '.join(entry.sizes.tiers)}",
                        path="$.resolution")
    return duration


def _v1_size(body: dict[str, Any], sizes: Sizes) -> tuple[int, int]:
    width = typed(body, "width", int, "$")
    height = typed(body, "height", int, "$")
    tier = typed(body, "resolution", str, "$") or sizes.default
    default = sizes.tiers[tier][0] if tier in sizes.tiers else (1920, 1080)
    size = default if width is None and height is None else (width, height)
    if size[0] is None or size[1] is None or not sizes.allows((size[0], size[1]), tier):
        raise WireError("invalid dimensions", path="$.width")
    return size[0], size[1]


# ---- v2: POST /generations ---------------------------------------------------------------------

P = "$.parameters"
G = "$.parameters.guidances"
AUTO = (0, 0)
_SAME_AS = {"INIT": "UPLOADED", "GENERATION": "GENERATED"}


@dataclass(frozen=True)
class Guides:
    """The guidances of a v2 body, checked."""

    items: dict[str, list[Ref]]
    source: VideoInfo | None = None

    def first(self, name: str) -> Ref | None:
        """The first item of a guidance, None when not given."""
        found = self.items.get(name)
        return found[0] if found else None


def parse_v2(raw: object, assets: Assets, *, generic: bool = False) -> Order:
    """Validate a Leonardo v2 body ``{model, public, parameters}`` (``generic``: any model id
    is taken, as a generic video model)."""
    body = obj(raw, "$")
    no_unknown(body, frozenset({"model", "public", "parameters"}), "$")
    name = required(body, "model", str, "$")
    entry = _registry.leonardo_v2(name)
    if entry is None and generic:
        params = obj(body.get("parameters") or {}, P)
        guides = params.get("guidances")
        entry = _generic.leonardo_v2(name, params, guides if isinstance(guides, dict) else ())
    if entry is None:
        raise WireError(f"invalid model {name!r}", path="$.model")
    public = required(body, "public", bool, "$")
    params = obj(required(body, "parameters", dict, "$"), P)
    allowed = entry.parameters | ({"guidances"} if entry.guidances else set())
    no_unknown(params, frozenset(allowed), P)
    guides = guidances(params.get("guidances"), entry, assets)
    given_counts = {n: len(items) for n, items in guides.items.items() if items}
    seconds = v2_duration(params, entry, guides)
    given = Given(given_counts, _v2_path, seconds=seconds, source=guides.source)
    _refuse(first_broken(entry.rules, given))
    width, height, side = v2_size(params, entry, guides)
    flag = entry.sound.flag
    if flag is not None:
        typed(params, flag, bool, P)
    return Order(
        api="v2", model=name, prompt=prompt(params, P, entry.prompt_max),
        seconds=seconds, width=width, height=height, public=public,
        seed=typed(params, "seed", int, P),
        audio=entry.sound.decide(params, given_counts, bool(guides.source and
                                                            guides.source.audio)),
        stereo=entry.sound.stereo,
        quantity=_v2_extras(params, entry), start=guides.first("start_frame"),
        end=guides.first("end_frame"), references=tuple(guides.items.get("image_reference", [])),
        video=guides.first("video_reference_base"), short_side=side,
    )


def _v2_path(name: str) -> str:
    return f"{P}.duration" if name == "duration" else f"{G}.{name}"


def v2_duration(params: dict[str, Any], entry: LeonardoV2, guides: Guides) -> int:
    """The requested length; without one, the followed input's length (an edit), else 5."""
    duration = typed(params, "duration", int, P)
    if duration is None:
        follows = entry.length_follows
        source = guides.source if follows and guides.items.get(follows) else None
        duration = 5 if source is None else _clamp(source.seconds, entry, follows or "")
    if duration not in entry.durations:
        raise WireError(f"invalid duration {duration}", path=f"{P}.duration")
    return duration


def _clamp(seconds: int, entry: LeonardoV2, given: str) -> int:
    """``seconds`` within the entry's durations and the limits that apply with ``given``."""
    limits = [rule.limit for rule in entry.rules
              if isinstance(rule, MaxSeconds) and rule.enforced and rule.when == given]
    return max(min(entry.durations), min(seconds, max(entry.durations), *limits))


def v2_size(params: dict[str, Any], entry: LeonardoV2,
            guides: Guides) -> tuple[int | None, int | None, int]:
    """Width, height (None: follow the input) and the tier's short side."""
    sizes = entry.sizes
    mode = typed(params, "mode", str, P)
    if mode is not None and mode not in sizes.tiers:
        raise WireError(f"invalid mode {mode!r}", path=f"{P}.mode")
    tier = mode if mode is not None and not sizes.by_size else sizes.default
    width, height = typed(params, "width", int, P), typed(params, "height", int, P)
    if width is None and height is None:
        return _size_from_input(entry, guides, tier)
    if width is None or height is None:
        raise WireError("invalid dimensions", path=f"{P}.width")
    size = (width, height)
    if sizes.auto and size == AUTO:
        return None, None, short_side(sizes.default)
    if sizes.by_size or (sizes.inferred and mode is None):
        tier = sizes.tier_of(size) or ""
    if sizes.inferred:  # any size is taken: its tier from the list, else its short side
        return width, height, short_side(tier) if tier else min(size)
    if size not in sizes.tiers.get(tier, ()):
        raise WireError("invalid dimensions", path=f"{P}.width")
    return width, height, short_side(tier)


def _size_from_input(entry: LeonardoV2, guides: Guides,
                     tier: str) -> tuple[int | None, int | None, int]:
    for name in entry.size_follows:
        if not guides.items.get(name):
            continue
        if entry.guidances[name].kind == "video" and guides.source is not None:
            return guides.source.width, guides.source.height, short_side(tier)
        return None, None, short_side(tier)
    raise WireError("invalid dimensions: width and height are required without a start "
                    "frame", path=f"{P}.width")


def _v2_extras(params: dict[str, Any], entry: LeonardoV2) -> int:
    enhance = typed(params, "prompt_enhance", str, P)
    if enhance not in (None, "ON", "OFF"):
        raise WireError("invalid prompt_enhance: expected ON or OFF",
                        path=f"{P}.prompt_enhance")
    quantity = typed(params, "quantity", int, P)
    quantity = 1 if quantity is None else quantity
    if not 1 <= quantity <= entry.max_quantity:
        raise WireError(f"invalid quantity: expected 1 to {entry.max_quantity}",
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


def guidances(raw: object, entry: LeonardoV2, assets: Assets) -> Guides:
    """Check the guidances: keys, item shapes and counts, that every asset exists."""
    if raw is None:
        return Guides({})
    found = obj(raw, G)
    no_unknown(found, frozenset(entry.guidances), G)
    items = {name: _items(found, name, guide.kind, guide.types)
             for name, guide in entry.guidances.items()}
    for name, guide in entry.guidances.items():
        if len(items[name]) > guide.most:
            unit = "item" if guide.most == 1 else "items"
            raise WireError(f"{name} takes at most {guide.most} {unit}", path=f"{G}.{name}")
    images = [r for name, g in entry.guidances.items() if g.kind == "image" for r in items[name]]
    check_images(list(images), assets)
    videos = [r for name, g in entry.guidances.items() if g.kind == "video" for r in items[name]]
    source = _video(videos[0], assets) if videos else None
    return Guides(items, source)


def _video(video: Ref, assets: Assets) -> VideoInfo:
    info = assets.video_info(video.id)
    if info is None:
        raise WireError("invalid video reference id", code="invalid-video-reference",
                        path=f"{G}.video_reference_base")
    return info
