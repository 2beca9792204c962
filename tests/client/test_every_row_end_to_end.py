"""Every catalogue row end to end through the public ``Client`` on the sandbox: generate, wait,
download, and a real H.264 MP4 of the expected length, shape and sound.

Each row starts from its spec's ``example``. Two kinds of example input cannot reach any account
as written and are replaced (``test_placeholder_examples_are_refused`` shows why):

- a Leonardo asset id from the docs (``5f1c9a3e-...``: Kling 2.1 Pro and Kling 3.0 Turbo) -> a
  sample image, uploaded by the client;
- a video on ``example.com`` (the AI/ML O1 edit, video-reference and motion-control rows; the
  sandbox would take it on trust as 5 s long) -> a 3 s video made first with Kling 3.0, so the
  edit's length can be seen to follow its source;
- a sound clip on ``example.com`` (the avatars) -> a 3 s WAV (``kn.sample_audio``), given as
  bytes, so the avatar's length can be seen to follow it.

Kling O3 is also run as an edit of such a video (its example is text-to-video).
The sandbox judges every body with its own wire table, independent of the client's specs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import av
import pytest
from client_helpers import client, instant_retries, sb

import kling_nb
from kling_nb import MODELS, Client, RejectedError, Result
from kling_nb.sandbox import Sandbox

__all__ = ["client", "instant_retries", "sb"]

SOURCE_SECONDS = 3
IMAGE_FIELDS = ("start_frame", "end_frame", "image_url")
VIDEO_FIELDS = ("video_url", "video_reference")
AUDIO_FIELDS = ("audio_url",)
CLIENT_BREAKS_NOTES: dict[str, str] = {}
"""Rows whose request, as the client writes it, breaks a rule of the API notes: run as strict
xfails so the sandbox is never relaxed to pass them (none at present)."""

CASES = [(key, None) for key in MODELS] + [("leonardo/kling-o3", "video_reference")]


def _sample_png() -> bytes:
    buffer = io.BytesIO()
    kling_nb.sample_image("landscape").save(buffer, format="PNG")
    return buffer.getvalue()


def _docs_asset_id(value: object) -> bool:
    """A Leonardo asset id copied from the docs (no URL, no data): no account holds it."""
    return isinstance(value, str) and not value.startswith(("https://", "data:"))


def _foreign_video(value: object) -> bool:
    """A video on someone else's server: the offline sandbox takes it on trust as 5 s long."""
    return isinstance(value, str) and value.startswith("https://example.com/")


def _inputs(key: str, video_field: str | None, source: Result | None) -> dict[str, Any]:
    data = dict(MODELS[key].spec.example)
    for name in IMAGE_FIELDS:
        if _docs_asset_id(data.get(name)):
            data[name] = _sample_png()
    for name in VIDEO_FIELDS:
        if _foreign_video(data.get(name)) or name == video_field:
            data[name] = source
    for name in AUDIO_FIELDS:
        if _foreign_video(data.get(name)):
            data[name] = kling_nb.sample_audio(seconds=SOURCE_SECONDS)
    return data


def _needs_source(key: str, video_field: str | None) -> bool:
    example = MODELS[key].spec.example
    return video_field is not None or any(_foreign_video(example.get(n)) for n in VIDEO_FIELDS)


PLACEHOLDER_ROWS = [key for key in MODELS
                    if any(_docs_asset_id(MODELS[key].spec.example.get(n)) for n in IMAGE_FIELDS)]


def _params() -> list[Any]:
    params = []
    for key, video_field in CASES:
        name = key + (f" ({video_field})" if video_field else "")
        marks = [pytest.mark.xfail(strict=True, reason=CLIENT_BREAKS_NOTES[key])] \
            if key in CLIENT_BREAKS_NOTES else []
        params.append(pytest.param(key, video_field, id=name, marks=marks))
    return params


def _probe(path: Path) -> tuple[str, float, float, bool]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return (stream.codec_context.name, container.duration / 1e6,
                stream.width / stream.height, bool(container.streams.audio))


@pytest.mark.filterwarnings("ignore::kling_nb.RetiredModelWarning")
@pytest.mark.parametrize(("key", "video_field"), _params())
def test_row_end_to_end(key: str, video_field: str | None, sb: Sandbox, client: Client) -> None:
    """generate() sends the row's request, waits, downloads a real MP4 of the spec's length."""
    source = None
    if _needs_source(key, video_field):
        source = client.generate(MODELS["leonardo/kling-3.0"].spec(
            prompt="a source video", duration=SOURCE_SECONDS), progress=False)
    spec = MODELS[key].spec(**_inputs(key, video_field, source))
    result = client.generate(spec, progress=False)

    create = [r for r in sb.requests if r.method == "POST" and r.surface != "uploads"][-1]
    assert create.path == spec.endpoint
    assert create.json["model"] in spec.model_names()
    if spec.provider == "aimlapi" and create.path == "/v2/video/generations":
        assert ":" in result.job_id  # a universal id, polled URL-encoded
    assert result.path is not None
    assert result.path.read_bytes()[4:8] == b"ftyp"
    codec, seconds, ratio, sound = _probe(result.path)
    assert codec == "h264"
    # no duration: an edit's follows its source, an avatar's its clip (read when it was sent:
    # the result has it); any other takes the API's default, 5 s
    expected = getattr(spec, "duration", None) or result.duration or (
        SOURCE_SECONDS if source else 5)
    assert seconds == pytest.approx(expected, abs=0.15)
    assert ratio == pytest.approx(16 / 9, rel=0.05)
    if MODELS[key].sound in ("none", "on by default", "always", "the given audio"):
        assert sound is (MODELS[key].sound != "none")


@pytest.mark.filterwarnings("ignore::kling_nb.RetiredModelWarning")
@pytest.mark.parametrize("key", PLACEHOLDER_ROWS)
def test_placeholder_examples_are_refused(key: str, client: Client) -> None:
    """An example naming a docs asset id is refused as on the live API: no account holds it."""
    with pytest.raises(RejectedError, match="invalid init image id"):
        client.submit(MODELS[key].spec(**MODELS[key].spec.example))
