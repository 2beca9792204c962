"""Render the sandbox's small, real, playable MP4 videos and JPEG posters.

Every frame shows what was asked (``_frames``): SANDBOX, the model, seed, length, size, sound
and the prompt (each shot's prompt during its part of a storyboard), over a picture whose
colours and motion come from the prompt and seed; the sound is a tone whose pitch does too
(in stereo it follows the bouncing shape from left to right).
"""

from __future__ import annotations

import array
import io
import math
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageOps

if TYPE_CHECKING:  # PyAV loads when a video is written or read, not with the sandbox
    import av

from ._frames import (
    Caption,
    Look,
    Scene,
    Shot,
    backdrop,
    colour,
    look_of,
    overlay,
    pan_offset,
    sprite,
    sprite_position,
    sprite_x,
    timeline,
)
from ._tracks import fitted, follow, levels, motion_frames, samples

MAX_SIDE = 320
FPS = 8
AUDIO_RATE = 22050
AUDIO_BIT_RATE = 16_000
_CHUNK = 1024
_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}


@dataclass(frozen=True)
class RenderSpec:
    """What to render: requested size and length, what was asked, optional frames and audio."""

    width: int
    height: int
    seconds: int
    model: str
    prompt: str
    seed: int
    audio: bool = False
    stereo: bool = False
    """Two channels: the tone pans with the sprite's place across the frame."""
    start: bytes | None = None
    end: bytes | None = None
    shots: tuple[Shot, ...] = ()
    images: tuple[bytes, ...] = ()
    """Images the video passes through in turn (multi-image-to-video), when it has no start."""
    length: float | None = None
    """The exact length in seconds, when an input sets it (else ``seconds``)."""
    sound: bytes | None = None
    """A clip (any audio or video file) whose sound the video plays instead of a tone."""
    motion: bytes | None = None
    """A video (MP4 bytes) whose frames the video's picture follows."""
    follows: str = ""
    """What the frames say the video follows ("speaks the given clip (3.2 s)")."""

    @property
    def duration(self) -> float:
        """The video's length in seconds."""
        return self.length or float(self.seconds)


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
    import av

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


def _fit(data: bytes, size: tuple[int, int]) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        big = (int(size[0] * 1.25), int(size[1] * 1.25))
        return ImageOps.fit(img.convert("RGB"), big, Image.Resampling.BILINEAR)


def _images(spec: RenderSpec, size: tuple[int, int]) -> list[Image.Image]:
    """The start (and end) image a job animates, or the images it passes through in turn;
    none for a text-to-video job."""
    if spec.start is None:
        return [_fit(data, size) for data in spec.images]
    frames = [_fit(spec.start, size)]
    if spec.end is not None:
        frames.append(_fit(spec.end, size))
    return frames


def side_by_side(left: bytes, right: bytes) -> bytes:
    """Two images as one PNG, the first on the left (how an effect with two people shows
    them), each scaled to the same height."""
    with Image.open(io.BytesIO(left)) as a, Image.open(io.BytesIO(right)) as b:
        height = min(a.height, b.height, 720)
        parts = [ImageOps.contain(i.convert("RGB"), (10 * height, height)) for i in (a, b)]
    joined = Image.new("RGB", (parts[0].width + parts[1].width, height))
    joined.paste(parts[0], (0, 0))
    joined.paste(parts[1], (parts[0].width, 0))
    buffer = io.BytesIO()
    joined.save(buffer, format="PNG")
    return buffer.getvalue()


def _zoom(sources: list[Image.Image], size: tuple[int, int], t: float) -> Image.Image:
    """Frame at progress ``t`` in [0, 1] of a slow zoom on an image: a blend of the two
    images ``t`` lies between when there are several (each in turn)."""
    base = sources[0]
    if len(sources) > 1:
        place = t * (len(sources) - 1)
        index = min(int(place), len(sources) - 2)
        base = Image.blend(sources[index], sources[index + 1], place - index)
    zoom = 1.0 + 0.25 * (1 - t)
    cw, ch = base.width / zoom, base.height / zoom
    left, top = (base.width - cw) / 2, (base.height - ch) / 2
    box = (int(left), int(top), int(left + cw), int(top + ch))
    return base.resize(size, Image.Resampling.BILINEAR, box=box)


