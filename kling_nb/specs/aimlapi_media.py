"""Kling rows on the AI/ML API that take new kinds of input: a sound clip, a reference video.

- **Avatars** (``klingai/avatar-standard``, ``klingai/avatar-pro``): an image and an audio clip
  make a talking video whose sound is that clip and whose length follows it. The schemas
  document the clip's formats (MP3, WAV, M4A, AAC) and size (at most 5 MB); nothing about its
  length, so a length limit is only inferred.
- **Motion control** (``klingai/video-v2-6-motion-control``, ``klingai/video-v3-motion-control``):
  the character in an image performs the motion of a reference video; the output is about as
  long as the reference and keeps its sound unless ``keep_audio`` is false. The schemas
  document the orientation limits (a reference of at most 10 s with ``character_orientation``
  ``image``, 30 s with ``video``, the default); the 2.6 page adds 3-30 s and the pixel limits.

A clip's bytes are judged here (format, size); its length and picture size are read by the
client (``kling_nb.client.clips``) before anything is sent and checked by these rules then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from kling_nb.core.errors import Problem

from .aimlapi import PRICE_NOTE, AimlUniversal, Upstream
from .clips import (
    AUDIO_FORMATS,
    AudioFile,
    VideoFile,
    clip_wire,
    coerce_audio,
    coerce_video,
)
from .inferred import Rule
from .rules import URL, VIDEO_URL
from .types import AimlImage, OptionalText

MAX_AUDIO_BYTES = 5 * 2**20
"""The avatar schemas' "Maximum file size: 5 MB" (read as MiB: never stricter than the docs)."""
MAX_AUDIO_SECONDS = 60
PAGES = "aimlapi/api-docs docs/api-references/video-models/kling-ai/"
MOTION_PAGE_2_6 = PAGES + "video-v2.6-motion-control.md"
"""The 2.6 motion-control page: its "Input Reference Guidelines" state the 3-30 s and pixel
limits (the 3.0 page states none)."""

AimlAudio = Annotated[str | AudioFile, BeforeValidator(coerce_audio)]
"""A sound clip: an https URL (sent as given), or a local file, bytes or data URI (sent as a
base64 data URI)."""
AimlVideo = Annotated[str | VideoFile, BeforeValidator(coerce_video)]
"""A reference video: an https URL, a local file, bytes, a data URI or a finished result."""


# -- avatars --------------------------------------------------------------------------------
OGG = b"OggS\x00\x02" + bytes(26)
"""The start of an Ogg file: audio in a format the avatar schemas do not list."""
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(22)
"""The start of an MP3 file (for rule examples: only its format is judged here)."""


def _clip(v: Mapping[str, Any], name: str) -> Any:
    value = v.get(name)
    return value if isinstance(value, (AudioFile, VideoFile)) else None


