"""Every rule of every new row: a documented one rejects, an inferred one warns and is sent
(and rejects when inferred rules are strict)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.inferred import forget_warnings

URL = "https://example.com/frame.png"
VIDEO = "https://example.com/source.mp4"
FRAME = kn.generated("00000000-0000-4000-8000-000000000001")
REFS = [kn.generated(f"00000000-0000-4000-8000-{i + 10:012d}") for i in range(8)]
ELEMENT = {"reference_image_urls": [URL], "frontal_image_url": URL}
WITH_VIDEO = {**ELEMENT, "video_url": VIDEO}
SOURCE = kn.generated("00000000-0000-4000-8000-000000000099")
SOURCE_12S = kn.VideoRef(id=SOURCE.id, seconds=12, width=1920, height=1080)

# (row, fields on top of nothing but the prompt where one is needed, the rule broken)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("leonardo/kling-2.6", {"prompt": "x", "size": "1280x720"}, "sizes"),
    ("leonardo/kling-3.0-turbo", {"prompt": "x", "start_frame": FRAME, "size": "1000x1000"},
     "sizes"),
    ("leonardo/kling-3.0-turbo", {"prompt": "x", "size": "0x0"},
     "auto-size-needs-start-frame"),
    ("leonardo/kling-3.0-turbo", {"prompt": "x", "size": "1280x720"}, "turbo-text-to-video"),
    ("leonardo/kling-o3", {"prompt": "x", "size": "1280x720", "mode": "RESOLUTION_1080"},
     "sizes"),
    ("leonardo/kling-o3", {"prompt": "x", "end_frame": FRAME}, "end-frame-needs-start-frame"),
    ("leonardo/kling-o3", {"prompt": "x", "start_frame": FRAME, "image_references": REFS[:1]},
     "references-exclude-frames"),
    ("leonardo/kling-o3", {"prompt": "x", "start_frame": FRAME,
                           "video_reference": SOURCE}, "edit-without-frames"),
    ("leonardo/kling-o3", {"prompt": "x", "image_references": REFS}, "reference-count"),
    ("leonardo/kling-o3", {"prompt": "x", "video_reference": SOURCE,
                           "image_references": REFS[:5]}, "reference-count"),
    ("leonardo/kling-o3", {"prompt": "x", "video_reference": SOURCE,
                           "duration": 12}, "edit-duration"),
    ("leonardo/kling-o3", {"prompt": "x", "video_reference": SOURCE_12S, "duration": 10},
     "source-video"),
    ("leonardo/kling-o3", {"prompt": "@image3 waves", "image_references": REFS[:2]},
     "image-tags"),
    ("aimlapi/kling-2.5-turbo-pro", {"prompt": "x", "image_url": URL, "aspect_ratio": "1:1"},
     "text-variant-fields"),
    ("aimlapi/kling-2.6-pro", {"prompt": "x", "image_url": URL, "cfg_scale": 0.5},
     "text-variant-fields"),
    ("aimlapi/kling-3.0-pro", {"prompt": "x", "multi_prompt": ["a"]}, "prompt-or-multi-prompt"),
    ("aimlapi/kling-3.0-pro", {"multi_prompt": [f"s{i}" for i in range(7)]}, "shot-count"),
    ("aimlapi/kling-3.0-pro", {"prompt": "x", "tail_image_url": URL}, "image-variant-fields"),
    ("aimlapi/kling-3.0-standard", {"prompt": "x", "image_url": URL, "aspect_ratio": "1:1"},
     "text-variant-fields"),
    ("aimlapi/kling-3.0-standard", {"prompt": "x", "image_url": URL,
                                    "elements": [WITH_VIDEO, WITH_VIDEO]}, "elements"),
    ("aimlapi/kling-3.0-standard", {"prompt": "x", "image_url": URL, "tail_image_url": URL},
     "end-frame-without-audio"),
    ("aimlapi/kling-3.0-turbo-pro", {"prompt": "x", "multi_prompt": ["a"]},
     "prompt-or-multi-prompt"),
    ("aimlapi/kling-3.0-turbo-standard", {"multi_prompt": [f"s{i}" for i in range(7)]},
     "shot-count"),
    ("aimlapi/kling-3.0-turbo-standard", {"prompt": "x", "image_url": URL,
                                          "aspect_ratio": "9:16"}, "text-variant-fields"),
    ("aimlapi/kling-3.0-turbo-pro", {"multi_prompt": [{"prompt": "a", "duration": 2}],
                                     "duration": 5}, "shots-add-up"),
    ("aimlapi/kling-o1", {"prompt": "x", "elements": [WITH_VIDEO, WITH_VIDEO]}, "elements"),
    ("aimlapi/kling-o1", {"prompt": "x", "elements": [{"reference_image_urls": [URL]}]},
     "frontal-image-required"),
    ("aimlapi/kling-o1", {"prompt": "x", "last_image_url": URL}, "image-variant-fields"),
    ("aimlapi/kling-o1", {"prompt": "x", "image_url": URL, "aspect_ratio": "1:1"},
     "text-variant-fields"),
    ("aimlapi/kling-o1-edit", {"prompt": "x", "video_url": VIDEO,
                               "elements": [WITH_VIDEO, WITH_VIDEO]}, "elements"),
    ("aimlapi/kling-o1-video-reference", {"prompt": "x", "video_url": VIDEO,
                                          "elements": [{"reference_image_urls": [URL]}]},
     "frontal-image-required"),
]


def _rule(key: str, name: str) -> Any:
    return next(r for r in MODELS[key].spec.checks if r.name == name)


@pytest.mark.parametrize(("key", "fields", "name"), CASES,
                         ids=[f"{k}:{n}" for k, _, n in CASES])
def test_each_rule_rejects_or_warns_by_its_provenance(key: str, fields: dict[str, Any],
                                                      name: str) -> None:
    cls = MODELS[key].spec
    rule = _rule(key, name)
    if rule.inferred is None:
        with pytest.raises(kn.SpecError) as info:
            cls(**fields)
        broken = [p for p in info.value.problems if p.rule == name]
        assert broken, info.value.problems
        assert not broken[0].inferred
        return
    forget_warnings()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = cls(**fields)  # sent anyway
    assert name in {p.rule for p in spec.advisories}
    messages = [str(w.message) for w in caught if w.category is kn.InferredRuleWarning]
    assert any(rule.inferred in m for m in messages), messages  # names why it is inferred
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError) as info:
        cls(**fields)
    assert any(p.rule == name and p.inferred for p in info.value.problems)


def test_every_rule_of_the_new_rows_has_a_case() -> None:
    """No rule of a new row goes untested here."""
    seeds = {"leonardo/kling-2.1-pro", "leonardo/kling-2.5-turbo", "aimlapi/kling-2.1-pro",
             "leonardo/kling-o1", "leonardo/kling-3.0"}
    tested = {(k, n) for k, _, n in CASES}
    for key, row in MODELS.items():
        if key in seeds:
            continue
        for rule in row.spec.checks:
            family = [k for k in MODELS if MODELS[k].spec.checks == row.spec.checks]
            assert any((k, rule.name) in tested for k in family), (key, rule.name)
