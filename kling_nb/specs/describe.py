"""A model's inputs and rules as plain rows: what ``kling-nb models KEY`` and the docs print.

Read from the spec's JSON schema (field types, enums, bounds, descriptions) and its class facts
(durations, sizes per mode), so a new row describes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kling_nb.core.html import esc

from .rules import sizes_text

if TYPE_CHECKING:
    from .base import Spec

_SKIP = frozenset({"model", "width", "height", "wire_id"})  # wire_id: set by a body


@dataclass(frozen=True)
class Input:
    """One input of a model: its name, whether it is required, what it allows, what it is."""

    name: str
    required: bool
    allowed: str
    help: str


def _variants(prop: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [v for v in (prop.get("anyOf") or [prop]) if v.get("type") != "null"]


def _allowed(prop: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for variant in _variants(prop):
        if "enum" in variant:
            parts.append(" | ".join(map(str, variant["enum"])))
        elif "const" in variant:
            parts.append(str(variant["const"]))
        elif variant.get("type") == "array":
            low, high = variant.get("minItems"), variant.get("maxItems")
            items = variant.get("items") or {}
            what = str(items.get("$ref", "")).rsplit("/", 1)[-1] or items.get("type", "items")
            count = f" ({low or 0}-{high})" if high else ""
            parts.append(f"list of {what}{count}")
        elif "$ref" in variant:
            parts.append(str(variant["$ref"]).rsplit("/", 1)[-1])
        else:
            parts.append(_bounded(variant))
    return " or ".join(dict.fromkeys(p for p in parts if p))


def _bounded(variant: Mapping[str, Any]) -> str:
    kind = str(variant.get("type", "value"))
    if "maxLength" in variant:
        return f"{kind}, at most {variant['maxLength']} characters"
    if "minimum" in variant and "maximum" in variant:
        return f"{kind} {variant['minimum']} to {variant['maximum']}"
    return kind


def inputs(spec: type[Spec]) -> list[Input]:
    """Every input of ``spec``, in schema order, with the size as one ``size`` input."""
    schema = spec.model_json_schema()
    required = set(schema.get("required", ()))
    rows: list[Input] = []
    for name, prop in schema["properties"].items():
        if name in _SKIP:
            continue
        allowed = _allowed(prop)
        if name == "duration" and spec.durations:
            allowed = ", ".join(map(str, spec.durations)) + " s"
        rows.append(Input(name, name in required, allowed, str(prop.get("description", ""))))
    if "width" in schema["properties"]:
        rows.append(Input("size", False, sizes_text(spec),
                          "width x height (WIDTHxHEIGHT, or auto where listed)"))
    return rows


def rules(spec: type[Spec]) -> list[dict[str, str]]:
    """The row's own rules, each with its provenance: documented (and its source) or inferred
    (and why)."""
    return [rule.describe(spec) for rule in spec.checks]


def rules_html(spec: type[Spec]) -> str:
    """The row's rules as an HTML list (the form's help): each documented rule with its
    source, each inferred one with why."""
    items = []
    for rule in rules(spec):
        if rule["provenance"] == "documented":
            tail = f"<br><small>documented: {esc(rule.get('source', ''))}</small>"
        else:
            tail = f"<br><small>inferred, so it only warns: {esc(rule['why'])}</small>"
        items.append(f"<li>{esc(rule['says'])}{tail}</li>")
    return ("<div class='kling-nb-rules'>A documented rule stops a request before it is sent; "
            "an inferred rule warns and the request is sent (strict mode stops it too)."
            f"<ul>{''.join(items)}</ul></div>") if items else ""


def catalogue_markdown(models: Any) -> str:
    """The README's model table, from the catalogue (``.ci/refresh-docs`` writes it there)."""
    lines = ["| key | model | provider | status | makes videos from | durations | sound | "
             "multi-shot |", "|---|---|---|---|---|---|---|---|"]
    for row in models.values():
        facts = row.facts()
        status = facts["status"]
        if row.retired:
            others = ", ".join(f"`{key}`" for key in row.successors)
            status = f"**{status}** (use {others})" if others else f"**{status}**"
        cells = [f"`{row.key}`", row.name, row.provider_name, status, facts["inputs"],
                 facts["durations"], facts["sound"], facts["multi-shot"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
