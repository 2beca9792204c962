"""Every example body of the AI/ML docs for a Kling id kling_nb offers parses into its row and
is sent back as the docs wrote it: only in the schema's own form (whole-number durations, the
schema's key where a page spells it otherwise) and with documented defaults made explicit; an
example that breaks an inferred rule warns (and is sent), none is refused."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from aiml_doc_bodies import BODIES, NO_DOCS_BODY, PAGE_WARNINGS, schema_form

import kling_nb as kn
from kling_nb.sandbox._registry import aiml
from kling_nb.specs.inferred import forget_warnings

CASES = [pytest.param(body, id=f"{body['model']}:{n}") for n, body in enumerate(BODIES, 1)]


def _documented_defaults(spec: kn.Spec, body: dict[str, Any]) -> dict[str, Any]:
    """What the spec makes explicit that the schema gives a default: the sound flag (on), and
    the seed row's duration (5 s; it sends every field)."""
    made: dict[str, Any] = {}
    if spec.audio_default is not None and "generate_audio" in type(spec).model_fields:
        made["generate_audio"] = spec.audio_default
    if getattr(spec, "send_defaults", False) and "duration" not in body:
        made["duration"] = 5
    return made


@pytest.mark.parametrize("body", CASES)
def test_a_docs_body_round_trips_to_the_same_wire_body(body: dict[str, Any]) -> None:
    forget_warnings()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = kn.parse_spec(body)
    found = aiml(body["model"])
    assert found is not None
    assert found[0].row == spec.key  # the row whose sandbox entry answers the id
    wanted = schema_form(body)
    sent = spec.to_request().json
    assert sent == {**wanted, **_documented_defaults(spec, wanted)}
    assert sent["model"] == wanted["model"]  # the model named (as the schema spells it)
    rules = {(body["model"], p.rule) for p in spec.advisories}
    assert rules <= PAGE_WARNINGS
    assert len([w for w in caught if w.category is kn.InferredRuleWarning]) == len(rules)


def test_every_offered_id_has_a_docs_body() -> None:
    """The data covers every wire id the AI/ML rows send (the seed row's too), but those no
    docs example shows (``NO_DOCS_BODY``, each with why)."""
    sent = {model for row in kn.MODELS.values() if row.provider == "aimlapi"
            for model in (getattr(row.spec, "variants", {}) or {"": row.wire_model}).values()}
    assert sent - set(NO_DOCS_BODY) == {schema_form(body)["model"] for body in BODIES}
