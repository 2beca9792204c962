"""Kling O1 on the AI/ML API: image-to-video from a first frame, else reference-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_o1 import KlingO1AIMLBase


class KlingO1AIML(KlingO1AIMLBase):
    """Kling O1 on the AI/ML API: from a first (and last) frame, or from reference images."""

    model: Literal["aimlapi/kling-o1"] = "aimlapi/kling-o1"
    """The model row: Kling O1 (``klingai/video-o1-image-to-video`` or
    ``klingai/video-o1-reference-to-video``)."""

    key = "aimlapi/kling-o1"
    display_name = "Kling O1"
    documented_in = schemas("video-o1-image-to-video", "video-o1-reference-to-video")
    wire_model = "klingai/video-o1-image-to-video"
    variants = {"text": "klingai/video-o1-reference-to-video",
                "image": "klingai/video-o1-image-to-video"}
    summary = "5 or 10 s from first/last frames, or from up to 7 reference images and elements."
