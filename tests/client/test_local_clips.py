"""Local sound clips and reference videos through the public Client: read and checked before
anything is sent (no sound, no picture, damaged, empty, a format or size the docs refuse, a
reference too long for its orientation), then sent inline as a data URI of the same bytes."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from client_helpers import client, instant_retries, png, sb
from clip_helpers import audio_clip, moving_square

import kling_nb as kn
from kling_nb import Client
from kling_nb.client.clips import checked_clip
from kling_nb.sandbox import Sandbox

__all__ = ["client", "instant_retries", "sb"]
IMAGE = "https://example.com/person.png"


def _sent(sb: Sandbox) -> dict[str, Any]:
    body = [r for r in sb.requests if r.method == "POST"][-1].json
    assert isinstance(body, dict)
    return body


def _bytes_of(uri: str) -> bytes:
    return base64.b64decode(uri.split(",", 1)[1])


@pytest.mark.parametrize(("kind", "mime"), [("WAV", "audio/wav"), ("MP3", "audio/mpeg"),
                                            ("M4A", "audio/mp4"), ("AAC", "audio/aac")])
def test_a_local_clip_is_read_and_sent_inline(kind: str, mime: str, tmp_path: Path,
                                              client: Client, sb: Sandbox) -> None:
    """Each documented format, from a file: sent as a data URI of the very same bytes; the
    avatar's video is as long as the clip."""
    data = audio_clip(kind, 2.0)
    path = tmp_path / f"voice.{kind.lower()}"
    path.write_bytes(data)
    result = client.generate(kn.KlingAvatarStandardAIML(image_url=png((360, 640)),
                                                        audio_url=path), progress=False)
    uri = _sent(sb)["audio_url"]
    assert uri.startswith(f"data:{mime};base64,")
    assert _bytes_of(uri) == data
    assert result.duration == 2


def test_an_https_clip_is_sent_as_it_is(client: Client, sb: Sandbox) -> None:
    """A URL is not fetched: sent as given."""
    client.submit(kn.KlingAvatarProAIML(image_url=IMAGE, audio_url="https://example.com/v.mp3"))
    assert _sent(sb)["audio_url"] == "https://example.com/v.mp3"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"ID3" + bytes(200), "cannot be read as audio or video"),
    (png(), "cannot be read|no sound"),
])
def test_an_unusable_clip_is_refused_before_anything_is_sent(
        data: bytes, message: str, tmp_path: Path, client: Client, sb: Sandbox) -> None:
    """Empty, damaged or soundless: ClipError naming the file, and no request at all."""
    path = tmp_path / "voice.mp3"
    path.write_bytes(data)
    spec = kn.KlingAvatarStandardAIML(image_url=IMAGE, audio_url=path)
    with pytest.raises(kn.ClipError, match=message) as caught:
        client.submit(spec)
    assert "voice.mp3" in str(caught.value)
    assert sb.requests == []


def test_a_video_without_sound_is_no_clip(client: Client, sb: Sandbox) -> None:
    """A video file with no audio stream, given as the avatar's clip, is refused."""
    spec = kn.KlingAvatarStandardAIML(image_url=IMAGE, audio_url=moving_square((160, 90), 1))
    with pytest.raises(kn.ClipError, match="no sound in it"):
        client.submit(spec)
    assert sb.requests == []


def test_a_missing_file_is_refused(tmp_path: Path, client: Client, sb: Sandbox) -> None:
    """A clip whose file disappeared before the submit is refused, naming it."""
    path = tmp_path / "voice.wav"
    path.write_bytes(audio_clip("WAV", 1.0))
    spec = kn.KlingAvatarStandardAIML(image_url=IMAGE, audio_url=path)
    path.unlink()
    with pytest.raises(kn.ClipError, match=r"cannot read audio_url: voice.wav"):
        client.submit(spec)
    assert sb.requests == []


def test_formats_and_sizes_the_docs_refuse(client: Client, sb: Sandbox) -> None:
    """FLAC and a clip over 5 MB break documented rules: SpecError, nothing sent."""
    with pytest.raises(kn.SpecError, match="audio_url is FLAC audio"):
        client.submit(kn.KlingAvatarStandardAIML(image_url=IMAGE,
                                                 audio_url=audio_clip("FLAC", 1.0)))
    with pytest.raises(kn.SpecError, match="at most 5 MB"):
        client.submit(kn.KlingAvatarStandardAIML(image_url=IMAGE,
                                                 audio_url=audio_clip("WAV", 125.0)))
    assert sb.requests == []


def test_a_long_clip_warns_and_is_sent(client: Client, sb: Sandbox) -> None:
    """Over 60 s (an inferred limit, read from the file): a warning, then the request."""
    kn.inferred_rules("warn")
    from kling_nb.specs.inferred import forget_warnings

    forget_warnings()
    with pytest.warns(kn.InferredRuleWarning, match="61.0 s long"):
        job = client.submit(kn.KlingAvatarStandardAIML(image_url=IMAGE,
                                                       audio_url=audio_clip("MP3", 61.0)))
    assert job.id
    assert _sent(sb)["audio_url"].startswith("data:audio/mpeg;base64,")
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError, match=r"audio-length|60 s"):
        client.submit(kn.KlingAvatarStandardAIML(image_url=IMAGE,
                                                 audio_url=audio_clip("MP3", 61.0)))


def test_a_local_reference_video_is_checked_by_its_length(tmp_path: Path, client: Client,
                                                           sb: Sandbox) -> None:
    """A 12 s reference is too long with character_orientation image (documented): refused
    before sending; with video (the default) it is sent inline, and the video is 12 s."""
    path = tmp_path / "dance.mp4"
    path.write_bytes(moving_square((320, 568), 12.0))
    spec = kn.Kling30MotionControlAIML(image_url=png((360, 640)), video_url=path,
                                       character_orientation="image")
    with pytest.raises(kn.SpecError, match="12 s long, too long with character_orientation"):
        client.submit(spec)
    assert sb.requests == []
    result = client.generate(spec.replace(character_orientation="video"), progress=False)
    assert _bytes_of(_sent(sb)["video_url"]) == path.read_bytes()
    assert result.duration == 12


def test_a_reference_without_picture_is_refused(client: Client, sb: Sandbox) -> None:
    """A sound file given as the motion reference is refused: it has no picture."""
    spec = kn.Kling26MotionControlAIML(image_url=IMAGE, video_url=audio_clip("M4A", 4.0))
    with pytest.raises(kn.ClipError, match="no picture in it"):
        client.submit(spec)
    assert sb.requests == []


def test_checked_clip_keeps_what_it_read() -> None:
    """The checked clip holds the bytes, its length and (a video) its picture size."""
    clip = checked_clip(kn.VideoFile(data=moving_square((320, 568), 3.0)), "video_url")
    assert (clip.seconds, clip.width, clip.height) == (pytest.approx(3.0, abs=0.15), 320, 568)
    audio = checked_clip(kn.AudioFile(data=kn.sample_audio(seconds=1.5)))
    assert audio.seconds == pytest.approx(1.5)
    assert audio.path is None
