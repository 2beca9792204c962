"""Kling 1.6 Pro on the AI/ML API: text- or image-to-video, 5 or 10 s at 1080p, camera moves,
an end frame and a motion brush with an image."""

from collections.abc import Mapping
from typing import ClassVar, Literal

from kling_nb.specs.aimlapi import only_with_image, schemas
from kling_nb.specs.aimlapi_classic import AimlClassic
from kling_nb.specs.inferred import Rule
from kling_nb.specs.types import AimlImage


class Kling16ProAIML(AimlClassic):
    """Kling 1.6 Pro on the AI/ML API."""

    model: Literal["aimlapi/kling-1.6-pro"] = "aimlapi/kling-1.6-pro"
    """The model row: Kling 1.6 Pro (``kling-video/v1.6/pro/text-to-video``
    or ``kling-video/v1.6/pro/image-to-video``)."""
    tail_image_url: AimlImage | None = None
    """The last frame (image-to-video only)."""

    key = "aimlapi/kling-1.6-pro"
    display_name = "Kling 1.6 Pro"
    documented_in = schemas("v1.6-pro-text-to-video", "v1.6-pro-image-to-video")
    wire_model = "kling-video/v1.6/pro/image-to-video"
    variants = {"text": "kling-video/v1.6/pro/text-to-video", "image": wire_model}
    image_fields = ("image_url", "tail_image_url")
    input_aliases: ClassVar[Mapping[str, str]] = {**AimlClassic.input_aliases,
                                                  "end_frame": "tail_image_url"}
    checks: ClassVar[tuple[Rule, ...]] = (*AimlClassic.checks,
                                          only_with_image("tail_image_url"))
    summary = "1080p, 5 or 10 s: camera moves, end frame, motion brush."
