"""Measuring a local video: length, size, frame rate, sound, motion, flicker, sharpness,
black and frozen frames, in one decoding pass with PyAV and numpy.

Every frame is decoded (H.264 frames depend on the ones before them) but analysed small: its
luma plane is read in place and sampled down to about ``ANALYSIS_HEIGHT`` rows, so the cost
after decoding is a fraction of a millisecond a frame. Sharpness is the variance of the
Laplacian of the luma (a standard focus measure, Pech-Pacheco et al. 2000), on
``SHARPNESS_FRAMES`` frames spread over the video, each first box-averaged to about
``SHARPNESS_HEIGHT`` rows: a blurred video scores lower than a sharp one, and a 720p and a
1080p video are judged at the same scale. The sound track is decoded to mono and
cut into 50 ms windows: loudness is its RMS level in dBFS and silence the share of windows
quieter than ``SILENCE_DBFS``.

PyAV and numpy are imported inside ``measure`` only.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kling_nb.core.errors import MediaError

ANALYSIS_HEIGHT = 90
"""Rows of luma the per-frame statistics are taken on (sampled from the decoded plane)."""
SHARPNESS_FRAMES = 6
SHARPNESS_HEIGHT = 360
BLACK_LEVEL = 40
"""A luma (0-255) above this is visible: studio-range black is 16, full-range black 0."""
BLACK_SHARE = 0.01
"""A frame with fewer visible pixels than this share is black."""
FROZEN_CHANGE = 0.1
"""A frame whose luma changed by less than this (mean, % of full scale) is frozen."""
SILENCE_DBFS = -50.0
WINDOW_S = 0.05
FLOOR_DBFS = -120.0
"""Loudness of digital silence (a log of zero has no value)."""


def measure(video: str | os.PathLike[str]) -> dict[str, float | None]:
    """The built-in measurements of a local video file, by name (see ``metrics.LABELS``).

    Raises ``MediaError`` when the file is missing or no readable video.
    """
    path = Path(video)
    if not path.is_file():
        msg = f"no video file at {path}: download it first (client.download(result))"
        raise MediaError(msg)
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                msg = f"{path} has no video stream"
                raise MediaError(msg)
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            sound = container.streams.audio[0] if container.streams.audio else None
            frames = _Frames(_expected_seconds(container, stream))
            audio = _Sound()
            streams = [stream] if sound is None else [stream, sound]
            for frame in container.decode(*streams):
                if isinstance(frame, av.VideoFrame):
                    frames.add(frame)
                else:
                    audio.add(frame)
            rate = float(stream.average_rate) if stream.average_rate else None
            size = (stream.width, stream.height)
    except av.FFmpegError as exc:
        msg = f"{path} could not be read as a video ({exc})"
        raise MediaError(msg) from None
    if not frames.count:
        msg = f"{path} has no frame to measure"
        raise MediaError(msg)
    return {**frames.values(rate, size), **audio.values(sound is not None)}


def _expected_seconds(container: Any, stream: Any) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return float(container.duration) / 1_000_000 if container.duration else None


def _luma(frame: Any) -> Any:
    """The frame's luma as a 2-D uint8 array: the Y plane in place where it is 8-bit."""
    import numpy as np

    name = frame.format.name
    if name.startswith(("yuv", "yuvj", "nv")) and not name.endswith(("le", "be")):
        plane = frame.planes[0]
        rows = np.frombuffer(plane, np.uint8).reshape(frame.height, plane.line_size)
        return rows[:, :frame.width]
    return frame.to_ndarray(format="gray")


