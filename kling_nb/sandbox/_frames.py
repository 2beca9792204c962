"""Draw the sandbox's frames: what was asked, written over a picture made from prompt and seed.

A hash of the prompt and the seed picks a ``Look``: the palette and band count of a panning
gradient, the direction and speed of the pan, the shape, colour and path of a bouncing sprite
and the pitch of the sound. Two variants therefore look different and one variant always looks
the same (same order, same frames). The text (SANDBOX, model, seed, length, size, audio, the
wrapped prompt) is drawn once per shot into a transparent overlay pasted on every frame.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.ImageFont | ImageFont.FreeTypeFont
_GRID = 48
_PANEL = (16, 16, 20, 255)
"""Opaque: text over a still panel costs the encoder almost nothing from frame to frame."""
_TAG = (200, 0, 0, 255)
_WHITE = (255, 255, 255, 255)
_GREY = (190, 190, 190, 255)
_MARGIN = 4


class Shot(NamedTuple):
    """One shot of a storyboard: its prompt and, when given, its length in seconds."""

    prompt: str
    seconds: int | None = None


@dataclass(frozen=True)
class Look:
    """What a hash of prompt and seed picked: palette, motion, sprite and pitch."""

    hue: float
    spread: float
    bands: float
    angle: float
    speed: float
    sprite_angle: float
    sprite_speed: float
    sprite_size: float
    square: bool
    tone: int
    """Periods of the tone in one 1024-sample audio chunk."""


@dataclass(frozen=True)
class Scene:
    """One stretch of the video: the look, its overlay and when it ends (seconds)."""

    look: Look
    overlay: Image.Image
    end: float


def look_of(prompt: str, seed: int) -> Look:
    """The look of a prompt and a seed: a pure function of both."""
    digest = hashlib.sha256(f"{seed}\n{prompt}".encode()).digest()
    unit = [b / 255 for b in digest]
    return Look(
        hue=unit[0] * 2 * math.pi, spread=0.6 + 1.8 * unit[1], bands=0.7 + 2.3 * unit[2],
        angle=unit[3] * 2 * math.pi, speed=0.4 + 1.6 * unit[4],
        sprite_angle=unit[5] * 2 * math.pi, sprite_speed=0.6 + 2.4 * unit[6],
        sprite_size=0.18 + 0.17 * unit[7], square=digest[8] % 2 == 0, tone=12 + digest[9] % 19,
    )


def colour(look: Look, phase: float, shift: float = 0.0) -> tuple[int, int, int]:
    """A colour of the look's palette at ``phase`` (radians)."""
    return tuple(  # type: ignore[return-value]
        int(127 + 120 * math.sin(look.hue + shift + phase + k * look.spread)) for k in range(3)
    )


def backdrop(look: Look, size: tuple[int, int]) -> Image.Image:
    """A banded gradient twice the frame in each direction, to pan over."""
    w, h = size
    gw, gh = _GRID, max(2, round(_GRID * h / w))
    cos, sin = math.cos(look.angle), math.sin(look.angle)
    small = Image.new("RGB", (gw, gh))
    small.putdata([colour(look, 2 * math.pi * look.bands * (x * cos / gw + y * sin / gh))
                   for y in range(gh) for x in range(gw)])
    return small.resize((2 * w, 2 * h), Image.Resampling.BILINEAR)


def sprite(look: Look, size: tuple[int, int]) -> Image.Image:
    """The bouncing shape: a disc or a square in the palette's opposite colour."""
    side = max(6, round(min(size) * look.sprite_size))
    img = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    fill = (*colour(look, 0.0, math.pi), 255)
    outline = (255, 255, 255, 255)
    if look.square:
        draw.rectangle((1, 1, side - 2, side - 2), fill=fill, outline=outline, width=2)
    else:
        draw.ellipse((1, 1, side - 2, side - 2), fill=fill, outline=outline, width=2)
    return img


def bounce(value: float) -> float:
    """A triangle wave in [0, 1]: moving at constant speed, reflected at both ends."""
    return 1.0 - abs(value % 2.0 - 1.0)


def pan_offset(look: Look, size: tuple[int, int], t: float) -> tuple[int, int]:
    """Where the frame sits on the backdrop at ``t`` seconds."""
    w, h = size
    x = bounce(0.5 + look.speed * t * math.cos(look.angle) / 4)
    y = bounce(0.5 + look.speed * t * math.sin(look.angle) / 4)
    return round(x * w), round(y * h)


def sprite_x(look: Look, t: float) -> float:
    """How far across the frame the sprite is at ``t`` seconds: 0 left, 1 right (a stereo
    tone follows it)."""
    return bounce(0.3 + look.sprite_speed * t * math.cos(look.sprite_angle) / 3)


