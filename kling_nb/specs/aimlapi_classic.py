"""The earlier Kling models on the AI/ML API: 1.0, 1.6 Pro, 2.0 and 2.1 Master.

Each is a text-to-video and an image-to-video id whose schemas differ in shape, not only in
fields: text-to-video takes ``camera_control`` as one of four preset names (and a separate
``advanced_camera_control`` along one axis), image-to-video takes it as an object ``{type,
config}`` with the motion brush (``static_mask``, ``dynamic_masks``). A spec holds the camera as
an object and writes it in the shape of the model it sends: a preset name on text-to-video.
Text-to-video needs a prompt; image-to-video may go without one.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from kling_nb.core.errors import Problem

from .aimlapi import (
    ASPECT_RATIOS,
    NAMED_MODEL,
    PRICE_NOTE,
    AimlUniversal,
    AspectRatio,
    CameraControl,
    DynamicMask,
    only_with_image,
    only_without_image,
)
from .docmodel import DocModel
from .inferred import Rule
from .types import AimlImage, Duration, HttpsUrl, OptionalText

CAMERA_PRESETS = ("down_back", "forward_up", "right_turn_forward", "left_turn_forward")
"""The camera moves a text-to-video schema takes (``camera_control`` is one of these names)."""


class AdvancedCamera(DocModel):
    """A camera move along one axis (text-to-video): which axis, and how far."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    movement_type: Literal["horizontal", "vertical", "pan", "tilt", "roll", "zoom"]
    """The axis: ``horizontal``, ``vertical``, ``pan``, ``tilt``, ``roll`` or ``zoom``."""
    movement_value: int = Field(ge=-10, le=10)
    """How far, -10 to 10."""

    def to_wire(self) -> dict[str, Any]:
        """The move as the API takes it."""
        return self.model_dump()


def camera_input(value: Any) -> Any:
    """A preset name (the text-to-video form) as the camera object it stands for."""
    return {"type": value} if isinstance(value, str) else value


def _prompt_for_text(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if "prompt" in v and not v.get("prompt") and spec.sent_kind(v) == "text":
        return [Problem(("prompt",), "is required. Or give an image_url: image-to-video may go "
                        "without a prompt.", allowed="a prompt, or an image_url to animate")]
    return []


PROMPT_FOR_TEXT = Rule("prompt-for-text", "text-to-video needs a prompt (image-to-video may "
                       "go without)", _prompt_for_text,
                       examples=({"prompt": None, "image_url": None},))


def _preset_on_text(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    camera = v.get("camera_control")
    if camera is None or spec.sent_kind(v) != "text":
        return []
    if camera.config is not None or camera.type not in CAMERA_PRESETS:
        return [Problem(("camera_control",), "on text-to-video is one of four preset moves "
                        f"(given: {camera.to_wire()}).",
                        allowed=", ".join(CAMERA_PRESETS) + "; a move along one axis is "
                        "advanced_camera_control, a simple config needs an image_url")]
    return []


PRESET_ON_TEXT = Rule(
    "camera-preset-on-text", "text-to-video takes camera_control as a preset name only",
    _preset_on_text, examples=(
        {"image_url": None, "camera_control": {"type": "simple", "config": {"zoom": 5}}},))


class AimlClassic(AimlUniversal):
    """An earlier Kling model on the AI/ML API: 5 or 10 s from a prompt or an image, with
    camera moves and (from an image) a motion brush."""

    prompt: OptionalText = Field(default=None, min_length=1)
    """Text describing the video (required without an image)."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video): an https URL, base64 data or a local file;
    the video takes its aspect ratio."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1 (text-to-video only)."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1."""
    camera_control: CameraControl | None = None
    """A camera move: a preset name (``down_back``, ``forward_up``, ``right_turn_forward``,
    ``left_turn_forward``), or with an image ``{"type": "simple", "config": {"zoom": 5}}``."""
    advanced_camera_control: AdvancedCamera | None = None
    """A camera move along one axis, ``{"movement_type": "zoom", "movement_value": 5}``
    (text-to-video only)."""
    static_mask: HttpsUrl = None
    """https URL of a mask image of the area that stays still (motion brush; with an image)."""
    dynamic_masks: list[DynamicMask] | None = Field(default=None, max_length=6)
    """Up to 6 motion brushes, each a mask and the path (2-77 points) it moves along (with
    an image)."""

    aspect_ratios = ASPECT_RATIOS
    price_note = PRICE_NOTE
    input_aliases: ClassVar[Mapping[str, str]] = {"start_frame": "image_url"}
    wire_fields: ClassVar[tuple[str, ...]] = (
        "prompt", "duration", "aspect_ratio", "negative_prompt", "cfg_scale", "camera_control",
        "advanced_camera_control", "static_mask", "dynamic_masks")
    checks: ClassVar[tuple[Rule, ...]] = (
        NAMED_MODEL, PROMPT_FOR_TEXT, only_with_image("static_mask", "dynamic_masks"),
        only_without_image("aspect_ratio", "advanced_camera_control"), PRESET_ON_TEXT)

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        """``camera_control="down_back"`` (the text-to-video form) as its camera object."""
        data = super().normalize_input(data)
        if "camera_control" in data:
            data["camera_control"] = camera_input(data["camera_control"])
        return data

    def to_wire(self) -> dict[str, Any]:
        """The body, the camera written in the shape of the model sent (a preset name on
        text-to-video)."""
        body = super().to_wire()
        camera = self.camera_control
        if camera is not None and "camera_control" in body \
                and self.sent_kind(self.values()) == "text":
            body["camera_control"] = camera.type
        return body