# ---- scenes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    """One scene with what its frames reuse: the backdrop to pan and the sprite."""

    scene: Scene
    backdrop: Image.Image | None
    sprite: Image.Image


def facts(spec: RenderSpec) -> str:
    """The line of facts drawn under the model: seed, length, requested size, sound."""
    sound = ("stereo audio" if spec.stereo else "audio on") if spec.audio else "no audio"
    length = f"{spec.length:.1f} s" if spec.length else f"{spec.seconds} s"
    return f"seed {spec.seed} | {length} | {spec.width}x{spec.height} | {sound}"


def scenes(spec: RenderSpec, size: tuple[int, int]) -> list[Scene]:
    """The stretches of the video: one for a prompt, one per shot of a storyboard."""
    shots = spec.shots or (Shot(spec.prompt),)
    parts = timeline(shots, spec.duration)
    made = []
    for index, (text, end) in enumerate(parts, start=1):
        label = f"shot {index}/{len(parts)}: {text}" if spec.shots else text
        if spec.follows:  # what the video speaks or moves as, before the prompt
            label = f"{spec.follows}. {label}" if label else spec.follows
        caption = Caption(spec.model, facts(spec), label)
        made.append(Scene(look_of(text, spec.seed), overlay(caption, size), end))
    return made


def _stages(spec: RenderSpec, size: tuple[int, int]) -> list[_Stage]:
    pictures = spec.start is None and not spec.images
    return [_Stage(s, backdrop(s.look, size) if pictures else None, sprite(s.look, size))
            for s in scenes(spec, size)]


def _at(stages: list[_Stage], t: float) -> _Stage:
    return next((s for s in stages if t < s.scene.end), stages[-1])


def compose(stage: _Stage, images: list[Image.Image], size: tuple[int, int], t: float,
            progress: float, reference: Image.Image | None = None,
            level: float | None = None) -> Image.Image:
    """The frame at ``t`` seconds (``progress`` of the video in [0, 1]); with a
    ``reference`` frame the picture follows it (motion control) instead of a bouncing
    sprite; ``level`` (0-1) draws the loudness of the sound being spoken."""
    look = stage.scene.look
    if stage.backdrop is not None:
        x, y = pan_offset(look, size, t)
        img = stage.backdrop.crop((x, y, x + size[0], y + size[1]))
    else:
        img = _zoom(images, size, progress)
    if reference is not None:
        img = follow(img, reference)
    elif level is None:  # a speaking avatar's motion is its mouth, not a sprite
        img.paste(stage.sprite, sprite_position(look, size, stage.sprite.width, t),
                  stage.sprite)
    if level is not None:
        _voice(img, look, level)
    img.paste(stage.scene.overlay, (0, 0), stage.scene.overlay)
    _progress_bar(img, look, progress)
    return img


