"""The form's audio and motion-video inputs: uploads read and checked locally at once, URLs,
earlier results; the row's rules on the clip shown next to the field; Generate end to end."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from client_helpers import png
from clip_helpers import audio_clip, moving_square

import kling_nb as kn
from kling_nb.notebook.clips import ClipField, ClipInput
from kling_nb.notebook.form import SpecForm


def upload_value(data: bytes, name: str) -> tuple[dict[str, Any], ...]:
    """What FileUpload.value holds after the browser sent one file."""
    return ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.now(timezone.utc)},)


def test_the_new_rows_get_clip_inputs() -> None:
    """An avatar's form has an audio input, a motion row's a motion-video input, after the
    image; uploads take only their kind of file."""
    avatar = SpecForm("aimlapi/kling-avatar-pro", debounce=0)
    motion = SpecForm("aimlapi/kling-2.6-motion-control", debounce=0)
    assert isinstance(avatar.fields["audio_url"], ClipField)
    assert isinstance(motion.fields["video_url"], ClipField)
    assert list(avatar.fields)[:3] == ["prompt", "image_url", "audio_url"]
    assert ".wav" in avatar.fields["audio_url"].control.upload.accept
    assert ".mp4" in motion.fields["video_url"].control.upload.accept
    assert "<b>motion video</b>" in motion.fields["video_url"].label.value
    assert motion.fields["video_url"].control.sources == ("upload", "url", "result")
    assert avatar.fields["audio_url"].control.sources == ("upload", "url")
    assert "MP3, WAV, M4A or AAC" in avatar.fields["audio_url"].help.value


def test_an_uploaded_clip_is_read_at_once() -> None:
    """A WAV upload shows its length; the spec gets the clip with its length known."""
    f = SpecForm("aimlapi/kling-avatar-standard", debounce=0)
    f.fields["image_url"].set("https://example.com/me.png")
    audio = f.fields["audio_url"].control
    audio.upload.value = upload_value(kn.sample_audio(seconds=2.0), "voice.wav")
    assert audio.error is None
    assert "voice.wav: 2.0 s WAV" in audio.facts.value
    f.validate()
    assert f.spec is not None
    assert f.spec.audio_url.seconds == pytest.approx(2.0)
    assert f.spec.duration == 2


@pytest.mark.parametrize(("data", "words"), [
    (b"ID3" + bytes(64), "cannot be read"), (png(), "cannot be read|no sound"),
])
def test_an_unusable_upload_shows_its_error(data: bytes, words: str) -> None:
    """Damaged, or not sound: the error shows under the input; Generate stays off."""
    f = SpecForm("aimlapi/kling-avatar-standard", debounce=0)
    f.fields["image_url"].set("https://example.com/me.png")
    audio = f.fields["audio_url"].control
    audio.upload.value = upload_value(data, "voice.mp3")
    assert audio.error is not None
    assert re.search(words, audio.error)
    assert "voice.mp3" in audio.message.value
    f.click_generate()
    assert f.spec is None
    assert f.generate_button.disabled


def test_a_clip_the_docs_refuse_shows_the_rule_next_to_the_field() -> None:
    """FLAC is readable but not a documented format: the rule's message is on the field."""
    f = SpecForm("aimlapi/kling-avatar-pro", debounce=0)
    f.fields["image_url"].set("https://example.com/me.png")
    f.fields["audio_url"].control.upload.value = upload_value(audio_clip("FLAC", 1.0), "a.flac")
    f.validate()
    assert f.spec is None
    assert any("FLAC audio" in m for m in f.errors["audio_url"])
    assert "FLAC audio" in f.fields["audio_url"].error.value


def test_a_reference_too_long_for_its_orientation() -> None:
    """A 12 s upload is taken with orientation video, refused with image, at the field."""
    f = SpecForm("aimlapi/kling-3.0-motion-control", debounce=0)
    f.fields["image_url"].set("https://example.com/me.png")
    video = f.fields["video_url"].control
    video.upload.value = upload_value(moving_square((320, 568), 12.0), "dance.mp4")
    assert "dance.mp4: 12.0 s MP4, 320x568" in video.facts.value
    f.validate()
    assert f.spec is not None
    f.set_values({"character_orientation": "image"})
    assert f.spec is None
    assert any("too long with character_orientation image" in m
               for m in f.errors["video_url"])


def test_url_and_earlier_result_sources() -> None:
    """An https URL is taken as typed (http refused); an earlier result by its URL and
    length."""
    result = kn.Result(job_id="j", provider="aimlapi", model="m", duration=5,
                       video_url="https://example.com/r.mp4", prompt="a dancer")
    clip = ClipInput("video", results=[result], debounce=0)
    clip.source.value = "url"
    clip.url.value = "http://example.com/d.mp4"
    clip.typing.flush()
    assert clip.error == "a video URL must start with https://"
    clip.url.value = "https://example.com/d.mp4"
    clip.typing.flush()
    assert clip.value == "https://example.com/d.mp4"
    clip.source.value = "result"
    clip.pick.value = result
    assert clip.value.url == "https://example.com/r.mp4"
    assert clip.value.seconds == 5
    assert clip.set_value(None)
    assert clip.value is None


def test_set_values_fills_a_clip_from_a_file(tmp_path: Path) -> None:
    """A form filled from a spec (remix) shows a local clip as an upload."""
    path = tmp_path / "voice.wav"
    kn.sample_audio(path, seconds=1.0)
    f = SpecForm("aimlapi/kling-avatar-standard", debounce=0)
    kept = f.set_values({"image_url": "https://example.com/me.png", "audio_url": str(path)})
    assert set(kept) == {"audio_url", "image_url"}
    assert f.spec is not None
    assert f.spec.audio_url.seconds == pytest.approx(1.0)


@pytest.mark.parametrize("key", ["aimlapi/kling-avatar-standard",
                                 "aimlapi/kling-3.0-motion-control"])
def test_generate_from_the_form(key: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads in, Generate, and a video as long as the clip comes back (SANDBOX)."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=True, download_dir="kling_videos")
    started: list[Any] = []
    f = SpecForm(key, client, debounce=0, runner=started.append)
    f.fields["image_url"].control.upload.value = upload_value(png((360, 640)), "me.png")
    if "audio_url" in f.fields:
        f.fields["audio_url"].control.upload.value = upload_value(
            kn.sample_audio(seconds=2.0), "voice.wav")
    else:
        f.fields["video_url"].control.upload.value = upload_value(
            moving_square((320, 568), 3.0), "dance.mp4")
    f.generate_button.click()
    assert started, f.errors
    result = asyncio.run(started[0])
    assert result is not None
    assert result.sandbox
    assert result.duration == (2 if "audio_url" in f.fields else 3)
    assert (tmp_path / result.path).stat().st_size > 0


def test_the_studio_filters_audio_and_video_inputs() -> None:
    """The studio's "audio input" button offers the avatars; "video input" includes motion
    control; picking one shows its clip input."""
    from kling_nb.notebook.studio import Studio

    s = Studio(debounce=0)
    s.filters["audio"].value = True
    keys = s._filter()
    assert set(keys) == {"aimlapi/kling-avatar-standard", "aimlapi/kling-avatar-pro"}
    s.select(keys[0])
    assert isinstance(s.form.fields["audio_url"], ClipField)
    s.filters["audio"].value = False
    s.filters["video"].value = True
    assert {"aimlapi/kling-2.6-motion-control", "aimlapi/kling-3.0-motion-control"} <= set(
        s._filter())
