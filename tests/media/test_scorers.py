"""Your own scorers: registered by name, run on a video file, numbers kept like the built-in
metrics; a bad name is refused, a failing scorer is warned about and never stops anything."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from video_clips import moving, write

from kling_nb.media import scorers
from kling_nb.media.metrics import measure_video
from kling_nb.media.scorers import load_scorer, register_scorer, registered


def brightness(path: Path) -> float:
    """A scorer for ``load_scorer``: always 0.5."""
    return 0.5


def test_a_scorer_adds_its_numbers(tmp_path: Path) -> None:
    """A number under its name, a mapping as name.key, numpy scalars as floats."""
    video = write(tmp_path / "clip.mp4", moving())
    register_scorer("size_kb", lambda path: path.stat().st_size / 1000)

    @register_scorer("clip")
    def clip(path: Path) -> dict[str, object]:
        return {"cat": np.float32(0.25), "dog": None}

    metrics = measure_video(video)
    assert metrics["size_kb"] == pytest.approx(video.stat().st_size / 1000)
    assert metrics.scores == {"size_kb": metrics["size_kb"], "clip.cat": 0.25, "clip.dog": None}
    assert "clip.cat 0.25" in metrics.summary()
    assert clip(video) == {"cat": 0.25, "dog": None}  # the decorator gives the function back
    assert "size_kb" not in measure_video(video, scorers=False)


def test_slow_scorers_stay_out_of_downloads(tmp_path: Path) -> None:
    """on_download=False: not run by what a download runs (scorers=None), run on demand."""
    video = write(tmp_path / "clip.mp4", moving())
    register_scorer("slow", lambda path: 1.0, on_download=False)
    assert "slow" not in measure_video(video, scorers=None)
    assert measure_video(video, scorers=True)["slow"] == 1.0


def test_a_failing_scorer_warns_and_the_rest_goes_on(tmp_path: Path) -> None:
    """An exception or a non-number is a RuntimeWarning; the built-in metrics are there."""
    video = write(tmp_path / "clip.mp4", moving())
    register_scorer("broken", lambda path: 1 / 0)
    register_scorer("wordy", lambda path: "great")
    with pytest.warns(RuntimeWarning) as caught:
        metrics = measure_video(video)
    messages = sorted(str(w.message) for w in caught)
    assert messages[0].startswith("scorer 'broken' failed on clip.mp4: ZeroDivisionError")
    assert "wordy gave 'great', not a finite number" in messages[1]
    assert "broken" not in metrics
    assert metrics["motion"] is not None


@pytest.mark.parametrize("name", ["motion", "rating", "prompt", "2fast", "has space", ""])
def test_names_that_are_taken_or_malformed_are_refused(name: str) -> None:
    """Built-in metrics and history columns are taken; a name must be an identifier."""
    with pytest.raises(ValueError, match="name"):
        register_scorer(name, brightness)
    assert registered() == {}


def test_a_scorer_is_loaded_from_module_and_function() -> None:
    """module:function registers it under the function's name (=NAME renames it)."""
    assert load_scorer("test_scorers:brightness").name == "brightness"
    assert load_scorer("test_scorers:brightness=light").function is brightness
    assert set(registered()) == {"brightness", "light"}
    for bad in ("no_colon", "nowhere_module:f", "test_scorers:missing"):
        with pytest.raises(ValueError, match="--scorer"):
            load_scorer(bad)
    assert scorers.RESERVED.isdisjoint(registered())
