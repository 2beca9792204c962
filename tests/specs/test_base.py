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
    prompt = {"prompt": "it's a test"} if "prompt" in spec.model_fields else {}
    return spec(**{**spec.example, **prompt})


PROMPTED = [key for key, row in MODELS.items() if "prompt" in row.spec.model_fields]
"""The rows that take a prompt (an effect's scene is chosen by name instead)."""


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


# -- messages that name the field, in one sentence ----------------------------------------------
@pytest.mark.parametrize("prompt", ["   ", "\n\t ", "\u3000"])
@pytest.mark.parametrize("key", PROMPTED)
def test_whitespace_prompt_is_refused(key: str, prompt: str) -> None:
    """A prompt of only whitespace is a spec error naming ``prompt`` (it would be sent as is)."""
    base = _example(key).to_dict()
    with pytest.raises(kling_nb.SpecError) as caught:
        parse_spec({**base, "prompt": prompt})
    assert caught.value.fields == ["prompt"]
    assert "prompt is only whitespace" in str(caught.value)


def test_missing_field_is_named_in_one_sentence() -> None:
    """A missing prompt reads ``prompt is required.``, not ``is required but missing.``."""
    with pytest.raises(kling_nb.SpecError) as caught:
        kling_nb.Kling30()
    assert caught.value.problems[0].sentence == "prompt is required."
    assert "  - prompt is required." in str(caught.value)


@pytest.mark.parametrize(("size", "hint"), [("1280*720", "write '1280x720'"),
                                            ("big", "WIDTHxHEIGHT"),
                                            ((1920.5, 1080), "WIDTHxHEIGHT")])
def test_bad_size_is_one_clean_sentence(size: object, hint: str) -> None:
    """``size="1280*720"`` is one problem on ``size``, not a nested, repeated error."""
    with pytest.raises(kling_nb.SpecError) as caught:
        kling_nb.Kling30(prompt="waves", size=size)
    assert [p.fields for p in caught.value.problems] == [("size",)]
    text = str(caught.value.problems[0])
    assert text.startswith(f"size: {size!r} is not a size")
    assert hint in text
    assert "problem in the request" not in text
    assert str(caught.value).count("is not a size") == 1


def _typos(name: str) -> set[str]:
    """A few one-keystroke slips of ``name``: a letter dropped, changed or swapped."""
    slips = {name[:-1], name[0] + name[2:], name[:1] + "x" + name[2:]}
    if len(name) > 4:
        slips.add(name[:2] + name[3] + name[2] + name[4:])
    return slips


@pytest.mark.parametrize("key", list(MODELS))
def test_every_field_is_suggested_for_a_typo(key: str) -> None:
    """A slip in any field name, ``size`` and the aliases included, gets "did you mean"."""
    from kling_nb.specs.problems import input_names

    spec = MODELS[key].spec
    names = input_names(spec)
    assert ("size" in names) == ("width" in spec.model_fields)
    for name in names:
        for typo in _typos(name) - set(names):
            with pytest.raises(kling_nb.SpecError) as caught:
                parse_spec({**_example(key).to_dict(), typo: 1})
            assert f"Did you mean '{name}'?" in str(caught.value), typo


def test_sise_suggests_size() -> None:
    """The issue's example: ``sise`` is met with "did you mean 'size'?"."""
    with pytest.raises(kling_nb.SpecError, match="Did you mean 'size'"):
        kling_nb.Kling30(prompt="waves", sise="1280x720")
