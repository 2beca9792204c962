"""Sound clips and small videos made for the tests, and the sandbox samples' placeholders for
them (``<WAV 3 s>``, ``<FLAC 2 s>``, ``<MP4 320x568 4 s>``) as data URIs."""

from __future__ import annotations

import array
import base64
import io
import itertools
import math
import re
from fractions import Fraction

import av
from PIL import Image, ImageDraw

RATE = 22050
FPS = 8
_AUDIO = {"WAV": ("wav", "pcm_s16le", "audio/wav"), "MP3": ("mp3", "mp3", "audio/mpeg"),
          "M4A": ("ipod", "aac", "audio/mp4"), "AAC": ("adts", "aac", "audio/aac"),
          "FLAC": ("flac", "flac", "audio/flac")}
_PLACEHOLDER = re.compile(r"^<(WAV|MP3|M4A|AAC|FLAC) (\d+(?:\.\d+)?) s>$")
_VIDEO = re.compile(r"^<MP4 (\d+)x(\d+) (\d+(?:\.\d+)?) s>$")


def tone_samples(seconds: float, freq: float = 440.0, rate: int = RATE) -> bytes:
    """Mono float samples of a sine tone."""
    count = round(seconds * rate)
    return array.array("f", (0.3 * math.sin(2 * math.pi * freq * i / rate)
                             for i in range(count))).tobytes()


def audio_clip(kind: str = "WAV", seconds: float = 3.0, freq: float = 440.0) -> bytes:
    """A real sound clip of a sine tone: WAV, MP3, M4A, AAC (ADTS) or FLAC."""
    container, codec, _ = _AUDIO[kind]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=RATE)
        stream.layout = "mono"
        _encode_tone(out, stream, seconds, freq)
    return buffer.getvalue()


def square_position(index: int, count: int, size: tuple[int, int]) -> int:
    """Where (x, left edge) the reference's square is at frame ``index`` of ``count``."""
    width = size[0]
    side = width // 4
    return round((width - side) * index / max(1, count - 1))


def moving_square(size: tuple[int, int] = (320, 568), seconds: float = 4.0,
                  freq: float | None = None) -> bytes:
    """An MP4 (8 fps) of a white square moving left to right on black, getting brighter: a
    reference video whose motion is easy to find again; with ``freq``, a tone as its sound."""
    buffer = io.BytesIO()
    count = round(seconds * FPS)
    with av.open(buffer, mode="w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast"}
        audio = out.add_stream("aac", rate=RATE) if freq else None
        if audio is not None:
            audio.layout = "mono"
        side = size[0] // 4
        for index in range(count):
            img = Image.new("RGB", size, (0, 0, 0))
            x = square_position(index, count, size)
            shade = 120 + round(135 * index / max(1, count - 1))
            top = size[1] * 2 // 3 - side // 2
            ImageDraw.Draw(img).rectangle((x, top, x + side, top + side), fill=(shade,) * 3)
            frame = av.VideoFrame.from_image(img)
            frame.pts = index
            frame.time_base = Fraction(1, FPS)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        if audio is not None and freq is not None:
            _encode_tone(out, audio, seconds, freq)
    return buffer.getvalue()


def _encode_tone(out: av.container.OutputContainer, stream: av.AudioStream, seconds: float,
                 freq: float) -> None:
    data = tone_samples(seconds, freq)
    step = 1024
    for start in range(0, len(data) // 4, step):
        chunk = data[4 * start: 4 * (start + step)]
        frame = av.AudioFrame(format="flt", layout="mono", samples=len(chunk) // 4)
        frame.planes[0].update(chunk)
        frame.sample_rate = RATE
        frame.pts = start
        frame.time_base = Fraction(1, RATE)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def data_uri(data: bytes, mime: str) -> str:
    """``data`` as a base64 data URI."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def clip_placeholder(value: object) -> str | None:
    """The data URI a ``<WAV 3 s>`` or ``<MP4 320x568 4 s>`` placeholder stands for (None for
    anything else)."""
    if not isinstance(value, str):
        return None
    audio = _PLACEHOLDER.match(value)
    if audio is not None:
        kind, seconds = audio.group(1), float(audio.group(2))
        return data_uri(audio_clip(kind, seconds), _AUDIO[kind][2])
    video = _VIDEO.match(value)
    if video is not None:
        width, height, seconds = int(video.group(1)), int(video.group(2)), float(video.group(3))
        return data_uri(moving_square((width, height), seconds), "video/mp4")
    return None


def dominant_hz(samples: bytes, rate: int) -> float:
    """The frequency of a tone, from its zero crossings (mono float samples)."""
    values = array.array("f")
    values.frombytes(samples[: len(samples) - len(samples) % 4])
    crossings = sum(1 for a, b in itertools.pairwise(values) if a <= 0 < b)
    return crossings * rate / max(1, len(values))
