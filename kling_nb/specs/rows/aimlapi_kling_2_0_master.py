"""Kling 2.0 Master on the AI/ML API: text- or image-to-video, 5 or 10 s, camera moves and a
motion brush with an image."""

from collections.abc import Mapping
from typing import ClassVar, Literal

from kling_nb.specs.aimlapi import Upstream, schemas
from kling_nb.specs.aimlapi_classic import AimlClassic


class Kling20MasterAIML(AimlClassic):
    """Kling 2.0 Master on the AI/ML API."""

    model: Literal["aimlapi/kling-2.0-master"] = "aimlapi/kling-2.0-master"
    """The model row: Kling 2.0 Master (``klingai/v2-master-text-to-video``
    or ``klingai/v2-master-image-to-video``)."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    key = "aimlapi/kling-2.0-master"
    display_name = "Kling 2.0 Master"
    documented_in = schemas("v2-master-text-to-video", "v2-master-image-to-video")
    wire_model = "klingai/v2-master-image-to-video"
    variants = {"text": "klingai/v2-master-text-to-video", "image": wire_model}
    input_aliases: ClassVar[Mapping[str, str]] = {**AimlClassic.input_aliases,
                                                  "provider": "upstream"}
    wire_fields = (*AimlClassic.wire_fields, "upstream")
    summary = "5 or 10 s of Master quality, camera moves, motion brush; 5-6 min for 5 s."
