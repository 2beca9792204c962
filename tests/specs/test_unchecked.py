"""A model the catalogue does not know, sent on purpose: ``parse_spec(body, unchecked=True)``
keeps the body as given, chooses where it goes from its shape (or as told), checks nothing but
that shape, labels it unchecked, and round-trips through ``to_dict`` as the journal keeps it."""

from __future__ import annotations

import json
import warnings

import pytest

import kling_nb as kn
from kling_nb.specs.unchecked import is_unchecked

V2 = {"model": "kling-5.0", "public": False, "parameters": {
    "prompt": "a heron lands", "duration": 8, "width": 1920, "height": 1080, "new_knob": 3}}
AIML = {"model": "kling-video/v5/text-to-video", "prompt": "a heron lands", "duration": "12",
        "some_new_field": {"nested": [1, 2]}}
ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def test_a_leonardo_v2_body_goes_to_v2_and_is_polled_on_v1() -> None:
    """The v2 envelope means Leonardo v2; the job is polled by id on v1; the body is sent
    exactly as given, unknown keys and all."""
    spec = kn.parse_spec(V2, unchecked=True)
    assert isinstance(spec, kn.UncheckedSpec)
    assert spec.key == "leonardo/kling-5.0 (unchecked)"
    assert is_unchecked(spec.key)
    assert (spec.provider, spec.endpoint) == ("leonardo", "/api/rest/v2/generations")
    assert spec.poll_path == "/api/rest/v1/generations/{id}"
    request = spec.to_request()
    assert request.url == "https://cloud.leonardo.ai/api/rest/v2/generations"
    assert request.json == V2
    assert (spec.prompt, spec.duration, spec.width, spec.height) == (
        "a heron lands", 8, 1920, 1080)


@pytest.mark.parametrize(("body", "path"), [
    ({"model": "KLING5_0", "prompt": "p", "imageId": ID, "imageType": "UPLOADED"},
     "/api/rest/v1/generations-image-to-video"),
    ({"model": "KLING5_0", "prompt": "p", "isPublic": False},
     "/api/rest/v1/generations-text-to-video"),
])
def test_a_v1_camel_case_body_goes_to_v1(body: dict[str, object], path: str) -> None:
    """Leonardo's camelCase v1 body: image-to-video with an ``imageId``, else text-to-video."""
    spec = kn.parse_spec(body, unchecked=True)
    assert (spec.provider, spec.endpoint) == ("leonardo", path)


def test_an_aiml_body_goes_to_the_universal_endpoint_and_is_polled_there() -> None:
    """An AI/ML id (with a '/') goes to the universal endpoint; its poll is the same path with
    ``generation_id``; a duration given as text still schedules the polls."""
    spec = kn.parse_spec(AIML, unchecked=True)
    assert (spec.provider, spec.endpoint) == ("aimlapi", "/v2/video/generations")
    assert spec.poll_path == "/v2/video/generations?generation_id={id}"
    assert spec.duration == 12
    assert spec.to_request().json == AIML


def test_provider_and_endpoint_can_be_told() -> None:
    """A body whose shape says nothing needs ``provider=``; ``endpoint=`` overrides the
    choice; an endpoint that is not a path on the provider's own host is refused."""
    plain = {"model": "kling-5", "prompt": "p"}
    with pytest.raises(kn.SpecError, match="provider='leonardo' or 'aimlapi'"):
        kn.parse_spec(plain, unchecked=True)
    spec = kn.parse_spec(plain, unchecked=True, provider="aimlapi",
                         endpoint="/v2/generate/video/kling/generation")
    assert spec.to_request().url == \
        "https://api.aimlapi.com/v2/generate/video/kling/generation"
    for bad in ("https://evil.example/steal", "/v2/../x", "v2/video"):
        with pytest.raises(kn.SpecError, match="not a path on the provider's host"):
            kn.parse_spec(plain, unchecked=True, provider="aimlapi", endpoint=bad)
    with pytest.raises(kn.SpecError, match="not a provider"):
        kn.parse_spec(plain, unchecked=True, provider="runway")


def test_only_the_json_shape_is_checked() -> None:
    """No model id, v2 ``parameters`` that is no object, a friendly key instead of a body,
    and values that are not JSON (a local file) are refused; nothing else is."""
    with pytest.raises(kn.SpecError, match="model"):
        kn.parse_spec({"prompt": "p", "parameters": {}}, unchecked=True)
    with pytest.raises(kn.SpecError, match="parameters"):
        kn.parse_spec({"model": "kling-5.0", "parameters": "p"}, unchecked=True,
                      endpoint="/api/rest/v2/generations", provider="leonardo")
    with pytest.raises(kn.SpecError, match="catalogue key"):
        kn.parse_spec({"model": "leonardo/kling-3.0", "prompt": "p"}, unchecked=True)
    with pytest.raises(kn.SpecError, match=r"client\.image_for_body"):
        kn.parse_spec({"model": "kling-5.0", "parameters": {"start": b"\x89PNG"}},
                      unchecked=True)
    spec = kn.parse_spec({"model": "kling-5.0", "parameters": {"duration": -4,
                                                               "width": "wide"}},
                         unchecked=True)  # the provider judges these
    assert spec.to_wire()["parameters"] == {"duration": -4, "width": "wide"}


