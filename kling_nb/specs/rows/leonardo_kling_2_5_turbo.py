"""Kling 2.5 Turbo on Leonardo v1: image-to-video (seed page 001), text-to-video without an
image (``POST /generations-text-to-video``, api-notes §9.3)."""

from typing import Literal

from kling_nb.specs.leonardo_v1 import LeonardoV1
from kling_nb.specs.types import SIZES_1080


class Kling25Turbo(LeonardoV1):
    """Kling 2.5 Turbo on Leonardo (v1): image-to-video, or text-to-video without a start frame."""

    model: Literal["leonardo/kling-2.5-turbo"] = "leonardo/kling-2.5-turbo"
    """The model row: Kling 2.5 Turbo on Leonardo (wire value ``KLING2_5``)."""

    key = "leonardo/kling-2.5-turbo"
    display_name = "Kling 2.5 Turbo"
    documented_in = ('Leonardo guide "Kling 2.5 Turbo" (seed page 001_a7959dacb5309057.txt) and '
                     'recipe "Generate with Kling 2.5 Turbo Using Text Prompts"')
    wire_model = "KLING2_5"
    wire_model_aliases = ("Kling2_5",)  # the guide's spelling; the API takes KLING2_5
    seed_page = "001_a7959dacb5309057.txt"
    text_path = "/api/rest/v1/generations-text-to-video"
    sizes = {"RESOLUTION_1080": SIZES_1080}
    usd_per_job = {5: 0.35, 10: 0.70}
    summary = "Fast, low-cost 1080p video from a prompt, with optional start and end frames."
