"""The five vendor sample requests, reproduced exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from seed_samples import PLACEHOLDERS, SAMPLES, START

import kling_nb


def _curl_bodies(page: Path) -> list[dict[str, Any]]:
    text = page.read_text()
    bodies = []
    for match in re.finditer(r"--data\s*'(.*?)'\s*\n", text, re.DOTALL):
        raw = match.group(1)
        for placeholder, value in PLACEHOLDERS.items():
            raw = raw.replace(placeholder, value)
        bodies.append(json.loads(raw))
    return bodies


@pytest.mark.parametrize(("page", "body", "index"), SAMPLES, ids=lambda v: str(v)[:20])
def test_samples_match_the_vendor_pages(seeds_dir: Path, page: str, body: dict[str, Any],
                                        index: int) -> None:
    """The embedded samples are the pages' curl bodies with the placeholders filled."""
    assert _curl_bodies(seeds_dir / page)[index] == body


@pytest.mark.parametrize(("page", "body", "index"), SAMPLES, ids=lambda v: str(v)[:20])
def test_wire_body_round_trips(page: str, body: dict[str, Any], index: int) -> None:
    """parse_spec(body).to_request().json == body (KLING2_5 normalised, as decided)."""
    expected = dict(body)
    if expected.get("model") == "Kling2_5":
        expected["model"] = "KLING2_5"
    request = kling_nb.parse_spec(body).to_request()
    assert request.json == expected
    assert request.method == "POST"


def test_friendly_kling21_leonardo_builds_the_sample() -> None:
    """Friendly fields with the page's values give the page's body."""
    spec = kling_nb.Kling21Pro(
        prompt="woman walks forward, camera follows her, timelapse with clouds",
        start_frame=kling_nb.generated(START), end_frame=kling_nb.generated(START),
        duration=10, width=1920, height=1080,
    )
    page = next(s for s in SAMPLES if s[0].startswith("000"))
    assert spec.to_request().json == page[1]
    assert spec.to_request().url == (
        "https://cloud.leonardo.ai/api/rest/v1/generations-image-to-video"
    )


def test_friendly_kling25_sends_upper_case_model() -> None:
    """Kling 2.5 Turbo is sent as KLING2_5, whatever the user wrote."""
    for model in ("Kling2_5", "KLING2_5", "leonardo/kling-2.5-turbo"):
        spec = kling_nb.parse_spec({"model": model, "prompt": "p", "start_frame": START,
                                    "public": False})
        assert spec.to_request().json["model"] == "KLING2_5"


def test_friendly_aiml_builds_the_sample() -> None:
    """The AI/ML page's values give its body, with duration sent as an integer."""
    from seed_samples import KLING21_AIML, MONA_LISA

    spec = kling_nb.Kling21ProAIML(
        image_url=MONA_LISA, prompt="Mona Lisa puts on glasses with her hands.", duration="5"
    )
    request = spec.to_request()
    assert request.json == KLING21_AIML
    assert request.url == "https://api.aimlapi.com/v2/generate/video/kling/generation"


def test_friendly_o1_edit_builds_the_sample() -> None:
    """The O1 video-editing sample from friendly fields."""
    from seed_samples import KLING_O1_EDIT, SEED, VIDEO

    spec = kling_nb.KlingO1(
        prompt="add @image1 to the background", mode="RESOLUTION_1080", prompt_enhance=False,
        quantity=1, duration=5, seed=SEED, size="1920x1080",
        image_references=[START], video_reference=VIDEO,
    )
    assert spec.to_request().json == KLING_O1_EDIT


def test_friendly_kling30_builds_the_sample() -> None:
    """The Kling 3.0 sample from friendly fields."""
    from seed_samples import KLING30

    spec = kling_nb.Kling30(
        prompt="Animate this landscape with birds flying and wind blowing through trees",
        duration=5, width=1920, height=1080, audio=True, start_frame=kling_nb.generated(START),
    )
    assert spec.to_request().json == KLING30
    assert spec.to_request().url == "https://cloud.leonardo.ai/api/rest/v2/generations"
