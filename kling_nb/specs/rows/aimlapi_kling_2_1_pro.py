"""Kling 2.1 Pro image-to-video on the AI/ML API (seed page 002)."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import AimlSpec
from kling_nb.specs.types import AimlImage, Duration, HttpsUrl, OptionalText


class Kling21ProAIML(AimlSpec):
    """Kling 2.1 Pro image-to-video on the AI/ML API."""

    model: Literal["aimlapi/kling-2.1-pro"] = "aimlapi/kling-2.1-pro"
    """The model row: Kling 2.1 Pro on the AI/ML API (``kling-video/v2.1/pro/image-to-video``)."""
    image_url: AimlImage
    """The first frame: an https URL, base64 image data, or a local image (sent as base64)."""
    prompt: OptionalText = None
    """Text describing the scene, subject or action of the video."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1 (the API's default is 0.5)."""
    static_mask: HttpsUrl = None
    """https URL of a mask image for the static brush area (motion brush)."""
    type: Literal["image-to-video"] | None = None
    """The task type; ``image-to-video`` is the only value."""
    external_task_id: str | None = Field(default=None, min_length=1, max_length=128)
    """Your own id for the task (kling_nb sets one to find the task again after a timeout)."""

    key = "aimlapi/kling-2.1-pro"
    display_name = "Kling 2.1 Pro"
    path = "/v2/generate/video/kling/generation"
    wire_model = "kling-video/v2.1/pro/image-to-video"
    seed_page = "002_97e7ea16744b2661.txt"
    usd_per_job = {5: 0.61, 10: 1.23}
    input_aliases = {"start_frame": "image_url"}
    wire_fields = ("prompt", "negative_prompt", "duration", "cfg_scale", "static_mask", "type",
                   "external_task_id")
    summary = "Cinematic image-to-video from an image URL or a local image."
