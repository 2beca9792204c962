"""The AI/ML API's Kling models and their field matrix (api-notes §3, §9.5), one row per id.

Each row: the model id, its family and task kind, the keys it requires and the keys it may
take (anything else is refused), its durations, prompt limit, output tier (the short side of
a 16:9 video) and whether it makes sound by default.
"""

from __future__ import annotations

from dataclasses import dataclass

AIML_21 = "kling-video/v2.1/pro/image-to-video"
ASPECTS = ("16:9", "9:16", "1:1")
SHOT_TYPES = ("customize", "intelligent")
PROVIDERS = ("auto", "kling", "klingai", "fal")
"""``provider`` values (case-insensitive); absent from 2.1 Pro and Turbo (api-notes §9.4)."""
THREE_TO_15 = tuple(range(3, 16))


@dataclass(frozen=True)
class AimlModel:
    """One model id's documented request shape."""

    name: str
    family: str
    """``2.1``, ``2.5-turbo``, ``2.6``, ``3.0``, ``3.0-turbo`` or ``o1``."""
    kind: str
    """``text``, ``image``, ``reference``, ``edit`` or ``video-reference``."""
    required: frozenset[str]
    optional: frozenset[str]
    durations: tuple[int, ...] = (5, 10)
    prompt_max: int | None = None
    short_side: int = 1080
    audio_default: bool = False
    image_list: tuple[int, int] = (1, 7)
    """How many ``image_list`` items O1 takes (min, max)."""

    @property
    def keys(self) -> frozenset[str]:
        """Every key the body may hold."""
        return self.required | self.optional | {"model"}

    @property
    def storyboard(self) -> bool:
        """Takes ``multi_prompt`` instead of ``prompt`` (exactly one of them)."""
        return self.family in ("3.0", "3.0-turbo")


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


_PROMPT = _keys("prompt")
_25_TEXT = _keys("duration", "aspect_ratio", "negative_prompt", "cfg_scale", "provider")
_25_IMAGE = _keys("duration", "negative_prompt", "cfg_scale", "provider")
_26_TEXT = _25_TEXT | {"generate_audio"}
_26_IMAGE = _keys("duration", "negative_prompt", "generate_audio", "provider")  # no cfg_scale
_K3 = _keys("prompt", "multi_prompt", "duration", "negative_prompt", "cfg_scale",
            "generate_audio", "shot_type", "provider")
_TURBO = _keys("prompt", "multi_prompt", "duration")
_21 = _keys("prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
            "dynamic_masks", "camera_control",
            # gone from the current spec (api-notes §9.5, [inferred]): still accepted
            "type", "external_task_id", "tail_image_url")
_O1 = "klingai/video-o1-"


def _kling3(family: str, tiers: tuple[tuple[str, int], ...], text: frozenset[str],
            image: frozenset[str], audio: bool) -> list[AimlModel]:
    rows = []
    for stem, side in tiers:
        rows.append(AimlModel(stem.format("text"), family, "text", frozenset(), text,
                              THREE_TO_15, 3072 if family == "3.0-turbo" else None, side, audio))
        rows.append(AimlModel(stem.format("image"), family, "image", _keys("image_url"), image,
                              THREE_TO_15, 3072 if family == "3.0-turbo" else None, side, audio))
    return rows


_ROWS = [
    AimlModel("klingai/v2.5-turbo/pro/text-to-video", "2.5-turbo", "text", _PROMPT, _25_TEXT),
    AimlModel("klingai/v2.5-turbo/pro/image-to-video", "2.5-turbo", "image",
              _PROMPT | {"image_url"}, _25_IMAGE),
    AimlModel("klingai/video-v2-6-pro-text-to-video", "2.6", "text", _PROMPT, _26_TEXT,
              prompt_max=2500, audio_default=True),
    AimlModel("klingai/video-v2-6-pro-image-to-video", "2.6", "image", _PROMPT | {"image_url"},
              _26_IMAGE, prompt_max=2500, audio_default=True),
    *_kling3("3.0", (("klingai/video-v3-standard-{}-to-video", 720),
                     ("klingai/video-v3-pro-{}-to-video", 1080)),
             _K3 | {"aspect_ratio"}, _K3 | {"tail_image_url", "elements"}, audio=True),
    *_kling3("3.0-turbo", (("klingai/video-v3-standard-turbo-{}-to-video", 720),
                           ("klingai/video-v3-turbo-pro-{}-to-video", 1080)),
             _TURBO | {"aspect_ratio"}, _TURBO, audio=False),
    AimlModel(_O1 + "image-to-video", "o1", "image", _PROMPT | {"image_url"},
              _keys("last_image_url", "duration", "provider"), prompt_max=2500),
    AimlModel(_O1 + "reference-to-video", "o1", "reference", _PROMPT,
              _keys("image_list", "elements", "aspect_ratio", "duration", "provider"),
              prompt_max=2500),
    AimlModel(_O1 + "video-to-video-edit", "o1", "edit", _PROMPT | {"video_url"},
              _keys("image_list", "elements", "keep_audio", "provider"), durations=(),
              prompt_max=2500),
    AimlModel(_O1 + "video-to-video-reference", "o1", "video-reference", _PROMPT | {"video_url"},
              _keys("image_list", "elements", "aspect_ratio", "duration", "keep_audio",
                    "provider"), prompt_max=2500, image_list=(1, 4)),
    AimlModel(AIML_21, "2.1", "image", _keys("image_url"), _21),
]
AIML_MODELS = {row.name: row for row in _ROWS}
ALIASES = {
    f"kling-video/v3/turbo/{tier}/{kind}-to-video": stem.format(kind)
    for tier, stem in (("standard", "klingai/video-v3-standard-turbo-{}-to-video"),
                       ("pro", "klingai/video-v3-turbo-pro-{}-to-video"))
    for kind in ("text", "image")
}
"""The documented alternative ids of the Turbo models (api-notes §9.1)."""
