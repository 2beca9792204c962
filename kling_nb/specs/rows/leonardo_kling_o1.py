"""Kling O1 on Leonardo v2 generations, including video editing (seed page 003)."""

from typing import Literal

from kling_nb.specs.leonardo_v2 import LeonardoV2Guided
from kling_nb.specs.types import SIZES_1080


class KlingO1(LeonardoV2Guided):
    """Kling O1 on Leonardo (v2), including video editing with a video reference."""

    model: Literal["leonardo/kling-o1"] = "leonardo/kling-o1"
    """The model row: Kling O1 on Leonardo (wire value ``kling-video-o-1``)."""

    key = "leonardo/kling-o1"
    display_name = "Kling O1"
    documented_in = 'Leonardo guide "Kling O1" (seed page 003_74acdf954691fb6f.txt)'
    wire_model = "kling-video-o-1"
    seed_page = "003_74acdf954691fb6f.txt"
    sizes = {"RESOLUTION_1080": SIZES_1080}
    usd_per_job = {5: 0.76, 10: 1.51}
    summary = "Frames, up to 4 reference images, and editing of a generated video."
