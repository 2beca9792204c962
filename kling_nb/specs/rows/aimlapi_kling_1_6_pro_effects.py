"""Kling 1.6 Pro effects on the AI/ML API: hug, kiss, heart gesture, squish, expansion."""

from typing import Literal

from kling_nb.specs.aimlapi import SCHEMAS
from kling_nb.specs.aimlapi_effects import AimlEffects


class Kling16ProEffectsAIML(AimlEffects):
    """Kling 1.6 Pro effects on the AI/ML API."""

    model: Literal["aimlapi/kling-1.6-pro-effects"] = "aimlapi/kling-1.6-pro-effects"
    """The model row: Kling 1.6 Pro effects (``klingai/kling-video-v1.6-pro-effects``)."""

    key = "aimlapi/kling-1.6-pro-effects"
    display_name = "Kling 1.6 Pro Effects"
    documented_in = (SCHEMAS + "v1.6-pro-effects.json; aimlapi/api-docs "
                     "docs/api-references/video-models/kling-ai/v1.6-pro-effects.md")
    wire_model = "klingai/kling-video-v1.6-pro-effects"
    variants = {"image": wire_model}
    summary = "A preset scene from 1-2 photos: two people hug, kiss or make a heart; one squished."
