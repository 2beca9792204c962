"""The AI/ML API's field checks, with its validator's messages (api-notes §9.5), as data.

A check is a small object called with ``(value, path)`` that raises ``WireError`` on a bad
value. ``FIELDS`` gives every field its usual check; an entry (or one of its wire ids) gives a
field another one where its schema differs (``Images(1, 4)``, ``Shots(timed=True)``,
``Elements(frontal=True)``, ``Choice(...)``). The fields whose value the order needs
(``image_url``, ``video_url``) are read in ``_wire_aiml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._wire import WireError, image_url, is_url

ASPECTS = ("16:9", "9:16", "1:1")
SHOT_TYPES = ("customize", "intelligent")
ORIENTATIONS = ("image", "video")
"""``character_orientation`` of the motion-control schemas."""
MOTION_MODES = ("std", "pro")
"""``mode`` of the motion-control schemas."""
PROVIDERS = ("auto", "kling", "klingai", "fal")
"""``provider`` values (case-insensitive); absent from 2.1 Pro and Turbo (api-notes §9.4)."""
SHOT_PROMPT_MAX = 3072
DATA_VIDEO = re.compile(r"^data:video/[\w.+-]+;base64,(.*)$", re.DOTALL)
DATA_AUDIO = re.compile(r"^data:audio/[\w.+-]+;base64,(.*)$", re.DOTALL)
CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
CAMERA_PRESETS = CAMERA_TYPES[1:]
"""``camera_control`` on a text-to-video schema (1.0, 1.6 Pro, 2.0/2.1 Master): one of these
names, a string (the image-to-video schemas take the ``{type, config}`` object)."""
CAMERA_AXES = frozenset({"horizontal", "vertical", "pan", "tilt", "roll", "zoom"})
EFFECT_SCENES = (
    "magic_fireball", "pet_moto_rider", "media_interview", "pet_lion", "pet_delivery",
    "pet_chef", "santa_gifts", "santa_hug", "girlfriend", "boyfriend", "heart_gesture_1",
    "pet_wizard", "smoke_smoke", "thumbs_up", "instant_kid", "dollar_rain", "cry_cry",
    "building_collapse", "gun_shot", "mushroom", "double_gun", "pet_warrior", "lightning_power",
    "jesus_hug", "shark_alert", "long_hair", "lie_flat", "polar_bear_hug", "brown_bear_hug",
    "jazz_jazz", "office_escape_plow", "fly_fly", "watermelon_bomb", "pet_dance", "boss_coming",
    "wool_curly", "iron_warrior", "pet_bee", "marry_me", "swing_swing", "day_to_night",
    "piggy_morph", "wig_out", "car_explosion", "ski_ski", "tiger_hug", "siblings",
    "construction_worker", "let's_ride", "snatched", "magic_broom", "felt_felt", "jumpdrop",
    "celebration", "splashsplash", "hula", "surfsurf", "fairy_wing", "angel_wing", "dark_wing",
    "skateskate", "plushcut", "jelly_press", "jelly_slice", "jelly_squish", "jelly_jiggle",
    "pixelpixel", "yearbook", "instant_film", "anime_figure", "rocketrocket", "bloombloom",
    "dizzydizzy", "fuzzyfuzzy", "squish", "expansion", "hug", "kiss", "heart_gesture", "fight")
"""``effect_scene`` of the 1.6 effects schemas (80 scenes; the pages describe five)."""

Check = Callable[[Any, str], None]


def fail(path: str, message: str) -> WireError:
    """An AI/ML validation error about the field at ``path`` ("$.duration")."""
    return WireError(f"{path.removeprefix('$.')} {message}", path=path)


def no_extra(value: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    """The validator's whitelist: ``property X should not exist``."""
    for key in value:
        if key not in allowed:
            raise WireError(f"property {path.removeprefix('$.')}.{key} should not exist"
                            if path != "$" else f"property {key} should not exist",
                            path=f"{path}.{key}")


def as_object(value: object, path: str) -> dict[str, Any]:
    """``value`` when it is an object."""
    if not isinstance(value, dict):
        raise fail(path, "must be an object")
    return value


def as_list(value: object, path: str, low: int, high: int | None) -> list[Any]:
    """``value`` when it is an array of ``low`` to ``high`` items."""
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    if len(value) < low:
        raise fail(path, f"must contain at least {low} elements")
    if high is not None and len(value) > high:
        raise fail(path, f"must contain no more than {high} elements")
    return value