@dataclass
class _Frames:
    """Per-frame statistics gathered as frames are decoded."""

    expected: float | None
    count: int = 0
    first: float | None = None
    last: float | None = None
    means: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)
    black: int = 0
    sharpness: list[float] = field(default_factory=list)
    previous: Any = None
    next_sharp: float = 0.0

    def add(self, frame: Any) -> None:
        import numpy as np

        luma = _luma(frame)
        step = max(1, round(luma.shape[0] / ANALYSIS_HEIGHT))
        small = luma[::step, ::step].astype(np.int16)
        when = frame.time if frame.time is not None else self.count
        self.first = when if self.first is None else self.first
        self.last = when
        self.count += 1
        pixels = small.size * 2.55  # sums as means in % of full scale
        self.means.append(float(small.sum()) / pixels)
        if self.previous is not None and self.previous.shape == small.shape:
            self.changes.append(float(np.abs(small - self.previous).sum()) / pixels)
        self.previous = small
        if np.count_nonzero(small > BLACK_LEVEL) < BLACK_SHARE * small.size:
            self.black += 1
        if when >= self.next_sharp:
            self.sharpness.append(_laplacian_variance(luma))
            spread = (self.expected or SHARPNESS_FRAMES) / SHARPNESS_FRAMES
            self.next_sharp = when + max(spread, 1e-6)

    def values(self, rate: float | None, size: tuple[int, int]) -> dict[str, float | None]:
        span = (self.last or 0.0) - (self.first or 0.0)
        fps = rate or ((self.count - 1) / span if span > 0 else None)
        seconds = span + (1 / fps if fps else 0.0)
        frozen = sum(1 for c in self.changes if c < FROZEN_CHANGE)
        return {
            "seconds": round(seconds, 3), "width": float(size[0]), "height": float(size[1]),
            "fps": round(fps, 3) if fps else None, "frames": float(self.count),
            "motion": round(_mean(self.changes), 4), "flicker": round(_flicker(self.means), 4),
            "sharpness": round(_mean(self.sharpness), 2),
            "black": round(self.black / self.count, 4),
            "frozen": round(frozen / len(self.changes), 4) if self.changes else 0.0,
        }


def _laplacian_variance(luma: Any) -> float:
    """Variance of the 4-neighbour Laplacian: high for crisp edges, low for blur."""
    import numpy as np

    step = max(1, luma.shape[0] // SHARPNESS_HEIGHT)
    rows, cols = luma.shape[0] // step * step, luma.shape[1] // step * step
    image = np.zeros((rows // step, cols // step), np.float32)
    for down in range(step):  # a box average: step x step strided views added up
        for across in range(step):
            image += luma[down:rows:step, across:cols:step]
    image /= step * step
    lap = (image[1:-1, :-2] + image[1:-1, 2:] + image[:-2, 1:-1] + image[2:, 1:-1]
           - 4 * image[1:-1, 1:-1])
    return float(lap.var()) if lap.size else 0.0


def _flicker(means: list[float]) -> float:
    """Mean jump of a frame's brightness off the line between its neighbours (% of full
    scale): a fade or a pan scores near 0, a light that blinks frame to frame high."""
    if len(means) < 3:
        return 0.0
    jumps = [abs(means[i] - (means[i - 1] + means[i + 1]) / 2) for i in range(1, len(means) - 1)]
    return sum(jumps) / len(jumps)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass
class _Sound:
    """The sound track, mixed down to mono as it is decoded."""

    rate: int = 0
    chunks: list[Any] = field(default_factory=list)

    def add(self, frame: Any) -> None:
        import numpy as np

        data = frame.to_ndarray()
        if np.issubdtype(data.dtype, np.integer):
            data = data.astype(np.float32) / float(np.iinfo(data.dtype).max)
        channels = len(frame.layout.channels) or 1
        if frame.format.is_planar:
            mono = data.mean(axis=0)
        else:
            mono = data.reshape(-1, channels).mean(axis=1)
        self.rate = frame.sample_rate or self.rate
        self.chunks.append(mono.astype(np.float32))

    def values(self, present: bool) -> dict[str, float | None]:
        if not present:
            return {"audio": 0.0, "loudness_db": None, "silence": None}
        import numpy as np

        samples = np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.float32)
        if not samples.size or not self.rate:
            return {"audio": 1.0, "loudness_db": FLOOR_DBFS, "silence": 1.0}
        width = max(1, round(self.rate * WINDOW_S))
        whole = samples[: samples.size // width * width].reshape(-1, width)
        if not whole.size:
            whole = samples.reshape(1, -1)
        levels = np.sqrt((whole.astype(np.float64) ** 2).mean(axis=1))
        silent = float((levels < 10 ** (SILENCE_DBFS / 20)).mean())
        loudness = _dbfs(float(np.sqrt((samples.astype(np.float64) ** 2).mean())))
        return {"audio": 1.0, "loudness_db": round(loudness, 2), "silence": round(silent, 4)}


def _dbfs(rms: float) -> float:
    return max(FLOOR_DBFS, 20 * math.log10(rms)) if rms > 0 else FLOOR_DBFS
