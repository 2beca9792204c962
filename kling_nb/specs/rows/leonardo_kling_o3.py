"""Kling O3 on Leonardo v2 generations: text, frames, image references, and video editing.

Sizes, modes and guidances as Kling 3.0, plus ``video_reference_base``: the video to edit (at
most 10 s of output then, and at most 4 image references). The edit's length defaults to the
source's, when the source is known (a result), at most 10 s.
"""

from collections.abc import Mapping
from typing import Any, Literal

from kling_nb.core.errors import Problem
from kling_nb.specs.inferred import Rule
from kling_nb.specs.leonardo_v2 import Kling3Family, Seconds3to15
from kling_nb.specs.rules import (
    END_NEEDS_START,
    FRAME,
    IMAGE_TAGS_INFERRED,
    REFERENCE_COUNT,
    REFERENCES_EXCLUDE_FRAMES,
    SIZES,
    SOURCE,
)

EDIT_MAX_SECONDS = 10


def _edit_length(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    duration = v.get("duration")
    if v.get("video_reference") is not None and isinstance(duration, int) and (
            duration > EDIT_MAX_SECONDS):
        return [Problem(("duration",), f"{duration} s is too long when editing a video.",
                        given=duration, allowed=f"at most {EDIT_MAX_SECONDS} seconds with a "
                        "video reference")]
    return []


def _edit_without_frames(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if v.get("video_reference") is not None and (
            v.get("start_frame") is not None or v.get("end_frame") is not None):
        return [Problem(("video_reference",), "a video to edit cannot be combined with a start "
                        "or end frame.", allowed="video_reference (with image references), or "
                        "start_frame/end_frame")]
    return []


def _source_video(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    video = v.get("video_reference")
    if video is None:
        return []
    problems = []
    if video.seconds is not None and not 3 <= video.seconds <= 10:
        problems.append(Problem(("video_reference",), f"the video to edit is {video.seconds} s "
                                "long.", allowed="a source video of 3 to 10 seconds"))
    if video.width and video.height and (min(video.width, video.height) < 720
                                         or video.width > 2160):
        problems.append(Problem(("video_reference",), f"the video to edit is {video.width}x"
                                f"{video.height}.", allowed="at least 720 px, at most 2160 px "
                                "wide"))
    return problems


EDIT_LENGTH = Rule("edit-duration", "at most 10 s of output with a video reference",
                   _edit_length, examples=({"video_reference": SOURCE, "duration": 12},))
EDIT_WITHOUT_FRAMES = Rule(
    "edit-without-frames", "video_reference_base only when no start_frame or end_frame",
    _edit_without_frames, examples=({"start_frame": FRAME, "video_reference": SOURCE},))
SOURCE_VIDEO = Rule(
    "source-video", "the video to edit is 3-10 s long, at least 720 px, at most 2160 px wide",
    _source_video, inferred="Leonardo states these limits for Kling O1's video reference only",
    examples=({"video_reference": {**SOURCE, "seconds": 12, "width": 1920, "height": 1080},
               "duration": 10},))


class KlingO3(Kling3Family):
    """Kling O3 on Leonardo (v2): text, frames, references, and editing a generated video."""

    model: Literal["leonardo/kling-o3"] = "leonardo/kling-o3"
    """The model row: Kling O3 on Leonardo (wire value ``kling-video-o-3``)."""
    duration: Seconds3to15 | None = None  # type: ignore[assignment]
    """Length in whole seconds, 3 to 15 (at most 10 when editing; an edit defaults to the
    source's length, otherwise 5)."""

    key = "leonardo/kling-o3"
    display_name = "Kling O3"
    documented_in = ('Leonardo guide "Kling O3" and recipe "Edit with Kling O3 using Video '
                     'Reference"')
    wire_model = "kling-video-o-3"
    price_note = "not published"
    checks = (SIZES, END_NEEDS_START, REFERENCES_EXCLUDE_FRAMES, EDIT_WITHOUT_FRAMES,
              REFERENCE_COUNT, EDIT_LENGTH, SOURCE_VIDEO, IMAGE_TAGS_INFERRED)
    summary = "Text, start/end frames, up to 7 references, or editing a generated video."

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        derived = super().derive(values)
        if "duration" in values and values["duration"] is None:
            video = values.get("video_reference")
            seconds = video.seconds if video is not None and video.seconds else 5
            derived["duration"] = max(3, min(seconds, EDIT_MAX_SECONDS))
        return derived
