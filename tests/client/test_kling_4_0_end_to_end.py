"""Kling 4.0 end to end through the public client on the sandbox: 5, 10 and 30 s, 16:9 and
21:9, with and without frames and references, on Leonardo and the AI/ML API; each a real MP4
of that length and shape, Leonardo's with stereo sound (two channels that differ)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from client_helpers import png

import kling_nb as kn
from kling_nb.sandbox import Sandbox

SIZES = {"16:9": "1920x1080", "21:9": "2520x1080"}
INPUTS = ("text", "frames", "references", "frames+references")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[kn.Client]:
    """One sandbox client for the module's videos (each downloaded to its own file)."""
    folder = tmp_path_factory.mktemp("kling40")
    with kn.Client(sandbox=Sandbox(), download_dir=folder, journal=False, env_file=False,
                   environ={}) as made:
        yield made


@pytest.fixture(scope="module")
def images(client: kn.Client) -> list[kn.ImageRef]:
    """Three uploaded images to use as frames and references."""
    return [client.upload_image(png((640 + 16 * n, 360))) for n in range(3)]


def _probe(path: Path) -> tuple[float, float, int, bool]:
    """Seconds, aspect, audio channels, and whether the channels differ (real stereo)."""
    with av.open(io.BytesIO(path.read_bytes())) as container:
        video = container.streams.video[0]
        seconds, aspect = container.duration / 1e6, video.width / video.height
        if not container.streams.audio:
            return seconds, aspect, 0, False
        channels = container.streams.audio[0].channels
        samples = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    differ = channels == 2 and float(np.abs(samples[0] - samples[1]).mean()) > 0.005
    return seconds, aspect, channels, differ


def _fields(inputs: str, images: list[kn.ImageRef]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "frames" in inputs:
        fields.update(start_frame=images[0], end_frame=images[1])
    if "references" in inputs:
        fields.update(image_references=images[1:], prompt="@image1 and @image2 meet")
    return fields


CASES = [(seconds, ratio, inputs) for seconds in (5, 10, 30) for ratio in SIZES
         for inputs in (("text", "frames+references") if seconds != 5 else INPUTS)]


@pytest.mark.parametrize(("seconds", "ratio", "inputs"), CASES)
def test_leonardo_kling_4_0(seconds: int, ratio: str, inputs: str, client: kn.Client,
                            images: list[kn.ImageRef]) -> None:
    """The requested length and shape, stereo sound; the request carries what was given."""
    spec_fields = {"prompt": "a rider crosses a salt flat", "duration": seconds,
                   "size": SIZES[ratio], **_fields(inputs, images)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)  # text-to-video is inferred
        spec = kn.Kling40(**spec_fields)
    result = client.generate(spec, progress=False)
    assert result.path is not None
    assert result.sandbox
    length, aspect, channels, stereo = _probe(result.path)
    assert length == pytest.approx(seconds, abs=0.15)
    assert aspect == pytest.approx({"16:9": 16 / 9, "21:9": 21 / 9}[ratio], rel=0.05)
    assert channels == 2
    assert stereo
    guides = spec.to_request().json["parameters"].get("guidances", {})
    assert ("start_frame" in guides) is ("frames" in inputs)
    assert ("image_reference" in guides) is ("references" in inputs)


@pytest.mark.parametrize(("seconds", "ratio", "references"),
                         [(s, r, refs) for s in (5, 10, 30) for r in SIZES
                          for refs in (0, 2)])
def test_aiml_kling_4_0_reference(seconds: int, ratio: str, references: int,
                                  client: kn.Client) -> None:
    """The AI/ML row: its length and aspect ratio, with and without reference images."""
    fields: dict[str, Any] = {"prompt": "a rider crosses a salt flat", "duration": seconds,
                              "aspect_ratio": ratio}
    if references:
        fields["image_list"] = [png((640, 360)) for _ in range(references)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)  # its field names are
        spec = kn.Kling40ReferenceAIML(**fields)
    result = client.generate(spec, progress=False)
    assert result.path is not None
    length, aspect, _, _ = _probe(result.path)
    assert length == pytest.approx(seconds, abs=0.15)
    assert aspect == pytest.approx({"16:9": 16 / 9, "21:9": 21 / 9}[ratio], rel=0.05)
    sent = [r for r in client.routing.sandboxes["aimlapi"].requests
            if r.method == "POST" and r.path == "/v2/video/generations"][-1].json
    assert sent["model"] == "kling-video/v4/reference-to-video"
    assert len(sent.get("image_list", [])) == references
    assert all(i.startswith("data:image/png;base64,") for i in sent.get("image_list", []))


def test_a_30_s_21_9_video_polls_on_kling_4s_own_schedule(client: kn.Client) -> None:
    """A live-like wait for a 30 s Kling 4.0 job expects 2-5 minutes, not 18-24."""
    job = client.job("leonardo", "00000000-0000-4000-8000-000000000001",
                     spec=kn.Kling40(prompt="p", duration=30, size="2520x1080",
                                     start_frame=kn.generated("5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01")))
    job.fast = False
    assert client.schedule(job).expected == (120.0, 300.0)
