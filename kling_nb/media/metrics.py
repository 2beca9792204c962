"""A video's metrics: what was measured on the file (``measure``), what your own scorers said,
whether it matches what was asked, and the problems worth a look (``flags``).

``Metrics`` is a read-only mapping of name -> number (None where a measure has no value, e.g.
the loudness of a video without sound); it shows itself as one line or a small table.
``Asked`` holds what the request asked for (length, size, sound); the journal fills it from
the job's spec, so the checks (``duration_ok``, ``aspect_ok``, ``sound_ok``) and the flags
are worked out when they are read, never stored stale.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kling_nb.core.errors import MediaError
from kling_nb.core.html import Renders, esc

from .measure import measure
from .scorers import score

LABELS: dict[str, str] = {
    "seconds": "length (s)", "width": "width (px)", "height": "height (px)",
    "fps": "frame rate (fps)", "frames": "frames", "audio": "sound track",
    "loudness_db": "loudness (dBFS)", "silence": "silent share of the sound",
    "motion": "motion (% a frame)", "flicker": "flicker (% a frame)",
    "sharpness": "sharpness", "black": "black frames", "frozen": "frozen frames",
}
"""The built-in measurements, as a record labels them (``kling_nb.media.measure`` says how
each is measured: motion and flicker are luma changes in % of full scale, sharpness the
variance of the Laplacian at 360 rows)."""
_SHARES = frozenset({"silence", "black", "frozen"})
BUILTIN = tuple(LABELS)
CHECKS = ("duration_ok", "aspect_ok", "sound_ok")
"""Whether the video matches what was asked: True, False, or None (nothing to check)."""
DURATION_TOLERANCE_S = 0.5
ASPECT_TOLERANCE = 0.02
"""Relative difference of width/height ratios still counted as the same aspect."""
SOUNDLESS = 0.98
"""A sound track silent for this share of its windows has no sound to speak of."""
BLACK_FLAG, FROZEN_FLAG, FLICKER_FLAG = 0.1, 0.2, 1.0


@dataclass(frozen=True)
class Asked:
    """What the request asked for; None where it left it to the model (nothing to check)."""

    seconds: float | None = None
    size: tuple[int, int] | None = None
    """Width and height, or any pair with the asked aspect (16, 9)."""
    sound: bool | None = None


def _ratio(size: tuple[float, float]) -> float:
    return size[0] / size[1] if size[1] else 0.0


def aspect_text(width: float, height: float) -> str:
    """``16:9`` for 1280x720, ``1:1``, ``9:16``; else the ratio to two decimals."""
    from math import gcd

    w, h = round(width), round(height)
    divisor = gcd(w, h) or 1
    if w // divisor <= 32 and h // divisor <= 32:
        return f"{w // divisor}:{h // divisor}"
    return f"{w / h:.2f}:1" if h else "?"


@dataclass(frozen=True)
class Metrics(Renders, Mapping[str, float | None]):
    """A video's measurements by name, what was asked, and the checks and flags from both."""

    numbers: Mapping[str, float | None]
    asked: Asked = field(default_factory=Asked)

    def __getitem__(self, name: str) -> float | None:
        if name in CHECKS:
            check = self.checks[name]
            return None if check is None else float(check)
        return self.numbers[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.numbers, *CHECKS])

    def __len__(self) -> int:
        return len(self.numbers) + len(CHECKS)

    def with_asked(self, asked: Asked) -> Metrics:
        """The same measurements checked against ``asked``."""
        return Metrics(self.numbers, asked)

    @property
    def measured(self) -> bool:
        """Whether the built-in measurements are there (not only a scorer's)."""
        return all(name in self.numbers for name in ("seconds", "motion"))

    @property
    def scores(self) -> dict[str, float | None]:
        """Your own scorers' numbers (everything that is not built in)."""
        return {k: v for k, v in self.numbers.items() if k not in LABELS}

    # -- checks --------------------------------------------------------------------------------
    @property
    def checks(self) -> dict[str, bool | None]:
        """``duration_ok``, ``aspect_ok``, ``sound_ok``: None where nothing was asked."""
        return {"duration_ok": self._duration_ok(), "aspect_ok": self._aspect_ok(),
                "sound_ok": self._sound_ok()}

    def _duration_ok(self) -> bool | None:
        seconds = self.numbers.get("seconds")
        if self.asked.seconds is None or seconds is None:
            return None
        return abs(seconds - self.asked.seconds) <= DURATION_TOLERANCE_S

    def _aspect_ok(self) -> bool | None:
        width, height = self.numbers.get("width"), self.numbers.get("height")
        if self.asked.size is None or not width or not height:
            return None
        asked = _ratio(self.asked.size)
        return abs(_ratio((width, height)) - asked) <= ASPECT_TOLERANCE * asked

    @property
    def has_sound(self) -> bool | None:
        """A sound track that is not all silence (None when not measured)."""
        if "audio" not in self.numbers:
            return None
        silence = self.numbers.get("silence")
        return bool(self.numbers["audio"]) and (silence is None or silence < SOUNDLESS)

    def _sound_ok(self) -> bool | None:
        if self.asked.sound is None or self.has_sound is None:
            return None
        return self.has_sound == self.asked.sound

    @property
    def flags(self) -> list[str]:
        """What is worth a look: a mismatch with what was asked, black, frozen or flickering
        frames, a silent sound track."""
        found = [*self._mismatches()]
        black, frozen = self.numbers.get("black"), self.numbers.get("frozen")
        if black is not None and black >= BLACK_FLAG:
            found.append(f"black frames: {black:.0%}")
        if frozen is not None and frozen >= FROZEN_FLAG:
            found.append(f"frozen frames: {frozen:.0%}")
        flicker = self.numbers.get("flicker")
        if flicker is not None and flicker >= FLICKER_FLAG:
            found.append(f"flicker: {flicker:.1f}% brightness jitter a frame")
        if self.numbers.get("audio") and not self.has_sound and self.asked.sound is not True:
            found.append("the sound track is silent")
        return found

    def _mismatches(self) -> Iterator[str]:
        checks, values = self.checks, self.numbers
        if checks["duration_ok"] is False:
            seconds = values["seconds"] or 0.0
            word = "shorter" if seconds < (self.asked.seconds or 0) else "longer"
            yield f"{word} than asked: {seconds:.1f} s of {self.asked.seconds:g} s"
        if checks["aspect_ok"] is False and self.asked.size is not None:
            width, height = values["width"] or 0, values["height"] or 0
            yield (f"aspect {aspect_text(width, height)} ({width:.0f}x{height:.0f}), asked "
                   f"{aspect_text(*self.asked.size)}")
        if checks["sound_ok"] is False:
            if self.asked.sound:
                yield ("no sound: the sound track is silent" if values.get("audio")
                       else "no sound track, though sound was asked")
            else:
                yield "sound, though none was asked"

    # -- display -------------------------------------------------------------------------------
    def summary(self) -> str:
        """One line: ``5.0 s · 1280x720 · 24 fps · sound -18 dB · motion 2.1% · ...``."""
        v = self.numbers
        parts: list[str] = []
        if v.get("seconds") is not None:
            parts.append(f"{v['seconds']:.1f} s")
        if v.get("width") and v.get("height"):
            parts.append(f"{v['width']:.0f}x{v['height']:.0f}")
        if v.get("fps"):
            parts.append(f"{v['fps']:g} fps")
        if "audio" in v:
            parts.append(f"sound {v['loudness_db']:.0f} dB" if self.has_sound else "no sound")
        for name, text in (("motion", "motion {:.1f}%"), ("sharpness", "sharpness {:.0f}")):
            if v.get(name) is not None:
                parts.append(text.format(v[name]))
        parts += [f"{k} {_number(x)}" for k, x in self.scores.items()]
        return " · ".join(parts) or "not measured"

    def rows(self) -> list[tuple[str, str]]:
        """Every measurement, check and score as (name, text), for a full record."""
        found = [(name, _shown(name, self.numbers[name])) for name in BUILTIN
                 if name in self.numbers]
        found += [(name, "-" if ok is None else "yes" if ok else "NO")
                  for name, ok in self.checks.items()]
        found += [(name, _number(value)) for name, value in self.scores.items()]
        return found

    def to_dict(self) -> dict[str, Any]:
        """Measurements, checks (True/False/None) and scores, flat, for records and JSON."""
        built_in = {name: self.numbers[name] for name in BUILTIN if name in self.numbers}
        return {**built_in, **self.checks, **self.scores}

    def _text_view(self) -> str:
        flags = "".join(f"\n  ! {flag}" for flag in self.flags)
        return f"metrics: {self.summary()}{flags}"

    def _html_view(self) -> str:
        flags = "".join(f"<li>{esc(flag)}</li>" for flag in self.flags)
        body = "".join(f"<tr><td>{esc(LABELS.get(n, n))}</td><td>{esc(t)}</td></tr>"
                       for n, t in self.rows())
        return (f"<div class='kling-nb-metrics'><p>{esc(self.summary())}</p>"
                + (f"<ul class='kn-flags'>{flags}</ul>" if flags else "")
                + f"<table><tbody>{body}</tbody></table></div>")


def _shown(name: str, value: float | None) -> str:
    if value is not None and name == "audio":
        return "yes" if value else "no"
    if value is not None and name in _SHARES:
        return f"{value:.0%}"
    return _number(value)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if float(value).is_integer() and abs(value) < 1e6:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def measure_video(video: str | os.PathLike[str], *, scorers: bool | None = True,
                asked: Asked | None = None) -> Metrics:
    """The built-in measurements and your scorers' numbers for a local video.

    ``scorers``: True runs every registered scorer, None only those registered to run on
    download, False none. A scorer that fails is reported with a warning and skipped.
    """
    values: dict[str, float | None] = dict(measure(video))
    if scorers is not False:
        values.update(score(Path(video), on_download_only=scorers is None))
    return Metrics(values, asked or Asked())


def quietly(video: Path, asked: Asked | None = None) -> Metrics | None:
    """``measure_video`` after a download (scorers registered to run then): a file that is no
    readable video gets no metrics."""
    try:
        return measure_video(video, scorers=None, asked=asked)
    except (MediaError, OSError):
        return None
