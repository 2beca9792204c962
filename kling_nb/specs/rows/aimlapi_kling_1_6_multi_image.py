"""Kling 1.6 Standard multi-image-to-video on the AI/ML API: one video from 2 to 4 images."""

from typing import Literal

from pydantic import Field

from kling_nb.specs.aimlapi import (
    ASPECT_RATIOS,
    PRICE_NOTE,
    AimlUniversal,
    AspectRatio,
    schemas,
)
from kling_nb.specs.types import AimlImage, Duration, OptionalText


class Kling16MultiImageAIML(AimlUniversal):
    """Kling 1.6 Standard on the AI/ML API: a 5 or 10 s video made from 2 to 4 images."""

    model: Literal["aimlapi/kling-1.6-multi-image"] = "aimlapi/kling-1.6-multi-image"
    """The model row: Kling 1.6 Standard multi-image-to-video
    (``kling-video/v1.6/standard/multi-image-to-video``)."""
    image_list: list[AimlImage] = Field(min_length=2, max_length=4)
    """2 to 4 images the video is made from (https URLs, base64 data or local files)."""
    prompt: OptionalText = Field(default=None, min_length=1)
    """Text describing the scene, subject or action of the video."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1."""

    key = "aimlapi/kling-1.6-multi-image"
    display_name = "Kling 1.6 Standard Multi-Image"
    documented_in = schemas("v1.6-standard-multi-image-to-video")
    wire_model = "kling-video/v1.6/standard/multi-image-to-video"
    variants = {"image": wire_model}
    aspect_ratios = ASPECT_RATIOS
    max_references = 4
    # the page's JavaScript example writes image_urls; the schema (and its Python) image_list
    input_aliases = {"image_urls": "image_list", "images": "image_list",
                     "image_references": "image_list"}
    image_fields = ("image_list",)
    wire_fields = ("prompt", "negative_prompt", "duration", "aspect_ratio")
    price_note = PRICE_NOTE
    example = {"prompt": "a ballerina dances in a meadow",
               "image_list": ["https://example.com/dancer.png", "https://example.com/tent.png"]}
    summary = "One 5 or 10 s video from 2 to 4 images (people, objects, places) and a prompt."