def _voice(img: Image.Image, look: Look, level: float) -> None:
    """A mouth-like bar above the foot that opens with the loudness of the clip."""
    half = max(2, img.width // 4)
    open_by = max(1, round(min(1.0, level * 4) * img.height / 6))
    middle, bottom = img.width // 2, img.height - img.height // 8
    ImageDraw.Draw(img).rectangle((middle - half, bottom - open_by, middle + half, bottom),
                                  fill=colour(look, 0.0, math.pi), outline=(255, 255, 255))


def _progress_bar(img: Image.Image, look: Look, progress: float) -> None:
    width = round(progress * img.width)
    if width > 0:
        ImageDraw.Draw(img).rectangle((0, img.height - 2, width - 1, img.height - 1),
                                      fill=colour(look, 0.0, math.pi))


# ---- encoding --------------------------------------------------------------------------------


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
    import av

    stages = _stages(spec, size)
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
        sound = fitted(samples(spec.sound, AUDIO_RATE), spec.duration, AUDIO_RATE) \
            if spec.audio and spec.sound else b""
        audio = _audio_stream(out, spec.stereo) if spec.audio else None
        poster = _encode_video(out, video, spec, stages, size, sound)
        if audio is not None:
            _encode_audio(out, audio, spec.duration, stages, sound, spec.stereo)
    return poster


def _audio_stream(out: av.container.OutputContainer, stereo: bool) -> av.AudioStream:
    """AAC for a plain tone: the fast coder at a low bit rate encodes it ~20x faster (a
    higher bit rate for stereo would double the encoder's time: a tone needs none)."""
    stream = out.add_stream("aac", rate=AUDIO_RATE)
    stream.bit_rate = AUDIO_BIT_RATE
    stream.options = {"aac_coder": "fast"}
    if stereo:
        stream.layout = "stereo"
    return stream


def _encode_video(out: av.container.OutputContainer, stream: av.VideoStream,
                  spec: RenderSpec, stages: list[_Stage], size: tuple[int, int],
                  sound: bytes) -> bytes:
    import av

    images = _images(spec, size)
    total = max(1, round(spec.duration * FPS))
    moves = motion_frames(spec.motion, size, FPS, total) if spec.motion else []
    loud = levels(sound, AUDIO_RATE, FPS, total) if sound and not moves else []
    poster = b""
    for i in range(total):
        t = i / FPS
        img = compose(_at(stages, t), images, size, t, i / max(1, total - 1),
                      moves[i] if moves else None, loud[i] if loud else None)
        if i == 0:
            poster = _jpeg(img)
        frame = av.VideoFrame.from_image(img)  # type: ignore[no-untyped-call]
        frame.pts = i
        frame.time_base = Fraction(1, FPS)
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
    return poster


def _encode_audio(out: av.container.OutputContainer, stream: av.AudioStream,
                  seconds: float, stages: list[_Stage], sound: bytes,
                  stereo: bool = False) -> None:
    """The given sound (float samples, on every channel), else a tone per scene (in stereo,
    panned with the sprite)."""
    import av

    count = round(seconds * AUDIO_RATE)
    for start in range(0, count, _CHUNK):
        n = min(_CHUNK, count - start)
        t = start / AUDIO_RATE
        look = _at(stages, t).scene.look
        frame = av.AudioFrame(format="fltp", layout="stereo" if stereo else "mono", samples=n)
        if sound:
            for plane in frame.planes:
                plane.update(sound[4 * start: 4 * (start + n)])
        elif stereo:
            place = round(sprite_x(look, t) * _PAN_STEPS)
            frame.planes[0].update(_tone_chunk(look.tone, _PAN_STEPS - place)[: 4 * n])
            frame.planes[1].update(_tone_chunk(look.tone, place)[: 4 * n])
        else:
            frame.planes[0].update(_tone_chunk(look.tone)[: 4 * n])
        frame.sample_rate = AUDIO_RATE
        frame.pts = start
        frame.time_base = Fraction(1, AUDIO_RATE)
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))


_PAN_STEPS = 8
"""How finely a stereo tone follows the sprite: its gain in each channel, in eighths."""


@lru_cache(maxsize=256)
def _tone_chunk(periods: int, level: int = _PAN_STEPS) -> bytes:
    """1024 samples holding a whole number of periods of a tone, so chunks tile seamlessly
    (``periods`` 12-30: about 260-650 Hz), at ``level`` eighths of full volume (a channel of a
    stereo tone: its share of a constant-power pan)."""
    step = 2 * math.pi * periods / _CHUNK
    gain = 0.2 * math.sin(math.pi / 2 * level / _PAN_STEPS)
    return array.array("f", (gain * math.sin(step * k) for k in range(_CHUNK))).tobytes()


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()
