"""Sound clips and reference videos as specs hold them: local files, bytes, data URIs, URLs.

An avatar speaks an audio clip (``audio_url``) and a motion-control video moves as a reference
video (``video_url``). The AI/ML API takes both as an https URL or inline as a base64 data URI,
so a spec keeps an https URL as the text given, and anything local - a file, bytes, a data URI
- as an ``AudioFile`` or ``VideoFile``. The format is judged here by the bytes' magic numbers
(pure Python); a clip's length and picture size are read by the client with PyAV
(``kling_nb.media.probe``) before anything is sent, and kept on the clip (``seconds``,
``width``, ``height``: never sent) so a row's rules can check them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from kling_nb.core.errors import UnresolvedImageError
from kling_nb.core.net import url_is_loopback

from .docmodel import DocModel

AUDIO_FORMATS = ("mp3", "wav", "m4a", "aac")
"""The audio formats the AI/ML avatar schemas list: MP3, WAV, M4A, AAC."""
AUDIO_MIME = {"mp3": "audio/mpeg", "wav": "audio/wav", "m4a": "audio/mp4", "aac": "audio/aac",
              "ogg": "audio/ogg", "flac": "audio/flac"}
AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".aac", ".ogg", ".flac", ".opus", ".wma")
VIDEO_MIME = {"mp4": "video/mp4", "webm": "video/webm", "avi": "video/x-msvideo"}
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")
_DATA_URI = re.compile(r"^data:(?P<mime>(?P<kind>[a-z]+)/[\w.+-]+)(?:;[\w=.+-]+)*;base64,"
                       r"(?P<data>.*)$", re.DOTALL | re.IGNORECASE)


def sniff_audio_format(data: bytes) -> str | None:
    """The audio format of the bytes by their magic number: ``mp3``, ``wav``, ``m4a`` (any
    MPEG-4 file), ``aac`` (ADTS), or ``ogg``/``flac`` (named in messages); None otherwise."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3":
        return "mp3"
    if data[4:8] == b"ftyp":
        return "m4a"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == b"fLaC":
        return "flac"
    if len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        # MPEG frame sync: layer bits 00 mark an ADTS (AAC) header, else an MPEG audio layer
        return "aac" if data[1] & 0x06 == 0 else "mp3"
    return None


def sniff_video_format(data: bytes) -> str | None:
    """The container of video bytes by its magic number: ``mp4`` (MP4, MOV), ``webm`` (WebM,
    Matroska) or ``avi``; None otherwise."""
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        return "avi"
    return None


class Clip(DocModel):
    """A sound clip or a video that is not on the provider yet: a local file, bytes, or an
    https URL. Exactly one of ``path``, ``url`` and ``data``."""

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_bytes="base64",
                              val_json_bytes="base64", defer_build=True)

    path: Path | None = None
    """A local file."""
    url: str | None = None
    """An https URL."""
    data: bytes | None = Field(default=None, repr=False)
    """The file's bytes."""
    mime: str | None = None
    """The media type a data URI named (kept so the URI is sent back as it was given)."""
    seconds: float | None = Field(default=None, exclude=True)
    """The clip's length in seconds, when known (read locally before sending; never sent)."""

    kind: ClassVar[str] = "clip"
    mimes: ClassVar[Mapping[str, str]] = {}

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [n for n in ("path", "url", "data") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "clip_source", "give exactly one of path, url or data (given: {given})",
                {"given": ", ".join(given) or "none"})
        if self.url is not None and not _remote(self.url):
            raise PydanticCustomError("clip_url", "a URL must start with https://", {})
        if self.data is not None and not self.data:
            raise PydanticCustomError("clip_empty", "the {kind} is empty (0 bytes)",
                                      {"kind": self.kind})
        if self.path is not None and not self.path.expanduser().is_file():
            raise PydanticCustomError("clip_path", "no such file: {path}",
                                      {"path": str(self.path)})
        return self

    @property
    def format(self) -> str | None:
        """The format the bytes are (None when unknown, or not read yet)."""
        return None

    @property
    def label(self) -> str:
        """A short human description: ``voice.mp3``, the URL, or ``48.0 kB of MP3``."""
        if self.path is not None:
            return self.path.name
        if self.url is not None:
            return self.url
        kind = (self.format or self.kind).upper()
        return f"{len(self.data or b'') / 1000:.1f} kB of {kind}"

    def read(self) -> bytes:
        """The bytes (reads the file for a path; a URL is not read here)."""
        if self.data is not None:
            return self.data
        if self.path is not None:
            return self.path.expanduser().read_bytes()
        msg = "a URL has to be fetched over the network"
        raise ValueError(msg)

    def to_wire(self, field: str = "") -> str:
        """The clip as the AI/ML API takes it: its URL, or its bytes as a base64 data URI."""
        if self.url is not None:
            return self.url
        if self.data is None:
            where = f"{field} is " if field else ""
            msg = (f"{where}the local file {self.label}: submit the spec with a kling_nb "
                   "client, which reads and checks it and sends it as base64 data.")
            raise UnresolvedImageError(msg)
        mime = self.mime or self.mimes.get(self.format or "", "application/octet-stream")
        return f"data:{mime};base64," + base64.b64encode(self.data).decode("ascii")

    def __str__(self) -> str:
        return self.label


