"""Sandbox videos of the models made from several photos show what was asked: an effect's two
people side by side (the first on the left) and the effect's name, a multi-image video passing
through its images in turn; an effect's sound as its page says (squish and expansion only)."""

from __future__ import annotations

import base64
import io
from typing import Any

import av
import httpx
from PIL import Image

from kling_nb.sandbox import Sandbox

from .helpers import UNIVERSAL

RED, BLUE, GREEN = (220, 30, 30), (30, 30, 220), (30, 200, 30)


def _data_uri(colour: tuple[int, int, int], size: tuple[int, int] = (480, 640)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _video(client: httpx.Client, body: dict[str, Any]) -> tuple[list[Image.Image], bool]:
    """The frames and whether there is sound, of the finished video of ``body``."""
    answer = client.post(UNIVERSAL, json=body)
    assert answer.status_code == 200, answer.text
    for _ in range(5):
        got = client.get(UNIVERSAL, params={"generation_id": answer.json()["id"]}).json()
        if got["status"] == "completed":
            break
    data = client.get(got["video"]["url"]).content
    with av.open(io.BytesIO(data)) as container:
        sound = bool(container.streams.audio)
        frames = [frame.to_image() for frame in container.decode(video=0)]
    return frames, sound


def _colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    """The frame's colour at a relative place (below the caption panel)."""
    pixel = image.convert("RGB").getpixel((int(x * image.width), int(y * image.height)))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _near(found: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 60 for a, b in zip(found, wanted, strict=True))


def test_an_effect_shows_its_two_people_side_by_side_first_on_the_left(
        client: httpx.Client, sb: Sandbox) -> None:
    body = {"model": "klingai/kling-video-v1.6-standard-effects", "effect_scene": "hug",
            "image_url": [_data_uri(RED), _data_uri(BLUE)]}
    frames, sound = _video(client, body)
    last = frames[-1]  # the zoom has settled: both halves in view
    assert _near(_colour_at(last, 0.1, 0.85), RED)
    assert _near(_colour_at(last, 0.9, 0.85), BLUE)
    assert not sound  # the page gives sound to squish and expansion only
    job = next(iter(sb.store.jobs.values()))
    assert job.order.prompt == "effect: hug"  # what the caption says


def test_squish_and_expansion_have_sound(client: httpx.Client) -> None:
    for scene in ("squish", "expansion"):
        body = {"model": "klingai/kling-video-v1.6-pro-effects", "effect_scene": scene,
                "image_url": _data_uri(GREEN)}
        assert _video(client, body)[1], scene


def test_a_multi_image_video_passes_through_its_images_in_turn(client: httpx.Client) -> None:
    body = {"model": "kling-video/v1.6/standard/multi-image-to-video", "prompt": "a tour",
            "image_list": [_data_uri(c, (640, 360)) for c in (RED, BLUE, GREEN)]}
    frames, sound = _video(client, body)
    assert _near(_colour_at(frames[0], 0.5, 0.85), RED)
    assert _near(_colour_at(frames[len(frames) // 2], 0.5, 0.85), BLUE)
    assert _near(_colour_at(frames[-1], 0.5, 0.85), GREEN)
    assert not sound
