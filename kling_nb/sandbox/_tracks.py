"""What the sandbox reads from an order's clips: the sound to play, the motion to copy.

An avatar's video plays the given audio clip (decoded, resampled to the sandbox's mono rate and
muxed into the MP4) and lasts as long as it; a motion-control video is the character image
overlaid with the reference video's frames, so it moves - brightness, position, timing - as the
reference does. ``probe_audio`` reads a clip's length when a request is checked.
"""

from __future__ import annotations

import array
import io
import math
from typing import TYPE_CHECKING

from PIL import Image, ImageOps

if TYPE_CHECKING:  # PyAV loads when a video is written or read, not with the sandbox
    import av

MOTION_WEIGHT = 0.5
"""How much of each reference frame shows over the character image."""


AUDIO_FORMATS = {"mp3": "MP3", "wav": "WAV", "aac": "AAC", "ogg": "OGG", "flac": "FLAC"}
"""PyAV's container names as the docs name the formats (any MPEG-4 file is M4A)."""


def probe_audio(data: bytes) -> tuple[float, str] | None:
    """Seconds and format (``MP3``, ``WAV``, ``M4A``, ``AAC``, ...) of a whole audio file;
    None when it holds no sound or cannot be read."""
    import av

    try:
        with av.open(io.BytesIO(data)) as container:
            if not container.streams.audio:
                return None
            name = str(container.format.name)
            kind = "M4A" if "mp4" in name.split(",") else AUDIO_FORMATS.get(name, name.upper())
            if container.duration:
                return container.duration / 1_000_000, kind
            end = 0.0
            for packet in container.demux(container.streams.audio[0]):
                if packet.pts is not None and packet.time_base is not None:
                    end = max(end, float((packet.pts + (packet.duration or 0))
                                         * packet.time_base))
            return end, kind
    except Exception:
        return None


def samples(data: bytes, rate: int) -> bytes:
    """The first sound stream of a clip, as mono 32-bit float samples at ``rate`` (empty when
    it has none or cannot be read)."""
    import av

    chunks: list[bytes] = []
    try:
        with av.open(io.BytesIO(data)) as container:
            if not container.streams.audio:
                return b""
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(container.streams.audio[0]):
                chunks += [_packed(f) for f in resampler.resample(frame)]
            chunks += [_packed(f) for f in resampler.resample(None)]
    except Exception:
        return b""
    return b"".join(chunks)


def _packed(frame: av.AudioFrame) -> bytes:
    return bytes(frame.planes[0])[: 4 * frame.samples]


def fitted(data: bytes, seconds: float, rate: int) -> bytes:
    """``data`` (float samples) cut or padded with silence to ``seconds``."""
    wanted = 4 * round(seconds * rate)
    return data[:wanted] + bytes(max(0, wanted - len(data)))


def levels(data: bytes, rate: int, fps: int, count: int) -> list[float]:
    """The loudness (RMS, 0-1) of each video frame's stretch of the samples."""
    values = array.array("f")
    values.frombytes(data[: len(data) - len(data) % 4])
    step = rate / fps
    found = []
    for index in range(count):
        part = values[round(index * step): round((index + 1) * step)]
        found.append(math.sqrt(sum(v * v for v in part) / len(part)) if part else 0.0)
    return found


def motion_frames(data: bytes, size: tuple[int, int], fps: int, count: int) -> list[Image.Image]:
    """The reference video's frame at each of ``count`` output frame times (``fps``), fitted
    to ``size``; the last frame is held when the reference is shorter. Empty when it cannot
    be read."""
    import av

    found: list[Image.Image] = []
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            current: Image.Image | None = None
            for frame in container.decode(stream):
                time = float(frame.time or 0.0)
                while current is not None and len(found) < count and len(found) / fps < time:
                    found.append(current)
                if len(found) >= count:
                    break
                current = ImageOps.fit(frame.to_image(), size, Image.Resampling.BILINEAR)
            while current is not None and len(found) < count:
                found.append(current)
    except Exception:
        return []
    return found


def follow(picture: Image.Image, reference: Image.Image) -> Image.Image:
    """The character picture with the reference frame over it: it moves as the reference."""
    return Image.blend(picture, reference.convert("RGB"), MOTION_WEIGHT)
