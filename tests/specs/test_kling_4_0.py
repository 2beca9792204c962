"""Kling 4.0 on both hosts: what the readable pages state rejects before anything is sent,
what only our reading gives warns and is sent (strict rejects it), through friendly fields
and the provider's own body; durations, sizes and reference counts over their whole range."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kling_nb as kn
from kling_nb.specs.inferred import forget_warnings

ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"
SAMPLE = {"model": "kling-4.0", "public": False, "parameters": {
    "prompt": "A lone rider crosses a salt flat at dusk", "duration": 10, "width": 2520,
    "height": 1080, "motion_has_audio": True,
    "guidances": {"start_frame": [{"image": {"id": ID, "type": "GENERATED"}}]}}}
"""The guide's sample, as api-notes §10.1 describes it."""
REF = "kling-video/v4/reference-to-video"


def refs(count: int) -> list[dict[str, str]]:
    """``count`` generated image references."""
    return [{"id": f"00000000-0000-4000-8000-{n + 10:012d}", "type": "GENERATED"}
            for n in range(count)]


def body(**params: Any) -> dict[str, Any]:
    """The sample body with some parameters (or guidances) changed; None removes one."""
    parameters = {**SAMPLE["parameters"], **params}  # type: ignore[dict-item]
    return {**SAMPLE, "parameters": {k: v for k, v in parameters.items() if v is not None}}


def rules_broken(spec: kn.Spec) -> set[str | None]:
    """The inferred rules a spec breaks."""
    return {p.rule for p in spec.advisories}


def quiet(data: Any) -> kn.Spec:
    """``parse_spec`` with inferred warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)
        return kn.parse_spec(data)


def test_the_guides_sample_round_trips_exactly() -> None:
    """The sample parses, breaks no rule, and is sent back byte for byte."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = kn.parse_spec(SAMPLE)
    assert isinstance(spec, kn.Kling40)
    assert spec.to_request().json == SAMPLE
    assert spec.endpoint == "/api/rest/v2/generations"


@pytest.mark.parametrize(("change", "field"), [
    ({"duration": 31}, "duration"), ({"duration": 2}, "duration"),
    ({"guidances": {"start_frame": refs(2)}}, "start_frame"),
    ({"guidances": {"start_frame": refs(1), "end_frame": refs(2)}}, "end_frame"),
    ({"guidances": {"start_frame": refs(1), "image_reference": refs(11)}}, "image_references"),
    ({"guidances": {"start_frame": [{"image": {"id": ID, "type": "INIT"}}]}}, "start_frame"),
])
def test_documented_rules_reject_the_providers_body(change: dict[str, Any], field: str) -> None:
    """Durations outside 3-30, more than one start or end frame, more than 10 references and
    an image type other than GENERATED/UPLOADED are refused before sending, naming the field."""
    with pytest.raises(kn.SpecError) as info:
        quiet(body(**change))
    assert any(field in p.fields for p in info.value.problems), info.value.problems
    assert "nothing was sent" in str(info.value)


@pytest.mark.parametrize(("fields", "rule"), [
    ({"size": "1000x1000"}, "sizes"), ({"mode": "RESOLUTION_1080"}, "no-mode"),
    ({"audio": False}, "sound-always-on"), ({"start_frame": None}, "text-to-video"),
    ({"image_references": refs(10)}, "total-images"),
    ({"start_frame": None, "end_frame": refs(1)[0]}, "end-frame-needs-start-frame"),
    ({"prompt": "x" * 2501}, "prompt-length"),
])
def test_inferred_rules_warn_are_sent_and_strict_rejects(fields: dict[str, Any],
                                                         rule: str) -> None:
    """Each open point of the guide warns once and the request is still made; under strict
    inferred rules it is refused."""
    data = {"model": "leonardo/kling-4.0", "prompt": "a fox", "start_frame": kn.generated(ID),
            **fields}
    data = {k: v for k, v in data.items() if v is not None}
    forget_warnings()
    with pytest.warns(kn.InferredRuleWarning):
        spec = kn.parse_spec(data)
    assert rule in rules_broken(spec)
    sent = spec.to_request().json["parameters"]
    if "mode" in fields:
        assert sent["mode"] == "RESOLUTION_1080"  # sent as given
    if "audio" in fields:
        assert sent["motion_has_audio"] is False
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError):
        kn.parse_spec(data)


def test_frames_and_references_go_together() -> None:
    """Start and end frames with references are one request (no exclusivity is written);
    sound is always sent, on."""
    spec = kn.Kling40(prompt="@image1 meets @image2", start_frame=kn.generated(ID),
                      end_frame=kn.uploaded(ID), image_references=refs(2), duration=30,
                      size="2520x1080")
    assert not spec.advisories
    sent = spec.to_request().json["parameters"]
    assert set(sent["guidances"]) == {"start_frame", "end_frame", "image_reference"}
    assert sent["motion_has_audio"] is True
    assert (sent["width"], sent["height"], sent["duration"]) == (2520, 1080, 30)


