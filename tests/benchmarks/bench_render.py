"""Sandbox rendering: time and size of a 5 s and a 10 s video, against the previous renderer;
and Kling 4.0's longest: 30 s of 21:9 with stereo sound, against the same in mono.

The previous renderer (a panning gradient with a one-line caption) is loaded from git at
``BASELINE_COMMIT`` and timed in the same run, alternating with the current one.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from kling_nb.sandbox import _media

from .common import Row

BASELINE_COMMIT = "a7195b24624f2d84e6122f79afdab244e10f8417"
"""The last commit whose sandbox drew only a gradient and a caption."""
RUNS = 5
PROMPT = "A red fox running through fresh snow at dawn, cinematic light, slow motion"
ROOT = Path(__file__).resolve().parents[2]


def _baseline() -> ModuleType | None:
    """The previous ``_media`` module, or None when git or the commit is not at hand."""
    try:
        source = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:kling_nb/sandbox/_media.py"], cwd=ROOT,
            check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = ModuleType("kling_nb_old_media")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, "old _media.py", "exec"), module.__dict__)
    return module


def _spec(module: ModuleType, seconds: int, audio: bool) -> Any:
    if module is _media:
        return _media.RenderSpec(1920, 1080, seconds, "kling-3.0", PROMPT, 42, audio)
    return module.RenderSpec(1920, 1080, seconds, f"kling-3.0 #42: {PROMPT}", 42, audio)


def _time(module: ModuleType, spec: Any) -> tuple[float, int]:
    started = time.perf_counter()
    clip = module.render(spec)
    return time.perf_counter() - started, len(clip.mp4)


def _row(seconds: int, audio: bool, old: ModuleType | None) -> Row:
    ours: list[float] = []
    theirs: list[float] = []
    size = old_size = 0
    for _ in range(RUNS):  # alternate, so both see the same machine state
        took, size = _time(_media, _spec(_media, seconds, audio))
        ours.append(took)
        if old is not None:
            took, old_size = _time(old, _spec(old, seconds, audio))
            theirs.append(took)
    name = f"render {seconds} s {'with' if audio else 'without'} sound: best time / MP4 size"
    value = f"{min(ours) * 1000:.0f} ms / {size / 1000:.0f} KB"
    if not theirs:
        return Row("sandbox render", name, value, "skipped: no git baseline", target="< 1 s",
                   met=min(ours) < 1.0)
    return Row("sandbox render", name, value,
               f"{min(theirs) * 1000:.0f} ms / {old_size / 1000:.0f} KB",
               f"{min(ours) / min(theirs):.2f}x time, {size / old_size:.2f}x size",
               "< 1 s", min(ours) < 1.0)


def _widest() -> Row:
    """30 s at 2520x1080 with stereo sound (Kling 4.0's longest and widest), against mono."""
    def spec(stereo: bool) -> Any:
        return _media.RenderSpec(2520, 1080, 30, "kling-4.0", PROMPT, 42, True, stereo=stereo)

    stereo: list[float] = []
    mono: list[float] = []
    size = mono_size = 0
    for _ in range(RUNS):
        took, size = _time(_media, spec(True))
        stereo.append(took)
        took, mono_size = _time(_media, spec(False))
        mono.append(took)
    return Row("sandbox render", "render 30 s 21:9 with stereo sound: best time / MP4 size",
               f"{min(stereo) * 1000:.0f} ms / {size / 1000:.0f} KB",
               f"{min(mono) * 1000:.0f} ms / {mono_size / 1000:.0f} KB in mono",
               f"{min(stereo) / min(mono):.2f}x time, {size / mono_size:.2f}x size", "< 1 s",
               min(stereo) < 1.0)


def benchmark() -> list[Row]:
    """Best of RUNS renders of each length, with and without sound; then Kling 4.0's 30 s of
    21:9 in stereo."""
    old = _baseline()
    return [*(_row(seconds, audio, old) for seconds in (5, 10) for audio in (False, True)),
            _widest()]
