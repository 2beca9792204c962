"""Kling O1 video-to-video reference on the AI/ML API: a new video guided by a video."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import (
    ASPECT_RATIOS,
    AspectRatio,
    schemas,
)
from kling_nb.specs.aimlapi_o1 import KlingO1VideoBase
from kling_nb.specs.types import AimlImage, Duration


class KlingO1VideoReferenceAIML(KlingO1VideoBase):
    """Kling O1 on the AI/ML API: a new 5 or 10 s video that takes after a reference video."""

    model: Literal["aimlapi/kling-o1-video-reference"] = "aimlapi/kling-o1-video-reference"
    """The model row: Kling O1 video reference (``klingai/video-o1-video-to-video-reference``)."""
    image_list: list[AimlImage] | None = Field(default=None, min_length=1, max_length=4)
    """1 to 4 reference images."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1."""

    key = "aimlapi/kling-o1-video-reference"
    display_name = "Kling O1 Video Reference"
    documented_in = schemas("video-o1-video-to-video-reference")
    wire_model = "klingai/video-o1-video-to-video-reference"
    variants = {"text": "klingai/video-o1-video-to-video-reference",
                "image": "klingai/video-o1-video-to-video-reference"}
    aspect_ratios = ASPECT_RATIOS
    wire_fields = ("prompt", "video_url", "duration", "aspect_ratio", "elements", "keep_audio",
                   "upstream")
    summary = "A new 5 or 10 s video guided by a reference video, images and elements."
