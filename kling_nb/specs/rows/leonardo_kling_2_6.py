"""Kling 2.6 on Leonardo v2 generations: 5 or 10 s at 1080p, an optional start frame."""

from typing import Literal

from kling_nb.specs.leonardo_v2 import LeonardoV2
from kling_nb.specs.types import SIZES_1080, LeonardoImage


class Kling26(LeonardoV2):
    """Kling 2.6 on Leonardo (v2): 5 or 10 s at 1080p, text or a start frame."""

    model: Literal["leonardo/kling-2.6"] = "leonardo/kling-2.6"
    """The model row: Kling 2.6 on Leonardo (wire value ``kling-2.6``)."""
    start_frame: LeonardoImage | None = None
    """The first frame (optional): an uploaded or generated image id, a file or a URL."""

    key = "leonardo/kling-2.6"
    display_name = "Kling 2.6"
    documented_in = 'Leonardo guides "Kling 2.6" and "Generate with Kling 2.6"'
    wire_model = "kling-2.6"
    sizes = {"RESOLUTION_1080": SIZES_1080}
    sound = "likely"  # the prompt "can include description of audio"; no flag is documented
    price_note = "604 / 1208 Leonardo API credits for 5 / 10 s"
    credits_per_job = {5: 604, 10: 1208}
    summary = "5 or 10 s at 1080p from a prompt (which may describe sound) and a start frame."
