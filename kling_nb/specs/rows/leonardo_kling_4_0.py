"""Kling 4.0 on Leonardo v2 generations: 3-30 s, 21:9 at 1080p, stereo sound, up to 10 images.

Only the first part of Leonardo's guide is readable (api-notes §10.1): the v2 envelope, a sample
(10 s, 2520x1080, ``motion_has_audio: true``, a GENERATED start frame), ``duration`` 3 to 30
(default 5), at most one start and one end frame, at most 10 image references, images GENERATED
or UPLOADED. Those rules reject. Everything else is our reading and only warns: the sizes (3.0
Turbo's sets plus 21:9 2520x1080 and 1680x720), no ``mode`` (the size picks the tier), sound
always on, text-to-video without a start frame, frames and references together with at most 10
images in all, an end frame only after a start frame, ``@imageN`` tags, and 2500 characters of
prompt.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from kling_nb.core.errors import Problem
from kling_nb.specs.inferred import Rule
from kling_nb.specs.leonardo_v2 import LeonardoV2
from kling_nb.specs.refs import ImageFile, ImageRef, coerce_image
from kling_nb.specs.rules import (
    END_NEEDS_START,
    FRAME,
    IMAGE_TAGS,
    REFERENCE_COUNT,
    SIZES,
    references,
)
from kling_nb.specs.types import SIZES_720, SIZES_1080, LeonardoImage, int_like, not_blank

PAGE = 'Leonardo guide "Kling 4.0"'
UNREADABLE = "the Kling 4.0 guide is readable only in part (api-notes §10.1)"
MAX_IMAGES = 10
PROMPT_SOFT_LIMIT = 2500
WIDE_720, WIDE_1080 = (1680, 720), (2520, 1080)
"""The 21:9 sizes at 720p and 1080p."""


def _soft_prompt(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    prompt = v.get("prompt")
    if isinstance(prompt, str) and len(prompt) > PROMPT_SOFT_LIMIT:
        return [Problem(("prompt",), f"{len(prompt)} characters may be too long.",
                        given=len(prompt), allowed=f"at most {PROMPT_SOFT_LIMIT} characters")]
    return []


def _no_mode(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if v.get("mode") is not None:
        return [Problem(("mode",), "Kling 4.0 may take no mode: the size picks the tier.",
                        given=v["mode"], allowed="no mode; a 720p or 1080p size")]
    return []


def _sound_on(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if v.get("audio") is False:
        return [Problem(("audio",), "Kling 4.0 makes sound with every video: "
                        "motion_has_audio false may be ignored.", given=False,
                        allowed="audio on (the default)")]
    return []


def _text_to_video(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if "start_frame" in v and v.get("start_frame") is None:
        return [Problem(("start_frame",), "Kling 4.0 without a start frame (text-to-video) is "
                        "not shown on Leonardo's page.",
                        allowed="a start frame, as the guide's sample has")]
    return []


def _total_images(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    count = len(v.get("image_references") or []) + sum(
        1 for name in ("start_frame", "end_frame") if v.get(name) is not None)
    if count > MAX_IMAGES:
        return [Problem(("image_references",), f"{count} images in all (frames and references)"
                        " may be too many.", given=count,
                        allowed=f"at most {MAX_IMAGES} images, frames included")]
    return []


SIZES_INFERRED = replace(
    SIZES, inferred=f"{UNREADABLE}: its size list is not; these are Kling 3.0 Turbo's sizes "
    "and Kling 4.0's 21:9 sizes, 2520x1080 (the sample's) and 1680x720",
    examples=({"size": "1600x900"},))  # 16:9 like a frame, so only the size is off
NO_MODE = Rule("no-mode", "no mode: the size picks the tier", _no_mode,
               inferred=f"{UNREADABLE}; the sample sends no mode, and Kling 3.0 Turbo "
                        "deprecated it in favour of the size",
               examples=({"mode": "RESOLUTION_1080"},))
SOUND_ALWAYS = Rule("sound-always-on", "sound is always on", _sound_on,
                    inferred=f"{UNREADABLE}; Kling 4.0 makes stereo sound with every video "
                             "upstream, and the sample sends motion_has_audio true",
                    examples=({"audio": False},))
TEXT_TO_VIDEO = Rule("text-to-video", "a start frame (image-to-video, as the sample)",
                     _text_to_video,
                     inferred=f"{UNREADABLE}; Kling 4.0 makes videos from text upstream, but "
                              "the readable sample has a start frame",
                     examples=({"start_frame": None},))
TOTAL_IMAGES = Rule("total-images", "at most 10 images in all, frames and references together",
                    _total_images,
                    inferred=f"{UNREADABLE}; it writes no exclusivity between frames and "
                             "references (the 3.0 and O3 pages do), and Kling 4.0 takes at "
                             "most 10 images upstream",
                    examples=({"start_frame": FRAME, "image_references": references(10)},))
END_AFTER_START = replace(
    END_NEEDS_START, inferred=f"{UNREADABLE}; the Kling 3.0 and O3 guides state it, the "
    "readable rows of the 4.0 guide do not")
IMAGE_TAGS_4 = replace(
    IMAGE_TAGS, source=None, inferred=f"{UNREADABLE}; the Kling O1 guide names references "
    "@image1, @image2... in order, and Kling 4.0's references are assumed to follow it")
PROMPT_LIMIT = Rule("prompt-length", f"a prompt of at most {PROMPT_SOFT_LIMIT} characters",
                    _soft_prompt,
                    inferred=f"{UNREADABLE}: it gives no prompt limit; {PROMPT_SOFT_LIMIT} is "
                             "Kling 3.0 Turbo's",
                    examples=({"prompt": "x" * (PROMPT_SOFT_LIMIT + 1)},))

Seconds3to30 = Annotated[int, BeforeValidator(int_like), Field(ge=3, le=30, strict=True)]


class Kling40(LeonardoV2):
    """Kling 4.0 on Leonardo (v2): 3-30 s, 21:9 at 1080p, stereo sound, up to 10 images."""

    model: Literal["leonardo/kling-4.0"] = "leonardo/kling-4.0"
    """The model row: Kling 4.0 on Leonardo (wire value ``kling-4.0``)."""
    prompt: Annotated[str, Field(min_length=1), AfterValidator(not_blank)]
    """Text describing the video (required; about 2500 characters at most, a limit we infer);
    ``@image1``.. name the image references."""
    duration: Seconds3to30 = 5  # type: ignore[assignment]  # 4.0 takes 3 to 30 s
    """Length of the video in whole seconds: 3 to 30."""
    width: int | None = None
    """Width in pixels: a 720p or 1080p size, 21:9 included (2520x1080, 1680x720)."""
    height: int | None = None
    """Height in pixels (see width)."""
    mode: Literal["RESOLUTION_720", "RESOLUTION_1080"] | None = None
    """Resolution mode: best left out (the size picks the tier); sent when given."""
    audio: bool | None = None
    """Sound (``motion_has_audio``): on, in stereo; always sent (default on)."""
    start_frame: LeonardoImage | None = None
    """The first frame: an uploaded or generated image, a local file or an https URL."""
    end_frame: LeonardoImage | None = None
    """The last frame."""
    image_references: list[Annotated[ImageRef | ImageFile, BeforeValidator(coerce_image)]] = (
        Field(default_factory=list)
    )
    """Up to 10 reference images, named ``@image1``, ``@image2``... in the prompt."""

    key = "leonardo/kling-4.0"
    display_name = "Kling 4.0"
    documented_in = PAGE + " (api-notes §10.1)"
    wire_model = "kling-4.0"
    durations = tuple(range(3, 31))
    sizes: ClassVar[Mapping[str, tuple[tuple[int, int], ...]]] = {
        "RESOLUTION_720": (*SIZES_720, WIDE_720), "RESOLUTION_1080": (*SIZES_1080, WIDE_1080)}
    max_references = 10
    audio_default = True
    sound = "always (stereo)"
    price_note = "not published"
    typical_job_seconds = (120.0, 300.0)
    input_aliases: ClassVar[Mapping[str, str]] = {"motion_has_audio": "audio"}
    wire_names: ClassVar[Mapping[str, str]] = {
        **LeonardoV2.wire_names, "audio": "motion_has_audio"}
    checks = (SIZES_INFERRED, REFERENCE_COUNT, NO_MODE, SOUND_ALWAYS, TEXT_TO_VIDEO,
              TOTAL_IMAGES, END_AFTER_START, IMAGE_TAGS_4, PROMPT_LIMIT)
    example: ClassVar[Mapping[str, Any]] = {
        "prompt": "a red fox runs through snow",
        "start_frame": "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"}
    summary = ("3-30 s, 21:9 at 1080p, stereo sound; start and end frames and up to 10 "
               "reference images together.")

    def _parameters(self) -> dict[str, Any]:
        params = super()._parameters()
        if self.mode is not None:  # not offered, but sent as given (an inferred rule warns)
            params["mode"] = self.mode
        return params
