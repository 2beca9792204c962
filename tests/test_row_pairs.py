"""A model row is two files, its spec (``kling_nb/specs/rows/X.py``) and its sandbox entry
(``kling_nb/sandbox/rows/X.py``): they name the same row and wire ids, and every sample body
of the entry is one the spec reads and writes back unchanged (a documented default may be
made explicit). The two are written apart, so each checks the other."""

from __future__ import annotations

import base64
import io
import warnings
from typing import Any

import pytest
from clip_helpers import clip_placeholder
from PIL import Image

import kling_nb as kn
from kling_nb.sandbox._registry import entries

ENTRIES = {entry.row: entry for entry in entries()}
ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def test_every_row_has_its_sandbox_entry_and_no_entry_is_alone() -> None:
    """Each spec row's module has a sandbox module of the same name whose entry is that row."""
    import importlib
    import pkgutil

    from kling_nb.sandbox import rows

    found = {m.name: importlib.import_module(f"{rows.__name__}.{m.name}").ENTRY.row
             for m in pkgutil.iter_modules(rows.__path__) if not m.name.startswith("_")}
    wanted = {row.spec.__module__.rsplit(".", 1)[1]: key for key, row in kn.MODELS.items()}
    assert found == wanted, ("rows without a sandbox entry", set(wanted) - set(found),
                             "sandbox entries without a row", set(found) - set(wanted))


@pytest.mark.parametrize("key", list(kn.MODELS))
def test_the_entry_answers_every_wire_id_the_spec_sends(key: str) -> None:
    """The spec's wire model ids (each variant's) are ids its entry answers."""
    spec = kn.MODELS[key].spec
    sent = {spec.wire_model, *getattr(spec, "variants", {}).values()}
    assert sent <= set(ENTRIES[key].models)


def _filled(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _filled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v) for v in value]
    if isinstance(value, str) and value.startswith(("<ID", "<VIDEO_ID")):
        return ID
    if isinstance(value, str) and value.startswith("<VIDEO_URL"):
        return "https://example.com/video.mp4"
    if isinstance(value, str) and value.startswith("<PNG "):
        width, height = map(int, value[5:-1].split("x"))
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (90, 140, 200)).save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return clip_placeholder(value) or value


SAMPLES = [pytest.param(e.row, s, id=f"{e.row}:{n}") for e in entries()
           for n, s in enumerate(e.samples, 1)]


@pytest.mark.parametrize(("key", "sample"), SAMPLES)
def test_every_sandbox_sample_round_trips_through_its_spec(key: str,
                                                            sample: dict[str, Any]) -> None:
    """The body parses into its row, breaking no rule, and is sent back as it was; the only
    addition allowed is the sound flag's documented default."""
    body = _filled(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a sample breaks no inferred rule either
        spec = kn.parse_spec(body)
    assert spec.key == key
    sent = spec.to_request().json
    sound = ENTRIES[key].sound
    params = "parameters" in body
    expected = {**body, "parameters": dict(body["parameters"])} if params else dict(body)
    target = expected["parameters"] if params else expected
    if sound.flag is not None and sound.flag not in target:
        target[sound.flag] = sent.get("parameters", sent).get(sound.flag, sound.default)
        assert target[sound.flag] == sound.default
    assert sent == expected


@pytest.mark.parametrize("key", list(kn.MODELS))
def test_the_sandbox_charges_the_published_price_at_every_tier_or_says_it_made_one_up(
        key: str) -> None:
    """A row's sandbox price is labelled published exactly where the spec publishes one, and
    then charges that figure for every length the row takes, at every tier (the tier's own
    figure where one is published per tier; else one for all, so no tier may look cheaper) and
    sound setting; elsewhere it is labelled made up."""
    from kling_nb.specs.results import price_is_published

    row, price = kn.MODELS[key], ENTRIES[key].price
    assert price.is_made_up == (not price_is_published(key))
    if price.is_made_up:
        return
    tiers = {min(w, h) for sizes in row.sizes.values() for w, h in sizes if w and h} or {1080}
    sounds = {False, True} if row.sound not in ("none", "on by default") else {
        row.sound != "none"}
    for seconds in row.durations:
        for tier in tiers:
            published = row.published(seconds, tier)
            assert published is not None
            amount, unit = published
            assert price.unit == unit
            for sound in sounds:
                assert price.amount(seconds, tier, sound) == pytest.approx(amount, abs=0.005), (
                    seconds, tier, sound)


URL = "https://example.com/frame.png"
VALUES: dict[str, Any] = {
    "prompt": "x", "negative_prompt": "x", "aspect_ratio": "16:9", "cfg_scale": 0.5,
    "generate_audio": True, "keep_audio": True, "upstream": "fal", "shot_type": "customize",
    "multi_prompt": ["a"], "tail_image_url": URL, "last_image_url": URL,
    "elements": [{"reference_image_urls": [URL], "frontal_image_url": URL}],
    "image_list": [URL, URL], "camera_control": {"type": "down_back"},
    "advanced_camera_control": {"movement_type": "zoom", "movement_value": 3},
    "static_mask": URL, "dynamic_masks": [{"mask": URL, "trajectories": [
        {"x": 1, "y": 1}, {"x": 9, "y": 9}]}], "type": "image-to-video",
    "external_task_id": "task-1", "effect_scene": "squish", "image_url": URL}
"""A valid value of every AI/ML field, to try each on each of a row's models."""
AIML_ROWS = [key for key, row in kn.MODELS.items() if row.provider == "aimlapi"]


def _inputs(spec: type[kn.Spec], kind: str, name: str) -> dict[str, Any]:
    base = dict(spec.example)
    if kind == "text":
        base.pop("image_url", None)
    elif "image_url" in spec.model_fields and kind == "image":
        base.setdefault("image_url", URL)
    base[name] = VALUES[name]
    if name == "multi_prompt":
        base.pop("prompt", None)
    if name == "tail_image_url" and "generate_audio" in spec.model_fields:
        base["generate_audio"] = False  # on its own: an end frame with sound breaks a rule
    return base


@pytest.mark.parametrize("key", AIML_ROWS)
def test_the_spec_sends_no_key_its_model_does_not_list(key: str) -> None:
    """Every field, on each of the row's models: refused, warned about, or a key the model's
    schema lists (as the sandbox entry writes it) - never sent silently."""
    spec = kn.MODELS[key].spec
    entry = ENTRIES[key]
    kinds = list(getattr(spec, "variants", {}) or {"image": spec.wire_model})
    tried = 0
    for kind in kinds:
        for name in spec.model_fields:
            if name in ("model", "wire_id") or name not in VALUES:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    made = spec(**_inputs(spec, kind, name))
                except kn.SpecError:
                    continue  # refused before sending
            if any(name in p.fields for p in made.advisories):
                continue  # sent with a warning
            body = made.to_wire()
            variant = entry.variant(body["model"])
            assert variant is not None
            assert set(body) <= variant.keys, (kind, name, set(body) - variant.keys)
            tried += 1
    assert tried
