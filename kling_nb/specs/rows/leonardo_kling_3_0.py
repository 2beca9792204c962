"""Kling 3.0 on Leonardo v2 generations: 3-15 s, 720p or 1080p, audio (seed page 004).

Without guidances it is text-to-video (api-notes §9.2); the size is then always sent.
"""

from typing import Literal

from kling_nb.specs.leonardo_v2 import Kling3Family


class Kling30(Kling3Family):
    """Kling 3.0 on Leonardo (v2): 3-15 s, 720p or 1080p, optional audio."""

    model: Literal["leonardo/kling-3.0"] = "leonardo/kling-3.0"
    """The model row: Kling 3.0 on Leonardo (wire value ``kling-3.0``)."""

    key = "leonardo/kling-3.0"
    display_name = "Kling 3.0"
    documented_in = 'Leonardo guide "Kling 3.0" (seed page 004_7f86ff0e8d1fe9e1.txt)'
    wire_model = "kling-3.0"
    seed_page = "004_7f86ff0e8d1fe9e1.txt"
    usd_per_job = {d: round(0.57 + (d - 3) * (2.83 - 0.57) / 12, 2) for d in range(3, 16)}
    summary = "3-15 s at 720p or 1080p, with audio and up to 7 reference images."
