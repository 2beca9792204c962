"""Kling Avatar Standard on the AI/ML API: an image speaks an audio clip, 720p at 24 fps."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_media import AimlAvatar

AVATAR = "klingai/avatar-standard"


class KlingAvatarStandardAIML(AimlAvatar):
    """Kling Avatar Standard on the AI/ML API: a talking video from an image and a clip."""

    model: Literal["aimlapi/kling-avatar-standard"] = "aimlapi/kling-avatar-standard"
    """The model row: Kling Avatar Standard (``klingai/avatar-standard``)."""

    key = "aimlapi/kling-avatar-standard"
    display_name = "Kling Avatar Standard"
    documented_in = schemas("avatar-standard")
    wire_model = AVATAR
    variants = {"text": AVATAR, "image": AVATAR}
    typical_job_seconds = (180.0, 300.0)  # the page: "Generation time: ~ 4 min."
    summary = "An image speaks an MP3/WAV/M4A/AAC clip: a 720p talking video as long as it."
