"""Video metrics: a 5 s 720p H.264 download measured, against decoding it alone; what each
sandbox download pays for its metrics; and a factor table over a 1,000-job history."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from kling_nb.journal.entries import Entry
from kling_nb.journal.history import History
from kling_nb.media.measure import measure
from kling_nb.sandbox._media import RenderSpec, render

from .common import Row

RUNS = 7


def _download_like(path: Path) -> Path:
    """5 s of 1280x720 at 24 fps, H.264 at about 3 Mbit/s (a textured scene panning, a
    keyframe every 2 s) with 44.1 kHz stereo AAC: the shape of a real Kling 720p download."""
    import av
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(0)
    noise = rng.integers(0, 255, (1000, 1800, 3), dtype=np.uint8)
    scene = Image.fromarray(noise).filter(ImageFilter.GaussianBlur(1.2))
    with av.open(str(path), mode="w") as out:
        video = out.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 1280, 720, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "20", "g": "48"}
        sound = out.add_stream("aac", rate=44100)
        sound.layout = "stereo"
        for i in range(120):
            frame = av.VideoFrame.from_image(scene.crop((i * 3, i * 2, i * 3 + 1280,
                                                         i * 2 + 720)))
            frame.pts, frame.time_base = i, Fraction(1, 24)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(5 * 44100) / 44100)).astype(np.float32)
        for start in range(0, tone.size, 1024):
            chunk = tone[start:start + 1024]
            samples = av.AudioFrame.from_ndarray(np.stack([chunk, chunk]), format="fltp",
                                                 layout="stereo")
            samples.sample_rate, samples.pts = 44100, start
            samples.time_base = Fraction(1, 44100)
            out.mux(sound.encode(samples))
        out.mux(sound.encode(None))
    return path


def _decode_only(path: Path) -> None:
    """Every video frame decoded (threads on), nothing analysed: the floor."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass


def _median(action: object, path: Path) -> tuple[float, float]:
    """Median wall and CPU seconds (CPU: every thread's, so what it costs when the machine
    is shared)."""
    walls, cpus = [], []
    for _ in range(RUNS):
        started, used = time.perf_counter(), time.process_time()
        action(path)  # type: ignore[operator]
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - used)
    return statistics.median(walls), statistics.median(cpus)


def _load() -> str:
    try:
        return f"load {os.getloadavg()[0]:.1f}"
    except OSError:
        return "load unknown"


def _history(jobs: int = 1000) -> History:
    """``jobs`` rated jobs over 5 prompts x 10 seeds x 2 durations x 2 models."""
    rng = random.Random(0)
    found = []
    for n in range(jobs):
        prompt, seed = f"variant {n % 5}", n % 10
        duration, model = (5, 10)[n % 2], ("leonardo/kling-3.0", "leonardo/kling-o3")[n // 2 % 2]
        score = 3 + (n % 5) * 0.3 + rng.gauss(0, 0.8)
        found.append(Entry(handle=f"h{n}", provider="leonardo", model=model, status="complete",
                           job_id=f"j{n}", prompt=prompt, seed=seed, duration=duration,
                           spec_data={"model": model, "prompt": prompt, "seed": seed,
                                      "duration": duration},
                           rating=max(1, min(5, round(score)))))
    return History(found)


def benchmark() -> list[Row]:
    """Time metrics on a 720p download and a sandbox video, and a factor table."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kling-nb-metrics-") as folder:
        big = _download_like(Path(folder) / "720p.mp4")
        measure(big)  # first use: PyAV and numpy imported
        decoding, decoding_cpu = _median(_decode_only, big)
        measured, measured_cpu = _median(measure, big)
        size = big.stat().st_size / 1e6
        rows.append(Row("metrics", f"5 s 720p H.264 + AAC ({size:.1f} MB): all metrics, "
                                   f"wall (CPU) [{_load()}]",
                        f"{measured:.3f} s ({measured_cpu:.3f} s)",
                        f"decoding the video alone {decoding:.3f} s ({decoding_cpu:.3f} s)",
                        f"{measured / decoding:.2f}x", "<= 0.3 s", measured <= 0.3))
        small = Path(folder) / "sandbox.mp4"
        small.write_bytes(render(RenderSpec(1280, 720, 5, "kling-3.0", "a fox", 1,
                                            audio=True)).mp4)
        sandbox, sandbox_cpu = _median(measure, small)
        rows.append(Row("metrics", "a 5 s sandbox video (320x180, 8 fps, sound): all metrics",
                        f"{sandbox * 1000:.0f} ms ({sandbox_cpu * 1000:.0f} ms CPU)", "", "",
                        "cheap on every download", None))
    history = _history()
    history.factors(permutations=999)  # first use
    started, used = time.perf_counter(), time.process_time()
    table = history.factors(permutations=999)
    took, cpu = time.perf_counter() - started, time.process_time() - used
    rows.append(Row("metrics", f"factor table: 1,000 jobs, {len(table)} factors, 999 "
                               "permutations each", f"{took:.2f} s ({cpu:.2f} s CPU)", "", "",
                    "< 1 s", took < 1.0))
    return rows
