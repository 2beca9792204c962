"""The new AI/ML rows over their documented ranges, drawn by hypothesis: any valid input makes
a spec that breaks no rule, survives the wire unchanged and is taken by the sandbox (written
apart from the spec); a value just outside a range is refused by both, naming the field."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kling_nb as kn
from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, Sandbox
from kling_nb.specs.aimlapi_effects import ONE_PERSON, TWO_PEOPLE

UNIVERSAL = AIMLAPI_SANDBOX_URL + "/v2/video/generations"
URL = "https://example.com/frame.png"
NEW_ROWS = ["aimlapi/kling-1.0-standard", "aimlapi/kling-1.0-pro", "aimlapi/kling-1.6-standard",
            "aimlapi/kling-1.6-pro", "aimlapi/kling-1.6-multi-image",
            "aimlapi/kling-1.6-standard-effects", "aimlapi/kling-1.6-pro-effects",
            "aimlapi/kling-2.0-master", "aimlapi/kling-2.1-master", "aimlapi/kling-2.1-standard",
            "aimlapi/kling-3.0-omni-720p", "aimlapi/kling-3.0-omni-1080p"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
AXIS = st.floats(min_value=-10, max_value=10, allow_nan=False)
POINT = st.fixed_dictionaries({"x": st.integers(0, 4000), "y": st.integers(0, 4000)})


def _camera(image: bool) -> st.SearchStrategy[Any]:
    presets = st.sampled_from(["down_back", "forward_up", "right_turn_forward",
                               "left_turn_forward"])
    if not image:
        return presets
    config = st.dictionaries(st.sampled_from(["horizontal", "vertical", "pan", "tilt", "roll",
                                              "zoom"]), AXIS, min_size=1)
    return st.one_of(presets.map(lambda p: {"type": p}),
                     config.map(lambda c: {"type": "simple", "config": c}))


@st.composite
def inputs(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """A valid body of one of the row's models, with optional fields drawn in range."""
    spec = kn.MODELS[key].spec
    fields = spec.model_fields
    kind = draw(st.sampled_from(sorted(set(getattr(spec, "variants", {})))))
    body: dict[str, Any] = {"model": spec.variants[kind]}
    image = kind == "image" and "image_url" in fields
    maybe = st.booleans()
    if "effect_scene" in fields:
        scene = draw(st.sampled_from(TWO_PEOPLE + ONE_PERSON))
        body["effect_scene"] = scene
        body["image_url"] = [URL, URL] if scene in TWO_PEOPLE else draw(
            st.sampled_from([URL, [URL]]))
    if "image_list" in fields:
        body["image_list"] = [URL] * draw(st.integers(2, 4))
    if image:
        body.setdefault("image_url", URL)
    words = st.text(alphabet="abc xyz", min_size=1, max_size=40).filter(str.strip)
    if "multi_prompt" in fields and draw(maybe):  # exactly one of prompt and a storyboard
        body["multi_prompt"] = draw(st.lists(words, min_size=1, max_size=6))
    elif "prompt" in fields and (fields["prompt"].is_required() or not image or draw(maybe)
                                 or "multi_prompt" in fields):
        body["prompt"] = draw(words)
    if "duration" in fields and draw(maybe):
        body["duration"] = draw(st.sampled_from(spec.durations))
    if "aspect_ratio" in fields and not image and draw(maybe):
        body["aspect_ratio"] = draw(st.sampled_from(["16:9", "9:16", "1:1"]))
    if "cfg_scale" in fields and draw(maybe):
        body["cfg_scale"] = draw(st.floats(0, 1, allow_nan=False))
    if "camera_control" in fields and draw(maybe):
        body["camera_control"] = draw(_camera(image or "image_url" not in fields))
    if "advanced_camera_control" in fields and not image and draw(maybe):
        body["advanced_camera_control"] = {
            "movement_type": draw(st.sampled_from(["horizontal", "vertical", "pan", "tilt",
                                                   "roll", "zoom"])),
            "movement_value": draw(st.integers(-10, 10))}
    if "dynamic_masks" in fields and (image or "image_url" not in fields) and draw(maybe):
        body["dynamic_masks"] = draw(st.lists(st.fixed_dictionaries({
            "mask": st.just(URL), "trajectories": st.lists(POINT, min_size=2, max_size=77)}),
            min_size=1, max_size=6))
    if "shot_type" in fields and draw(maybe):
        body["shot_type"] = draw(st.sampled_from(["customize", "intelligent", "intelligence"]))
    if "generate_audio" in fields:
        body["generate_audio"] = draw(maybe)
        if image and not body["generate_audio"] and draw(maybe):
            body["tail_image_url"] = URL  # Omni: an end frame only with the sound off
    if "upstream" in fields and draw(maybe):
        body["provider"] = draw(st.sampled_from(["auto", "kling", "klingai", "fal", "FAL"]))
    return body


