"""Sample start frames and sound clips made on the fly, so tutorials need no files to begin
with."""

from __future__ import annotations

import array
import io
import math
import sys
import wave
from pathlib import Path
from typing import Any, Literal

SampleKind = Literal["landscape", "portrait", "product", "person"]
_SIZES: dict[str, tuple[int, int]] = {
    "landscape": (1920, 1080), "portrait": (1080, 1920), "product": (1440, 1440),
    "person": (1080, 1920),
}


def sample_image(kind: SampleKind = "landscape", path: str | Path | None = None,
                 size: tuple[int, int] | None = None) -> Any:
    """A drawn PIL image (a valley at dusk, a tall waterfall, a product on a table, or a
    person standing, whole body and face in view: a character for motion control or an
    avatar).

    With ``path`` the image is also saved there (PNG or JPEG by the suffix). The image is
    deterministic, so notebooks that use it give the same results every run.
    """
    from PIL import Image, ImageDraw

    width, height = size or _SIZES[kind]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    _sky(draw, width, height)
    {"landscape": _valley, "portrait": _waterfall, "product": _product,
     "person": _person}[kind](draw, width, height)
    if path is not None:
        image.save(Path(path))
    return image


def _sky(draw: Any, width: int, height: int) -> None:
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)],
                  fill=(int(40 + 180 * t), int(60 + 90 * t), int(140 - 60 * t)))


def _valley(draw: Any, width: int, height: int) -> None:
    draw.ellipse([width * 0.65, height * 0.18, width * 0.75, height * 0.18 + width * 0.1],
                 fill=(255, 214, 140))
    for layer, shade in enumerate(((70, 60, 110), (50, 80, 70), (30, 60, 40))):
        base = height * (0.55 + 0.12 * layer)
        points: list[tuple[float, float]] = [(0, height)]
        step = max(width // 48, 1)
        for x in [*range(0, width, step), width]:
            wave = math.sin(x / width * math.pi * (2 + layer) + layer) * height * 0.06
            points.append((x, base + wave))
        points.append((width, height))
        draw.polygon(points, fill=shade)


def _waterfall(draw: Any, width: int, height: int) -> None:
    draw.rectangle([0, height * 0.3, width * 0.35, height], fill=(60, 70, 60))
    draw.rectangle([width * 0.65, height * 0.3, width, height], fill=(55, 65, 58))
    for i in range(24):
        x = width * 0.35 + (width * 0.3) * i / 24
        draw.line([(x, height * 0.3), (x + 6, height)], fill=(200, 225, 240), width=8)
    draw.ellipse([width * 0.2, height * 0.85, width * 0.8, height * 1.05], fill=(170, 205, 230))


def _product(draw: Any, width: int, height: int) -> None:
    draw.rectangle([0, height * 0.7, width, height], fill=(120, 90, 70))
    draw.rounded_rectangle([width * 0.38, height * 0.3, width * 0.62, height * 0.72],
                           radius=width // 30, fill=(230, 230, 235))
    draw.rectangle([width * 0.45, height * 0.22, width * 0.55, height * 0.3], fill=(40, 40, 45))
    draw.text((width * 0.43, height * 0.5), "kling", fill=(40, 40, 45))



def _person(draw: Any, width: int, height: int) -> None:
    """A cartoon person standing on a floor, arms a little apart, facing the viewer."""
    draw.rectangle([0, height * 0.82, width, height], fill=(150, 120, 95))
    middle, unit = width / 2, min(width, height * 0.56) / 10
    skin, shirt, trousers = (236, 196, 164), (200, 60, 60), (50, 60, 110)
    top = height * 0.16
    draw.ellipse([middle - unit, top, middle + unit, top + 2.4 * unit], fill=skin)  # head
    draw.pieslice([middle - unit, top - 0.2 * unit, middle + unit, top + 1.6 * unit], 180, 360,
                  fill=(70, 45, 30))  # hair
    for eye in (-0.4, 0.4):
        draw.ellipse([middle + (eye - 0.12) * unit, top + 1.1 * unit,
                      middle + (eye + 0.12) * unit, top + 1.35 * unit], fill=(30, 30, 30))
    draw.arc([middle - 0.45 * unit, top + 1.4 * unit, middle + 0.45 * unit, top + 2.0 * unit],
             20, 160, fill=(150, 50, 50), width=max(2, round(unit / 12)))  # smile
    neck = top + 2.4 * unit
    draw.rectangle([middle - 1.6 * unit, neck + 0.2 * unit, middle + 1.6 * unit,
                    neck + 4.6 * unit], fill=shirt)  # body
    for side in (-1, 1):  # arms, then legs
        draw.line([(middle + side * 1.6 * unit, neck + 0.5 * unit),
                   (middle + side * 2.8 * unit, neck + 4.2 * unit)], fill=shirt,
                  width=round(0.7 * unit))
        draw.ellipse([middle + side * 2.8 * unit - 0.4 * unit, neck + 3.9 * unit,
                      middle + side * 2.8 * unit + 0.4 * unit, neck + 4.7 * unit], fill=skin)
        draw.line([(middle + side * 0.8 * unit, neck + 4.5 * unit),
                   (middle + side * 1.1 * unit, height * 0.82)], fill=trousers,
                  width=round(0.9 * unit))


AUDIO_RATE = 22050
MELODY_HZ = (262, 330, 392, 523)
"""The notes of ``sample_audio``'s melody (C4, E4, G4, C5), each a quarter of the clip."""


def sample_audio(path: str | Path | None = None, seconds: float = 4.0) -> bytes:
    """A WAV sound clip (mono, 22.05 kHz, 16-bit): a melody of four notes, each a quarter of
    ``seconds``, that fades in and out - an input for the avatar rows (a WAV of a few seconds
    is well under their 5 MB).

    With ``path`` the clip is also saved there. The clip is deterministic, so notebooks that
    use it give the same results every run.
    """
    count = round(seconds * AUDIO_RATE)
    samples = array.array("h", bytes(2 * count))
    for index in range(count):
        note = MELODY_HZ[min(3, index * 4 // max(count, 1))]
        t = index / AUDIO_RATE
        fade = min(1.0, t / 0.05, (count - index) / AUDIO_RATE / 0.05)
        samples[index] = round(9000 * fade * math.sin(2 * math.pi * note * t))
    if sys.byteorder == "big":  # WAV holds little-endian samples
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(samples.tobytes())
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
