"""Kling O1 video-to-video edit on the AI/ML API: change a video by prompt."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_o1 import KlingO1VideoBase
from kling_nb.specs.types import AimlImage


class KlingO1EditAIML(KlingO1VideoBase):
    """Kling O1 on the AI/ML API: edit a video (its length and framing are kept)."""

    model: Literal["aimlapi/kling-o1-edit"] = "aimlapi/kling-o1-edit"
    """The model row: Kling O1 video edit (``klingai/video-o1-video-to-video-edit``)."""
    image_list: list[AimlImage] | None = Field(default=None, min_length=1, max_length=7)
    """1 to 7 reference images."""

    key = "aimlapi/kling-o1-edit"
    display_name = "Kling O1 Edit"
    documented_in = schemas("video-o1-video-to-video-edit")
    wire_model = "klingai/video-o1-video-to-video-edit"
    variants = {"text": "klingai/video-o1-video-to-video-edit",
                "image": "klingai/video-o1-video-to-video-edit"}
    durations = ()
    wire_fields = ("prompt", "video_url", "elements", "keep_audio", "upstream")
    summary = "Edit a video by prompt (add, remove, restyle), with references and elements."
