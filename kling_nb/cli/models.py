"""``kling-nb models``: the catalogue as a table (filtered), or one model's inputs and rules."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from kling_nb.specs.catalogue import MODELS, Catalogue, ModelInfo
from kling_nb.specs.describe import inputs, rules

TAKES = ("text", "image", "video", "end_frame", "references", "multi_shot", "sound", "active")
"""The facts ``--takes`` filters on (``MODELS.filter``'s, plus ``sound``)."""


class UsageError(Exception):
    """The command line or the spec file cannot be used."""


def models_command(args: argparse.Namespace, out: TextIO) -> int:
    """List (``--provider``, ``--takes image,sound``) or describe one model (``KEY``)."""
    if args.key:
        row = MODELS.find(args.key)
        if row is None:
            msg = f"no model {args.key!r}; the keys are: {', '.join(MODELS)}"
            raise UsageError(msg)
        print(json.dumps(describe(row), indent=2) if args.json else detail(row), file=out)
        return 0
    rows = _filtered(args.provider, args.takes)
    if args.json:
        print(json.dumps([row.facts() for row in rows.values()], indent=2), file=out)
    else:
        print(repr(rows) if len(rows) else "no model has all of these facts", file=out)
    return 0


def _filtered(provider: str | None, takes: str) -> Catalogue:
    wanted = [t.strip().replace("-", "_") for t in takes.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in TAKES]
    if unknown:
        msg = f"--takes {', '.join(unknown)}: not a model fact; use {', '.join(TAKES)}"
        raise UsageError(msg)
    flags = {t: True for t in wanted if t != "sound"}
    return MODELS.filter(provider=provider, sound=True if "sound" in wanted else None, **flags)


def describe(row: ModelInfo) -> dict[str, Any]:
    """One model as JSON: its facts, inputs and rules."""
    return {**row.facts(), "endpoint": row.endpoint, "wire_model": row.wire_model,
            "inputs": [vars(i) for i in inputs(row.spec)], "rules": rules(row.spec),
            "notice": row.notice}


def detail(row: ModelInfo) -> str:
    """One model as text: facts, then one line per input, then its rules."""
    lines = [f"{row.name} on {row.provider_name} ({row.key})", f"  {'endpoint':<16}{row.endpoint}"]
    lines += [f"  {name:<16}{value}" for name, value in row.facts().items()
              if name not in ("key", "model", "provider")]
    if row.notice:
        lines.append(f"  {'note':<16}{row.notice}")
    lines.append("inputs (* required):")
    for item in inputs(row.spec):
        mark = "*" if item.required else " "
        lines.append(f"  {mark} {item.name:<18} {item.allowed}")
        if item.help:
            lines.append(f"      {item.help}")
    lines.append("rules (a documented rule rejects; an inferred one warns):")
    for rule in rules(row.spec):
        why = f" - why inferred: {rule['why']}" if "why" in rule else ""
        source = f" - source: {rule['source']}" if "source" in rule else ""
        lines.append(f"  [{rule['provenance']}] {rule['says']}{source}{why}")
    return "\n".join(lines)
