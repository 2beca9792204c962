"""Every sandbox entry, found in ``kling_nb/sandbox/rows/`` (one ``ENTRY`` per module), and
looked up by wire model id.

Loaded on the sandbox's first request: a new entry module is served with no other edit.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from . import rows
from ._entry import Aiml, AimlVariant, Entry, LeonardoV1, LeonardoV2
from ._prices import Price


@functools.cache
def entries() -> tuple[Entry, ...]:
    """Every entry, by module name."""
    found = []
    for module in sorted(pkgutil.iter_modules(rows.__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        entry = getattr(importlib.import_module(f"{rows.__name__}.{module.name}"), "ENTRY", None)
        if not isinstance(entry, Entry):
            msg = f"{rows.__name__}.{module.name} has no ENTRY (a LeonardoV1, LeonardoV2 or Aiml)"
            raise TypeError(msg)
        found.append(entry)
    _no_twice(found)
    return tuple(found)


def _no_twice(found: list[Entry]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for entry in found:
        for model in entry.models:
            key = (type(entry).__name__, model)
            if key in seen:
                msg = f"wire model {model!r} is in two sandbox entries: {seen[key]}, {entry.row}"
                raise ValueError(msg)
            seen[key] = entry.row


def leonardo_v1(model: str) -> LeonardoV1 | None:
    """The Leonardo v1 entry of a wire model id."""
    return next((e for e in entries() if isinstance(e, LeonardoV1) and e.model == model), None)


def leonardo_v2(model: str) -> LeonardoV2 | None:
    """The Leonardo v2 entry of a wire model id."""
    return next((e for e in entries() if isinstance(e, LeonardoV2) and e.model == model), None)


def aiml(model: str) -> tuple[Aiml, AimlVariant] | None:
    """The AI/ML entry and variant of a wire model id (or a documented alias)."""
    for entry in entries():
        if isinstance(entry, Aiml):
            variant = entry.variant(model)
            if variant is not None:
                return entry, variant
    return None


def aiml_models() -> list[str]:
    """Every AI/ML wire model id and alias, for the validator's message."""
    return [m for e in entries() if isinstance(e, Aiml) for m in e.models]


def entry_of(model: str) -> Entry | None:
    """The entry of any wire model id (Leonardo v1, v2 or AI/ML), or the generic one an
    unknown id was served by (``accept_unknown_models``)."""
    from . import _generic

    return next((e for e in entries() if model in e.models), None) or _generic.made(model)


def price_rule(model: str) -> Price | None:
    """The price rule the sandbox charges a wire model id by: ``published`` (where the figure
    comes from) or ``made_up`` (why the sandbox invents one), for labelling sandbox costs."""
    entry = entry_of(model)
    return entry.price if entry is not None else None
