"""Check raw request bodies against the documented wire rules of both APIs (api-notes §3, §9).

Written straight from the vendor pages, independently of the client's own specs layer,
so that a wire mistake in the client cannot hide here. This module holds what every check
shares: the normalised ``Order``, ``WireError``, typed field readers and inline images.
``_wire_leonardo`` checks Leonardo v1/v2 bodies, ``_wire_aiml`` the AI/ML API's, each against
the model's entry (``kling_nb/sandbox/rows``).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar
from urllib.parse import urlparse

from ._frames import Shot
from ._media import image_format

PROMPT_MAX = 1500
IMAGE_TYPES = ("UPLOADED", "GENERATED")
_DATA_URL = re.compile(r"^data:image/(png|jpeg|jpg|webp);base64,(.*)$", re.DOTALL)
_INLINE_FORMATS = ("PNG", "JPEG", "WEBP")
LOOPBACK = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")


class WireError(Exception):
    """A request the real API would refuse: message, machine code, HTTP status, JSON path."""

    def __init__(self, message: str, *, code: str = "validation-failed", status: int = 400,
                 path: str = "$") -> None:
        super().__init__(message)
        self.message, self.code, self.status, self.path = message, code, status, path


@dataclass(frozen=True)
class Ref:
    """A reference to an image or video asset: ``{id, type}``."""

    id: str
    type: str


class VideoInfo(NamedTuple):
    """What the sandbox knows of a source video: size, whole seconds, sound track."""

    width: int
    height: int
    seconds: int
    audio: bool


@dataclass(frozen=True)
class Track:
    """An input the video plays or follows: inline bytes, a sandbox video, or a URL the
    sandbox does not fetch (then only its name is known)."""

    data: bytes | None = field(default=None, repr=False)
    video: str | None = None
    """The id of a finished sandbox video."""
    url: str | None = None
    seconds: float | None = None
    """The input's length, when known."""
    kind: str = ""
    """A sound clip's format (``MP3``, ``WAV``...), when known."""

    @property
    def label(self) -> str:
        """How the frames name the input."""
        if self.url is not None:
            return f"{self.url} (not fetched by the sandbox)"
        length = f" ({self.seconds:.1f} s)" if self.seconds else ""
        return ("a sandbox video" if self.video else "the given clip") + length


@dataclass(frozen=True)
class Order:
    """A validated generation request, normalised across the wire formats."""

    api: str
    model: str
    prompt: str
    seconds: int
    width: int | None
    height: int | None
    public: bool = False
    seed: int | None = None
    audio: bool = False
    stereo: bool = False
    """Two channels of sound (when ``audio``)."""
    quantity: int = 1
    start: Ref | None = None
    end: Ref | None = None
    references: tuple[Ref, ...] = ()
    video: Ref | None = None
    short_side: int = 1080
    """The tier's resolution (720 or 1080): a size that follows an input is scaled to it."""
    inline_image: bytes | None = None
    image_url: str | None = None
    external_task_id: str | None = None
    shots: tuple[Shot, ...] = ()
    """A storyboard's shots (``multi_prompt``), in order; empty for a single prompt."""
    images: tuple[bytes, ...] = ()
    """Input images the video passes through in turn (``image_list`` of a multi-image model),
    those the sandbox holds."""
    length: float | None = None
    """The video's exact length in seconds when an input sets it (an avatar's audio clip);
    ``seconds`` is then that length rounded up, for billing and timing."""
    sound_from: Track | None = None
    """The input whose sound the video plays (an avatar's clip, a kept reference's sound)."""
    motion_from: Track | None = None
    """The input whose motion the video copies (a motion-control reference video)."""


class Assets(Protocol):
    """What the validators need to know about the sandbox's stored assets."""

    def has_image(self, ref: Ref) -> bool:
        """True when ``ref`` names a usable image of that type."""

    def video_info(self, video_id: str) -> VideoInfo | None:
        """The facts of a completed generated video, None if unknown."""

    def image_data(self, image_id: str) -> bytes | None:
        """The bytes of an uploaded or seeded image, None if unknown."""