def sprite_position(look: Look, size: tuple[int, int], side: int,
                    t: float) -> tuple[int, int]:
    """Top-left corner of the sprite at ``t`` seconds."""
    w, h = size
    x = sprite_x(look, t)
    y = bounce(0.7 + look.sprite_speed * t * math.sin(look.sprite_angle) / 3)
    return round(x * (w - side)), round(y * (h - side))


# ---- text ------------------------------------------------------------------------------------


def font_size(size: tuple[int, int]) -> int:
    """A text size readable on a frame of ``size``."""
    return min(14, max(9, round(min(size) / 16)))


@lru_cache(maxsize=8)
def font(size: int) -> Font:
    """Pillow's own scalable font at ``size`` px; its small bitmap font without FreeType."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError, AttributeError):
        return ImageFont.load_default()


def line_height(face: Font) -> int:
    """Pixels from one line of text to the next."""
    box = face.getbbox("Ag")
    return int(box[3]) + 2


def wrap(text: str, face: Font, width: int, max_lines: int, sep: str = " ") -> list[str]:
    """Greedy wrap to ``width`` px at ``sep`` in at most ``max_lines`` lines ("..." when cut)."""
    lines: list[str] = []
    current = ""
    words = " ".join(text.split()).split(" ") if sep == " " else text.split(sep)
    for word in _pieces(words, face, width):
        candidate = f"{current}{sep}{word}" if current else word
        if current and face.getlength(candidate) > width:
            lines.append(current)
            candidate = word
        current = candidate
        if len(lines) > max_lines:
            break
    if current and len(lines) <= max_lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    return [*lines[:max_lines - 1], _ellipsis(lines[max_lines - 1], face, width)]


def _pieces(words: list[str], face: Font, width: int) -> Iterator[str]:
    """The words, any word wider than ``width`` cut into pieces that fit."""
    for word in words:
        while word:
            cut = _fitting(word, face, width)
            yield word[:cut]
            word = word[cut:]


def _fitting(word: str, face: Font, width: int) -> int:
    """How many leading characters of ``word`` fit in ``width`` px (at least one)."""
    low, high = 1, min(len(word), width)  # no glyph is narrower than a pixel
    if face.getlength(word[:high]) <= width:
        return high
    while low < high - 1:
        middle = (low + high) // 2
        if face.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle
    return low


def _ellipsis(line: str, face: Font, width: int) -> str:
    while line and face.getlength(line + "...") > width:
        line = line[:-1]
    return line.rstrip() + "..."


@dataclass(frozen=True)
class Caption:
    """What a frame says: the model, the facts line and the prompt of the shot."""

    model: str
    facts: str
    prompt: str


def overlay(caption: Caption, size: tuple[int, int]) -> Image.Image:
    """The transparent text layer: one panel on top (a player's controls cover the foot) with
    SANDBOX and the model, the facts in grey, then the prompt in white, in at most half the
    frame; the picture shows below it."""
    (w, h), face = size, font(font_size(size))
    step, inner = line_height(face), w - 2 * _MARGIN
    tag_w = int(face.getlength("SANDBOX"))
    beside = face.getlength(caption.model) <= inner - tag_w - 8
    facts = [] if beside else wrap(caption.model, face, inner, 2)
    facts += wrap(caption.facts, face, inner, 2, sep=" | ")
    room = max(1, (h // 2 - _MARGIN) // step - 1 - len(facts))
    lines = [(text, _GREY) for text in facts]
    lines += [(text, _WHITE) for text in wrap(caption.prompt, face, inner, room)]
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rectangle((0, 0, w, _MARGIN + step * (1 + len(lines)) + 1), fill=_PANEL)
    draw.rectangle((_MARGIN - 2, _MARGIN - 1, _MARGIN + tag_w + 2, _MARGIN + step - 2),
                   fill=_TAG)
    draw.text((_MARGIN, _MARGIN), "SANDBOX", font=face, fill=_WHITE)
    if beside:
        draw.text((_MARGIN + tag_w + 8, _MARGIN), caption.model, font=face, fill=_WHITE)
    for row, (text, fill) in enumerate(lines, start=1):
        draw.text((_MARGIN, _MARGIN + row * step), text, font=face, fill=fill)
    return layer


# ---- storyboard ------------------------------------------------------------------------------


def timeline(shots: tuple[Shot, ...], seconds: float) -> list[tuple[str, float]]:
    """Each shot's prompt and end time: stated lengths kept in proportion, the rest shared."""
    stated = sum(s.seconds for s in shots if s.seconds)
    unstated = [s for s in shots if not s.seconds]
    share = max(seconds - stated, len(unstated)) / len(unstated) if unstated else 0.0
    lengths = [float(s.seconds) if s.seconds else share for s in shots]
    scale = seconds / sum(lengths)
    ends, elapsed = [], 0.0
    for shot, length in zip(shots, lengths, strict=True):
        elapsed += length * scale
        ends.append((shot.prompt, elapsed))
    return ends
