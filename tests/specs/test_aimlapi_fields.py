"""The AI/ML rows take what their schemas document and nothing else, and say what they send:
``provider`` where a schema lists it, 2.1 Pro's motion brush, a named wire id kept (a missing
required input refused, never swapped for a sibling model), the pages' own spellings, and
messages that name the shot or element at fault."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.specs.aimlapi import AimlUniversal
from kling_nb.specs.inferred import forget_warnings

URL = "https://example.com/frame.png"
PROVIDER_ROWS = {  # the rows whose schemas list ``provider`` (api-notes §9.4, §10.2)
    "aimlapi/kling-2.5-turbo-pro": {"prompt": "x"},
    "aimlapi/kling-2.6-pro": {"prompt": "x"},
    "aimlapi/kling-3.0-standard": {"prompt": "x"},
    "aimlapi/kling-3.0-pro": {"prompt": "x", "image_url": URL},
    "aimlapi/kling-o1": {"prompt": "x"},
    "aimlapi/kling-o1-edit": {"prompt": "x", "video_url": "https://example.com/a.mp4"},
    "aimlapi/kling-o1-video-reference": {"prompt": "x", "video_url": "https://example.com/a.mp4"},
}
NO_PROVIDER_ROWS = ("aimlapi/kling-2.1-pro", "aimlapi/kling-3.0-turbo-standard",
                    "aimlapi/kling-3.0-turbo-pro")


def _spec(key: str, **fields: Any) -> kn.Spec:
    return kn.MODELS[key].spec(**fields)


@pytest.mark.parametrize("key", list(PROVIDER_ROWS))
@pytest.mark.parametrize("value", ["auto", "kling", "klingai", "fal", "FAL", "KlingAI"])
def test_provider_is_taken_where_the_schema_lists_it(key: str, value: str) -> None:
    """Every documented value, in any case, is sent as given; left out, nothing is sent."""
    fields = PROVIDER_ROWS[key]
    assert _spec(key, **fields, provider=value).to_wire()["provider"] == value
    assert "provider" not in _spec(key, **fields).to_wire()
    body = {**_spec(key, **fields).to_wire(), "provider": value}
    assert kn.parse_spec(body).to_request().json == body  # a provider body keeps it


@pytest.mark.parametrize("key", list(PROVIDER_ROWS))
def test_an_unknown_provider_is_refused_naming_the_values(key: str) -> None:
    with pytest.raises(kn.SpecError) as info:
        _spec(key, **PROVIDER_ROWS[key], provider="replicate")
    assert info.value.problems[0].wire == ("provider",)
    assert "fal" in str(info.value)


@pytest.mark.parametrize("key", NO_PROVIDER_ROWS)
def test_provider_is_refused_where_the_schema_does_not_list_it(key: str) -> None:
    fields = dict(kn.MODELS[key].spec.example)
    with pytest.raises(kn.SpecError, match="provider: unknown field"):
        _spec(key, **fields, provider="kling")


def test_the_motion_brush_on_21_pro() -> None:
    """``dynamic_masks``: up to 6 masks, each with 2 to 77 points, round-trip as sent."""
    mask = {"mask": URL, "trajectories": [{"x": 1, "y": 2}, {"x": 30, "y": 40}]}
    body = {"model": "kling-video/v2.1/pro/image-to-video", "image_url": URL, "duration": 5,
            "dynamic_masks": [mask] * 6}
    assert kn.parse_spec(body).to_request().json == body
    with pytest.raises(kn.SpecError, match="at most 6"):
        kn.parse_spec({**body, "dynamic_masks": [mask] * 7})
    with pytest.raises(kn.SpecError, match="mask 1's trajectories: 1 item is too few"):
        kn.parse_spec({**body, "dynamic_masks": [{**mask, "trajectories": [{"x": 1, "y": 1}]}]})


SIBLINGS = [key for key, row in kn.MODELS.items() if issubclass(row.spec, AimlUniversal)
            and len(set(row.spec.variants.values())) > 1]


@pytest.mark.parametrize("key", SIBLINGS)
def test_a_named_image_model_without_its_image_is_refused_not_swapped(key: str) -> None:
    """A provider body naming the image-to-video id and no image is that model, missing its
    required image: refused (never sent as the text-to-video or reference-to-video id)."""
    cls = kn.MODELS[key].spec
    fields = {k: v for k, v in cls.example.items() if k not in ("image_url", "tail_image_url",
                                                                 "elements", "last_image_url")}
    fields.setdefault("prompt", "x")
    with pytest.raises(kn.SpecError) as info:
        kn.parse_spec({**fields, "model": cls.variants["image"]})
    problem = next(p for p in info.value.problems if p.rule == "named-model")
    assert problem.fields == ("image_url",)
    assert cls.variants["image"] in problem.message
    assert cls.variants["text"] in str(problem)  # the model to name for a video without one


@pytest.mark.parametrize("key", SIBLINGS)
def test_a_named_text_model_with_an_image_is_refused(key: str) -> None:
    cls = kn.MODELS[key].spec
    with pytest.raises(kn.SpecError, match="is not taken by"):
        kn.parse_spec({"model": cls.variants["text"], "prompt": "x", "image_url": URL})


@pytest.mark.parametrize("key", SIBLINGS)
def test_a_friendly_spec_picks_its_model_and_says_which(key: str) -> None:
    cls = kn.MODELS[key].spec
    text = cls(prompt="x")
    image = cls(prompt="x", image_url=URL)
    assert text.to_wire()["model"] == cls.variants["text"]
    assert image.to_wire()["model"] == cls.variants["image"]
    assert text.wire_note == f"{cls.variants['text']} (picked from the inputs: no image_url " \
        "is given)"
    assert "an image_url is given" in str(image.wire_note)
    assert f"sent as: {cls.variants['image']}" in image._text_view()
    named = kn.parse_spec(image.to_wire())
    assert named.wire_note == f"{cls.variants['image']} (the model named)"
    assert named.to_dict()["wire_id"] == cls.variants["image"]  # kept in the journal's copy
    assert kn.parse_spec(named.to_dict()).to_wire() == image.to_wire()


def test_a_documented_alias_is_sent_as_its_models_id() -> None:
    spec = kn.parse_spec({"model": "kling-video/v3/turbo/pro/image-to-video", "prompt": "x",
                          "image_url": URL})
    assert spec.to_wire()["model"] == "klingai/video-v3-turbo-pro-image-to-video"
    with pytest.raises(kn.SpecError, match="required by klingai/video-v3-turbo-pro-image"):
        kn.parse_spec({"model": "kling-video/v3/turbo/pro/image-to-video", "prompt": "x"})


def test_a_key_another_models_schema_writes_is_refused_not_renamed() -> None:
    """``tail_image_url`` (3.0's end frame) on O1, whose schema writes ``last_image_url``."""
    with pytest.raises(kn.SpecError) as info:
        kn.parse_spec({"model": "klingai/video-o1-image-to-video", "prompt": "x",
                       "image_url": URL, "tail_image_url": URL})
    assert info.value.fields == ["tail_image_url"]
    assert "Did you mean 'last_image_url'?" in str(info.value)


def test_the_pages_end_frame_spelling_is_taken_and_sent_as_the_schemas() -> None:
    """The 3.0 pages write ``last_image_url``; the schemas ``tail_image_url``: that is sent."""
    spec = kn.parse_spec({"model": "klingai/video-v3-standard-image-to-video", "prompt": "x",
                          "image_url": URL, "last_image_url": URL, "generate_audio": False})
    body = spec.to_wire()
    assert body["tail_image_url"] == URL
    assert "last_image_url" not in body


def test_aspect_ratio_with_an_image_warns_on_30_pro_whose_page_sends_it() -> None:
    """3.0 Pro's page example sends aspect_ratio with an image (its schema omits it): an
    inferred rule, so it warns and is sent; 3.0 Standard's pages never do: refused."""
    forget_warnings()
    body = {"model": "klingai/video-v3-pro-image-to-video", "prompt": "x", "image_url": URL,
            "aspect_ratio": "16:9", "duration": 10}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = kn.parse_spec(body)
    assert [type(w.message) for w in caught] == [kn.InferredRuleWarning]
    assert "page's own Python example" in str(caught[0].message)
    assert spec.to_wire()["aspect_ratio"] == "16:9"
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError):
        kn.parse_spec(body)
    with pytest.raises(kn.SpecError, match="aspect_ratio is only taken without an image"):
        kn.parse_spec({**body, "model": "klingai/video-v3-standard-image-to-video"})