# ---- typed readers -------------------------------------------------------------------------


def obj(value: object, path: str) -> dict[str, Any]:
    """``value`` when it is a JSON object."""
    if not isinstance(value, dict):
        raise WireError(f"expected an object at {path}", path=path)
    return value


def no_unknown(body: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    """Leonardo refuses any key it does not know (api-notes §1)."""
    for key in body:
        if key not in allowed:
            raise WireError(f"Unexpected variable {key}", path=f"{path}.{key}")


def typed(body: dict[str, Any], key: str, kind: type[T], path: str) -> T | None:
    """The value of ``key`` when present and of ``kind`` (a bool is no int); None if absent."""
    value = body.get(key)
    if value is None:
        return None
    bad_bool = kind is not bool and isinstance(value, bool)
    if bad_bool or not isinstance(value, kind):
        raise WireError(f"invalid type for variable {key}: expected {kind.__name__}",
                        path=f"{path}.{key}")
    return value


def required(body: dict[str, Any], key: str, kind: type[T], path: str) -> T:
    """As ``typed``, but a missing value is an error."""
    value = typed(body, key, kind, path)
    if value is None:
        raise WireError(f"expecting a value for non-nullable variable: {key}",
                        path=f"{path}.{key}")
    return value


def prompt(body: dict[str, Any], path: str, limit: int | None = PROMPT_MAX) -> str:
    """The required prompt, at most ``limit`` characters (None: no documented limit)."""
    text = required(body, "prompt", str, path)
    if limit is not None and len(text) > limit:
        raise WireError(f"prompt exceeds the maximum length of {limit} characters",
                        path=f"{path}.prompt")
    return text


def ref(value: object, path: str, types: tuple[str, ...] = IMAGE_TYPES) -> Ref:
    """An ``{id, type}`` reference whose type is one of ``types``."""
    item = obj(value, path)
    no_unknown(item, frozenset({"id", "type"}), path)
    ref_id = required(item, "id", str, path)
    ref_type = required(item, "type", str, path)
    if ref_type not in types:
        raise WireError(f"invalid type {ref_type!r}: expected one of {', '.join(types)}",
                        path=f"{path}.type")
    return Ref(ref_id, ref_type)


def check_images(refs: list[Ref | None], assets: Assets) -> None:
    """Every image reference names a usable image of its type."""
    for item in refs:
        if item is not None and not assets.has_image(item):
            raise WireError("invalid init image id", code="invalid-init-image")


def aspect_size(ratio: str, short_side: int) -> tuple[int, int]:
    """The output size of an aspect ratio at a tier: 16:9 1920x1080, 1:1 1440x1440, 21:9
    2520x1080..."""
    long_side = short_side * 16 // 9
    square = short_side * 4 // 3
    wide = short_side * 7 // 3
    return {"9:16": (short_side, long_side), "1:1": (square, square),
            "21:9": (wide, short_side)}.get(ratio, (long_side, short_side))


# ---- inline images ---------------------------------------------------------------------------


def image_url(value: str, path: str) -> tuple[bytes | None, str | None]:
    """Split an image field into inline image bytes or a URL; refuse anything else."""
    if is_url(value):
        return None, value
    match = _DATA_URL.match(value)
    data = b64(match.group(2) if match else value)
    if data is None or image_format(data) not in _INLINE_FORMATS:
        name = path.rsplit(".", 1)[-1]
        raise WireError(f"{name} must be an https URL or a base64-encoded PNG, JPEG or "
                        "WebP image", path=path)
    return data, None


def is_url(value: str) -> bool:
    """An https URL, or an http one on the loopback sandbox server."""
    parsed = urlparse(value)
    if parsed.scheme == "https" and parsed.netloc:
        return True
    return parsed.scheme == "http" and parsed.hostname in LOOPBACK


def b64(text: str) -> bytes | None:
    """Strict base64 decoding; None when ``text`` is not base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
