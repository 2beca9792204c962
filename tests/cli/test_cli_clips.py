"""The command line's flags for the new kinds of input: ``--audio FILE|URL`` (an avatar's clip;
bare ``--audio``/``--no-audio`` stay the sound switch), ``--motion-video FILE|URL``,
``--character-orientation``, ``--keep-audio``, ``--mode std|pro``; clips in spec files; and
``kling-nb models`` for the new rows."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from cli_helpers import run
from client_helpers import png
from clip_helpers import audio_clip, moving_square

import kling_nb as kn
from kling_nb.sandbox import Sandbox


def _body(sb: Sandbox) -> dict[str, object]:
    body = [r for r in sb.requests if r.method == "POST"][-1].json
    assert isinstance(body, dict)
    return body


def _video_of(text: str) -> Path:
    return Path(text.split("video: ")[1].split("\n")[0])


def test_audio_file_makes_an_avatar_as_long_as_the_clip(sb: Sandbox, tmp_path: Path) -> None:
    """``--audio voice.wav``: read, checked, sent inline; the video lasts as long and plays it."""
    (tmp_path / "me.png").write_bytes(png((360, 640)))
    kn.sample_audio(tmp_path / "voice.wav", seconds=2.5)
    status, text = run("generate", "--model", "aimlapi/kling-avatar-standard",
                       "--start-frame", "me.png", "--audio", "voice.wav", "--prompt", "hi")
    assert status == 0, text
    assert str(_body(sb)["audio_url"]).startswith("data:audio/wav;base64,")
    with av.open(str(_video_of(text))) as container:
        assert container.duration / 1e6 == pytest.approx(2.5, abs=0.15)
        assert container.streams.audio


def test_audio_url_is_sent_as_given(sb: Sandbox) -> None:
    """``--audio https://...``: the URL is the clip."""
    status, text = run("generate", "--model", "kling-avatar-pro", "--start-frame",
                       "https://example.com/me.png", "--audio", "https://example.com/v.mp3")
    assert status == 0, text
    assert _body(sb)["audio_url"] == "https://example.com/v.mp3"


def test_bare_audio_flags_are_still_the_sound_switch(sb: Sandbox) -> None:
    """``--audio`` alone and ``--no-audio`` switch sound where a row takes a switch."""
    assert run("generate", "--model", "aimlapi/kling-2.6-pro", "--prompt", "x", "--audio")[0] == 0
    assert _body(sb)["generate_audio"] is True
    assert run("generate", "--model", "aimlapi/kling-2.6-pro", "--prompt", "x",
               "--no-audio")[0] == 0
    assert _body(sb)["generate_audio"] is False


@pytest.mark.parametrize(("clip", "words"), [
    (audio_clip("FLAC", 1.0), ("audio_url is FLAC audio", "MP3, WAV, M4A or AAC")),
    (b"ID3" + bytes(99), ("voice.mp3", "cannot be read")),
    (b"", ("voice.mp3", "empty")),
])
def test_bad_clips_exit_2_before_sending(clip: bytes, words: tuple[str, ...], sb: Sandbox,
                                         tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A clip the docs refuse, or that is no sound, is bad input: exit 2, nothing sent."""
    (tmp_path / "voice.mp3").write_bytes(clip)
    status, _ = run("generate", "--model", "aimlapi/kling-avatar-standard", "--start-frame",
                    "https://example.com/me.png", "--audio", "voice.mp3")
    err = capsys.readouterr().err
    assert status == 2
    assert all(w in err for w in words), err
    assert "next:" in err
    assert sb.requests == []


def test_motion_video_flags(sb: Sandbox, tmp_path: Path) -> None:
    """``--motion-video`` (a local file), ``--character-orientation``, ``--mode pro`` and
    ``--no-keep-audio`` make the motion-control body; the video is as long as the reference."""
    (tmp_path / "dance.mp4").write_bytes(moving_square((320, 568), 3.0, freq=300))
    (tmp_path / "me.png").write_bytes(png((360, 640)))
    status, text = run("generate", "--model", "kling-3.0-motion-control", "--start-frame",
                       "me.png", "--motion-video", "dance.mp4", "--character-orientation",
                       "image", "--mode", "pro", "--no-keep-audio")
    assert status == 0, text
    body = _body(sb)
    assert str(body["video_url"]).startswith("data:video/mp4;base64,")
    assert (body["character_orientation"], body["mode"], body["keep_audio"]) == (
        "image", "pro", False)
    with av.open(str(_video_of(text))) as container:
        assert container.duration / 1e6 == pytest.approx(3.0, abs=0.15)
        assert not container.streams.audio  # --no-keep-audio


def test_a_reference_too_long_for_its_orientation_exits_2(sb: Sandbox, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """12 s with orientation image breaks the schema's 10 s: exit 2, nothing sent."""
    (tmp_path / "dance.mp4").write_bytes(moving_square((320, 568), 12.0))
    status, _ = run("generate", "--model", "aimlapi/kling-2.6-motion-control", "--start-frame",
                    "https://example.com/me.png", "--motion-video", "dance.mp4",
                    "--character-orientation", "image")
    assert status == 2
    assert "too long with character_orientation image" in capsys.readouterr().err
    assert sb.requests == []


def test_a_spec_file_takes_its_clips_from_its_own_folder(sb: Sandbox, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Relative clip paths in a spec file are read beside it, as images are."""
    folder = tmp_path / "job"
    folder.mkdir()
    kn.sample_audio(folder / "voice.wav", seconds=1.5)
    (folder / "spec.json").write_text(json.dumps({
        "model": "klingai/avatar-standard", "image_url": "https://example.com/me.png",
        "audio_url": "voice.wav"}))
    monkeypatch.chdir(tmp_path)
    status, text = run("generate", "--spec", str(folder / "spec.json"))
    assert status == 0, text
    assert str(_body(sb)["audio_url"]).startswith("data:audio/wav;base64,")


def test_models_lists_and_describes_the_new_inputs() -> None:
    """``--takes audio`` lists the avatars; a motion row lists its inputs and rules."""
    status, text = run("models", "--takes", "audio")
    assert status == 0
    assert {line.split()[0] for line in text.splitlines()[1:]} == {
        "aimlapi/kling-avatar-standard", "aimlapi/kling-avatar-pro"}
    status, text = run("models", "aimlapi/kling-2.6-motion-control")
    assert status == 0
    assert "* video_url" in text
    assert "* image_url" in text
    assert "image | video" in text  # character_orientation's choices
    assert "as the reference video" in text
    assert "not published" in text
    assert "video-v2.6-motion-control.md" in text  # the page stating the 3-30 s
    assert "[inferred]" in text
    assert "[documented]" in text
