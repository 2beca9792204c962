"""Kling 2.6 Motion Control on the AI/ML API: an image's character moves as a reference video.

The schema's id is ``klingai/video-v2-6-motion-control`` (since it gained ``mode``: std|pro);
the page, its examples and the model database still write ``klingai/video-v2-6-pro-motion-control``.
The schema's id is sent; the page's is read as the same row.
"""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_media import (
    MIN_LENGTH,
    MOTION_PAGE_2_6,
    ORIENTATION_LENGTH,
    SIDES,
    SIDES_STRICT,
    AimlMotionControl,
)

MOTION = "klingai/video-v2-6-motion-control"


class Kling26MotionControlAIML(AimlMotionControl):
    """Kling 2.6 Motion Control on the AI/ML API: a 3-30 s reference video's motion, performed
    by the character in an image."""

    model: Literal["aimlapi/kling-2.6-motion-control"] = "aimlapi/kling-2.6-motion-control"
    """The model row: Kling 2.6 Motion Control (``klingai/video-v2-6-motion-control``)."""

    key = "aimlapi/kling-2.6-motion-control"
    display_name = "Kling 2.6 Motion Control"
    documented_in = f"{schemas('video-v2-6-pro-motion-control')}; {MOTION_PAGE_2_6}"
    wire_model = MOTION
    variant_aliases = {"klingai/video-v2-6-pro-motion-control": MOTION}
    variants = {"text": MOTION, "image": MOTION}
    checks = (ORIENTATION_LENGTH, MIN_LENGTH, SIDES, SIDES_STRICT)
    typical_job_seconds = (240.0, 480.0)  # the page's sample: "~ 5 min 56 sec"
    summary = "The character in an image performs a 3-30 s reference video's motion (std/pro)."
