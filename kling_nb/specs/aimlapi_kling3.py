"""Kling 3.0 on the AI/ML API: Standard and Pro, and the Turbo pair, with multi-shot storyboards.

3.0 Standard/Pro take ``multi_prompt`` as a list of prompts; Turbo takes 1-6 shots, each with
its prompt and duration. Exactly one of ``prompt`` and ``multi_prompt`` is given.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from kling_nb.core.errors import Problem

from .aimlapi import (
    ASPECT_RATIOS,
    ELEMENTS,
    NAMED_MODEL,
    PRICE_NOTE,
    AimlUniversal,
    AspectRatio,
    Element,
    Seconds,
    Upstream,
    only_with_image,
    only_without_image,
)
from .docmodel import DocModel
from .inferred import Rule
from .rules import URL
from .types import AimlImage, OptionalText, Text, int_like

MAX_SHOTS = 6


class Shot(DocModel):
    """One shot of a storyboard: what happens, and for how long."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    prompt: Text = Field(min_length=1, max_length=3072)
    """What happens in this shot (at most 3072 characters)."""
    duration: int | None = Field(default=None, ge=1, le=15)
    """Seconds, 1 to 15 (the API's default: 5)."""

    def to_wire(self) -> dict[str, Any]:
        """The shot as the API takes it."""
        return self.model_dump(exclude_none=True)


