"""Render the sandbox's small, real, playable MP4 videos and JPEG posters."""

from __future__ import annotations

import array
import io
import math
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction

import av
from PIL import Image, ImageDraw, ImageOps

MAX_SIDE = 320
FPS = 8
AUDIO_RATE = 22050
_CHUNK = 1024
_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}


@dataclass(frozen=True)
class RenderSpec:
    """What to render: requested size and length, optional frames, audio, caption."""

    width: int
    height: int
    seconds: int
    caption: str
    seed: int
    audio: bool = False
    start: bytes | None = None
    end: bytes | None = None


@dataclass(frozen=True)
class Rendered:
    """A rendered clip: MP4 bytes, a JPEG poster and the rendered frame size."""

    mp4: bytes
    poster: bytes
    size: tuple[int, int]


def image_format(data: bytes) -> str | None:
    """Return Pillow's format name ("PNG", "JPEG", "WEBP", ...) for real image bytes."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            return str(img.format)
    except Exception:
        return None


def matches_extension(data: bytes, extension: str) -> bool:
    """True when ``data`` really is an image of the declared upload extension."""
    expected = _FORMATS.get(extension.lower())
    return expected is not None and image_format(data) == expected


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an image."""
    with Image.open(io.BytesIO(data)) as img:
        width, height = img.size
        return int(width), int(height)


def probe_video(data: bytes) -> tuple[int, int, int, bool] | None:
    """Width, height, whole seconds and sound of real video bytes; None when not a video."""
    try:
        with av.open(io.BytesIO(data)) as container:
            if not container.streams.video or not container.duration:
                return None
            stream = container.streams.video[0]
            seconds = round(container.duration / 1_000_000)
            return stream.width, stream.height, seconds, bool(container.streams.audio)
    except Exception:
        return None


def render_size(width: int, height: int) -> tuple[int, int]:
    """Scale a requested size down to at most MAX_SIDE on the long side, even numbers."""
    scale = MAX_SIDE / max(width, height)
    return _even(width * scale), _even(height * scale)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def pattern_image(size: tuple[int, int], seed: int) -> Image.Image:
    """A colourful gradient twice as wide as the frame, to pan over."""
    w, h = size
    hue = seed % 360
    strip = Image.new("RGB", (256, 1))
    for x in range(256):
        phase = 2 * math.pi * x / 256
        strip.putpixel((x, 0), _colour(hue, phase))
    return strip.resize((2 * w, h), Image.Resampling.BILINEAR)


def _colour(hue: int, phase: float) -> tuple[int, int, int]:
    base = math.radians(hue)
    return tuple(  # type: ignore[return-value]
        int(127 + 120 * math.sin(base + phase + k * 2.1)) for k in range(3)
    )


def _fit(data: bytes, size: tuple[int, int]) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        big = (int(size[0] * 1.25), int(size[1] * 1.25))
        return ImageOps.fit(img.convert("RGB"), big, Image.Resampling.BILINEAR)


def _frame_source(spec: RenderSpec, size: tuple[int, int]) -> list[Image.Image]:
    if spec.start is None:
        return [pattern_image(size, spec.seed)]
    frames = [_fit(spec.start, size)]
    if spec.end is not None:
        frames.append(_fit(spec.end, size))
    return frames


def _frame(sources: list[Image.Image], size: tuple[int, int], t: float) -> Image.Image:
    """Frame at progress ``t`` in [0, 1]: a pan over a pattern or a slow zoom on an image."""
    w, h = size
    base = sources[0]
    if len(sources) == 2:
        base = Image.blend(sources[0], sources[1], t)
    if base.width >= 2 * w:
        x = int(t * w)
        return base.crop((x, 0, x + w, h))
    zoom = 1.0 + 0.25 * (1 - t)
    cw, ch = base.width / zoom, base.height / zoom
    left, top = (base.width - cw) / 2, (base.height - ch) / 2
    box = (int(left), int(top), int(left + cw), int(top + ch))
    return base.resize(size, Image.Resampling.BILINEAR, box=box)


def _label(img: Image.Image, caption: str) -> None:
    draw = ImageDraw.Draw(img)
    draw.rectangle((4, 4, 62, 18), fill=(200, 0, 0))
    draw.text((8, 6), "SANDBOX", fill=(255, 255, 255))
    draw.text((6, img.height - 14), caption[:48], fill=(255, 255, 255))


def render(spec: RenderSpec) -> Rendered:
    """Render ``spec`` to an H.264 (+AAC) MP4 through a temporary file (faststart)."""
    size = render_size(spec.width, spec.height)
    fd, path = tempfile.mkstemp(suffix=".mp4", prefix="kling-nb-sandbox-")
    os.close(fd)
    try:
        poster = _write_mp4(path, spec, size)
        with open(path, "rb") as fh:
            mp4 = fh.read()
    finally:
        os.unlink(path)
    return Rendered(mp4=mp4, poster=poster, size=size)


def _write_mp4(path: str, spec: RenderSpec, size: tuple[int, int]) -> bytes:
    with av.open(path, mode="w", options={"movflags": "+faststart"}) as out:
        out.metadata["comment"] = (
            f"kling_nb sandbox render {size[0]}x{size[1]} of requested "
            f"{spec.width}x{spec.height}"
        )
        out.metadata["title"] = "kling_nb SANDBOX video"
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "profile": "main", "tune": "fastdecode"}
        audio = out.add_stream("aac", rate=AUDIO_RATE) if spec.audio else None
        poster = _encode_video(out, video, spec, size)
        if audio is not None:
            _encode_audio(out, audio, spec.seconds)
    return poster


def _encode_video(out: av.container.OutputContainer, stream: av.VideoStream,
                  spec: RenderSpec, size: tuple[int, int]) -> bytes:
    sources = _frame_source(spec, size)
    total = spec.seconds * FPS
    poster = b""
    for i in range(total):
        img = _frame(sources, size, i / max(1, total - 1))
        _label(img, spec.caption)
        if i == 0:
            poster = _jpeg(img)
        frame = av.VideoFrame.from_image(img)  # type: ignore[no-untyped-call]
        frame.pts = i
        frame.time_base = Fraction(1, FPS)
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
    return poster


def _encode_audio(out: av.container.OutputContainer, stream: av.AudioStream,
                  seconds: int) -> None:
    samples = seconds * AUDIO_RATE
    tone = _tone_chunk()
    for start in range(0, samples, _CHUNK):
        n = min(_CHUNK, samples - start)
        frame = av.AudioFrame(format="fltp", layout="mono", samples=n)
        frame.planes[0].update(tone[: 4 * n])
        frame.sample_rate = AUDIO_RATE
        frame.pts = start
        frame.time_base = Fraction(1, AUDIO_RATE)
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))


def _tone_chunk() -> bytes:
    """1024 samples holding exactly 20 periods of a ~430 Hz tone, so chunks tile seamlessly."""
    step = 2 * math.pi * 20 / _CHUNK
    return array.array("f", (0.2 * math.sin(step * k) for k in range(_CHUNK))).tobytes()


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()