class AudioFile(Clip):
    """A sound clip: a local MP3, WAV, M4A or AAC file, its bytes, or an https URL."""

    kind: ClassVar[str] = "audio"
    mimes: ClassVar[Mapping[str, str]] = AUDIO_MIME

    @property
    def format(self) -> str | None:
        return sniff_audio_format(self.data) if self.data is not None else None


class VideoFile(Clip):
    """A video: a local file, its bytes, an https URL, or a finished result's video."""

    width: int | None = Field(default=None, exclude=True)
    """The video's width in pixels, when known (never sent)."""
    height: int | None = Field(default=None, exclude=True)
    """The video's height in pixels, when known (never sent)."""

    kind: ClassVar[str] = "video"
    mimes: ClassVar[Mapping[str, str]] = VIDEO_MIME

    @property
    def format(self) -> str | None:
        return sniff_video_format(self.data) if self.data is not None else None


def _remote(text: str) -> bool:
    """An https URL, or plain http on this machine (the sandbox server, a local proxy)."""
    return text.startswith("https://") or (text.startswith("http://") and url_is_loopback(text))


def decode_data_uri(text: str, kind: str) -> tuple[bytes, str]:
    """The bytes and media type of a base64 ``data:<kind>/...`` URI; a clear error otherwise."""
    match = _DATA_URI.match(text.strip())
    if match is None or match["kind"].lower() != kind:
        raise PydanticCustomError(
            f"{kind}_data", "a data URI here must be data:{kind}/...;base64,...",
            {"kind": kind, "allowed": f"data:{kind}/<type>;base64,<data>"})
    try:
        data = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        raise PydanticCustomError(f"{kind}_data", "the data URI does not hold base64 data",
                                  {}) from None
    return data, match["mime"]


def _looks_like_file(text: str, suffixes: tuple[str, ...]) -> bool:
    return ("/" in text or "\\" in text or text.startswith(("~", "."))
            or text.lower().endswith(suffixes))


def _coerce(value: Any, cls: type[Clip], suffixes: tuple[str, ...]) -> Any:
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls.model_validate(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return cls(data=bytes(value))
    if isinstance(value, PathLike):
        return cls(path=Path(value))
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("<") or "YOUR_" in text.upper():
            raise PydanticCustomError(
                "placeholder", "{given!r} is a placeholder from the docs: put a real {kind} "
                "there", {"given": text, "kind": cls.kind,
                          "allowed": f"an https URL, a data:{cls.kind} URI or a local file"})
        if _remote(text):
            return text
        if "://" in text:
            raise PydanticCustomError(
                f"{cls.kind}_url", "a URL here must start with https:// (given: {given})",
                {"given": text, "allowed": "an https URL"})
        if text.startswith("data:"):
            data, mime = decode_data_uri(text, cls.kind)
            return cls(data=data, mime=mime)
        if _looks_like_file(text, suffixes):
            return cls(path=Path(text))
    what = "an audio file" if cls is AudioFile else "a video file"
    raise PydanticCustomError(
        f"{cls.kind}_url", "not an https URL, a data:{kind} URI or {what}",
        {"kind": cls.kind, "what": what,
         "allowed": f"an https URL, a base64 data:{cls.kind}/... URI or {what}"})


def coerce_audio(value: Any) -> Any:
    """What a user gave as a sound clip: an https URL stays text; a file, bytes or a data
    URI becomes an ``AudioFile``."""
    return _coerce(value, AudioFile, AUDIO_SUFFIXES)


def coerce_video(value: Any) -> Any:
    """What a user gave as a reference video: an https URL stays text; a file, bytes or a
    data URI becomes a ``VideoFile``; a finished result is its video URL with its length
    and size known."""
    if value is not None and hasattr(value, "video_url") and hasattr(value, "duration"):
        return VideoFile(url=value.video_url, seconds=value.duration,
                         width=getattr(value, "width", None), height=getattr(value, "height", None))
    return _coerce(value, VideoFile, VIDEO_SUFFIXES)


def clip_wire(value: str | Clip, field: str) -> str:
    """A clip field as the AI/ML API takes it: the URL as given, or a data URI."""
    return value if isinstance(value, str) else value.to_wire(field)
