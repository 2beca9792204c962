"""What the sandbox's videos show: the order drawn into the frames, a look per prompt and seed."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx
import pytest
from PIL import Image, ImageChops, ImageFont, ImageStat

from kling_nb.sandbox import Sandbox
from kling_nb.sandbox import _frames as frames
from kling_nb.sandbox._frames import Caption, Shot, font, overlay, timeline, wrap
from kling_nb.sandbox._media import FPS, RenderSpec, render

from .helpers import AUTH, UNIVERSAL, V2, finish

FOX = "A red fox running through fresh snow at dawn, cinematic light"
OWL = "An owl landing on a mossy branch at night, moonlight"


def leonardo_video(prompt: str = FOX, seed: int = 7, *, seconds: int = 5, audio: bool = False,
                   size: tuple[int, int] = (1920, 1080)) -> bytes:
    """The MP4 of a finished Kling 3.0 job, made in a fresh sandbox."""
    body = {"model": "kling-3.0", "public": False, "parameters": {
        "prompt": prompt, "duration": seconds, "width": size[0], "height": size[1],
        "mode": "RESOLUTION_1080", "motion_has_audio": audio, "seed": seed}}
    with httpx.Client(transport=Sandbox().transport(), headers=AUTH) as client:
        answer = client.post(V2 + "/generations", json=body)
        assert answer.status_code == 200, answer.text
        items: Any = finish(client, answer.json()["generate"]["generationId"])["generated_images"]
        return client.get(items[0]["motionMP4URL"]).content


def decoded(mp4: bytes) -> list[Image.Image]:
    """Every frame of an MP4, as RGB images."""
    with av.open(io.BytesIO(mp4)) as container:
        return [frame.to_image() for frame in container.decode(video=0)]


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two images, 0-255, over all channels."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


STEP = frames.line_height(font(frames.font_size((320, 180))))
"""A line of text on a 320x180 frame: the tag line, then the facts, then the prompt."""
PROMPT_TOP = frames._MARGIN + 2 * STEP


def prompt_line(img: Image.Image) -> Image.Image:
    """The first line of the prompt, under the tag line and the facts."""
    return img.crop((0, PROMPT_TOP, img.width, PROMPT_TOP + STEP - 1))


def test_same_order_gives_identical_frames() -> None:
    """Two sandboxes given the same order render the very same frames."""
    first, second = decoded(leonardo_video()), decoded(leonardo_video())
    assert len(first) == len(second) == 5 * FPS
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("change", [{"prompt": OWL}, {"seed": 8}])
def test_another_prompt_or_seed_looks_different(change: dict[str, Any]) -> None:
    """A variant differs visibly from its neighbour in every part of the video."""
    base, other = decoded(leonardo_video()), decoded(leonardo_video(**change))
    for index in (0, len(base) // 2, len(base) - 1):
        assert difference(base[index], other[index]) > 12


def test_frames_follow_the_order() -> None:
    """Frame count, duration, shape and sound follow what was asked."""
    for seconds, size, audio, shape in ((5, (1920, 1080), True, (320, 180)),
                                        (10, (1080, 1920), False, (180, 320))):
        mp4 = leonardo_video(seconds=seconds, size=size, audio=audio)
        with av.open(io.BytesIO(mp4)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == shape
            assert stream.codec_context.pix_fmt == "yuv420p"
            assert container.duration / 1e6 == pytest.approx(seconds, abs=0.2)
            assert bool(container.streams.audio) is audio
        assert len(decoded(mp4)) == seconds * FPS
        assert len(mp4) < 40_000 * seconds


def test_the_picture_moves() -> None:
    """Frames of one video differ from one another: the picture is not a still."""
    frames_ = decoded(leonardo_video())
    assert difference(frames_[0], frames_[len(frames_) // 2]) > 5


def test_text_changes_with_the_prompt() -> None:
    """The prompt's lines differ between two prompts; the tag line and the facts do not."""
    size = (320, 180)
    fox = overlay(Caption("kling-3.0", "seed 7 | 5 s | 1920x1080 | no audio", FOX), size)
    owl = overlay(Caption("kling-3.0", "seed 7 | 5 s | 1920x1080 | no audio", OWL), size)
    box = ImageChops.difference(fox, owl).getbbox(alpha_only=False)
    assert box is not None
    assert box[1] >= PROMPT_TOP
    assert box[3] <= size[1] // 2
    assert difference(prompt_line(decoded(leonardo_video())[0]),
                      prompt_line(decoded(leonardo_video(OWL))[0])) > 10


