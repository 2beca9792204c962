"""Kling 1.6 Standard on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import (
    ASPECT_RATIOS,
    NAMED_MODEL,
    PRICE_NOTE,
    AimlUniversal,
    AspectRatio,
    Upstream,
    only_without_image,
    schemas,
)
from kling_nb.specs.types import AimlImage, Duration, OptionalText, Text


class Kling16StandardAIML(AimlUniversal):
    """Kling 1.6 Standard on the AI/ML API: 5 or 10 s at 720p from a prompt, or an image too."""

    model: Literal["aimlapi/kling-1.6-standard"] = "aimlapi/kling-1.6-standard"
    """The model row: Kling 1.6 Standard (``kling-video/v1.6/standard/...``)."""
    prompt: Text = Field(min_length=1)
    """Text describing the video (required, with an image too)."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video; the video takes its aspect ratio)."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9, 9:16 or 1:1 (text-to-video only)."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    key = "aimlapi/kling-1.6-standard"
    display_name = "Kling 1.6 Standard"
    documented_in = schemas("v1.6-standard-text-to-video", "v1.6-standart-image-to-video")
    wire_model = "kling-video/v1.6/standard/image-to-video"
    variants = {"text": "kling-video/v1.6/standard/text-to-video", "image": wire_model}
    aspect_ratios = ASPECT_RATIOS
    input_aliases = {"start_frame": "image_url", "provider": "upstream"}
    wire_fields = ("prompt", "duration", "aspect_ratio", "negative_prompt", "cfg_scale",
                   "upstream")
    checks = (NAMED_MODEL, only_without_image("aspect_ratio"))
    price_note = PRICE_NOTE
    summary = "An older 720p model: 5 or 10 s from a prompt or an image."
