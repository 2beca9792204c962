"""Contact sheets: 24 downloaded videos' sheets made, then read from the cache."""

from __future__ import annotations

import shutil
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from kling_nb.media.sheets import contact_sheet
from kling_nb.sandbox._media import RenderSpec, render
from kling_nb.specs.results import Result, ResultList

from .common import Row

VIDEOS = 24


def _sandbox_videos(folder: Path) -> list[Path]:
    """24 sandbox videos of 5 s (320x180, 8 fps), each with its own seed."""
    paths = []
    for seed in range(VIDEOS):
        path = folder / f"sandbox-{seed}.mp4"
        path.write_bytes(render(RenderSpec(1280, 720, 5, "kling-3.0", f"variant {seed}", seed)).mp4)
        paths.append(path)
    return paths


def _large_videos(folder: Path) -> list[Path]:
    """24 copies of a 1280x720, 5 s, 24 fps H.264 video with a keyframe every 2 s, the shape
    of a real Kling download (smaller than 1080p, so the run stays short)."""
    import av
    from PIL import Image, ImageDraw

    first = folder / "large-0.mp4"
    with av.open(str(first), mode="w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 1280, 720, "yuv420p"
        stream.options = {"preset": "ultrafast", "g": "48"}
        for i in range(120):
            image = Image.new("RGB", (1280, 720), (i * 2 % 255, 90, 160))
            ImageDraw.Draw(image).rectangle((i * 9, 200, i * 9 + 200, 500), fill=(250, 250, 0))
            frame = av.VideoFrame.from_image(image)
            frame.pts, frame.time_base = i, Fraction(1, 24)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    paths = [first]
    for n in range(1, VIDEOS):
        paths.append(Path(shutil.copyfile(first, folder / f"large-{n}.mp4")))
    return paths


def _time(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        contact_sheet(path)
    return time.perf_counter() - started


def _grid_seconds(paths: list[Path]) -> float:
    """Kernel time to render 24 downloaded results side by side, their sheets shown."""
    results = ResultList(Result(job_id=f"job-{n}", provider="leonardo",
                                model="leonardo/kling-3.0", video_url=f"https://x.invalid/{n}",
                                sandbox=True, path=path, duration=5, seed=n)
                         for n, path in enumerate(paths))
    results._repr_mimebundle_()  # the first view loads the model catalogue (timed in start-up)
    started = time.perf_counter()
    html = results._repr_mimebundle_()["text/html"]
    seconds = time.perf_counter() - started
    assert html.count("class='kling-nb-sheet'") == len(paths)
    return seconds


def benchmark() -> list[Row]:
    """Make the sheets of 24 sandbox and 24 720p videos, ask again (cached), show a grid."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kling-nb-sheets-", dir=".") as folder:
        sandbox = _sandbox_videos(Path(folder))
        for label, paths in (("sandbox (320x180, 5 s, 8 fps)", sandbox),
                             ("720p (5 s, 24 fps, keyframe every 2 s)",
                              _large_videos(Path(folder)))):
            made, cached = _time(paths), _time(paths)
            rows += [
                Row("sheets", f"{VIDEOS} {label}: 3-frame sheets made",
                    f"{made:.2f} s ({1000 * made / VIDEOS:.0f} ms each)",
                    target="(made once, after the download)", met=None),
                Row("sheets", f"{VIDEOS} {label}: cached, asked again",
                    f"{1000 * cached:.1f} ms", target="< 50 ms", met=cached < 0.05),
            ]
        grid = _grid_seconds(sandbox)
        rows.append(Row("sheets", f"{VIDEOS}-result grid HTML, sheets shown (kernel time)",
                        f"{1000 * grid:.1f} ms", target="< 1 s", met=grid < 1.0))
    return rows
