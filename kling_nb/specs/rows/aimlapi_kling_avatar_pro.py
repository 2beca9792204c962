"""Kling Avatar Pro on the AI/ML API: an image speaks an audio clip, 1080p at 48 fps."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_media import AimlAvatar

AVATAR = "klingai/avatar-pro"


class KlingAvatarProAIML(AimlAvatar):
    """Kling Avatar Pro on the AI/ML API: a 1080p talking video from an image and a clip."""

    model: Literal["aimlapi/kling-avatar-pro"] = "aimlapi/kling-avatar-pro"
    """The model row: Kling Avatar Pro (``klingai/avatar-pro``)."""

    key = "aimlapi/kling-avatar-pro"
    display_name = "Kling Avatar Pro"
    documented_in = schemas("avatar-pro")
    wire_model = AVATAR
    variants = {"text": AVATAR, "image": AVATAR}
    typical_job_seconds = (420.0, 660.0)  # the page: "Generation time: ~ 8 min 50 s."
    summary = "An image speaks an MP3/WAV/M4A/AAC clip: a 1080p, 48 fps talking video."
