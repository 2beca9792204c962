"""Kling 2.6 Pro on the AI/ML API's universal endpoint: text- or image-to-video, with sound."""

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


class Kling26ProAIML(AimlUniversal):
    """Kling 2.6 Pro on the AI/ML API: 5 or 10 s, sound on by default."""

    model: Literal["aimlapi/kling-2.6-pro"] = "aimlapi/kling-2.6-pro"
    """The model row: Kling 2.6 Pro (``klingai/video-v2-6-pro-...``)."""
    prompt: Text = Field(min_length=1, max_length=2500)
    """Text describing the video and its sound (required, at most 2500 characters)."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video): an https URL, base64 data or a local file."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9, 9:16 or 1:1 (text-to-video only)."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1 (text-to-video only)."""
    generate_audio: bool | None = None
    """Generate sound with the video (the API's default, on, is always sent explicitly)."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    key = "aimlapi/kling-2.6-pro"
    display_name = "Kling 2.6 Pro"
    documented_in = schemas("video-v2-6-pro-text-to-video", "video-v2-6-pro-image-to-video")
    wire_model = "klingai/video-v2-6-pro-image-to-video"
    variants = {"text": "klingai/video-v2-6-pro-text-to-video",
                "image": "klingai/video-v2-6-pro-image-to-video"}
    aspect_ratios = ASPECT_RATIOS
    audio_default = True
    sound = "on by default"
    input_aliases = {"start_frame": "image_url", "audio": "generate_audio",
                     "provider": "upstream"}
    wire_fields = ("prompt", "duration", "aspect_ratio", "negative_prompt", "cfg_scale",
                   "upstream")
    checks = (NAMED_MODEL, only_without_image("aspect_ratio", "cfg_scale"))
    price_note = PRICE_NOTE
    summary = "5 or 10 s with sound from a prompt or an image."
