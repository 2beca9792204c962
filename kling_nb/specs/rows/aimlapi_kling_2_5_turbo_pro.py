"""Kling 2.5 Turbo Pro on the AI/ML API's universal endpoint: text- or image-to-video."""

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


class Kling25TurboProAIML(AimlUniversal):
    """Kling 2.5 Turbo Pro on the AI/ML API: 5 or 10 s from a prompt, or from an image too."""

    model: Literal["aimlapi/kling-2.5-turbo-pro"] = "aimlapi/kling-2.5-turbo-pro"
    """The model row: Kling 2.5 Turbo Pro (``klingai/v2.5-turbo/pro/...``)."""
    prompt: Text = Field(min_length=1)
    """Text describing the video (required)."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video): an https URL, base64 data or a local file."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9, 9:16 or 1:1 (text-to-video only; with an image the video follows the image)."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    key = "aimlapi/kling-2.5-turbo-pro"
    display_name = "Kling 2.5 Turbo Pro"
    documented_in = schemas("v2.5-turbo-pro-text-to-video", "v2.5-turbo-pro-image-to-video")
    wire_model = "klingai/v2.5-turbo/pro/image-to-video"
    variants = {"text": "klingai/v2.5-turbo/pro/text-to-video",
                "image": "klingai/v2.5-turbo/pro/image-to-video"}
    aspect_ratios = ASPECT_RATIOS
    input_aliases = {"start_frame": "image_url", "provider": "upstream"}
    wire_fields = ("prompt", "duration", "aspect_ratio", "negative_prompt", "cfg_scale",
                   "upstream")
    checks = (NAMED_MODEL, only_without_image("aspect_ratio"))
    price_note = PRICE_NOTE
    summary = "Fast 5 or 10 s video from a prompt or an image, with a negative prompt."
