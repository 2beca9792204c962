"""Kling 3.0 Turbo on Leonardo v2 generations: 3-15 s, the size picks the tier, sound by default.

``mode`` is deprecated for Turbo (the size decides the tier) and is never sent; the audio flag
defaults to true and is always sent; ``quantity`` is fixed at one.
"""

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from kling_nb.core.errors import Problem
from kling_nb.specs.inferred import Rule
from kling_nb.specs.leonardo_v2 import LeonardoV2, Seconds3to15
from kling_nb.specs.rules import SIZES, default_size
from kling_nb.specs.types import SIZES_720, SIZES_1080, LeonardoImage, not_blank

AUTO = (0, 0)


def _auto_needs_start(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if (v.get("width"), v.get("height")) == AUTO and v.get("start_frame") is None:
        return [Problem(("width", "height"), "auto (sent as 0x0) takes the size from the start "
                        "frame, and there is none.", given="auto",
                        allowed="a start frame, or a size such as 1920x1080")]
    return []


def _text_only(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if "start_frame" in v and v.get("start_frame") is None:
        return [Problem(("start_frame",), "Kling 3.0 Turbo without a start frame "
                        "(text-to-video) is not documented by Leonardo.",
                        allowed="a start frame, for the documented image-to-video")]
    return []


AUTO_NEEDS_START = Rule(
    "auto-size-needs-start-frame", "size auto (sent as 0x0) only with a start frame",
    _auto_needs_start,
    inferred="the size table lists Auto without a condition; a model-picked size can only "
             "follow an input image", examples=({"start_frame": None, "size": "0x0"},))
TEXT_ONLY = Rule(
    "turbo-text-to-video", "Turbo takes a start frame", _text_only,
    inferred="the guide never marks start_frame as required, and Kling 3.0 Turbo makes videos "
             "from text elsewhere, but only image-to-video is shown",
    examples=({"start_frame": None, "size": "1280x720"},))


class Kling30Turbo(LeonardoV2):
    """Kling 3.0 Turbo on Leonardo (v2): 3-15 s, 720p or 1080p by size, sound by default."""

    model: Literal["leonardo/kling-3.0-turbo"] = "leonardo/kling-3.0-turbo"
    """The model row: Kling 3.0 Turbo on Leonardo (wire value ``kling-3.0-turbo``)."""
    prompt: Annotated[str, Field(min_length=1, max_length=2500), AfterValidator(not_blank)]
    """Text describing the video (at most 2500 characters; required)."""
    duration: Seconds3to15 = 5  # type: ignore[assignment]
    """Length of the video in whole seconds: 3 to 15."""
    width: int | None = None
    """Width in pixels: a 720p size (Standard) or a 1080p size (Pro), or 0 with height 0
    (Auto: follows the start frame)."""
    height: int | None = None
    """Height in pixels (see width)."""
    start_frame: LeonardoImage | None = None
    """The first frame: an uploaded or generated image id, a local file or an https URL."""
    audio: bool | None = None
    """Generate sound with the video (``motion_has_audio``; Leonardo's default: on)."""

    key = "leonardo/kling-3.0-turbo"
    display_name = "Kling 3.0 Turbo"
    documented_in = 'Leonardo guide "Kling 3.0 Turbo"'
    wire_model = "kling-3.0-turbo"
    durations = tuple(range(3, 16))
    sizes = {"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080, "AUTO": (AUTO,)}
    audio_default = True
    sound = "on by default"
    fills_default_size = False
    price_note = "not published"
    input_aliases = {"motion_has_audio": "audio"}
    wire_names = {**LeonardoV2.wire_names, "audio": "motion_has_audio"}
    checks = (SIZES, AUTO_NEEDS_START, TEXT_ONLY)
    example = {"prompt": "a red fox runs through snow",
               "start_frame": "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"}
    summary = "3-15 s from a start frame, 720p or 1080p by size, with sound (no published price)."

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """No size given: 0x0 (Auto, the documented way to follow the start frame) with a
        start frame, else 1920x1080."""
        return default_size(values, AUTO if values.get("start_frame") else (1920, 1080))
