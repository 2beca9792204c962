"""The current Kling line-up (api-notes §9): documented bodies, each row's rules, provenance."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kling_nb as kn
from kling_nb.specs.catalogue import MODELS

ID = "3f2a9c1e-12ab-4c5d-9e8f-123456789abc"
URL = "https://example.com/frame.png"

DOCUMENTED_BODIES: list[dict[str, Any]] = [
    # api-notes §9.2, the vendor recipes' minimal bodies, verbatim (ids filled in)
    {"model": "kling-3.0-turbo", "public": False, "parameters": {
        "prompt": "The koala plays with the cat", "guidances": {
            "start_frame": [{"image": {"id": ID, "type": "UPLOADED"}}]},
        "duration": 5, "motion_has_audio": True, "width": 1920, "height": 1080}},
    {"model": "kling-video-o-3", "public": False, "parameters": {
        "prompt": "Make the video an evening scene", "duration": 3, "width": 1920,
        "height": 1080, "mode": "RESOLUTION_1080", "motion_has_audio": True,
        "guidances": {"video_reference_base": [{"video": {"id": ID, "type": "GENERATED"}}]}}},
    {"model": "kling-3.0", "parameters": {
        "prompt": "Ocean waves crashing against rocky shore with seagulls and wind",
        "duration": 5, "width": 1440, "height": 1440, "mode": "RESOLUTION_1080",
        "motion_has_audio": True}, "public": True},
    # §9.3: v1 text-to-video
    {"prompt": "A koala", "model": "KLING2_5", "duration": 5, "width": 1920, "height": 1080,
     "resolution": "RESOLUTION_1080", "isPublic": False},
    # §9.5: the AI/ML universal endpoint
    {"model": "klingai/video-v3-turbo-pro-text-to-video",
     "multi_prompt": [{"prompt": "a fox wakes", "duration": 2},
                      {"prompt": "it runs", "duration": 3}], "duration": 5},
    {"model": "klingai/video-v3-pro-image-to-video", "prompt": "x", "image_url": URL,
     "tail_image_url": URL, "duration": 5, "generate_audio": False},
    {"model": "klingai/video-v3-standard-text-to-video", "multi_prompt": ["a", "b"],
     "duration": 6, "generate_audio": True},
    {"model": "klingai/video-o1-image-to-video", "prompt": "x", "image_url": URL,
     "last_image_url": URL, "duration": 5},
    {"model": "klingai/video-o1-video-to-video-edit", "prompt": "x",
     "video_url": "https://example.com/a.mp4"},
    {"model": "klingai/video-v2-6-pro-text-to-video", "prompt": "x", "duration": 5,
     "generate_audio": True},
    {"model": "klingai/v2.5-turbo/pro/image-to-video", "prompt": "x", "image_url": URL,
     "duration": 5},
]


@pytest.mark.parametrize("body", DOCUMENTED_BODIES, ids=lambda b: b["model"])
def test_documented_bodies_round_trip(body: dict[str, Any]) -> None:
    """The vendor's own bodies parse into a row and come back out unchanged."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a documented body breaks no inferred rule either
        spec = kn.parse_spec(body)
    assert spec.to_request().json == body


@pytest.mark.parametrize("key", list(MODELS))
def test_every_row_has_a_valid_example_and_its_facts(key: str) -> None:
    row = MODELS[key]
    spec = row.spec(**row.spec.example)
    _assert_round_trip(spec)
    assert row.inputs
    assert row.endpoint.startswith("https://")
    schema = row.spec.model_json_schema()
    for rule in schema["x-kling-nb-rules"]:
        assert rule["provenance"] in ("documented", "inferred")
        assert ("why" in rule) == (rule["provenance"] == "inferred")


def _assert_round_trip(spec: kn.Spec) -> None:
    """The wire body parses back into the same row, which sends the same body (defaults
    the spec makes explicit on the wire come back as set values)."""
    body = json.loads(json.dumps(spec.to_request().json))
    again = kn.parse_spec(body)
    assert type(again) is type(spec)
    assert again.to_request().json == body
    assert again.to_request().url == spec.to_request().url


def _problem(cls: type[kn.Spec], **fields: Any) -> kn.Problem:
    with pytest.raises(kn.SpecError) as info:
        cls(**fields)
    return info.value.problems[0]


def test_turbo_prompt_limit_is_2500_and_it_takes_no_mode() -> None:
    assert kn.Kling30Turbo(prompt="x" * 2500, start_frame=ID).prompt
    assert "2500" in str(_problem(kn.Kling30Turbo, prompt="x" * 2501, start_frame=ID))
    problem = _problem(kn.Kling30Turbo, prompt="x", start_frame=ID, mode="RESOLUTION_720")
    assert problem.fields == ("mode",)
    assert "mode" not in kn.Kling30Turbo(prompt="x", start_frame=ID).to_wire()


