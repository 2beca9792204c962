"""Kling 3.0 on Leonardo v2 generations: 3-15 s, 720p or 1080p, audio (seed page 004)."""

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from kling_nb.core.errors import Problem
from kling_nb.specs.leonardo_v2 import LeonardoV2
from kling_nb.specs.rules import default_size, reference_problems
from kling_nb.specs.types import SIZES_720, SIZES_1080, int_like


class Kling30(LeonardoV2):
    """Kling 3.0 on Leonardo (v2): 3-15 s, 720p or 1080p, optional audio."""

    model: Literal["leonardo/kling-3.0"] = "leonardo/kling-3.0"
    """The model row: Kling 3.0 on Leonardo (wire value ``kling-3.0``)."""
    duration: Annotated[int, BeforeValidator(int_like), Field(ge=3, le=15, strict=True)] = (
        5  # type: ignore[assignment]  # 3.0 widens the durations
    )
    """Length of the video in whole seconds: 3 to 15."""
    mode: Literal["RESOLUTION_720", "RESOLUTION_1080"] | None = None  # type: ignore[assignment]
    """Quality mode: RESOLUTION_720 (Standard) or RESOLUTION_1080 (Pro, the default); sizes
    depend on it. Left out, a 720p size selects Standard."""
    width: int | None = None
    """Width in pixels; may be left out with height when a start frame sets the size."""
    height: int | None = None
    """Height in pixels; may be left out with width when a start frame sets the size."""
    audio: bool | None = None
    """Generate sound with the video (``motion_has_audio``)."""

    key = "leonardo/kling-3.0"
    display_name = "Kling 3.0"
    wire_model = "kling-3.0"
    seed_page = "004_7f86ff0e8d1fe9e1.txt"
    durations = tuple(range(3, 16))
    sizes = {"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}
    usd_per_job = {d: round(0.57 + (d - 3) * (2.83 - 0.57) / 12, 2) for d in range(3, 16)}
    max_references = 7
    fills_default_size = False
    input_aliases = {"motion_has_audio": "audio"}
    wire_names = {**LeonardoV2.wire_names, "audio": "motion_has_audio"}
    param_names = {"motion_has_audio": "audio"}
    summary = "3-15 s at 720p or 1080p, with audio and up to 7 reference images."

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """The mode from the size (a 720p size means Standard), then the mode's 16:9 size
        unless a start frame gives the size."""
        derived: dict[str, Any] = {}
        mode = values.get("mode")
        if "mode" in values and mode is None:
            size = (values.get("width"), values.get("height"))
            mode = derived["mode"] = "RESOLUTION_720" if size in SIZES_720 else "RESOLUTION_1080"
        if isinstance(mode, str) and mode in cls.sizes and not values.get("start_frame"):
            derived.update(default_size(values, cls.sizes[mode][0]))
        return derived

    @classmethod
    def reference_rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        if values.get("video_reference") is not None:
            return reference_problems(values, 4, " with a video reference")
        return reference_problems(values, cls.max_references)

    def _extra_parameters(self) -> dict[str, Any]:
        return {} if self.audio is None else {"motion_has_audio": self.audio}
