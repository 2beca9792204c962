"""Kling 2.1 Pro on Leonardo v1 image-to-video (seed page 000) - retired by Leonardo."""

from datetime import date
from typing import Literal

from kling_nb.specs.leonardo_v1 import LeonardoV1
from kling_nb.specs.rules import END_NEEDS_START, SIZES, required


class Kling21Pro(LeonardoV1):
    """Kling 2.1 Pro on Leonardo (v1 image-to-video). Retired by Leonardo on 2026-09-15."""

    model: Literal["leonardo/kling-2.1-pro"] = "leonardo/kling-2.1-pro"
    """The model row: Kling 2.1 Pro on Leonardo (wire value ``KLING2_1``)."""

    key = "leonardo/kling-2.1-pro"
    display_name = "Kling 2.1 Pro"
    documented_in = 'Leonardo guide "Kling 2.1 Pro" (seed page 000_14c495383e1e1600.txt)'
    wire_model = "KLING2_1"
    status = "retired"
    retired_on = date(2026, 9, 15)
    successors = ("aimlapi/kling-2.1-pro", "leonardo/kling-2.5-turbo", "leonardo/kling-3.0")
    seed_page = "000_14c495383e1e1600.txt"
    sizes = {"RESOLUTION_1080": ((1920, 1080), (1080, 1920))}
    usd_per_job = {5: 0.61, 10: 1.23}
    checks = (SIZES, required("start_frame", "a start frame",
                              "an uploaded or generated image id, a local image file or an "
                              "https URL"), END_NEEDS_START)
    example = {"prompt": "a red fox runs through snow",
               "start_frame": "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"}
    summary = "Image-to-video at 1080p from a required start frame."
