"""Video metrics on generated clips with known properties: a still clip is frozen, a moving
pattern moves, black frames are counted, a silent track is silent, a short clip is flagged,
and what was asked (length, aspect, sound) is checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from video_clips import blackout, blinking, moving, still, texture, tone, write

from kling_nb.core.errors import MediaError
from kling_nb.media.measure import FLOOR_DBFS, measure
from kling_nb.media.metrics import Asked, Metrics, measure_video, quietly


def test_a_still_clip_is_frozen_and_does_not_move(tmp_path: Path) -> None:
    """Every frame the same: frozen (all but the encoder's first refinement of its keyframe),
    motion and flicker near 0, flagged frozen."""
    values = measure(write(tmp_path / "still.mp4", still()))
    assert values["frozen"] >= 0.9
    assert values["motion"] < 0.1
    assert values["flicker"] < 0.1
    assert values["black"] == 0.0
    assert any(flag.startswith("frozen frames: ") for flag in Metrics(values).flags)


def test_a_moving_pattern_moves_and_is_never_frozen(tmp_path: Path) -> None:
    """A texture sliding 3 px a frame: clear motion, no frozen frame, no flag."""
    values = measure(write(tmp_path / "moving.mp4", moving()))
    assert values["motion"] > 5.0
    assert values["frozen"] == 0.0
    assert values["flicker"] < 1.0
    assert Metrics(values).flags == []


def test_size_length_and_frame_rate_are_read_from_the_file(tmp_path: Path) -> None:
    """160x90, 2 s at 12 fps: 24 frames; no sound track."""
    values = measure(write(tmp_path / "clip.mp4", moving(), seconds=2, fps=12))
    assert (values["width"], values["height"]) == (160, 90)
    assert values["seconds"] == pytest.approx(2.0)
    assert values["fps"] == pytest.approx(12.0)
    assert values["frames"] == 24
    assert values["audio"] == 0.0
    assert values["loudness_db"] is None
    assert values["silence"] is None


def test_black_frames_are_counted(tmp_path: Path) -> None:
    """The first half black: black share 0.5, flagged."""
    clip = blackout(moving(), lambda i: i < 12)
    values = measure(write(tmp_path / "black.mp4", clip, seconds=2, fps=12))
    assert values["black"] == pytest.approx(0.5)
    assert "black frames: 50%" in Metrics(values).flags


def test_a_blinking_light_is_flicker_and_a_fade_is_not(tmp_path: Path) -> None:
    """Brightness up and down every frame is flicker (flagged); a slow fade is not."""
    blink = measure(write(tmp_path / "blink.mp4", blinking()))
    assert blink["flicker"] > 10.0
    assert any(f.startswith("flicker") for f in Metrics(blink).flags)
    base = texture().astype(np.float32)
    fade = measure(write(tmp_path / "fade.mp4",
                         lambda i: (base * (1 - i / 30)).astype(np.uint8)))
    assert fade["flicker"] < 0.5
    assert fade["motion"] > 0.5  # it changes, smoothly


def test_a_blurred_clip_is_less_sharp(tmp_path: Path) -> None:
    """The same texture box-blurred scores a lower sharpness."""
    sharp = texture()
    soft = sharp.astype(np.float32)
    soft = (soft + np.roll(soft, 1, 0) + np.roll(soft, 1, 1) + np.roll(soft, (1, 1), (0, 1))) / 4
    crisp = measure(write(tmp_path / "sharp.mp4", lambda i: sharp))["sharpness"]
    blurred = measure(write(tmp_path / "soft.mp4", lambda i: soft.astype(np.uint8)))["sharpness"]
    assert crisp is not None
    assert blurred is not None
    assert crisp > 2 * blurred


def test_sound_loudness_and_silence(tmp_path: Path) -> None:
    """A 0.2 sine is at about -17 dBFS and never silent; a silent track is all silence."""
    loud = measure(write(tmp_path / "tone.mp4", moving(), sound=tone(2.0)))
    assert loud["audio"] == 1.0
    assert loud["loudness_db"] == pytest.approx(-17.0, abs=1.0)
    assert loud["silence"] == 0.0
    quiet = measure(write(tmp_path / "silent.mp4", moving(), sound=np.zeros(32_000, np.float32)))
    assert quiet["audio"] == 1.0
    assert quiet["silence"] == 1.0
    assert quiet["loudness_db"] == FLOOR_DBFS


def test_a_silent_track_does_not_count_as_the_sound_asked(tmp_path: Path) -> None:
    """Sound asked, a silent track: sound_ok is False and flagged; a tone is the sound asked;
    a silent track nobody asked sound of is only noted."""
    silent = measure(write(tmp_path / "silent.mp4", moving(), sound=np.zeros(32_000, np.float32)))
    asked = Metrics(silent, Asked(sound=True))
    assert asked.checks["sound_ok"] is False
    assert asked.has_sound is False
    assert "no sound: the sound track is silent" in asked.flags
    assert Metrics(silent).flags == ["the sound track is silent"]
    loud = measure(write(tmp_path / "tone.mp4", moving(), sound=tone(2.0)))
    assert Metrics(loud, Asked(sound=True)).checks["sound_ok"] is True
    unasked = Metrics(loud, Asked(sound=False))
    assert unasked.checks["sound_ok"] is False
    assert "sound, though none was asked" in unasked.flags
    mute = Metrics(measure(write(tmp_path / "mute.mp4", moving())), Asked(sound=True))
    assert "no sound track, though sound was asked" in mute.flags


def test_a_clip_shorter_than_asked_is_flagged(tmp_path: Path) -> None:
    """2 s when 5 s were asked: duration_ok False, 'shorter than asked: 2.0 s of 5 s'."""
    values = measure(write(tmp_path / "short.mp4", moving(), seconds=2))
    metrics = Metrics(values, Asked(seconds=5))
    assert metrics.checks["duration_ok"] is False
    assert metrics["duration_ok"] == 0.0
    assert "shorter than asked: 2.0 s of 5 s" in metrics.flags
    assert Metrics(values, Asked(seconds=2)).checks["duration_ok"] is True
    assert Metrics(values).checks["duration_ok"] is None  # nothing asked, nothing checked


def test_the_aspect_is_checked_against_the_size_asked(tmp_path: Path) -> None:
    """A 1:1 clip where 16:9 was asked is flagged; 1920x1080 asked of a 160x90 clip is fine."""
    square = measure(write(tmp_path / "square.mp4", moving(90, 90), size=(90, 90)))
    metrics = Metrics(square, Asked(size=(1920, 1080)))
    assert metrics.checks["aspect_ok"] is False
    assert "aspect 1:1 (90x90), asked 16:9" in metrics.flags
    wide = measure(write(tmp_path / "wide.mp4", moving()))
    assert Metrics(wide, Asked(size=(1920, 1080))).checks["aspect_ok"] is True
    assert Metrics(wide, Asked(size=(16, 9))).checks["aspect_ok"] is True


def test_metrics_show_themselves_and_flatten(tmp_path: Path) -> None:
    """One summary line, a table, a flat dict with the checks; a mapping by name."""
    metrics = measure_video(write(tmp_path / "clip.mp4", moving(), sound=tone(2.0)),
                          asked=Asked(seconds=5))
    assert metrics.summary().startswith("2.0 s · 160x90 · 12 fps · sound -17 dB · motion")
    bundle = metrics._repr_mimebundle_()
    assert "shorter than asked" in bundle["text/plain"]
    assert "<table>" in bundle["text/html"]
    flat = metrics.to_dict()
    assert flat["duration_ok"] is False
    assert flat["aspect_ok"] is None
    assert list(flat)[:3] == ["seconds", "width", "height"]
    assert metrics["motion"] == metrics.numbers["motion"]
    assert "sound_ok" in metrics
    assert dict(metrics.rows())["audio"] == "yes"


def test_what_is_no_video_is_a_media_error(tmp_path: Path) -> None:
    """A missing file and a file that is not a video raise MediaError; quietly gives None."""
    with pytest.raises(MediaError, match="no video file"):
        measure(tmp_path / "missing.mp4")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(MediaError):
        measure(junk)
    assert quietly(junk) is None
