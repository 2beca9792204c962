"""Every rule of every row, read from the row itself: a documented rule names its vendor source
and rejects its breaking inputs; an inferred one names why, warns, is sent anyway, and rejects
when inferred rules are strict. A new row's rules are tested here with no table to edit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from evidence import vendor_sources

import kling_nb as kn
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.inferred import Rule, forget_warnings


def _cases() -> list[Any]:
    cases = []
    for key, row in MODELS.items():
        for rule in row.spec.checks:
            for number, fields in enumerate(rule.inputs_breaking(row.spec), 1):
                cases.append(pytest.param(key, rule, fields, id=f"{key}:{rule.name}:{number}"))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("key", "rule", "fields"), CASES)
def test_each_rule_rejects_or_warns_by_its_provenance(key: str, rule: Rule,
                                                      fields: dict[str, Any]) -> None:
    """The rule's own breaking input: rejected if documented, warned and sent if inferred."""
    cls = MODELS[key].spec
    if rule.inferred is None:
        with pytest.raises(kn.SpecError) as info:
            cls(**fields)
        broken = [p for p in info.value.problems if p.rule == rule.name]
        assert broken, info.value.problems
        assert not broken[0].inferred
        return
    forget_warnings()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = cls(**fields)  # sent anyway
    assert rule.name in {p.rule for p in spec.advisories}
    messages = [str(w.message) for w in caught if w.category is kn.InferredRuleWarning]
    assert any(rule.inferred in m for m in messages), messages  # names why it is inferred
    assert spec.to_request().json  # a request is made of it
    with kn.inferred_rules("strict"), pytest.raises(kn.SpecError) as info:
        cls(**fields)
    assert any(p.rule == rule.name and p.inferred for p in info.value.problems)


@pytest.mark.parametrize("key", list(MODELS))
def test_every_rule_has_evidence_and_an_input_that_breaks_it(key: str) -> None:
    """Each rule of the row: documented with a source, or inferred with a reason; and at
    least one input for this row that breaks it."""
    cls = MODELS[key].spec
    assert cls.documented_in, f"{cls.__name__} names no vendor page (documented_in)"
    for rule in cls.checks:
        assert rule.inputs_breaking(cls), f"{key}: rule {rule.name} has no breaking example"
        if rule.inferred:
            assert len(rule.inferred) > 20, (key, rule.name)
        else:
            assert rule.source_of(cls), (key, rule.name)


def test_every_source_names_a_vendor_page_or_schema(seeds_dir: Path) -> None:
    """A source is a seed page that exists, a named Leonardo guide, recipe or reference, or
    a schema file of the AI/ML docs repository."""
    for key, row in MODELS.items():
        sources = {row.spec.documented_in} | {
            rule.source_of(row.spec) or "" for rule in row.spec.checks if not rule.inferred}
        for source in sources:
            assert vendor_sources(source, seeds_dir), (key, source)


def test_sources_show_in_the_schema_and_the_description() -> None:
    """The JSON schema and ``kling-nb models``' rule list give each documented rule's source."""
    from kling_nb.specs.describe import rules

    for row in MODELS.values():
        schema = row.spec.model_json_schema()["x-kling-nb-rules"]
        assert schema == rules(row.spec)
        for rule in schema:
            assert ("source" in rule) == (rule["provenance"] == "documented")
            assert ("why" in rule) == (rule["provenance"] == "inferred")


def test_a_variant_rule_on_a_rows_own_field_takes_its_example_value() -> None:
    """A new row's variant-only field needs no edit of the shared table: ``breaking=`` gives
    the example, and without one the error says so."""
    from kling_nb.specs.aimlapi import only_with_image

    rule = only_with_image("reference_video_url", breaking="https://example.com/v.mp4")
    assert rule.examples == ({"image_url": None,
                              "reference_video_url": "https://example.com/v.mp4"},)
    with pytest.raises(KeyError, match="breaking="):
        only_with_image("reference_video_url")