def whole(value: object) -> int | None:
    """An integer, or a string of digits ("5"), as an int; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class Text:
    """A string; ``max`` characters at most; ``empty``: may it be ""."""

    max: int | None = None
    empty: bool = True

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, str):
            raise fail(path, "must be a string")
        if not value and not self.empty:
            raise fail(path, "should not be empty")
        if self.max is not None and len(value) > self.max:
            raise fail(path, f"must be shorter than or equal to {self.max} characters")


@dataclass(frozen=True)
class Flag:
    """A boolean."""

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, bool):
            raise fail(path, "must be a boolean value")


@dataclass(frozen=True)
class Choice:
    """One of ``values`` (``fold_case``: in any case)."""

    values: tuple[str, ...]
    fold_case: bool = False

    def __call__(self, value: object, path: str) -> None:
        given = value.lower() if self.fold_case and isinstance(value, str) else value
        if given not in self.values:
            raise fail(path, f"must be one of the following values: {', '.join(self.values)}")


@dataclass(frozen=True)
class Seconds:
    """A whole number of seconds from ``values`` (an integer, or a string of digits)."""

    values: tuple[int, ...]

    def __call__(self, value: object, path: str) -> None:
        if whole(value) not in self.values:
            raise fail(path, "must be one of the following values: "
                       + ", ".join(map(str, self.values)))


@dataclass(frozen=True)
class Number:
    """A number from ``low`` to ``high``."""

    low: float
    high: float

    def __call__(self, value: object, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(path, "must be a number")
        if not self.low <= value <= self.high:
            raise fail(path, f"must not be greater than {self.high:g} or less than {self.low:g}")


@dataclass(frozen=True)
class Url:
    """An https URL (http on the sandbox's own loopback server)."""

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, str) or not is_url(value):
            raise fail(path, "must be a URL address")


@dataclass(frozen=True)
class Image:
    """An image: an https URL or base64 image data."""

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, str):
            raise fail(path, "must be a string")
        image_url(value, path)


@dataclass(frozen=True)
class Images:
    """``low`` to ``high`` images (None: no upper bound; ``single``: one image alone is taken
    too)."""

    low: int = 1
    high: int | None = 7
    single: bool = False

    def __call__(self, value: object, path: str) -> None:
        if self.single and isinstance(value, str):
            Image()(value, path)
            return
        for index, item in enumerate(as_list(value, path, self.low, self.high)):
            Image()(item, f"{path}[{index}]")


@dataclass(frozen=True)
class Video:
    """A video: an https URL or a base64 ``data:video/...`` URI."""

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, str) or not (is_url(value) or DATA_VIDEO.match(value)):
            raise fail(path, "must be an https URL or a base64 data: URI of a video")


@dataclass(frozen=True)
class Audio:
    """A sound clip: an https URL or a base64 ``data:audio/...`` URI."""

    def __call__(self, value: object, path: str) -> None:
        if not isinstance(value, str) or not (is_url(value) or DATA_AUDIO.match(value)):
            raise fail(path, "must be an https URL or a base64 data: URI of an audio file")


@dataclass(frozen=True)
class Shots:
    """A storyboard: prompts (3.0 Standard/Pro), or 1-``most`` timed shots (``timed``:
    ``{prompt, duration}`` objects, 3.0 Turbo)."""

    timed: bool = False
    most: int = 6

    def __call__(self, value: object, path: str) -> None:
        if not self.timed:
            for index, item in enumerate(as_list(value, path, 1, None)):
                if not isinstance(item, str) or not item:
                    raise fail(f"{path}[{index}]", "must be a non-empty string")
            return
        for index, item in enumerate(as_list(value, path, 1, self.most)):
            where = f"{path}[{index}]"
            shot = as_object(item, where)
            no_extra(shot, frozenset({"prompt", "duration"}), where)
            if not isinstance(shot.get("prompt"), str) or not shot["prompt"]:
                raise fail(f"{where}.prompt", "should not be empty")
            if len(shot["prompt"]) > SHOT_PROMPT_MAX:
                raise fail(f"{where}.prompt",
                           f"must be shorter than or equal to {SHOT_PROMPT_MAX} characters")
            seconds = shot.get("duration")
            if seconds is not None and whole(seconds) not in range(1, 16):
                raise fail(f"{where}.duration", "must not be greater than 15 or less than 1")


