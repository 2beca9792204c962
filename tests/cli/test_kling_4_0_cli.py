"""Kling 4.0 on the command line: ``kling-nb models leonardo/kling-4.0`` names its durations,
21:9 sizes and each rule's evidence; ``generate`` makes 30 s of 21:9 from a start frame and two
references given as local files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cli_helpers import default_sandbox

import kling_nb as kn
from kling_nb.cli import main as _cli
from kling_nb.sandbox import Sandbox


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """The process's default sandbox, no keys, a journal and images in tmp_path."""
    fresh = default_sandbox(monkeypatch, tmp_path)
    kn.sample_image("landscape", "start.png", size=(2520, 1080))
    kn.sample_image("portrait", "one.png")
    kn.sample_image("product", "two.png")
    return fresh


def test_models_describes_kling_4_0(capsys: pytest.CaptureFixture[str]) -> None:
    """Durations, the 21:9 sizes, sound, the price rule and each rule with its evidence."""
    out = io.StringIO()
    assert _cli.main(["models", "leonardo/kling-4.0"], out=out) == 0
    text = out.getvalue()
    assert "3-30 s" in text
    assert "2520x1080" in text
    assert "1680x720" in text
    assert "always (stereo)" in text
    assert "not published" in text
    assert 'source: Leonardo guide "Kling 4.0"' in text
    assert "why inferred: the Kling 4.0 guide is readable only in part" in text


def test_generate_30_s_of_21_9_with_two_references(sb: Sandbox,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The local images are uploaded; the request holds the frame and both references; the
    video is downloaded; the text-to-video warning does not apply (there is a start frame)."""
    out = io.StringIO()
    status = _cli.main(["generate", "--model", "kling-4.0", "--prompt", "@image1 and @image2",
                        "--start-frame", "start.png", "--reference", "one.png",
                        "--reference", "two.png", "--duration", "30", "--size", "2520x1080"],
                       out=out)
    err = capsys.readouterr().err
    assert status == 0, err
    assert "warning:" not in err
    [create] = [r for r in sb.requests if r.method == "POST"
                and r.path == "/api/rest/v2/generations"]
    params = create.json["parameters"]
    assert (params["duration"], params["width"], params["height"]) == (30, 2520, 1080)
    assert len(params["guidances"]["image_reference"]) == 2
    assert params["motion_has_audio"] is True
    assert "video: kling_videos/sandbox-kling-4.0-" in out.getvalue()