def _audio_format(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    clip = _clip(v, "audio_url")
    if clip is None or clip.data is None or clip.format in AUDIO_FORMATS:
        return []
    given = (f"{clip.format.upper()} audio" if clip.format
             else "not a sound file the model takes (its format was not recognised)")
    return [Problem(("audio_url",), f"is {given}.", given=clip.label,
                    allowed="an MP3, WAV, M4A or AAC file")]


def _audio_size(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    clip = _clip(v, "audio_url")
    if clip is None or clip.data is None or len(clip.data) <= MAX_AUDIO_BYTES:
        return []
    return [Problem(("audio_url",), f"is {len(clip.data) / 2**20:.1f} MB.", given=clip.label,
                    allowed="at most 5 MB")]


def _audio_length(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    clip = _clip(v, "audio_url")
    if clip is None or clip.seconds is None or clip.seconds <= MAX_AUDIO_SECONDS:
        return []
    return [Problem(("audio_url",), f"is {clip.seconds:.1f} s long: the video would be too.",
                    given=clip.label, allowed=f"at most {MAX_AUDIO_SECONDS} s")]


AUDIO_FORMAT = Rule("audio-format", "audio_url is an MP3, WAV, M4A or AAC file", _audio_format,
                    examples=({"audio_url": OGG},))
AUDIO_SIZE = Rule("audio-size", "audio_url is at most 5 MB", _audio_size,
                  examples=(lambda spec: {"audio_url": MP3 + bytes(MAX_AUDIO_BYTES)},))
AUDIO_LENGTH = Rule(
    "audio-length", f"audio_url is at most {MAX_AUDIO_SECONDS} s long (the video's length "
    "follows it)", _audio_length,
    inferred="the AI/ML docs state no length limit; third parties offering Kling Avatar "
             "(PiAPI) say it makes at most about a minute of video",
    examples=({"audio_url": {"data": MP3, "seconds": MAX_AUDIO_SECONDS + 1}},))


class AimlClips(AimlUniversal):
    """A row with clip inputs: each sent as its URL, or as a data URI of its bytes."""

    clip_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def duration(self) -> int | None:
        """The video's length in whole seconds, when the clip it follows is of known length
        (read from a local clip, or a result's): for the result, the poll schedule and the
        price; never sent."""
        clip = getattr(self, self.clip_fields[0], None) if self.clip_fields else None
        seconds = getattr(clip, "seconds", None)
        return max(1, round(seconds)) if seconds else None

    def to_wire(self) -> dict[str, Any]:
        body = super().to_wire()
        for name in self.clip_fields:
            value = getattr(self, name)
            if value is not None:
                body[name] = clip_wire(value, name)
        return body


class AimlAvatar(AimlClips):
    """A Kling avatar on the AI/ML API: an image speaks an audio clip."""

    image_url: AimlImage
    """The person (or character) who speaks: the video's first frame. An https URL, base64
    data or a local image."""
    audio_url: AimlAudio
    """What they say: an MP3, WAV, M4A or AAC clip of at most 5 MB (an https URL, a local
    file, bytes or a data:audio URI); the video is as long as the clip and plays it."""
    prompt: OptionalText = Field(default=None, min_length=1, max_length=2500)
    """The scene, mood or gestures (optional, at most 2500 characters)."""
    upstream: Upstream = None
    """Which service runs the job (the body's ``provider``): ``auto`` (the API's default),
    ``kling``/``klingai`` or ``fal``, in any case; sent only when given."""

    durations = ()
    sound = "the given audio"
    price_note = PRICE_NOTE
    length_follows: ClassVar[str] = "the audio"
    """What sets the video's length (no ``duration`` is sent)."""
    input_aliases: ClassVar[Mapping[str, str]] = {
        "image": "image_url", "start_frame": "image_url", "audio": "audio_url",
        "voice": "audio_url", "provider": "upstream"}
    clip_fields = ("audio_url",)
    wire_fields = ("prompt", "upstream")
    example: ClassVar[Mapping[str, Any]] = {
        "image_url": URL, "audio_url": "https://example.com/voice.mp3",
        "prompt": "a presenter speaks warmly, with small gestures"}
    checks = (AUDIO_FORMAT, AUDIO_SIZE, AUDIO_LENGTH)


# -- motion control -------------------------------------------------------------------------
def _video(v: Mapping[str, Any]) -> VideoFile | None:
    clip = _clip(v, "video_url")
    return clip if isinstance(clip, VideoFile) else None


def _orientation_length(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    clip = _video(v)
    orientation = v.get("character_orientation") or "video"  # the schema's default
    limit = 10 if orientation == "image" else 30
    if clip is None or clip.seconds is None or clip.seconds <= limit:
        return []
    return [Problem(("video_url",), f"is {clip.seconds:g} s long, too long with "
                    f"character_orientation {orientation}.", given=f"{clip.seconds:g} s",
                    allowed=f"at most {limit} s (10 s with orientation image, 30 s with video)")]


def _min_length(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    clip = _video(v)
    if clip is None or clip.seconds is None or clip.seconds >= 3:
        return []
    return [Problem(("video_url",), f"is {clip.seconds:g} s long, too short.",
                    given=f"{clip.seconds:g} s", allowed="a reference video of 3 to 30 s")]


def _sides(short: int, long: int) -> Any:
    def check(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
        clip = _video(v)
        if clip is None or not clip.width or not clip.height:
            return []
        low, high = sorted((clip.width, clip.height))
        if low >= short and high <= long:
            return []
        return [Problem(("video_url",), f"is {clip.width}x{clip.height} px.",
                        given=f"{clip.width}x{clip.height}",
                        allowed=f"a short side of at least {short} px and a long side of at "
                                f"most {long} px")]
    return check


def _reference(**facts: Any) -> dict[str, Any]:
    return {"video_url": {"url": VIDEO_URL, **facts}}


ORIENTATION_LENGTH = Rule(
    "orientation-length", "the reference video is at most 10 s long with "
    "character_orientation image, at most 30 s with video (the default)", _orientation_length,
    examples=(_reference(seconds=31), {"character_orientation": "image",
                                      **_reference(seconds=12)}))
MIN_LENGTH = Rule("reference-length", "the reference video is 3 to 30 s long", _min_length,
                  source=MOTION_PAGE_2_6, examples=(_reference(seconds=2),))
MIN_LENGTH_INFERRED = Rule(
    "reference-length", MIN_LENGTH.text, _min_length,
    inferred="the 3.0 motion-control page states no limits; the 2.6 page's 3 s minimum is "
             "assumed", examples=MIN_LENGTH.examples)
SIDES = Rule("reference-sides", "the reference video's short side is at least 300 px and its "
             "long side at most 65536 px", _sides(300, 65536), source=MOTION_PAGE_2_6,
             examples=(_reference(width=288, height=512, seconds=5),))
SIDES_INFERRED = Rule(
    "reference-sides", SIDES.text, _sides(300, 65536),
    inferred="the 3.0 motion-control page states no limits; the 2.6 page's are assumed",
    examples=SIDES.examples)
SIDES_STRICT = Rule(
    "reference-sides-strict", "the reference video's short side is at least 340 px and its "
    "long side at most 3850 px", _sides(340, 3850),
    inferred="the 2.6 page gives ranges (at least 300-340 px, at most 3850-65536 px, "
             "'depending on the input type'); the strict ends are assumed",
    examples=(_reference(width=320, height=568, seconds=5),))


class AimlMotionControl(AimlClips):
    """Kling motion control on the AI/ML API: the character in an image moves as the person
    in a reference video."""

    image_url: AimlImage
    """The character to animate (exactly one, clearly visible, whole body): an https URL,
    base64 data or a local image."""
    video_url: AimlVideo
    """The motion to copy: a video of one person moving (an https URL, a local file, a
    data:video URI or a finished result); the output is about as long as it."""
    prompt: OptionalText = Field(default=None, min_length=1)
    """Background, objects and small changes to the motion (optional)."""
    character_orientation: Literal["image", "video"] | None = None
    """Face as in the image (``image``: a reference of at most 10 s) or as in the video
    (``video``, the API's default: at most 30 s)."""
    keep_audio: bool | None = None
    """Keep the reference video's sound (the API's default: yes)."""
    mode: Literal["std", "pro"] | None = None
    """``std`` (the API's default: basic, cost-effective) or ``pro`` (higher quality, higher
    cost)."""

    durations = ()
    sound = "kept from the reference"
    price_note = PRICE_NOTE
    length_follows: ClassVar[str] = "the reference video"
    input_aliases: ClassVar[Mapping[str, str]] = {
        "image": "image_url", "start_frame": "image_url", "video": "video_url",
        "motion_video": "video_url", "reference_video": "video_url",
        "video_reference": "video_url",
        "orientation": "character_orientation"}
    clip_fields = ("video_url",)
    wire_fields = ("prompt", "character_orientation", "keep_audio", "mode")
    example: ClassVar[Mapping[str, Any]] = {
        "image_url": URL, "video_url": VIDEO_URL,
        "prompt": "the dancer performs in a sunlit studio"}

