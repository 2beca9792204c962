"""Kling 3.0 Motion Control on the AI/ML API: an image's character moves as a reference video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_media import (
    MIN_LENGTH_INFERRED,
    ORIENTATION_LENGTH,
    SIDES_INFERRED,
    AimlMotionControl,
)

MOTION = "klingai/video-v3-motion-control"


class Kling30MotionControlAIML(AimlMotionControl):
    """Kling 3.0 Motion Control on the AI/ML API: a reference video's motion, performed by the
    character in an image, in Standard or Professional quality."""

    model: Literal["aimlapi/kling-3.0-motion-control"] = "aimlapi/kling-3.0-motion-control"
    """The model row: Kling 3.0 Motion Control (``klingai/video-v3-motion-control``)."""

    key = "aimlapi/kling-3.0-motion-control"
    display_name = "Kling 3.0 Motion Control"
    documented_in = schemas("klingai-video-v3-motion-control-schema")
    wire_model = MOTION
    variants = {"text": MOTION, "image": MOTION}
    checks = (ORIENTATION_LENGTH, MIN_LENGTH_INFERRED, SIDES_INFERRED)
    summary = "The character in an image performs a reference video's motion (std/pro)."