def test_an_image_ref_in_the_body_is_sent_as_its_id_and_type() -> None:
    """What ``client.image_for_body`` gives on Leonardo goes in the body as it is."""
    spec = kn.parse_spec({"model": "kling-5.0", "public": False, "parameters": {
        "prompt": "p", "guidances": {"start_frame": [{"image": kn.uploaded(ID)}]}}},
        unchecked=True)
    assert spec.to_wire()["parameters"]["guidances"]["start_frame"] == [
        {"image": {"id": ID, "type": "UPLOADED"}}]


def test_a_known_model_sent_unchecked_warns_that_a_checked_spec_exists() -> None:
    """Kling 3.0's body sent unchecked goes as asked, with a warning naming its row."""
    body = {"model": "kling-3.0", "public": False, "parameters": {"prompt": "p",
                                                                  "duration": 99}}
    with pytest.warns(kn.CheckedSpecWarning, match="leonardo/kling-3.0"):
        spec = kn.parse_spec(body, unchecked=True)
    assert spec.key == "leonardo/kling-3.0 (unchecked)"
    with pytest.raises(kn.SpecError):
        kn.parse_spec(body)  # checked, it is refused


def test_an_unknown_model_is_refused_with_the_way_to_send_it_unchecked() -> None:
    """Without ``unchecked``, an unknown model is refused, and the message says how."""
    with pytest.raises(kn.SpecError, match=r"unchecked=True"):
        kn.parse_spec(V2)


def test_a_catalogue_style_key_is_sent_unchecked_only_as_the_providers_own_id() -> None:
    """``leonardo/kling-3.1`` is refused with the id and provider to use (its '/' would
    otherwise send it to the AI/ML API), and the unknown-model hint says the same."""
    with pytest.raises(kn.SpecError, match=r"'kling-3\.1' in the body and provider='leonardo'"):
        kn.parse_spec({"model": "leonardo/kling-3.1", "prompt": "x"})
    with pytest.raises(kn.SpecError, match=r"takes the id the provider itself knows "
                                           r"\('kling-3\.1'\), with provider='leonardo'"):
        kn.parse_spec({"model": "leonardo/kling-3.1", "prompt": "x"}, unchecked=True)
    spec = kn.parse_spec({"model": "kling-3.1", "parameters": {"prompt": "x"}},
                         unchecked=True, provider="leonardo")
    assert spec.provider == "leonardo"


def test_to_dict_round_trips_and_facts_beside_the_body_win() -> None:
    """The journal's record of it (key, provider, endpoint, body, its facts) parses back to
    the same spec, also as JSON text; a fact changed beside the body goes into the body."""
    spec = kn.parse_spec(V2, unchecked=True, endpoint="/api/rest/v2/generations")
    data = spec.to_dict()
    assert data["model"] == spec.key
    assert (data["prompt"], data["duration"]) == ("a heron lands", 8)
    assert kn.parse_spec(data) == spec
    assert kn.parse_spec(json.dumps(data)) == spec
    changed = kn.parse_spec({**data, "prompt": "a crane lands", "seed": 7})
    assert changed.to_wire()["parameters"]["prompt"] == "a crane lands"
    assert changed.to_wire()["parameters"]["seed"] == 7
    assert hash(changed) != hash(spec)
    assert len({spec, kn.parse_spec(data)}) == 1


def test_replace_changes_the_body_where_its_values_live() -> None:
    """``replace(prompt=..., seed=...)`` edits Leonardo's ``parameters`` or the AI/ML body's
    top level; None removes a value; ``body=`` swaps the whole body; the original stays."""
    leo = kn.parse_spec(V2, unchecked=True)
    again = leo.replace(seed=3, new_knob=None)
    assert again.to_wire()["parameters"]["seed"] == 3
    assert "new_knob" not in again.to_wire()["parameters"]
    assert leo.to_wire() == V2
    aiml = kn.parse_spec(AIML, unchecked=True).replace(prompt="other")
    assert aiml.to_wire()["prompt"] == "other"
    swapped = leo.replace(body={**V2, "public": True})
    assert swapped.to_wire()["public"] is True


def test_it_shows_itself_as_unchecked_with_its_curl() -> None:
    """Text and HTML views say UNCHECKED, show the endpoint and body; ``to_curl`` reads the
    key from the environment variable and never holds one."""
    spec = kn.parse_spec(AIML, unchecked=True)
    bundle = spec._repr_mimebundle_()
    assert bundle["text/plain"].startswith("UNCHECKED: kling-video/v5/text-to-video")
    assert "some_new_field" in bundle["text/html"]
    assert "UNCHECKED" in bundle["text/html"]
    curl = spec.to_curl()
    assert "$AIMLAPI_API_KEY" in curl
    assert "/v2/video/generations" in curl
    assert json.loads(curl.split("--data '", 1)[1].rsplit("'", 1)[0]) == AIML
    assert "unchecked" in str(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert spec.estimated_usd(12) is None
