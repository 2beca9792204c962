"""Kling 3.0 Turbo Pro on the AI/ML API's universal endpoint: text- or image-to-video."""

from typing import Literal

from kling_nb.specs.aimlapi import schemas
from kling_nb.specs.aimlapi_kling3 import AimlKling30Turbo


class Kling30TurboProAIML(AimlKling30Turbo):
    """Kling 3.0 Turbo Pro on the AI/ML API."""

    model: Literal["aimlapi/kling-3.0-turbo-pro"] = "aimlapi/kling-3.0-turbo-pro"
    """The model row: Kling 3.0 Turbo Pro (``klingai/video-v3-turbo-pro-...``)."""

    key = "aimlapi/kling-3.0-turbo-pro"
    display_name = "Kling 3.0 Turbo Pro"
    documented_in = schemas("v3-turbo-pro-text-to-video", "v3-turbo-pro-image-to-video")
    wire_model = "klingai/video-v3-turbo-pro-image-to-video"
    variants = {"text": "klingai/video-v3-turbo-pro-text-to-video",
                "image": "klingai/video-v3-turbo-pro-image-to-video"}
    variant_aliases = {  # the pages give each model a second id too
        "kling-video/v3/turbo/pro/text-to-video": variants["text"],
        "kling-video/v3/turbo/pro/image-to-video": variants["image"]}
    sound = "likely"
    sound_note = ('inferred: its pages promise "improved lipsync", which needs a sound track, '
                  'and the Standard Turbo pages say "native audio"; neither its pages nor its '
                  "schemas say more, and no field switches the sound, so nothing is sent")
    summary = "Faster 3-15 s at Pro quality, storyboards of timed shots, likely with sound."
