"""Contact sheets: a few frames of a local video in one small JPEG, ``<video>.sheet.jpg``.

Frames are found by seeking to the keyframe before each moment (only when it lies ahead of
what was already decoded) and decoding forward to it, scaled to ``HEIGHT`` pixels high by
FFmpeg's scaler. A sheet is cached: it is made again only when the video is newer than it.
Views reference the JPEG by a relative path, never as inline data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kling_nb.core.errors import MediaError
from kling_nb.core.html import Renders, esc, relative_src

FRAMES = 3
"""First, middle and last frame."""
MAX_FRAMES = 24
HEIGHT = 160
GAP = 2
"""Pixels between frames on the strip."""
_QUALITY = 80


def sheet_path(video: str | os.PathLike[str], frames: int = FRAMES) -> Path:
    """Where a video's sheet lives: ``<video>.sheet.jpg`` (``.sheet-<n>.jpg`` for other n)."""
    path = Path(video)
    tail = ".sheet.jpg" if frames == FRAMES else f".sheet-{frames}.jpg"
    return path.with_name(path.name + tail)


@dataclass(frozen=True)
class ContactSheet(Renders):
    """A video's contact sheet on disk; shows itself as an ``<img>`` by relative path."""

    path: Path
    """The JPEG beside the video."""
    video: Path
    frames: int

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def html(self, cwd: str | os.PathLike[str] | None = None, height: int = HEIGHT // 2) -> str:
        """An ``<img>`` fragment (relative ``src``), or a note when outside the served folder."""
        return sheet_img(self.path, cwd, height)

    def _text_view(self) -> str:
        return f"contact sheet ({self.frames} frames) of {self.video}: {self.path}"

    def _html_view(self) -> str:
        return self.html(height=HEIGHT)


def sheet_img(sheet: Path, cwd: str | os.PathLike[str] | None = None,
              height: int = HEIGHT // 2) -> str:
    """The ``<img>`` of a sheet file by relative path (a note when no relative path exists)."""
    src = relative_src(sheet, cwd)
    if src is None:
        return f"<p><i>Contact sheet saved outside the notebook folder, at {esc(sheet)}.</i></p>"
    return (f"<img class='kling-nb-sheet' src='{esc(src)}' height='{height}' loading='lazy' "
            f"alt='contact sheet' style='max-width:100%;height:auto;max-height:{height}px'/>")


def is_fresh(video: Path, sheet: Path) -> bool:
    """Whether ``sheet`` exists and is not older than ``video``."""
    try:
        return sheet.stat().st_mtime_ns >= video.stat().st_mtime_ns
    except OSError:
        return False


def existing(video: str | os.PathLike[str] | None, frames: int = FRAMES) -> ContactSheet | None:
    """The cached sheet of ``video`` when it is up to date (never extracts: for views)."""
    if video is None:
        return None
    path = Path(video)
    sheet = sheet_path(path, frames)
    return ContactSheet(sheet, path, frames) if is_fresh(path, sheet) else None


def contact_sheet(video: str | os.PathLike[str], frames: int = FRAMES, *,
                  force: bool = False) -> ContactSheet:
    """The sheet of a local video: ``frames`` evenly spaced from first to last, made if needed."""
    if isinstance(frames, bool) or not isinstance(frames, int) or not 1 <= frames <= MAX_FRAMES:
        msg = f"frames: {frames!r} is not a whole number from 1 to {MAX_FRAMES}"
        raise ValueError(msg)
    path = Path(video)
    if not path.is_file():
        msg = f"no video file at {path}: download it first (client.download(result))"
        raise MediaError(msg)
    sheet = sheet_path(path, frames)
    if force or not is_fresh(path, sheet):
        _save(_strip(_thumbnails(path, frames, HEIGHT)), sheet)
    return ContactSheet(sheet, path, frames)


def quietly(video: Path, frames: int = FRAMES) -> ContactSheet | None:
    """``contact_sheet`` after a download: a file that is no readable video gets no sheet."""
    try:
        return contact_sheet(video, frames)
    except (MediaError, OSError):
        return None


# -- extraction ---------------------------------------------------------------------------------
def _thumbnails(video: Path, frames: int, height: int) -> list[Any]:
    import av

    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                msg = f"{video} has no video stream"
                raise MediaError(msg)
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            return list(_grab(container, stream, _moments(container, stream, frames), height))
    except av.FFmpegError as exc:
        msg = f"{video} could not be read as a video ({exc})"
        raise MediaError(msg) from None


def _moments(container: Any, stream: Any, frames: int) -> list[float]:
    """Seconds to show: evenly spaced from 0; the last one means the last frame."""
    if frames == 1:
        return [0.0]
    seconds = _seconds(container, stream)
    return [seconds * i / (frames - 1) for i in range(frames - 1)] + [float("inf")]


def _seconds(container: Any, stream: Any) -> float:
    """The video's length in seconds."""
    if stream.duration:
        return float(stream.duration * stream.time_base)
    return float(container.duration or 0) / 1_000_000


def _grab(container: Any, stream: Any, moments: list[float], height: int) -> Iterator[Any]:
    """The frame at (or first after) each moment, scaled by one reused scaler."""
    from av.video.reformatter import VideoReformatter

    width = max(2, round(height * stream.width / max(stream.height, 1) / 2) * 2)
    reader, scaler = _Reader(container, stream), VideoReformatter()
    for moment in moments:
        frame = reader.frame_at(moment)
        if frame is None:
            msg = "the video has no frame to show"
            raise MediaError(msg)
        scaled = scaler.reformat(frame, width=width, height=height, format="rgb24")
        yield scaled.to_image()  # type: ignore[no-untyped-call]


class _Reader:
    """Decodes forward through a video, seeking only when a keyframe lies ahead of it: each
    frame shown costs at most the frames from the keyframe before it."""

    def __init__(self, container: Any, stream: Any) -> None:
        self.container, self.stream = container, stream
        self.keyframes = sorted(float(p.pts * stream.time_base) for p in container.demux(stream)
                                if p.is_keyframe and p.pts is not None) or [0.0]
        self.frames: Iterator[Any] | None = None
        self.last: Any = None
        self.position = float("-inf")

    def frame_at(self, moment: float) -> Any:
        """The first frame at or after ``moment`` (the last frame when none is)."""
        key = max((k for k in self.keyframes if k <= moment), default=self.keyframes[0])
        if self.frames is None or key > self.position:
            self.container.seek(int(key / self.stream.time_base), stream=self.stream,
                                backward=True, any_frame=False)
            self.frames, self.position = iter(self.container.decode(self.stream)), float("-inf")
        if self.last is not None and self.position >= moment - 1e-3:
            return self.last
        for frame in self.frames:
            self.last = frame
            self.position = frame.time if frame.time is not None else self.position
            if self.position >= moment - 1e-3:
                break
        return self.last


def _strip(images: list[Any]) -> Any:
    from PIL import Image

    width, height = images[0].size
    sheet = Image.new("RGB", (len(images) * width + (len(images) - 1) * GAP, height), (24, 24, 24))
    for i, image in enumerate(images):
        sheet.paste(image, (i * (width + GAP), 0))
    return sheet


def _save(image: Any, sheet: Path) -> None:
    """Write atomically, so a view never shows half a JPEG."""
    temporary = sheet.with_name(sheet.name + ".tmp")
    image.save(temporary, format="JPEG", quality=_QUALITY)
    os.replace(temporary, sheet)