def test_turbo_without_a_start_frame_warns_once_and_is_sent() -> None:
    kn.specs.inferred.forget_warnings()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = kn.Kling30Turbo(prompt="a fox", size="1280x720")
        kn.Kling30Turbo(prompt="a fox again", size="1280x720")
    assert [type(w.message) for w in caught] == [kn.InferredRuleWarning]
    assert "not documented" in str(caught[0].message)
    assert spec.advisories[0].inferred
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError, match="inferred rule"):
        kn.Kling30Turbo(prompt="a fox", size="1280x720")


def test_o3_with_a_video_reference_caps_length_and_references() -> None:
    video = kn.generated(ID)
    problem = _problem(kn.KlingO3, prompt="x", video_reference=video, duration=12)
    assert problem.fields == ("duration",)
    assert not problem.inferred
    refs = [kn.generated(f"00000000-0000-4000-8000-{i:012d}") for i in range(5)]
    problem = _problem(kn.KlingO3, prompt="x", video_reference=video, image_references=refs)
    assert "at most 4" in str(problem)
    assert kn.KlingO3(prompt="x", image_references=refs[:5]).image_references


def test_end_frame_names_differ_between_30_and_o1_on_aimlapi() -> None:
    k30 = kn.Kling30ProAIML(prompt="x", start_frame=URL, end_frame=URL, audio=False)
    o1 = kn.KlingO1AIML(prompt="x", start_frame=URL, end_frame=URL)
    assert "tail_image_url" in k30.to_wire()
    assert "last_image_url" in o1.to_wire()
    assert "tail_image_url" not in o1.to_wire()


def test_the_variant_follows_the_inputs() -> None:
    assert kn.Kling26ProAIML(prompt="x").to_wire()["model"].endswith("text-to-video")
    assert kn.Kling26ProAIML(prompt="x", image_url=URL).to_wire()["model"].endswith(
        "image-to-video")
    assert kn.Kling26ProAIML(prompt="x").to_wire()["generate_audio"] is True  # made explicit


def test_multi_prompt_shapes_differ_between_30_and_turbo() -> None:
    pro = kn.Kling30ProAIML(multi_prompt=["a", "b"], duration=6)
    assert pro.to_wire()["multi_prompt"] == ["a", "b"]
    turbo = kn.Kling30TurboProAIML(multi_prompt=[kn.Shot(prompt="a", duration=2), "b"],
                                   duration=7)
    assert turbo.to_wire()["multi_prompt"] == [{"prompt": "a", "duration": 2}, {"prompt": "b"}]
    both = _problem(kn.Kling30ProAIML, prompt="x", multi_prompt=["a"])
    assert "not both" in both.message
    seven = _problem(kn.Kling30TurboProAIML, multi_prompt=[f"s{i}" for i in range(7)])
    assert "1 to 6" in str(seven)


def test_v1_text_to_video_always_sends_the_duration() -> None:
    spec = kn.Kling25Turbo(prompt="a koala")
    request = spec.to_request()
    assert request.url.endswith("/generations-text-to-video")
    assert request.json["duration"] == 5  # the API would default to 8
    assert "imageId" not in request.json


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_row_round_trips_its_durations_and_sizes(data: st.DataObject) -> None:
    """Any duration and size a row offers makes a valid spec that survives the wire."""
    key = data.draw(st.sampled_from(list(MODELS)))
    cls = MODELS[key].spec
    fields = dict(cls.example)
    if cls.durations and "duration" in cls.model_fields:
        fields["duration"] = data.draw(st.sampled_from(cls.durations))
    if cls.sizes and "width" in cls.model_fields:
        mode = data.draw(st.sampled_from(list(cls.sizes)))
        fields["width"], fields["height"] = data.draw(st.sampled_from(cls.sizes[mode]))
        if cls.mode_is_field:
            fields["mode"] = mode
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)
        spec = cls(**fields)
        _assert_round_trip(spec)


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(list(MODELS)), seconds=st.integers(min_value=-5, max_value=40))
def test_a_duration_a_row_does_not_take_is_refused_naming_the_field(key: str,
                                                                  seconds: int) -> None:
    cls = MODELS[key].spec
    if "duration" not in cls.model_fields or seconds in cls.durations:
        return
    with pytest.raises(kn.SpecError) as info:
        cls(**{**cls.example, "duration": seconds})
    assert any("duration" in p.fields for p in info.value.problems)
