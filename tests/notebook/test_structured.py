"""The storyboard, elements and camera editors, inferred rules in forms, the studio's filters."""

from __future__ import annotations

import pytest

import kling_nb as kn
from kling_nb.notebook.form import SpecForm
from kling_nb.notebook.structured import CameraField, ElementsField, ShotsField
from kling_nb.notebook.studio import Studio


def form(key: str) -> SpecForm:
    return SpecForm(key, debounce=0)


def test_storyboard_adds_reorders_removes_and_totals_as_you_type() -> None:
    f = form("aimlapi/kling-3.0-turbo-pro")
    shots = f.fields["multi_prompt"]
    assert isinstance(shots, ShotsField)
    assert shots.timed
    first = shots.add_row()
    first[0].value, first[1].value = "a fox wakes up", 3
    second = shots.add_row()
    second[0].value, second[1].value = "it runs into the snow", 4
    f.fields["duration"].set(7)
    f.validate()
    assert "total 7 s ✓ duration 7 s" in shots.count.value
    assert f.spec is not None
    assert not f.warnings
    assert f.spec.to_wire()["multi_prompt"] == [
        {"prompt": "a fox wakes up", "duration": 3},
        {"prompt": "it runs into the snow", "duration": 4}]
    shots.move_row(1, -1)
    second[1].value = 5  # typing a duration updates the total at once
    assert "total 8 s ≠ duration 7 s" in shots.count.value
    f.validate()
    assert [s["prompt"] for s in f.spec.to_wire()["multi_prompt"]] == [
        "it runs into the snow", "a fox wakes up"]
    assert "add up" in f.warnings["multi_prompt"][0]  # inferred: shown, sent anyway
    assert "inferred rule" in f.warnings["multi_prompt"][0]
    assert not f.generate_button.disabled
    shots.remove_row(0)
    f.validate()
    assert len(f.spec.to_wire()["multi_prompt"]) == 1


def test_storyboard_stops_at_six_shots_and_excludes_a_prompt() -> None:
    f = form("aimlapi/kling-3.0-pro")
    shots = f.fields["multi_prompt"]
    assert isinstance(shots, ShotsField)
    assert not shots.timed
    for n in range(7):
        shots.add_row(f"shot {n}")
    assert len(shots.items) == 6
    assert shots.add.disabled
    f.validate()
    assert f.spec is not None
    assert f.spec.to_wire()["multi_prompt"] == [f"shot {n}" for n in range(6)]
    f.fields["prompt"].set("a single prompt too")
    f.validate()
    assert f.spec is None
    assert "not both" in " ".join(f.errors["prompt"])


def test_set_values_round_trips_shots_elements_and_camera() -> None:
    f = form("aimlapi/kling-3.0-turbo-standard")
    assert f.set_values({"multi_prompt": [kn.Shot(prompt="one", duration=2),
                                          {"prompt": "two", "duration": 3}]}) == ["multi_prompt"]
    assert f.spec is not None
    assert f.spec.duration == 5
    g = form("aimlapi/kling-3.0-pro")
    element = {"reference_image_urls": ["https://example.com/a.png"],
               "frontal_image_url": "https://example.com/front.png"}
    g.set_values({"prompt": "@Element1 waves", "image_url": "https://example.com/s.png",
                  "elements": [element]})
    assert isinstance(g.fields["elements"], ElementsField)
    assert g.spec is not None, g.errors
    assert g.spec.to_wire()["elements"] == [element]
    c = form("aimlapi/kling-2.1-pro")
    camera = c.fields["camera_control"]
    assert isinstance(camera, CameraField)
    c.set_values({"prompt": "orbit", "image_url": "https://example.com/s.png",
                  "camera_control": {"type": "simple", "config": {"pan": 4}}})
    assert c.spec is not None
    assert c.spec.to_wire()["camera_control"] == {"type": "simple", "config": {"pan": 4}}
    camera.kind.value = "down_back"
    c.validate()
    assert c.spec.to_wire()["camera_control"] == {"type": "down_back"}
    assert camera.config.layout.display == "none"


def test_inferred_rule_warns_in_the_form_and_rejects_when_strict() -> None:
    f = form("leonardo/kling-3.0-turbo")
    f.set_values({"prompt": "a fox in the snow"})  # no start frame: inferred, sent anyway
    assert f.spec is not None
    assert not f.generate_button.disabled
    assert "⚠" in f.fields["start_frame"].error.value
    with kn.inferred_rules("strict"):
        f.validate()
        assert f.spec is None
        assert f.generate_button.disabled
        assert "inferred rule" in " ".join(f.errors["start_frame"])


@pytest.mark.parametrize("key", ["leonardo/kling-2.5-turbo", "aimlapi/kling-o1-edit",
                                 "leonardo/kling-o3"])
def test_a_form_shows_only_the_inputs_its_model_takes(key: str) -> None:
    f = form(key)
    spec = kn.MODELS[key].spec
    for name in f.fields:
        assert name == "size" or name in spec.model_fields
    takes_video = kn.MODELS[key].video
    assert any(n in f.fields for n in ("video_reference", "video_url")) == takes_video


def test_studio_groups_models_by_provider_and_filters_them() -> None:
    s = Studio(debounce=0)
    labels = [label for label, _ in s.picker.options]
    assert labels.index("Leonardo.AI · Kling 3.0") < labels.index("AI/ML API · Kling 3.0 Pro")
    assert len(labels) == len(kn.MODELS) + 1  # and "any model, unchecked", last
    assert s.picker.options[-1][1] == "unchecked"
    s.filters["multi_shot"].value = True
    offered = {key for _, key in s.picker.options} - {s.picker.value}
    assert "unchecked" not in offered  # its facts are unknown: no filter can pick it
    assert offered == set(kn.MODELS.filter(multi_shot=True)) - {s.picker.value}
    s.provider.value = "aimlapi"
    s.filters["sound"].value = True
    keys = s._filter()
    assert keys
    assert all(kn.MODELS[k].provider == "aimlapi" and kn.MODELS[k].multi_shot
                        and kn.MODELS[k].sound != "none" for k in keys)
    s.select(keys[0])
    assert s.form.spec_class is kn.MODELS[keys[0]].spec
