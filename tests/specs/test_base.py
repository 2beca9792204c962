"""What every spec offers: requests, curl, schema, dicts."""

from __future__ import annotations

import json
import shlex

import pytest

import kling_nb
from kling_nb import MODELS, parse_spec

ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def _example(key: str) -> kling_nb.Spec:
    spec = MODELS[key].spec
    return spec(**{**spec.example, "prompt": "it's a test"})


@pytest.mark.parametrize("key", list(MODELS))
def test_curl_is_runnable_and_keyless(key: str) -> None:
    """The curl command parses as shell words, uses the key variable, and carries the body."""
    spec = _example(key)
    curl = spec.to_curl()
    words = shlex.split(curl.replace("\\\n", " "))
    variable = "LEONARDO_API_KEY" if spec.provider == "leonardo" else "AIMLAPI_API_KEY"
    assert f"authorization: Bearer ${variable}" in words
    assert words[words.index("--url") + 1] == spec.to_request().url
    assert json.loads(words[words.index("--data") + 1]) == spec.to_request().json


def test_curl_base_url_override() -> None:
    """A base URL (proxy or sandbox server) replaces the host only."""
    spec = _example("leonardo/kling-3.0")
    request = spec.to_request("http://127.0.0.1:8765/")
    assert request.url == "http://127.0.0.1:8765/api/rest/v2/generations"


@pytest.mark.parametrize("key", list(MODELS))
def test_schema_describes_every_field(key: str) -> None:
    """The JSON schema has a description on every field (forms use them as help)."""
    schema = MODELS[key].spec.model_json_schema()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{key}.{name} has no description"


@pytest.mark.parametrize("key", list(MODELS))
def test_to_dict_round_trips(key: str) -> None:
    """to_dict() is JSON and parse_spec takes it back to an equal spec."""
    spec = _example(key)
    data = json.loads(json.dumps(spec.to_dict()))
    assert data["model"] == key
    assert parse_spec(data) == spec


def test_specs_are_immutable() -> None:
    """Specs are frozen: change them with replace()."""
    spec = _example("leonardo/kling-o1")
    with pytest.raises(Exception, match="frozen"):
        spec.prompt = "x"  # type: ignore[misc]


def test_str_is_readable() -> None:
    """str(spec) names the model, provider and the fields set."""
    text = str(_example("aimlapi/kling-2.1-pro"))
    assert text.startswith("Kling 2.1 Pro (AI/ML API)")
    assert "prompt=it's a test" in text


def test_estimated_price() -> None:
    """The documented unofficial prices per duration."""
    assert kling_nb.Kling25Turbo.estimated_usd(10) == pytest.approx(0.70)
    assert kling_nb.Kling30.estimated_usd(3) == pytest.approx(0.57)
    assert kling_nb.Kling30.estimated_usd(15) == pytest.approx(2.83)
