"""What a local sound clip or video holds, read with PyAV: length, streams, picture size.

Used before a clip is sent (an avatar's audio, a motion-control reference video) so that a
damaged file, a file with no sound, or a clip the model's rules refuse is caught before any
request. PyAV is imported on first use, like the contact sheets do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kling_nb.core.errors import MediaError


@dataclass(frozen=True)
class ClipInfo:
    """What a clip holds: its container, length, and its first sound and picture streams."""

    container: str
    """The container format PyAV names (``mp3``, ``wav``, ``mov,mp4,m4a,...``, ``aac``)."""
    seconds: float
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def has_audio(self) -> bool:
        """Whether the clip has a sound stream."""
        return self.audio_codec is not None

    @property
    def has_video(self) -> bool:
        """Whether the clip has a picture stream."""
        return self.video_codec is not None


def probe(data: bytes, label: str = "clip") -> ClipInfo:
    """Read ``data`` (a whole media file) with PyAV; ``MediaError`` when it cannot be read.

    The length is the container's; where it states none (raw AAC, some MP3s) the packets of
    the first stream are counted, so a clip without a header still gets its length.
    """
    import av  # on first use: it pulls in FFmpeg

    try:
        with av.open(io.BytesIO(data)) as container:
            audio = container.streams.audio[0] if container.streams.audio else None
            video = container.streams.video[0] if container.streams.video else None
            seconds = container.duration / 1_000_000 if container.duration else 0.0
            if seconds <= 0:
                seconds = _counted_seconds(container)
            return ClipInfo(
                container=str(container.format.name), seconds=float(seconds),
                audio_codec=audio.codec_context.name if audio else None,
                sample_rate=int(audio.codec_context.sample_rate or 0) or None if audio else None,
                channels=int(audio.codec_context.channels or 0) or None if audio else None,
                video_codec=video.codec_context.name if video else None,
                width=int(video.codec_context.width) if video else None,
                height=int(video.codec_context.height) if video else None)
    except (av.error.FFmpegError, ValueError, IndexError, ZeroDivisionError) as exc:
        msg = f"{label} cannot be read as audio or video ({exc})"
        raise MediaError(msg) from None


def _counted_seconds(container: object) -> float:
    """The length of the first stream, from its packets' timestamps and durations."""
    streams = container.streams  # type: ignore[attr-defined]
    stream = (streams.audio or streams.video)[0]
    end = 0.0
    for packet in container.demux(stream):  # type: ignore[attr-defined]
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end
