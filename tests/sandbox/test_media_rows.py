"""The sandbox's avatars and motion control end to end: an avatar's video plays the given clip
and lasts as long as it; a motion-control video moves as its reference video and keeps its
sound unless told not to; their documented limits are refused."""

from __future__ import annotations

import base64
import io
from typing import Any

import av
import httpx
import pytest
from clip_helpers import (
    audio_clip,
    data_uri,
    dominant_hz,
    moving_square,
    square_position,
)
from PIL import Image, ImageStat

from kling_nb.sandbox import Sandbox
from kling_nb.sandbox._media import AUDIO_RATE, FPS
from kling_nb.sandbox._tracks import samples

from .entry_helpers import refusal
from .helpers import UNIVERSAL, generated_video

MIMES = {"WAV": "audio/wav", "MP3": "audio/mpeg", "M4A": "audio/mp4", "AAC": "audio/aac"}


def _png(size: tuple[int, int], colour: tuple[int, int, int] = (128, 128, 128)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return data_uri(buffer.getvalue(), "image/png")


def _make(client: httpx.Client, sb: Sandbox, body: dict[str, Any]) -> tuple[bytes, Any]:
    """Create, poll to the end, download: the MP4 and the sandbox's job."""
    answer = client.post(UNIVERSAL, json=body)
    assert answer.status_code == 200, answer.text
    job_id = answer.json()["id"]
    for _ in range(4):
        state = client.get(UNIVERSAL, params={"generation_id": job_id}).json()
        if state["status"] == "completed":
            return client.get(state["video"]["url"]).content, sb.store.jobs[job_id]
    raise AssertionError(state)


def _frames(mp4: bytes) -> list[Image.Image]:
    with av.open(io.BytesIO(mp4)) as container:
        return [frame.to_image() for frame in container.decode(video=0)]


def _seconds(mp4: bytes) -> tuple[float, bool]:
    with av.open(io.BytesIO(mp4)) as container:
        return container.duration / 1e6, bool(container.streams.audio)


@pytest.mark.parametrize("kind", list(MIMES))
def test_an_avatar_plays_the_given_clip_for_as_long_as_it_lasts(
        kind: str, client: httpx.Client, sb: Sandbox) -> None:
    """The video's sound is the clip (its pitch), and the video is as long as the clip."""
    clip = audio_clip(kind, 2.6, freq=523.0)
    mp4, job = _make(client, sb, {"model": "klingai/avatar-standard",
                                  "image_url": _png((360, 640)),
                                  "audio_url": data_uri(clip, MIMES[kind])})
    seconds, sound = _seconds(mp4)
    assert sound
    assert seconds == pytest.approx(2.6, abs=1 / FPS + 0.05)
    heard = samples(mp4, AUDIO_RATE)
    assert len(heard) / 4 / AUDIO_RATE == pytest.approx(2.6, abs=0.1)
    assert dominant_hz(heard, AUDIO_RATE) == pytest.approx(523.0, rel=0.03)
    assert (job.width, job.height) == (720, 1280)  # Standard is 720p; the image's shape
    assert job.order.seconds == 3  # billed per started second


def test_the_avatar_video_speaks_the_clip_loudness(client: httpx.Client, sb: Sandbox) -> None:
    """The mouth opens with the sound: frames during a loud stretch differ from silent ones."""
    loud = audio_clip("WAV", 1.0, freq=440.0)
    silence = audio_clip("WAV", 1.0, freq=0.0)
    joined = _concat_wav(loud, silence)
    mp4, _ = _make(client, sb, {"model": "klingai/avatar-pro", "image_url": _png((640, 360)),
                                "audio_url": data_uri(joined, "audio/wav")})
    frames = _frames(mp4)
    mouth = [f.crop((f.width // 4, f.height * 5 // 8, f.width * 3 // 4, f.height * 7 // 8))
             for f in frames]
    spoken = ImageStat.Stat(mouth[4]).mean
    quiet = ImageStat.Stat(mouth[-3]).mean
    assert sum(abs(a - b) for a, b in zip(spoken, quiet, strict=True)) > 20


def _concat_wav(first: bytes, second: bytes) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(io.BytesIO(first)) as a, wave.open(io.BytesIO(second)) as b, \
            wave.open(out, "wb") as joined:
        joined.setparams(a.getparams())
        joined.writeframes(a.readframes(a.getnframes()) + b.readframes(b.getnframes()))
    return out.getvalue()


def test_an_avatar_clip_on_the_web_is_taken_on_trust(client: httpx.Client, sb: Sandbox) -> None:
    """A URL is not fetched: 5 s with a tone, and the frames say so."""
    mp4, job = _make(client, sb, {"model": "klingai/avatar-pro", "image_url": _png((640, 360)),
                                  "audio_url": "https://example.com/voice.mp3"})
    assert _seconds(mp4) == (pytest.approx(5.0, abs=0.15), True)
    assert job.order.sound_from.url == "https://example.com/voice.mp3"


def test_a_clip_the_docs_refuse_or_that_is_not_sound(client: httpx.Client) -> None:
    """FLAC is not a documented format; bytes that are no sound are refused too."""
    body = {"model": "klingai/avatar-standard", "image_url": _png((360, 640))}
    flac = client.post(UNIVERSAL, json={**body, "audio_url": data_uri(audio_clip("FLAC", 1),
                                                                      "audio/flac")})
    assert "audio_url must be a MP3, WAV, M4A, AAC file" in refusal(flac)
    junk = "data:audio/mpeg;base64," + base64.b64encode(b"ID3" + bytes(64)).decode()
    assert "audio_url does not hold playable audio" in refusal(
        client.post(UNIVERSAL, json={**body, "audio_url": junk}))
    assert "audio_url" in refusal(client.post(UNIVERSAL, json=body))


def _square_x(frame: Image.Image) -> float:
    """The middle (0-1 of the width) of the bright square in the lower part of a frame (below
    the caption): the centroid of its pixels brighter than the background."""
    lower = frame.crop((0, frame.height // 2, frame.width, frame.height - 4)).convert("L")
    xs = [x for y in range(0, lower.height, 2) for x in range(lower.width)
          if lower.getpixel((x, y)) > 100]
    return sum(xs) / len(xs) / frame.width


@pytest.mark.parametrize("model", ["klingai/video-v2-6-motion-control",
                                   "klingai/video-v2-6-pro-motion-control",
                                   "klingai/video-v3-motion-control"])
def test_motion_control_moves_as_the_reference(model: str, client: httpx.Client,
                                               sb: Sandbox) -> None:
    """The output's frames follow the reference's: the square moves left to right as it does,
    the picture brightens as it does, for as long as it lasts; its sound is kept."""
    size = (320, 568)
    reference = moving_square(size, 4.0, freq=330.0)
    mp4, job = _make(client, sb, {"model": model, "image_url": _png((360, 640)),
                                  "video_url": data_uri(reference, "video/mp4")})
    seconds, sound = _seconds(mp4)
    assert seconds == pytest.approx(4.0, abs=0.15)
    assert sound
    frames = _frames(mp4)
    count = len(frames)
    for index in (4, count // 2, count - 4):
        expected = (square_position(index, count, size) + size[0] // 8) / size[0]
        assert _square_x(frames[index]) == pytest.approx(expected, abs=0.04)
    low = ImageStat.Stat(frames[4].crop((0, 300, 320, 560)).convert("L")).mean[0]
    high = ImageStat.Stat(frames[-4].crop((0, 300, 320, 560)).convert("L")).mean[0]
    assert high > low
    assert dominant_hz(samples(mp4, AUDIO_RATE), AUDIO_RATE) == pytest.approx(330.0, rel=0.03)
    if "v2-6" in model:  # the page's id is the schema's model
        assert job.order.model == "klingai/video-v2-6-motion-control"


def test_keep_audio_false_drops_the_references_sound(client: httpx.Client, sb: Sandbox) -> None:
    """``keep_audio: false``: no sound; a reference without sound gives none either."""
    body = {"model": "klingai/video-v3-motion-control", "image_url": _png((360, 640)),
            "video_url": data_uri(moving_square((320, 568), 3.0, freq=330.0), "video/mp4")}
    assert _seconds(_make(client, sb, {**body, "keep_audio": False})[0])[1] is False
    silent = data_uri(moving_square((320, 568), 3.0), "video/mp4")
    assert _seconds(_make(client, sb, {**body, "video_url": silent})[0])[1] is False


def test_a_sandbox_video_as_the_reference(client: httpx.Client, sb: Sandbox) -> None:
    """A finished sandbox video by its URL: the output is as long and moves as it does."""
    _, url = generated_video(client, 6, size=(1280, 720))
    mp4, job = _make(client, sb, {"model": "klingai/video-v3-motion-control",
                                  "image_url": _png((640, 360), (0, 0, 0)), "video_url": url})
    assert _seconds(mp4)[0] == pytest.approx(6.0, abs=0.15)
    source = _frames(client.get(url).content)
    made = _frames(mp4)
    for index in (5, 30):  # black picture: the output is the reference at half strength
        a = ImageStat.Stat(source[index].resize(made[index].size).crop((0, 120, 320, 176))).mean
        b = ImageStat.Stat(made[index].crop((0, 120, 320, 176))).mean
        assert [x / 2 for x in a] == pytest.approx(b, abs=12)
    assert job.order.motion_from.video is not None


@pytest.mark.parametrize(("model", "body", "message"), [
    ("klingai/video-v3-motion-control",
     {"character_orientation": "image", "seconds": 11},
     "video_url must be at most 10 seconds long with character_orientation image"),
    ("klingai/video-v2-6-motion-control", {"seconds": 31}, "video_url"),
    ("klingai/video-v2-6-motion-control", {"seconds": 2}, "3-30 s"),
    ("klingai/video-v2-6-motion-control", {"seconds": 4, "size": (288, 512)}, "300 px"),
])
def test_documented_reference_limits(model: str, body: dict[str, Any], message: str,
                                     client: httpx.Client) -> None:
    """Each documented limit refuses, naming video_url."""
    seconds = body.pop("seconds")
    size = body.pop("size", (320, 568))
    answer = client.post(UNIVERSAL, json={
        "model": model, "image_url": _png((360, 640)),
        "video_url": data_uri(moving_square(size, seconds), "video/mp4"), **body})
    assert message in refusal(answer)


def test_3_0_takes_what_only_the_2_6_page_limits(client: httpx.Client, sb: Sandbox) -> None:
    """A 2 s reference: refused by 2.6 (its page), taken by 3.0 (only inferred there)."""
    reference = data_uri(moving_square((320, 568), 2.0), "video/mp4")
    mp4, _ = _make(client, sb, {"model": "klingai/video-v3-motion-control",
                                "image_url": _png((360, 640)), "video_url": reference})
    assert _seconds(mp4)[0] == pytest.approx(2.0, abs=0.15)
