"""A model id no entry names: refused on every create path as the live APIs refuse it, and, with
``accept_unknown_models``, served as a generic video model (any size, 1-60 s, its parameters
and guidances whatever they are, sound when asked, a made-up price) on both hosts."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx
import pytest

from kling_nb.sandbox import Sandbox, price_rule
from kling_nb.sandbox._server import main as serve_main

from .helpers import AIML, AUTH, T2V, UNIVERSAL, V1, V2, finish

V2_BODY = {"model": "kling-9.1", "public": False, "parameters": {
    "prompt": "a heron", "duration": 12, "width": 2520, "height": 1080, "motion_has_audio": True,
    "brand_new_knob": "x"}}
AIML_BODY = {"model": "kling-video/v9/text-to-video", "prompt": "a heron", "duration": 7,
             "aspect_ratio": "21:9", "generate_audio": True, "brand_new_field": [1]}
BODIES = [(V2 + "/generations", V2_BODY), (UNIVERSAL, AIML_BODY), (AIML, AIML_BODY),
          (T2V, {"model": "KLING9_1", "prompt": "a heron", "duration": 5, "width": 1920,
                 "height": 1080}),
          (V1 + "/generations-image-to-video", {"model": "KLING9_1", "prompt": "a heron",
                                                "duration": 5})]


@pytest.mark.parametrize(("url", "body"), BODIES)
def test_an_unknown_model_is_refused_by_default(url: str, body: dict[str, Any],
                                                client: httpx.Client, sb: Sandbox) -> None:
    """A 400 about the model, as the live API answers; no job, nothing charged."""
    answer = client.post(url, json=body)
    assert answer.status_code == 400
    assert "model" in answer.text
    assert not sb.store.jobs


def _video(client: httpx.Client, url: str) -> tuple[float, int, int, int]:
    data = client.get(url).content
    with av.open(io.BytesIO(data)) as container:
        audio = container.streams.audio
        video = container.streams.video[0]
        return (container.duration / 1e6, video.width, video.height,
                audio[0].channels if audio else 0)


def test_with_the_switch_leonardo_serves_it_as_a_generic_model() -> None:
    """The v2 body, with a key no entry lists, makes a 12 s 21:9 video with sound, priced by
    the made-up rule."""
    sb = Sandbox(accept_unknown_models=True)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as client:
        answer = client.post(V2 + "/generations", json=V2_BODY)
        assert answer.status_code == 200, answer.text
        job_id = answer.json()["generate"]["generationId"]
        generation = finish(client, job_id)
        url = generation["generated_images"][0]["motionMP4URL"]  # type: ignore[index]
        seconds, width, height, _ = _video(client, url)
    assert seconds == pytest.approx(12, abs=0.15)
    assert width / height == pytest.approx(21 / 9, rel=0.05)
    assert sb.store.jobs[job_id].order.audio
    rule = price_rule("kling-9.1")
    assert rule is not None
    assert rule.is_made_up
    assert sb.store.jobs[job_id].cost == pytest.approx(1.2)


@pytest.mark.parametrize("url", [UNIVERSAL, AIML])
def test_with_the_switch_the_aiml_api_serves_it_too(url: str) -> None:
    """Any key is taken; the aspect ratio (21:9 too) and the duration are followed."""
    sb = Sandbox(accept_unknown_models=True)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as client:
        answer = client.post(url, json=AIML_BODY)
        assert answer.status_code in (200, 201), answer.text
        job_id = answer.json()["id"]
        done = {}
        for _ in range(3):
            done = client.get(url, params={"generation_id": job_id}).json()
            if done["status"] == "completed":
                break
        seconds, width, height, _ = _video(client, done["video"]["url"])
    assert seconds == pytest.approx(7, abs=0.15)
    assert width / height == pytest.approx(21 / 9, rel=0.05)
    refused = Sandbox(accept_unknown_models=True)
    with httpx.Client(transport=refused.transport(), headers=AUTH) as client:
        bad = client.post(url, json={**AIML_BODY, "duration": 61})
    assert bad.status_code == 400
    assert "duration" in bad.text


def test_the_server_command_has_the_switch(capsys: pytest.CaptureFixture[str]) -> None:
    """``kling-nb sandbox --help`` offers --accept-unknown-models."""
    with pytest.raises(SystemExit):
        serve_main(["--help"])
    assert "--accept-unknown-models" in capsys.readouterr().out
