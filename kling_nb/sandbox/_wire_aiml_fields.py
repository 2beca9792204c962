"""Value checks for the AI/ML API's fields, with its validator's messages (api-notes §9.5).

``FIELDS`` maps a key to its check; a check raises ``WireError`` on a bad value. The fields
whose value the order needs (``image_url``, ``video_url``) are read in ``_wire_aiml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._wire import WireError, image_url, is_url
from ._wire_aiml_models import ASPECTS, PROVIDERS, SHOT_TYPES, AimlModel

MAX_SHOTS = 6
SHOT_PROMPT_MAX = 3072
MAX_ELEMENTS = 4
MAX_MASKS = 6
DATA_VIDEO = re.compile(r"^data:video/[\w.+-]+;base64,(.*)$", re.DOTALL)
ELEMENT_KEYS = frozenset({"reference_image_urls", "frontal_image_url", "video_url"})
CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
CAMERA_AXES = frozenset({"horizontal", "vertical", "pan", "tilt", "roll", "zoom"})

Check = Callable[[Any, AimlModel, str], None]


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


def _number(value: object, path: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, "must be a number")
    if not low <= value <= high:
        raise fail(path, f"must not be greater than {high:g} or less than {low:g}")


def _string(value: object, _: AimlModel, path: str) -> None:
    if not isinstance(value, str):
        raise fail(path, "must be a string")


def _boolean(value: object, _: AimlModel, path: str) -> None:
    if not isinstance(value, bool):
        raise fail(path, "must be a boolean value")


def _enum(choices: tuple[str, ...]) -> Check:
    def check(value: object, _: AimlModel, path: str) -> None:
        if value not in choices:
            raise fail(path, f"must be one of the following values: {', '.join(choices)}")

    return check


def _prompt(value: object, model: AimlModel, path: str) -> None:
    _string(value, model, path)
    if not value:
        raise fail(path, "should not be empty")
    if model.prompt_max is not None and len(str(value)) > model.prompt_max:
        raise fail(path, f"must be shorter than or equal to {model.prompt_max} characters")


def _duration(value: object, model: AimlModel, path: str) -> None:
    if whole(value) not in model.durations:
        values = ", ".join(map(str, model.durations))
        raise fail(path, f"must be one of the following values: {values}")


def _cfg_scale(value: object, _: AimlModel, path: str) -> None:
    _number(value, path, 0, 1)


def _provider(value: object, _: AimlModel, path: str) -> None:
    if not isinstance(value, str) or value.lower() not in PROVIDERS:
        raise fail(path, f"must be one of the following values: {', '.join(PROVIDERS)}")


def _url(value: object, _: AimlModel, path: str) -> None:
    if not isinstance(value, str) or not is_url(value):
        raise fail(path, "must be a URL address")


def image(value: object, _: AimlModel, path: str) -> None:
    """An image field: an https URL or base64 image data."""
    if not isinstance(value, str):
        raise fail(path, "must be a string")
    image_url(value, path)


def video(value: object, _: AimlModel, path: str) -> None:
    """A video field: an https URL or a base64 ``data:video/...`` URI."""
    if not isinstance(value, str) or not (is_url(value) or DATA_VIDEO.match(value)):
        raise fail(path, "must be an https URL or a base64 data: URI of a video")


def _multi_prompt(value: object, model: AimlModel, path: str) -> None:
    if model.family == "3.0":  # 3.0 Standard/Pro: an array of strings
        for index, item in enumerate(as_list(value, path, 1, None)):
            if not isinstance(item, str) or not item:
                raise fail(f"{path}[{index}]", "must be a non-empty string")
        return
    for index, item in enumerate(as_list(value, path, 1, MAX_SHOTS)):  # Turbo: timed shots
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


def _images(value: object, path: str, low: int, high: int, model: AimlModel) -> None:
    for index, item in enumerate(as_list(value, path, low, high)):
        image(item, model, f"{path}[{index}]")


def _image_list(value: object, model: AimlModel, path: str) -> None:
    _images(value, path, *model.image_list, model)


def _elements(value: object, model: AimlModel, path: str) -> None:
    videos = 0
    for index, item in enumerate(as_list(value, path, 0, MAX_ELEMENTS)):
        where = f"{path}[{index}]"
        element = as_object(item, where)
        no_extra(element, ELEMENT_KEYS, where)
        if element.get("reference_image_urls") is None:
            raise fail(f"{where}.reference_image_urls", "should not be empty")
        _images(element["reference_image_urls"], f"{where}.reference_image_urls", 1, 4, model)
        if element.get("frontal_image_url") is not None:
            image(element["frontal_image_url"], model, f"{where}.frontal_image_url")
        elif model.family == "o1":
            raise fail(f"{where}.frontal_image_url", "should not be empty")
        if element.get("video_url") is not None:
            video(element["video_url"], model, f"{where}.video_url")
            videos += 1
    if videos > 1:
        raise fail(path, "may hold at most one element with a video_url")


def _camera_control(value: object, _: AimlModel, path: str) -> None:
    control = as_object(value, path)
    no_extra(control, frozenset({"type", "config"}), path)
    if control.get("type") is not None and control["type"] not in CAMERA_TYPES:
        raise fail(f"{path}.type",
                   f"must be one of the following values: {', '.join(CAMERA_TYPES)}")
    if control.get("config") is not None:
        config = as_object(control["config"], f"{path}.config")
        no_extra(config, CAMERA_AXES, f"{path}.config")
        for axis, amount in config.items():
            _number(amount, f"{path}.config.{axis}", -10, 10)


def _dynamic_masks(value: object, model: AimlModel, path: str) -> None:
    for index, item in enumerate(as_list(value, path, 0, MAX_MASKS)):
        where = f"{path}[{index}]"
        mask = as_object(item, where)
        no_extra(mask, frozenset({"mask", "trajectories"}), where)
        _string(mask.get("mask"), model, f"{where}.mask")
        points = as_list(mask.get("trajectories"), f"{where}.trajectories", 2, 77)
        for number, point in enumerate(points):
            spot = as_object(point, f"{where}.trajectories[{number}]")
            no_extra(spot, frozenset({"x", "y"}), f"{where}.trajectories[{number}]")
            for axis in ("x", "y"):
                _number(spot.get(axis), f"{where}.trajectories[{number}].{axis}", -1e9, 1e9)


FIELDS: dict[str, Check] = {
    "prompt": _prompt, "negative_prompt": _string, "external_task_id": _string,
    "generate_audio": _boolean, "keep_audio": _boolean, "duration": _duration,
    "aspect_ratio": _enum(ASPECTS), "shot_type": _enum(SHOT_TYPES),
    "type": _enum(("image-to-video",)), "provider": _provider, "cfg_scale": _cfg_scale,
    "static_mask": _url, "tail_image_url": image, "last_image_url": image,
    "multi_prompt": _multi_prompt, "image_list": _image_list, "elements": _elements,
    "camera_control": _camera_control, "dynamic_masks": _dynamic_masks,
}
"""The check of each field; ``image_url`` and ``video_url`` are read where the order is built."""