@pytest.fixture
def aiml() -> httpx.Client:
    """A client of a fresh in-process sandbox."""
    return httpx.Client(transport=Sandbox(balance=1e6).transport(),
                        headers={"authorization": "Bearer test-key"})


@pytest.mark.parametrize("key", NEW_ROWS)
@SETTINGS
@given(data=st.data())
def test_any_input_in_range_is_sent_as_given_and_taken(key: str, data: st.DataObject,
                                                       aiml: httpx.Client) -> None:
    body = data.draw(inputs(key))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # in range, nothing is even inferred wrong
        spec = kn.parse_spec(body)
    assert spec.key == key
    sent = spec.to_request().json
    assert sent == body
    assert kn.parse_spec(sent).to_request().json == sent
    answer = aiml.post(UNIVERSAL, json=sent)
    assert answer.status_code == 200, answer.text


OUTSIDE: list[tuple[str, dict[str, Any], str]] = [
    ("duration", {"duration": 7}, "duration"),
    ("cfg_scale", {"cfg_scale": 1.5}, "cfg_scale"),
    ("camera axis", {"image_url": URL, "camera_control": {"type": "simple",
                                                          "config": {"zoom": 11}}},
     "camera_control"),
    ("movement", {"advanced_camera_control": {"movement_type": "pan", "movement_value": -11}},
     "advanced_camera_control"),
    ("one point", {"image_url": URL, "dynamic_masks": [{"mask": URL, "trajectories": [
        {"x": 1, "y": 1}]}]}, "dynamic_masks"),
    ("78 points", {"image_url": URL, "dynamic_masks": [{"mask": URL, "trajectories": [
        {"x": 1, "y": 1}] * 78}]}, "dynamic_masks"),
    ("seven masks", {"image_url": URL, "dynamic_masks": [{"mask": URL, "trajectories": [
        {"x": 1, "y": 1}] * 2}] * 7}, "dynamic_masks"),
]


@pytest.mark.parametrize(("what", "fields", "field"), [(w, f, n) for w, f, n in OUTSIDE],
                         ids=[w for w, _, _ in OUTSIDE])
@pytest.mark.parametrize("key", ["aimlapi/kling-1.0-pro", "aimlapi/kling-2.1-master"])
def test_a_value_just_outside_is_refused_by_both(key: str, what: str, fields: dict[str, Any],
                                                 field: str, aiml: httpx.Client) -> None:
    spec = kn.MODELS[key].spec
    kind = "image" if "image_url" in fields else "text"
    body = {"model": spec.variants[kind], "prompt": "x", **fields}
    with pytest.raises(kn.SpecError) as info:
        kn.parse_spec(body)
    assert field in info.value.fields
    answer = aiml.post(UNIVERSAL, json=body)
    assert answer.status_code == 400
    assert field in answer.json()["message"]


@pytest.mark.parametrize(("key", "body", "field"), [
    ("aimlapi/kling-1.6-multi-image", {"image_list": [URL]}, "image_list"),
    ("aimlapi/kling-1.6-multi-image", {"image_list": [URL] * 5}, "image_list"),
    ("aimlapi/kling-1.6-standard-effects", {"effect_scene": "kiss", "image_url": URL},
     "image_url"),
    ("aimlapi/kling-1.6-pro-effects", {"effect_scene": "expansion", "image_url": [URL, URL]},
     "image_url"),
    ("aimlapi/kling-1.6-pro-effects", {"effect_scene": "dance", "image_url": URL},
     "effect_scene"),
    ("aimlapi/kling-3.0-omni-720p", {"prompt": "x", "image_url": URL, "tail_image_url": URL},
     "tail_image_url"),
    ("aimlapi/kling-3.0-omni-1080p", {"prompt": "x", "shot_type": "auto"}, "shot_type"),
    ("aimlapi/kling-1.6-standard", {"image_url": URL}, "prompt"),
    ("aimlapi/kling-2.1-standard", {"prompt": "x", "aspect_ratio": "16:9"}, "aspect_ratio"),
])
def test_the_new_shapes_refuse_what_their_docs_refuse(key: str, body: dict[str, Any],
                                                       field: str, aiml: httpx.Client) -> None:
    spec = kn.MODELS[key].spec
    if "image_url" not in body and "image_url" in spec.model_fields \
            and spec.model_fields["image_url"].is_required():
        body = {**body, "image_url": URL}
    wire = {"model": next(iter(spec.variants.values())) if len(spec.variants) == 1 else
            spec.variants["image" if "image_url" in body else "text"], **body}
    with pytest.raises(kn.SpecError) as info:
        kn.parse_spec(wire)
    assert field in info.value.fields
    answer = aiml.post(UNIVERSAL, json=wire)
    assert answer.status_code == 400
    assert field in answer.json()["message"]