def test_seed_and_audio_are_written_on_top() -> None:
    """The facts line changes with the seed and the sound, nothing else does."""
    size = (320, 180)
    plain = overlay(Caption("kling-3.0", "seed 7 | 5 s | 1920x1080 | no audio", FOX), size)
    loud = overlay(Caption("kling-3.0", "seed 8 | 5 s | 1920x1080 | audio on", FOX), size)
    box = ImageChops.difference(plain, loud).getbbox(alpha_only=False)
    assert box is not None
    assert frames._MARGIN + STEP <= box[1] < box[3] <= PROMPT_TOP


def test_storyboard_shows_each_shot_in_its_part() -> None:
    """A multi-shot order shows shot 1's prompt first, shot 2's at the end."""
    body = {"model": "klingai/video-v3-pro-text-to-video", "duration": 6,
            "multi_prompt": ["A fox wakes up in its den", "The fox runs across a frozen lake"]}
    with httpx.Client(transport=Sandbox().transport(), headers=AUTH) as client:
        job = client.post(UNIVERSAL, json=body).json()["id"]
        for _ in range(5):
            got = client.get(UNIVERSAL, params={"generation_id": job}).json()
        shown = decoded(client.get(got["video"]["url"]).content)
    assert difference(prompt_line(shown[0]), prompt_line(shown[2 * FPS])) < 2.5
    assert difference(prompt_line(shown[0]), prompt_line(shown[-1])) > 10


def test_timeline_keeps_stated_lengths_and_shares_the_rest() -> None:
    """Stated shot lengths are kept in proportion; unstated shots share what is left."""
    shots = (Shot("a", 3), Shot("b"), Shot("c", 2))
    assert timeline(shots, 10.0) == [("a", 3.0), ("b", 8.0), ("c", 10.0)]
    assert timeline((Shot("a", 2), Shot("b", 2)), 8.0) == [("a", 4.0), ("b", 8.0)]
    assert timeline((Shot("a"), Shot("b")), 5.0) == [("a", 2.5), ("b", 5.0)]


def test_wrap_fits_and_marks_a_cut() -> None:
    """Wrapped lines fit the width; a prompt too long for the room ends with '...'."""
    face = font(11)
    lines = wrap(" ".join([FOX] * 10 + ["x" * 200]), face, 150, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("...")
    assert all(face.getlength(line) <= 150 for line in lines)
    assert wrap("y" * 80, face, 100, 9) == wrap("y" * 80, face, 100, 9)
    assert "".join(wrap("y" * 80, face, 100, 9)) == "y" * 80
    facts = wrap("seed 7 | 10 s | 1080x1920 | no audio", face, 150, 2, sep=" | ")
    assert facts[-1] == "no audio"


def test_a_long_model_name_gets_its_own_line() -> None:
    """A model id too long to sit beside the SANDBOX tag is written below it: one line more."""
    size = (180, 320)

    def panel_height(layer: Image.Image) -> int:
        edge = layer.getchannel("A").crop((size[0] - 1, 0, size[0], size[1])).tobytes()
        return edge.index(0)

    short = overlay(Caption("kling-3.0", "seed 7", FOX), size)
    long = overlay(Caption("kling-video/v3/pro/text-to-video", "seed 7", FOX), size)
    assert panel_height(long) - panel_height(short) == frames.line_height(font(11))


def test_without_freetype_the_bitmap_font_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the scalable font cannot be had, frames are still drawn with the bitmap font."""
    original = ImageFont.load_default

    def no_freetype(size: float | None = None) -> Any:
        if size is not None:
            raise ImportError("The _imagingft C module is not installed")
        return original()

    monkeypatch.setattr(ImageFont, "load_default", no_freetype)
    frames.font.cache_clear()
    try:
        clip = render(RenderSpec(1280, 720, 1, "kling-3.0", FOX, 1))
    finally:
        frames.font.cache_clear()
    assert len(decoded(clip.mp4)) == FPS
