"""Small H.264 (+AAC) clips with known properties, written with PyAV for the metrics tests."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

Frame = Callable[[int], np.ndarray]
"""Frame ``i`` as an RGB uint8 array (height x width x 3)."""
RATE = 16_000


def texture(width: int = 160, height: int = 90, seed: int = 0) -> np.ndarray:
    """Random grey-level blocks of 2x2 pixels: plenty of detail, the same every call."""
    rng = np.random.default_rng(seed)
    small = rng.integers(30, 226, (height // 2 + 1, width // 2 + 1), dtype=np.uint8)
    big = np.kron(small, np.ones((2, 2), np.uint8))[:height, :width]
    return np.repeat(big[:, :, None], 3, axis=2)


def still(width: int = 160, height: int = 90) -> Frame:
    """The same textured frame every time."""
    picture = texture(width, height)
    return lambda i: picture


def moving(width: int = 160, height: int = 90, step: int = 3) -> Frame:
    """The texture sliding ``step`` pixels to the right a frame."""
    wide = texture(width * 4, height)
    return lambda i: np.ascontiguousarray(wide[:, (i * step) % (width * 3):][:, :width])


def blackout(frame: Frame, black: Callable[[int], bool]) -> Frame:
    """``frame``, except that frames where ``black(i)`` are black."""
    return lambda i: np.zeros_like(frame(i)) if black(i) else frame(i)


def blinking(width: int = 160, height: int = 90) -> Frame:
    """The still texture, one frame bright, the next dark."""
    picture = texture(width, height).astype(np.int16)
    return lambda i: np.clip(picture + (60 if i % 2 else -60), 0, 255).astype(np.uint8)


def tone(seconds: float, amplitude: float = 0.2) -> np.ndarray:
    """A 440 Hz sine, mono float32."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def write(path: Path, frame: Frame, *, seconds: float = 2.0, fps: int = 12,
          size: tuple[int, int] = (160, 90), sound: np.ndarray | None = None) -> Path:
    """An MP4 of ``seconds`` at ``fps`` of ``frame(i)``, with ``sound`` (mono) if given."""
    with av.open(str(path), mode="w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "18"}
        audio = out.add_stream("aac", rate=RATE) if sound is not None else None
        if audio is not None:
            audio.layout = "mono"  # else the encoder upmixes to stereo, each side 3 dB down
        for i in range(round(seconds * fps)):
            picture = av.VideoFrame.from_ndarray(frame(i), format="rgb24")
            picture.pts, picture.time_base = i, Fraction(1, fps)
            out.mux(video.encode(picture))
        out.mux(video.encode(None))
        if audio is not None and sound is not None:
            for start in range(0, len(sound), 1024):
                chunk = sound[start:start + 1024][None, :]
                samples = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
                samples.sample_rate, samples.pts = RATE, start
                samples.time_base = Fraction(1, RATE)
                out.mux(audio.encode(samples))
            out.mux(audio.encode(None))
    return path
