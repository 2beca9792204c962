"""Kling 3.0 Turbo Standard on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_kling3 import AimlKling30Turbo


class Kling30TurboStandardAIML(AimlKling30Turbo):
    """Kling 3.0 Turbo Standard on the AI/ML API."""

    model: Literal["aimlapi/kling-3.0-turbo-standard"] = "aimlapi/kling-3.0-turbo-standard"
    """The model row: Kling 3.0 Turbo Standard (``klingai/video-v3-standard-turbo-...``)."""

    key = "aimlapi/kling-3.0-turbo-standard"
    display_name = "Kling 3.0 Turbo Standard"
    documented_in = schemas("v3-standard-turbo-text-to-video", "v3-standard-turbo-image-to-video")
    wire_model = "klingai/video-v3-standard-turbo-image-to-video"
    variants = {"text": "klingai/video-v3-standard-turbo-text-to-video",
                "image": "klingai/video-v3-standard-turbo-image-to-video"}
    variant_aliases = {  # the pages give each model a second id too
        "kling-video/v3/turbo/standard/text-to-video": variants["text"],
        "kling-video/v3/turbo/standard/image-to-video": variants["image"]}
    sound = "always"
    sound_note = ('documented: its pages say "720p video with native audio"; no field of its '
                  "schemas switches the sound, so nothing is sent")
    summary = "3-15 s at 720p with sound, storyboards of timed shots (no published price)."