@settings(max_examples=60, deadline=None)
@given(seconds=st.integers(min_value=-2, max_value=40))
def test_every_duration(seconds: int) -> None:
    """3 to 30 whole seconds are taken on both hosts; anything else is refused."""
    for make in (lambda: quiet(body(duration=seconds)),
                 lambda: kn.Kling40ReferenceAIML(prompt="p", duration=seconds)):
        if 3 <= seconds <= 30:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", kn.InferredRuleWarning)
                assert make().duration == seconds  # type: ignore[attr-defined]
        else:
            with pytest.raises(kn.SpecError):
                make()


SIZES = [s for sizes in kn.Kling40.sizes.values() for s in sizes]


@settings(max_examples=60, deadline=None)
@given(size=st.one_of(st.sampled_from(SIZES),
                      st.tuples(st.integers(64, 4000), st.integers(64, 4000))))
def test_every_size(size: tuple[int, int]) -> None:
    """A listed size (21:9 included) breaks nothing; any other is sent with a warning."""
    spec = quiet(body(width=size[0], height=size[1]))
    assert (spec.width, spec.height) == size  # type: ignore[attr-defined]
    assert ("sizes" in rules_broken(spec)) is (size not in SIZES)


@settings(max_examples=40, deadline=None)
@given(count=st.integers(0, 14), frames=st.integers(0, 2))
def test_every_reference_count(count: int, frames: int) -> None:
    """Up to 10 references are taken (more are refused); frames and references over 10 in
    all only warn. The AI/ML row takes 1 to 10 reference images."""
    guides: dict[str, Any] = {"image_reference": refs(count)} if count else {}
    if frames:
        guides["start_frame"] = refs(1)
    if frames == 2:
        guides["end_frame"] = refs(1)
    data = body(guidances=guides or None)
    if count > 10:
        with pytest.raises(kn.SpecError):
            quiet(data)
    else:
        spec = quiet(data)
        assert ("total-images" in rules_broken(spec)) is (count + frames > 10)
    images = [f"https://example.com/{n}.png" for n in range(count)]
    if 1 <= count <= 10:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", kn.InferredRuleWarning)
            made = kn.parse_spec({"model": REF, "prompt": "p", "image_list": images})
        assert made.to_request().json["image_list"] == images
    elif count:
        with pytest.raises(kn.SpecError):
            kn.parse_spec({"model": REF, "prompt": "p", "image_list": images})


def test_the_aiml_row_warns_once_per_inferred_field_and_sends_it() -> None:
    """Each field name modelled on the O1/3.0 reference rows warns once a session, and the
    body carries it as given; the documented counts (10 images, 7 elements) reject."""
    forget_warnings()
    element = {"reference_image_urls": ["https://example.com/e.png"]}
    data = {"model": REF, "prompt": "p", "image_list": ["https://example.com/a.png"],
            "elements": [element], "duration": 12, "aspect_ratio": "21:9"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = kn.parse_spec(data)
        kn.parse_spec(data)  # the second time: no new warning
    named = [str(w.message) for w in caught if w.category is kn.InferredRuleWarning]
    assert len(named) == 4
    for field in ("image_list", "elements", "duration", "aspect_ratio"):
        assert sum(f"field name {field} " in m for m in named) == 1
    assert spec.to_request().json == {**data, "model": REF}
    assert spec.endpoint == "/v2/video/generations"
    with pytest.raises(kn.SpecError, match="elements"):
        kn.parse_spec({**data, "elements": [element] * 8})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)
        with kn.inferred_rules("strict"), pytest.raises(kn.SpecError):
            kn.parse_spec(data)


def test_the_catalogue_says_what_kling_4_offers() -> None:
    """Both rows are in the catalogue: 3-30 s, 21:9, sound, references; Leonardo's price is
    not published; its jobs are polled on their own typical time, not 36-48 s a second."""
    leo = kn.MODELS["leonardo/kling-4.0"]
    facts = leo.facts()
    assert facts["durations"] == "3-30 s"
    assert "2520x1080" in facts["sizes / aspect"]
    assert "1680x720" in facts["sizes / aspect"]
    assert facts["sound"] == "always (stereo)"
    assert (facts["end frame"], facts["references"]) == ("yes", "yes")
    assert leo.price == "not published"
    assert "21:9" in kn.MODELS["aimlapi/kling-4.0-reference"].facts()["sizes / aspect"]
    assert set(kn.MODELS.filter(references=True, sound=True)) >= {
        "leonardo/kling-4.0", "aimlapi/kling-4.0-reference"}
    assert kn.Kling40.typical_job_seconds == (120.0, 300.0)
