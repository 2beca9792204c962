"""``kling-nb models``: the catalogue as a table (filtered), or one model's inputs and rules."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from kling_nb.specs.catalogue import MODELS, Catalogue, ModelInfo
from kling_nb.specs.describe import inputs, rules
from kling_nb.specs.problems import closest

TAKES = ("text", "image", "video", "audio", "end_frame", "references", "multi_shot", "sound",
         "active")
"""The facts ``--takes`` filters on (``MODELS.filter``'s, plus ``sound``)."""


class UsageError(Exception):
    """The command line or the spec file cannot be used."""

    model: str | None = None
    """The model key the ``next:`` line should name (what a mistyped key meant)."""


def suggested_model(model: str | None) -> str | None:
    """The row key ``model`` names (a key, a wire name, a short name), else the key it most
    likely misspells; None when nothing is close or a short name fits several providers."""
    if not model:
        return None
    row = MODELS.find(model)
    if row is not None:
        return row.key
    keys = list(MODELS)
    if "/" in model:
        return closest(model, keys)
    short = closest(model, list(dict.fromkeys(k.split("/", 1)[1] for k in keys)))
    rows = MODELS.providers_of(short) if short else []
    return rows[0].key if len(rows) == 1 else None  # offered by several: the user says which


def unknown_model(key: str) -> UsageError:
    """``kling-nb models TYPO``: what was meant, and every key; the error carries the
    suggestion for the ``next:`` line."""
    guess = suggested_model(key)
    several = MODELS.providers_of(key)
    hint = f" Did you mean {guess!r}?" if guess else ""
    if len(several) > 1:
        keys = " or ".join(row.key for row in several)
        hint = f" More than one provider offers it: say which, {keys}."
    error = UsageError(f"no model {key!r}.{hint} The keys are: {', '.join(MODELS)}")
    error.model = guess
    return error


def models_command(args: argparse.Namespace, out: TextIO) -> int:
    """List (``--provider``, ``--takes image,sound``) or describe one model (``KEY``)."""
    if args.key:
        row = MODELS.find(args.key)
        if row is None:
            raise unknown_model(args.key)
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
    return {**row.facts(), "sound_note": row.spec.sound_note,
            "endpoint": row.endpoint, "wire_model": row.wire_model,
            "inputs": [vars(i) for i in inputs(row.spec)], "rules": rules(row.spec),
            "notice": row.notice}


def detail(row: ModelInfo) -> str:
    """One model as text: facts, then one line per input, then its rules."""
    lines = [f"{row.name} on {row.provider_name} ({row.key})", f"  {'endpoint':<16}{row.endpoint}"]
    lines += [f"  {name:<16}{value}" for name, value in row.facts().items()
              if name not in ("key", "model", "provider")]
    if row.spec.sound_note:
        lines.append(f"  {'sound, why':<16}{row.spec.sound_note}")
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
