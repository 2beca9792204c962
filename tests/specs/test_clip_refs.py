"""Sound clips and reference videos as specs hold them: what is kept as text, what becomes a
clip, how each is sent, and what is refused with a clear message."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from client_helpers import png
from clip_helpers import audio_clip
from pydantic import TypeAdapter, ValidationError

import kling_nb as kn
from kling_nb.specs.aimlapi_media import AimlAudio, AimlVideo
from kling_nb.specs.clips import AudioFile, sniff_audio_format, sniff_video_format
from kling_nb.specs.refs import ImageFile

AUDIO = TypeAdapter(AimlAudio)
VIDEO = TypeAdapter(AimlVideo)


def test_an_https_url_is_kept_as_given() -> None:
    """A URL is sent as the text it was (no clip is made of it)."""
    assert AUDIO.validate_python(" https://example.com/v.mp3 ") == "https://example.com/v.mp3"
    assert VIDEO.validate_python("https://example.com/d.mp4") == "https://example.com/d.mp4"


def test_a_data_uri_is_a_clip_sent_back_as_given() -> None:
    """A data URI becomes a clip of its bytes (so its format is judged) and is sent as the
    same URI, media type included."""
    uri = "data:audio/x-wav;base64," + base64.b64encode(b"RIFF\0\0\0\0WAVEfmt ").decode()
    clip = AUDIO.validate_python(uri)
    assert isinstance(clip, kn.AudioFile)
    assert clip.format == "wav"
    assert clip.mime == "audio/x-wav"
    assert clip.to_wire() == uri


def test_bytes_and_files_become_clips(tmp_path: Path) -> None:
    """Bytes and a local file are clips; bytes are sent as a data URI of their format."""
    clip = AUDIO.validate_python(b"ID3\x04" + bytes(20))
    assert clip.to_wire().startswith("data:audio/mpeg;base64,SUQz")
    path = tmp_path / "voice.wav"
    path.write_bytes(b"RIFF\0\0\0\0WAVE")
    for given in (path, str(path), "voice.m4a"):
        if given == "voice.m4a":
            with pytest.raises(ValidationError, match="no such file"):
                AUDIO.validate_python(given)
            continue
        assert AUDIO.validate_python(given).path == path
    video = VIDEO.validate_python(b"\0\0\0\x18ftypmp42" + bytes(8))
    assert video.to_wire().startswith("data:video/mp4;base64,")


def test_a_local_file_cannot_be_sent_without_a_client(tmp_path: Path) -> None:
    """A spec holding a path says a client must read it first."""
    path = tmp_path / "voice.wav"
    path.write_bytes(b"RIFF\0\0\0\0WAVE")
    spec = kn.KlingAvatarStandardAIML(image_url="https://example.com/a.png", audio_url=path)
    with pytest.raises(kn.UnresolvedImageError, match=r"audio_url is the local file voice.wav"):
        spec.to_request()


@pytest.mark.parametrize(("given", "message"), [
    ("voice", "not an https URL, a data:audio URI or an audio file"),
    ("http://example.com/v.mp3", "must start with https://"),
    ("data:image/png;base64,iVBORw0KGgo=", "data:audio/...;base64"),
    ("data:audio/wav;base64,not base64!", "does not hold base64"),
    ("<YOUR_AUDIO_URL>", "placeholder from the docs"),
    (b"", "empty"),
])
def test_what_is_not_a_clip_is_refused_by_name(given: object, message: str) -> None:
    """Each refusal says what was wrong."""
    with pytest.raises(ValidationError, match=message):
        AUDIO.validate_python(given)


def test_a_result_is_a_video_of_known_length() -> None:
    """A finished result is its URL, with its length and size known (never sent)."""
    result = kn.Result(job_id="j", provider="aimlapi", model="m", duration=5, width=640,
                       height=360, video_url="https://example.com/r.mp4")
    clip = VIDEO.validate_python(result)
    assert (clip.seconds, clip.width, clip.height) == (5, 640, 360)
    assert clip.to_wire() == "https://example.com/r.mp4"
    assert clip.model_dump() == {"path": None, "url": "https://example.com/r.mp4",
                                 "data": None, "mime": None}


@pytest.mark.parametrize(("head", "audio", "video"), [
    (b"RIFF\0\0\0\0WAVE", "wav", None), (b"ID3\x04", "mp3", None),
    (b"\xff\xfb\x90\x00", "mp3", None), (b"\xff\xf1\x50\x80", "aac", None),
    (b"\0\0\0\x20ftypM4A ", "m4a", "mp4"), (b"OggS\0\x02", "ogg", None),
    (b"fLaC\0\0", "flac", None), (b"\x1a\x45\xdf\xa3", None, "webm"),
    (b"RIFF\0\0\0\0AVI LIST", None, "avi"), (b"hello", None, None),
])
def test_formats_by_their_magic_numbers(head: bytes, audio: str | None,
                                        video: str | None) -> None:
    """The first bytes say what a clip is."""
    assert sniff_audio_format(head + bytes(8)) == audio
    assert sniff_video_format(head + bytes(8)) == video


def test_a_clips_inline_data_is_abbreviated_in_views() -> None:
    """The spec's view shows a clip's size and a short curl, never the clip's whole data."""
    spec = kn.KlingAvatarStandardAIML(image_url="https://example.com/a.png",
                                      audio_url=kn.sample_audio(seconds=2))
    text = spec._text_view()
    assert "audio_url = 88.2 kB of WAV" in text
    assert "data:audio/wav;base64,UklGR" in text
    assert len(text) < 2000
    assert len(spec.to_curl()) > 100_000


def test_a_spec_as_text_shows_inline_media_by_size_never_its_bytes() -> None:
    """``str(spec)`` is one short line: an inline clip reads "N kB of WAV", not base64."""
    clip = audio_clip(seconds=3.0)
    spec = kn.KlingAvatarStandardAIML(image_url=ImageFile(data=png()),
                                      audio_url=AudioFile(data=clip))
    text = str(spec)
    assert f"audio_url={len(clip) / 1000:.1f} kB of WAV" in text
    assert len(text) < 200
    assert base64.b64encode(clip[:30]).decode()[:20] not in text
    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    inline = str(kn.Kling30StandardAIML(prompt="x", image_url=uri))
    assert "image_url=data:image/png;base64,... (" in inline
    assert len(inline) < 120
