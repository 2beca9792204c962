"""Reading a local clip with PyAV: length, sound and picture streams, and a clear error for
what is not a clip."""

from __future__ import annotations

import pytest
from clip_helpers import audio_clip, moving_square

import kling_nb as kn
from kling_nb.media.probe import probe


@pytest.mark.parametrize("kind", ["WAV", "MP3", "M4A", "AAC", "FLAC"])
def test_a_sound_clip_is_read(kind: str) -> None:
    """Each documented format (and FLAC) gives its length and its sound stream."""
    info = probe(audio_clip(kind, 2.0))
    assert info.seconds == pytest.approx(2.0, abs=0.1)
    assert info.has_audio
    assert not info.has_video
    assert info.sample_rate == 22050
    assert info.channels == 1


def test_a_video_is_read_with_its_picture_size() -> None:
    """A video gives its length, size and whether it has sound."""
    info = probe(moving_square((320, 568), 3.0, freq=300))
    assert info.seconds == pytest.approx(3.0, abs=0.15)
    assert (info.width, info.height) == (320, 568)
    assert info.has_video
    assert info.has_audio
    assert not probe(moving_square((160, 90), 1.0)).has_audio


def test_kn_sample_audio_is_a_wav_melody(tmp_path: object) -> None:
    """``kn.sample_audio`` writes a mono 22.05 kHz WAV of the asked length."""
    data = kn.sample_audio(seconds=2.5)
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"
    info = probe(data)
    assert info.seconds == pytest.approx(2.5)
    assert info.container == "wav"


@pytest.mark.parametrize("data", [b"not a clip at all" * 10, b"ID3" + bytes(100)])
def test_what_is_not_a_clip_is_refused(data: bytes) -> None:
    """Bytes PyAV cannot read raise MediaError naming the clip."""
    with pytest.raises(kn.MediaError, match=r"voice.mp3 cannot be read"):
        probe(data, "voice.mp3")
