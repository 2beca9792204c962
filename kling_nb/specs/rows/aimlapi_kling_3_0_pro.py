"""Kling 3.0 Pro on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_kling3 import ASPECT_TEXT_ONLY, ASPECT_WITH_IMAGE, AimlKling30


class Kling30ProAIML(AimlKling30):
    """Kling 3.0 Pro on the AI/ML API."""

    model: Literal["aimlapi/kling-3.0-pro"] = "aimlapi/kling-3.0-pro"
    """The model row: Kling 3.0 Pro (``klingai/video-v3-pro-...``)."""

    key = "aimlapi/kling-3.0-pro"
    display_name = "Kling 3.0 Pro"
    documented_in = schemas("video-v3-pro-text-to-video", "video-v3-pro-image-to-video")
    wire_model = "klingai/video-v3-pro-image-to-video"
    variants = {"text": "klingai/video-v3-pro-text-to-video",
                "image": "klingai/video-v3-pro-image-to-video"}
    checks = tuple(ASPECT_WITH_IMAGE if rule is ASPECT_TEXT_ONLY else rule
                   for rule in AimlKling30.checks)
    summary = "3-15 s at Pro quality: storyboards, elements, end frame, sound."
