"""Kling O1 on the AI/ML API: image-to-video, reference-to-video, and two video-to-video tasks.

O1 takes a required prompt (at most 2500 characters) and never makes sound. Elements on O1 need
their frontal image. The end frame is ``last_image_url`` here (``tail_image_url`` on 3.0).
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from kling_nb.core.errors import Problem

from .aimlapi import (
    ASPECT_RATIOS,
    ELEMENTS,
    NAMED_MODEL,
    PRICE_NOTE,
    AimlUniversal,
    AspectRatio,
    Element,
    Upstream,
    VideoUrl,
    only_with_image,
    only_without_image,
)
from .inferred import Rule
from .types import AimlImage, Duration, Text, aiml_image_wire


def _frontal_required(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    missing = [n for n, e in enumerate(v.get("elements") or [], 1) if e.frontal_image_url is None]
    return [Problem(("elements",), f"element {n} has no frontal image.",
                    allowed="frontal_image_url on every element (Kling O1)") for n in missing]


FRONTAL_REQUIRED = Rule("frontal-image-required", "each element has a frontal_image_url",
                        _frontal_required, examples=({"elements": [
                            {"reference_image_urls": ["https://example.com/frame.png"]}]},))


class AimlO1(AimlUniversal):
    """What every O1 task takes: a prompt, image references and elements."""

    prompt: Text = Field(min_length=1, max_length=2500)
    """Text describing the video (required, at most 2500 characters)."""
    image_list: list[AimlImage] | None = Field(default=None, min_length=1, max_length=7)
    """1 to 7 reference images (URLs, base64 data or local files)."""
    elements: list[Element] | None = Field(default=None, max_length=4)
    """Up to 4 characters or objects, each with a frontal image and reference images."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    sound = "none"
    price_note = PRICE_NOTE
    image_fields: ClassVar[tuple[str, ...]] = ("image_url", "last_image_url")
    checks: ClassVar[tuple[Rule, ...]] = (ELEMENTS, FRONTAL_REQUIRED)

    def to_wire(self) -> dict[str, Any]:
        body = super().to_wire()
        if self.image_list:
            body["image_list"] = [aiml_image_wire(i, "image_list") for i in self.image_list]
        return body


class KlingO1AIMLBase(AimlO1):
    """O1 from a prompt and images: image-to-video with a first frame, else reference-to-video."""

    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video)."""
    last_image_url: AimlImage | None = None
    """The last frame (image-to-video only)."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1 (reference-to-video only)."""

    aspect_ratios = ASPECT_RATIOS
    # tail_image_url (3.0's end frame) is no O1 key: no O1 schema or page writes it, so it is
    # refused as an unknown field rather than quietly sent as last_image_url
    input_aliases: ClassVar[Mapping[str, str]] = {
        "start_frame": "image_url", "end_frame": "last_image_url",
        "image_references": "image_list", "provider": "upstream"}
    wire_fields = ("prompt", "duration", "aspect_ratio", "elements", "upstream")
    checks = (NAMED_MODEL, ELEMENTS, FRONTAL_REQUIRED, only_with_image("last_image_url"),
              only_without_image("aspect_ratio", "image_list", "elements"))


class KlingO1VideoBase(AimlO1):
    """O1 from a video: edit it, or use it as a reference."""

    video_url: VideoUrl
    """The source video: an https URL, a data: URI, or a finished result."""
    keep_audio: bool | None = None
    """Keep the source video's sound (the API's default: no)."""

    image_fields = ()
    example: ClassVar[Mapping[str, Any]] = {
        "prompt": "make it snow", "video_url": "https://example.com/source.mp4"}
    input_aliases: ClassVar[Mapping[str, str]] = {
        "video": "video_url", "video_reference": "video_url", "image_references": "image_list",
        "provider": "upstream"}
