"""Kling 2.1 Standard image-to-video on the AI/ML API's universal endpoint."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import (
    PRICE_NOTE,
    AimlUniversal,
    CameraControl,
    DynamicMask,
    schemas,
)
from kling_nb.specs.types import AimlImage, Duration, HttpsUrl, OptionalText


class Kling21StandardAIML(AimlUniversal):
    """Kling 2.1 Standard on the AI/ML API: 5 or 10 s from an image ("cost-efficient": its page)."""

    model: Literal["aimlapi/kling-2.1-standard"] = "aimlapi/kling-2.1-standard"
    """The model row: Kling 2.1 Standard (``kling-video/v2.1/standard/image-to-video``)."""
    image_url: AimlImage
    """The first frame: an https URL, base64 data or a local image (sent as base64); the video
    takes its aspect ratio."""
    prompt: OptionalText = Field(default=None, min_length=1)
    """Text describing the scene, subject or action of the video."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1."""
    static_mask: HttpsUrl = None
    """https URL of a mask image of the area that stays still (motion brush)."""
    dynamic_masks: list[DynamicMask] | None = Field(default=None, max_length=6)
    """Up to 6 motion brushes: each a mask of an area and the path (2-77 points) it moves."""
    camera_control: CameraControl | None = None
    """A camera movement: ``{"type": "simple", "config": {"zoom": 5}}`` or a preset type."""

    key = "aimlapi/kling-2.1-standard"
    display_name = "Kling 2.1 Standard"
    documented_in = schemas("v2.1-standard-image-to-video")
    wire_model = "kling-video/v2.1/standard/image-to-video"
    variants = {"image": wire_model}
    input_aliases = {"start_frame": "image_url"}
    wire_fields = ("prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
                   "dynamic_masks", "camera_control")
    price_note = PRICE_NOTE
    example = {"prompt": "a red fox runs through snow",
               "image_url": "https://example.com/frame.png"}
    summary = "Kling 2.1 from an image (up to 1080p), camera moves, motion brush."
