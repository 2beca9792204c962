"""Kling 2.1 Pro image-to-video on the AI/ML API (seed page 002), on its documented legacy path.

The current docs add ``camera_control`` and the motion brush's ``dynamic_masks`` (and drop
``type`` and ``external_task_id``, which the seed page shows; kling_nb still sends
``external_task_id`` to find a task after a lost answer).
"""

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from kling_nb.core.errors import Problem
from kling_nb.specs.aimlapi import AimlSpec, CameraControl, DynamicMask, schemas
from kling_nb.specs.inferred import Rule
from kling_nb.specs.types import AimlImage, Duration, HttpsUrl, OptionalText


def _dropped_fields(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    return [Problem((name,), "is no longer listed in the AI/ML API's current schema.",
                    allowed="leave it out") for name in ("type",) if v.get(name) is not None]


DROPPED = Rule("dropped-fields", "type is gone from the current schema", _dropped_fields,
               inferred="the seed page lists it; the current spec no longer does, which "
                        "suggests, but does not say, that it is ignored or refused",
               examples=({"type": "image-to-video"},))


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
    dynamic_masks: list[DynamicMask] | None = Field(default=None, max_length=6)
    """Up to 6 motion brushes: each a mask of an area and the path (2-77 points) it moves."""
    camera_control: CameraControl | None = None
    """A camera movement: ``{"type": "simple", "config": {"zoom": 5}}`` or a preset type."""
    type: Literal["image-to-video"] | None = None
    """The task type; ``image-to-video`` is the only value."""
    external_task_id: str | None = Field(default=None, min_length=1, max_length=128)
    """Your own id for the task (kling_nb sets one to find the task again after a timeout)."""

    key = "aimlapi/kling-2.1-pro"
    display_name = "Kling 2.1 Pro"
    documented_in = ('AI/ML API page "Kling 2.1 Pro" (seed page 002_97e7ea16744b2661.txt); '
                     + schemas("v2.1-pro-image-to-video"))
    path = "/v2/generate/video/kling/generation"
    poll_path = "/v2/generate/video/kling/generation?generation_id={id}"
    wire_model = "kling-video/v2.1/pro/image-to-video"
    seed_page = "002_97e7ea16744b2661.txt"
    usd_per_job = {5: 0.61, 10: 1.23}
    input_aliases = {"start_frame": "image_url"}
    wire_fields = ("prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
                   "dynamic_masks", "camera_control", "type", "external_task_id")
    checks = (DROPPED,)
    example = {"prompt": "a red fox runs through snow",
               "image_url": "https://example.com/frame.png"}
    summary = "Cinematic image-to-video from an image URL or a local image, camera moves."
