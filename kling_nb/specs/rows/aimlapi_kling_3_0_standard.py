"""Kling 3.0 Standard on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_kling3 import AimlKling30


class Kling30StandardAIML(AimlKling30):
    """Kling 3.0 Standard on the AI/ML API."""

    model: Literal["aimlapi/kling-3.0-standard"] = "aimlapi/kling-3.0-standard"
    """The model row: Kling 3.0 Standard (``klingai/video-v3-standard-...``)."""

    key = "aimlapi/kling-3.0-standard"
    display_name = "Kling 3.0 Standard"
    documented_in = schemas("video-v3-standard-text-to-video", "video-v3-standard-image-to-video")
    wire_model = "klingai/video-v3-standard-image-to-video"
    variants = {"text": "klingai/video-v3-standard-text-to-video",
                "image": "klingai/video-v3-standard-image-to-video"}
    summary = "3-15 s at 720p-class quality: storyboards, elements, end frame, sound."