def _prompt_or_shots(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    prompt, shots = v.get("prompt"), v.get("multi_prompt")
    if prompt and shots:
        return [Problem(("prompt", "multi_prompt"), "give a prompt or a multi-shot storyboard, "
                        "not both.", allowed="either prompt or multi_prompt")]
    if "prompt" in v and "multi_prompt" in v and not prompt and not shots:
        return [Problem(("prompt",), "is required. Or give multi_prompt (a storyboard) instead.",
                        allowed="a prompt, or a multi_prompt storyboard")]
    return []


def _shot_count(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    shots = v.get("multi_prompt")
    if shots is not None and not 1 <= len(shots) <= MAX_SHOTS:
        return [Problem(("multi_prompt",), f"{len(shots)} shots.", given=len(shots),
                        allowed=f"1 to {MAX_SHOTS} shots")]
    return []


def _shots_add_up(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    shots, total = v.get("multi_prompt") or [], v.get("duration")
    lengths = [s.duration or 5 for s in shots if isinstance(s, Shot)]
    if lengths and isinstance(total, int) and sum(lengths) != total:
        return [Problem(("multi_prompt",), f"the shots last {sum(lengths)} s but the video "
                        f"{total} s.", allowed="shot durations that add up to duration")]
    return []


SEVEN_SHOTS = {"prompt": None, "multi_prompt": [f"shot {n}" for n in range(1, 8)]}
PROMPT_OR_SHOTS = Rule("prompt-or-multi-prompt", "exactly one of prompt and multi_prompt",
                       _prompt_or_shots, examples=({"multi_prompt": ["a"]},))
SHOT_COUNT_TURBO = Rule("shot-count", "1 to 6 shots", _shot_count, examples=(SEVEN_SHOTS,))
SHOT_COUNT = Rule("shot-count", "1 to 6 shots", _shot_count,
                  inferred="the 3.0 Standard/Pro schema sets no limit; 1-6 is the Turbo schema's "
                           "and Kling's own limit", examples=(SEVEN_SHOTS,))
SHOTS_ADD_UP = Rule("shots-add-up", "shot durations add up to the video's duration",
                    _shots_add_up, inferred="the AI/ML docs never say so; Kling's own "
                    "multi-shot docs do", examples=(
                        {"prompt": None, "multi_prompt": [{"prompt": "a", "duration": 2}],
                         "duration": 5},))


def _tail_and_audio(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    if v.get("tail_image_url") is not None and v.get("generate_audio") is not False:
        return [Problem(("tail_image_url",), "is not taken together with sound "
                        "(generate_audio, on unless set to False).",
                        allowed="generate_audio=False together with tail_image_url")]
    return []


TAIL_AND_AUDIO = Rule(
    "end-frame-without-audio", "an end frame needs generate_audio off", _tail_and_audio,
    inferred="stated only for the sibling Kling 3.0 Omni model, whose end frame is refused "
             "with sound on", examples=({"image_url": URL, "tail_image_url": URL},))
ASPECT_TEXT_ONLY = only_without_image("aspect_ratio")
ASPECT_WITH_IMAGE = replace(
    ASPECT_TEXT_ONLY, name="aspect-ratio-with-image",
    inferred="the image-to-video schema does not list aspect_ratio (the video follows the "
             "image), yet the page's own Python example sends it with an image; the API may "
             "take it or ignore it")


class AimlKling30(AimlUniversal):
    """Kling 3.0 Standard or Pro on the AI/ML API: 3-15 s, storyboards, elements, sound."""

    prompt: OptionalText = Field(default=None, min_length=1)
    """Text describing the video (or give multi_prompt instead)."""
    multi_prompt: list[Text] | None = None
    """A multi-shot storyboard: one prompt per shot (instead of prompt)."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video): an https URL, base64 data or a local file."""
    tail_image_url: AimlImage | None = None
    """The last frame (image-to-video only)."""
    duration: Seconds = 5
    """Length of the video in whole seconds: 3 to 15."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1 (text-to-video only)."""
    shot_type: Literal["customize", "intelligent"] | None = None
    """How shots are cut: ``customize`` (as the storyboard says) or ``intelligent``."""
    generate_audio: bool | None = None
    """Generate sound with the video (the API's default, on, is always sent explicitly)."""
    negative_prompt: OptionalText = None
    """What to keep out of the video."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1."""
    elements: list[Element] | None = Field(default=None, max_length=4)
    """Up to 4 characters or objects, each from reference images (image-to-video only)."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    durations = tuple(range(3, 16))
    aspect_ratios = ASPECT_RATIOS
    audio_default = True
    sound = "on by default"
    price_note = PRICE_NOTE
    input_aliases: ClassVar[Mapping[str, str]] = {
        "start_frame": "image_url", "end_frame": "tail_image_url",
        # the pages' examples write the end frame last_image_url; the schemas tail_image_url
        "last_image_url": "tail_image_url", "audio": "generate_audio", "shots": "multi_prompt",
        "provider": "upstream"}
    image_fields = ("image_url", "tail_image_url")
    wire_fields = ("prompt", "multi_prompt", "duration", "aspect_ratio", "shot_type",
                   "negative_prompt", "cfg_scale", "elements", "upstream")
    checks: ClassVar[tuple[Rule, ...]] = (
        NAMED_MODEL, PROMPT_OR_SHOTS, SHOT_COUNT, only_with_image("tail_image_url", "elements"),
        ASPECT_TEXT_ONLY, ELEMENTS, TAIL_AND_AUDIO)


class AimlKling30Turbo(AimlUniversal):
    """Kling 3.0 Turbo on the AI/ML API: 3-15 s, storyboards of 1-6 timed shots."""

    prompt: OptionalText = Field(default=None, min_length=1, max_length=3072)
    """Text describing the video, at most 3072 characters (or give multi_prompt instead)."""
    multi_prompt: list[Shot] | None = None
    """A multi-shot storyboard: 1 to 6 shots, each with its prompt and duration."""
    image_url: AimlImage | None = None
    """The first frame (makes it image-to-video; the video follows its aspect ratio)."""
    duration: Seconds = 5
    """Length of the video in whole seconds: 3 to 15 (a storyboard's shots add up to it)."""
    aspect_ratio: AspectRatio | None = None
    """16:9 (the default), 9:16 or 1:1 (text-to-video only)."""

    durations = tuple(range(3, 16))
    aspect_ratios = ASPECT_RATIOS
    price_note = PRICE_NOTE
    input_aliases: ClassVar[Mapping[str, str]] = {
        "start_frame": "image_url", "shots": "multi_prompt"}
    wire_fields = ("prompt", "multi_prompt", "duration", "aspect_ratio")
    checks = (NAMED_MODEL, PROMPT_OR_SHOTS, SHOT_COUNT_TURBO, only_without_image("aspect_ratio"),
              SHOTS_ADD_UP)

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Plain strings become shots; a storyboard's total is the video's length unless
        a duration is given."""
        data = super().normalize_input(data)
        shots = data.get("multi_prompt")
        if isinstance(shots, list):
            shots = data["multi_prompt"] = [
                {"prompt": s} if isinstance(s, str) else s for s in shots]
            lengths = [_shot_seconds(s) for s in shots]
            if "duration" not in data and lengths and None not in lengths:
                data["duration"] = sum(lengths)
        return data


def _shot_seconds(shot: Any) -> int | None:
    value = shot.duration if isinstance(shot, Shot) else (
        shot.get("duration") if isinstance(shot, Mapping) else None)
    value = int_like(value)
    return value if isinstance(value, int) else None


OMNI_TAIL_AND_AUDIO = TAIL_AND_AUDIO.cited(
    "aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
    "v3-omni-720p-image-to-video.json, v3-omni-1080p-image-to-video.json: tail_image_url is "
    '"not supported when generate_audio is enabled"')


class AimlKling30Omni(AimlKling30):
    """Kling 3.0 Omni on the AI/ML API: as 3.0 Standard/Pro, at 720p or 1080p by model id;
    its schemas add the shot type ``intelligence`` and refuse an end frame with sound."""

    # the Omni schemas add a third value to the field 3.0 Standard/Pro declare
    shot_type: Literal["customize", "intelligent", "intelligence"] | None = None  # type: ignore[assignment]
    """How shots are cut: ``customize`` (as the storyboard says), ``intelligent`` or
    ``intelligence`` (both in the Omni schemas, neither explained)."""

    checks: ClassVar[tuple[Rule, ...]] = tuple(
        OMNI_TAIL_AND_AUDIO if rule is TAIL_AND_AUDIO else rule for rule in AimlKling30.checks)