def test_a_long_shot_prompt_names_the_shot_and_its_length() -> None:
    with pytest.raises(kn.SpecError) as info:
        kn.Kling30TurboProAIML(multi_prompt=["a", "b" * 3100], duration=10)
    text = str(info.value)
    assert "shot 2's prompt is 3100 characters long" in text
    assert "at most 3072" in text
    assert "1 characters" not in text


def test_an_element_without_reference_images_says_that_field_is_missing() -> None:
    with pytest.raises(kn.SpecError) as info:
        kn.Kling30ProAIML(prompt="x", image_url=URL, elements=[{"frontal_image_url": URL}])
    assert "element 1 has no reference_image_urls" in str(info.value)
    assert "elements is required" not in str(info.value)


def test_turbo_sound_follows_its_pages() -> None:
    """Standard Turbo's pages say native audio (always: nothing to send); Turbo Pro's only
    promise lipsync, so its sound is inferred, with the reason."""
    standard, pro = kn.MODELS["aimlapi/kling-3.0-turbo-standard"], \
        kn.MODELS["aimlapi/kling-3.0-turbo-pro"]
    assert standard.sound == "always"
    assert "native audio" in standard.spec.sound_note
    assert pro.sound == "likely"
    assert pro.spec.sound_note.startswith("inferred: ")
    for row in (standard, pro):
        assert "generate_audio" not in row.spec(prompt="x").to_wire()
        assert row.key in kn.MODELS.filter(sound=True)
