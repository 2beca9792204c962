"""Kling 4.0 reference-to-video on the AI/ML API (``kling-video/v4/reference-to-video``).

The model page says what it makes: 3-30 s videos from up to 10 reference images and 7 elements
[documented]. Its schema is not readable (api-notes §10.1), so every field name is modelled on
the O1 and 3.0 reference rows - ``image_list``, ``elements``, ``duration``, ``aspect_ratio`` -
and is our reading: each warns once when used, and is sent. ``prompt`` is the one name every
AI/ML Kling schema shares; that it is required (as on O1 reference-to-video) is inferred too.
"""

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from kling_nb.core.errors import Problem
from kling_nb.specs.aimlapi import ELEMENT, PRICE_NOTE, AimlUniversal, Element
from kling_nb.specs.inferred import Rule
from kling_nb.specs.rules import URL
from kling_nb.specs.types import AimlImage, OptionalText, aiml_image_wire, int_like

PAGE = 'AI/ML API model page "Kling 4.0 reference-to-video" (api-notes §10.1)'
WIRE = "kling-video/v4/reference-to-video"
MODELLED = ("the model's schema is not readable (api-notes §10.1): the field name is "
            "modelled on the Kling O1 and 3.0 reference rows")
INFERRED_VALUES: dict[str, Any] = {
    "image_list": [URL], "elements": [ELEMENT], "duration": 10, "aspect_ratio": "21:9"}
"""A value of each inferred field, for the examples that use it."""


def _named(field: str) -> Rule:
    """The field's name is our reading: a request using it warns once, and is sent."""
    def check(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
        if v.get(field) not in (None, []):
            return [Problem((field,), f"the field name {field} is not confirmed for this "
                            "model.", allowed=f"{field}, as on the O1 and 3.0 reference rows")]
        return []

    return Rule(f"field-{field.replace('_', '-')}", f"{field} is the model's name for it",
                check, inferred=MODELLED, examples=({field: INFERRED_VALUES[field]},))


def _prompt_given(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if "prompt" in v and not v.get("prompt"):
        return [Problem(("prompt",), "Kling 4.0 reference-to-video may need a prompt.",
                        allowed="a prompt, as O1 reference-to-video requires")]
    return []


PROMPT_REQUIRED = Rule("prompt-required", "prompt is required", _prompt_given,
                       inferred="the schema is not readable (api-notes §10.1); O1 "
                                "reference-to-video requires a prompt",
                       examples=({"prompt": None},))
Seconds3to30 = Annotated[int, BeforeValidator(int_like), Field(ge=3, le=30, strict=True)]


class Kling40ReferenceAIML(AimlUniversal):
    """Kling 4.0 on the AI/ML API: 3-30 s from up to 10 reference images and 7 elements."""

    model: Literal["aimlapi/kling-4.0-reference"] = "aimlapi/kling-4.0-reference"
    """The model row: Kling 4.0 reference-to-video (``kling-video/v4/reference-to-video``)."""
    prompt: OptionalText = Field(default=None, min_length=1)
    """Text describing the video; ``@image1``.. may name the reference images."""
    image_list: list[AimlImage] | None = Field(default=None, min_length=1, max_length=10)
    """Up to 10 reference images (URLs, base64 data or local files)."""
    elements: list[Element] | None = Field(default=None, max_length=7)
    """Up to 7 characters or objects, each from 1-4 reference images."""
    duration: Seconds3to30 | None = None
    """Length of the video in whole seconds, 3 to 30 (left out: the API's default)."""
    aspect_ratio: Literal["16:9", "9:16", "1:1", "21:9"] | None = None
    """16:9, 9:16, 1:1 or 21:9 (left out: the API's default)."""

    key = "aimlapi/kling-4.0-reference"
    display_name = "Kling 4.0 Reference"
    documented_in = PAGE
    wire_model = WIRE
    variants = {"text": WIRE, "image": WIRE}
    durations = tuple(range(3, 31))
    aspect_ratios = ("16:9", "9:16", "1:1", "21:9")
    sound = "likely"
    price_note = PRICE_NOTE
    typical_job_seconds = (120.0, 300.0)
    input_aliases: ClassVar[Mapping[str, str]] = {"image_references": "image_list"}
    wire_fields = ("prompt", "duration", "aspect_ratio", "elements")
    checks = (PROMPT_REQUIRED, *(_named(f) for f in ("image_list", "elements", "duration",
                                                     "aspect_ratio")))
    example: ClassVar[Mapping[str, Any]] = {"prompt": "a red fox runs through snow"}
    summary = "3-30 s from up to 10 reference images and 7 elements (field names inferred)."

    def to_wire(self) -> dict[str, Any]:
        body = super().to_wire()
        if self.image_list:
            body["image_list"] = [aiml_image_wire(i, "image_list") for i in self.image_list]
        return body
