"""Kling 3.0 Omni 720p on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_kling3 import AimlKling30Omni


class Kling30Omni720pAIML(AimlKling30Omni):
    """Kling 3.0 Omni at 720p on the AI/ML API."""

    model: Literal["aimlapi/kling-3.0-omni-720p"] = "aimlapi/kling-3.0-omni-720p"
    """The model row: Kling 3.0 Omni 720p (``klingai/video-v3-omni-720p-...``)."""

    key = "aimlapi/kling-3.0-omni-720p"
    display_name = "Kling 3.0 Omni 720p"
    documented_in = schemas("v3-omni-720p-text-to-video", "v3-omni-720p-image-to-video")
    wire_model = "klingai/video-v3-omni-720p-image-to-video"
    variants = {"text": "klingai/video-v3-omni-720p-text-to-video",
                "image": wire_model}
    summary = "3-15 s at 720p: storyboards, elements, an end frame (without sound), sound."