@dataclass(frozen=True)
class Elements:
    """Up to ``most`` elements, each 1-4 reference images, an optional (``frontal``:
    required) frontal image, and at most one of them a video."""

    frontal: bool = False
    most: int = 4

    def __call__(self, value: object, path: str) -> None:
        videos = 0
        for index, item in enumerate(as_list(value, path, 0, self.most)):
            where = f"{path}[{index}]"
            element = as_object(item, where)
            no_extra(element, frozenset({"reference_image_urls", "frontal_image_url",
                                         "video_url"}), where)
            if element.get("reference_image_urls") is None:
                raise fail(f"{where}.reference_image_urls", "should not be empty")
            Images(1, 4)(element["reference_image_urls"], f"{where}.reference_image_urls")
            if element.get("frontal_image_url") is not None:
                Image()(element["frontal_image_url"], f"{where}.frontal_image_url")
            elif self.frontal:
                raise fail(f"{where}.frontal_image_url", "should not be empty")
            if element.get("video_url") is not None:
                Video()(element["video_url"], f"{where}.video_url")
                videos += 1
        if videos > 1:
            raise fail(path, "may hold at most one element with a video_url")


@dataclass(frozen=True)
class Camera:
    """A camera movement: ``{type, config: {horizontal, ..., zoom: -10..10}}``."""

    def __call__(self, value: object, path: str) -> None:
        control = as_object(value, path)
        no_extra(control, frozenset({"type", "config"}), path)
        if control.get("type") is not None:
            Choice(CAMERA_TYPES)(control["type"], f"{path}.type")
        if control.get("config") is not None:
            config = as_object(control["config"], f"{path}.config")
            no_extra(config, CAMERA_AXES, f"{path}.config")
            for axis, amount in config.items():
                Number(-10, 10)(amount, f"{path}.config.{axis}")


@dataclass(frozen=True)
class CameraMove:
    """A move along one axis (``advanced_camera_control``): ``{movement_type, movement_value}``,
    both required, the value a whole number from -10 to 10."""

    def __call__(self, value: object, path: str) -> None:
        move = as_object(value, path)
        no_extra(move, frozenset({"movement_type", "movement_value"}), path)
        if move.get("movement_type") is None:
            raise fail(f"{path}.movement_type", "should not be empty")
        Choice(tuple(sorted(CAMERA_AXES)))(move["movement_type"], f"{path}.movement_type")
        amount = move.get("movement_value")
        if whole(amount) is None or isinstance(amount, str):
            raise fail(f"{path}.movement_value", "must be an integer number")
        Number(-10, 10)(amount, f"{path}.movement_value")


@dataclass(frozen=True)
class Masks:
    """Up to ``most`` motion-brush masks, each with 2-77 trajectory points."""

    most: int = 6

    def __call__(self, value: object, path: str) -> None:
        for index, item in enumerate(as_list(value, path, 0, self.most)):
            where = f"{path}[{index}]"
            mask = as_object(item, where)
            no_extra(mask, frozenset({"mask", "trajectories"}), where)
            Text()(mask.get("mask"), f"{where}.mask")
            points = as_list(mask.get("trajectories"), f"{where}.trajectories", 2, 77)
            for number, point in enumerate(points):
                spot = as_object(point, f"{where}.trajectories[{number}]")
                no_extra(spot, frozenset({"x", "y"}), f"{where}.trajectories[{number}]")
                for axis in ("x", "y"):
                    Number(-1e9, 1e9)(spot.get(axis), f"{where}.trajectories[{number}].{axis}")


FIELDS: dict[str, Check] = {
    "prompt": Text(empty=False), "negative_prompt": Text(), "external_task_id": Text(),
    "generate_audio": Flag(), "keep_audio": Flag(), "aspect_ratio": Choice(ASPECTS),
    "shot_type": Choice(SHOT_TYPES), "type": Choice(("image-to-video",)),
    "provider": Choice(PROVIDERS, fold_case=True), "cfg_scale": Number(0, 1),
    "static_mask": Url(), "tail_image_url": Image(), "last_image_url": Image(),
    "image_url": Image(), "video_url": Video(), "multi_prompt": Shots(),
    "image_list": Images(1, 7), "elements": Elements(), "camera_control": Camera(),
    "dynamic_masks": Masks(), "advanced_camera_control": CameraMove(),
    "effect_scene": Choice(EFFECT_SCENES), "audio_url": Audio(),
    "character_orientation": Choice(ORIENTATIONS), "mode": Choice(MOTION_MODES),
}
"""Each field's usual check (an entry or a wire id may give a field another)."""
