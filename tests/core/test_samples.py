"""The drawn sample images and the sample sound clip the tutorials start from."""

from __future__ import annotations

import wave
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import kling_nb as kn


@pytest.mark.parametrize(("kind", "size"), [("landscape", (1920, 1080)),
                                            ("portrait", (1080, 1920)),
                                            ("product", (1440, 1440)), ("person", (1080, 1920))])
def test_each_sample_image_is_drawn_the_same_every_time(kind: str, size: tuple[int, int],
                                                        tmp_path: Path) -> None:
    """A deterministic picture of its kind and size, saved where asked."""
    first = kn.sample_image(kind, tmp_path / "a.png")  # type: ignore[arg-type]
    assert first.size == size
    again = Image.open(tmp_path / "a.png").convert("RGB")
    assert ImageChops.difference(first, again).getbbox() is None


def test_the_person_stands_in_the_middle_with_a_face() -> None:
    """The person sample has skin-coloured pixels (face and hands) near the middle."""
    person = kn.sample_image("person", size=(540, 960))
    face = person.getpixel((270, 960 * 16 // 100 + 60))
    assert face == (236, 196, 164)


def test_sample_audio_is_a_wav_of_the_asked_length(tmp_path: Path) -> None:
    """Mono 16-bit WAV at 22.05 kHz, ``seconds`` long, saved where asked, the same each time."""
    data = kn.sample_audio(tmp_path / "v.wav", seconds=1.5)
    assert (tmp_path / "v.wav").read_bytes() == data == kn.sample_audio(seconds=1.5)
    with wave.open(BytesIO(data)) as clip:
        assert (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (1, 2, 22050)
        assert clip.getnframes() == round(1.5 * 22050)
