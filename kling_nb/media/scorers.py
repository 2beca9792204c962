"""Your own scorers: any function from a video file to numbers, kept and shown like the
built-in metrics.

``register_scorer("clip", clip_score)`` (or ``@register_scorer("clip")``) makes every later
measurement call ``clip_score(path)``: on each download (unless ``on_download=False``, for a
slow scorer), in ``journal.measure(...)`` and in ``kling-nb metrics --scorer module:function``.
A scorer returns a number (stored under its name), a bool, None, or a mapping of names to
numbers (stored as ``name.key``). kling_nb itself depends on no model: a CLIP score, an
aesthetic predictor or a face counter is a function you write with what you install.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real
from pathlib import Path
from typing import Any

from kling_nb.core.warn import warn

Scorer = Callable[[Path], Any]
"""A function from a video file to a number, None, or a mapping of names to numbers."""

RESERVED = frozenset({
    "job_id", "handle", "provider", "model", "status", "prompt", "duration", "seed", "cost",
    "cost_unit", "submitted_at", "finished_at", "elapsed", "rating", "tags", "note",
    "sweep_id", "video_url", "path", "sandbox", "draft_of", "flags",
    "seconds", "width", "height", "fps", "frames", "audio", "loudness_db", "silence", "motion",
    "flicker", "sharpness", "black", "frozen", "duration_ok", "aspect_ok", "sound_ok"})
"""Names a scorer may not take: the history's columns and the built-in metrics."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Registered:
    """A registered scorer: its name, function, and whether it runs on every download."""

    name: str
    function: Scorer
    on_download: bool = True


_SCORERS: dict[str, Registered] = {}


def register_scorer(name: str, function: Scorer | None = None, *,
                    on_download: bool = True) -> Any:
    """Register ``function(path) -> number | {name: number}`` as the scorer ``name``.

    Used as ``register_scorer("clip", fn)`` or as a decorator ``@register_scorer("clip")``;
    registering a name again replaces it. ``on_download=False`` keeps a slow scorer out of
    downloads (``journal.measure(..., scorers=True)`` still runs it).
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        msg = (f"name: {name!r} is not a scorer name: use letters, digits and _ "
               "(not starting with a digit)")
        raise ValueError(msg)
    if name in RESERVED:
        msg = f"name: {name!r} is taken (a built-in metric or a history column); pick another"
        raise ValueError(msg)

    def register(fn: Scorer) -> Scorer:
        if not callable(fn):
            msg = f"function: {fn!r} is not callable"
            raise TypeError(msg)
        _SCORERS[name] = Registered(name, fn, on_download)
        return fn

    return register if function is None else register(function)


def unregister_scorer(name: str) -> None:
    """Forget the scorer ``name`` (numbers it already gave stay in the journal)."""
    _SCORERS.pop(name, None)


def registered() -> dict[str, Registered]:
    """The registered scorers by name."""
    return dict(_SCORERS)


def load_scorer(target: str) -> Registered:
    """Register ``module:function`` (or ``module:function=name``) and return it: how the
    command line takes a scorer."""
    spec, _, name = target.partition("=")
    module, colon, attribute = spec.partition(":")
    if not colon or not module or not attribute:
        msg = f"--scorer: {target!r} is not module:function (e.g. mypkg.scores:clip)"
        raise ValueError(msg)
    try:
        function = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        msg = f"--scorer: cannot load {spec} ({exc})"
        raise ValueError(msg) from None
    register_scorer(name or attribute, function)
    return _SCORERS[name or attribute]


def score(video: Path, *, on_download_only: bool = False) -> dict[str, float | None]:
    """Every registered scorer's numbers for ``video`` (only those that run on download, with
    ``on_download_only``); a scorer that fails or answers no number is warned about, skipped."""
    found: dict[str, float | None] = {}
    for entry in list(_SCORERS.values()):
        if on_download_only and not entry.on_download:
            continue
        try:
            found.update(_numbers(entry.name, entry.function(video)))
        except Exception as exc:  # someone else's code: it must not stop a download
            warn(f"scorer {entry.name!r} failed on {video.name}: {exc!r}", RuntimeWarning)
    return found


def _numbers(name: str, value: Any) -> dict[str, float | None]:
    if isinstance(value, Mapping):
        return {f"{name}.{key}": _number(f"{name}.{key}", v) for key, v in value.items()}
    return {name: _number(name, value)}


def _number(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a numpy or torch scalar
    if not isinstance(value, (Real, bool)) or not math.isfinite(float(value)):
        msg = f"{name} gave {value!r}, not a finite number"
        raise TypeError(msg)
    return float(value)
