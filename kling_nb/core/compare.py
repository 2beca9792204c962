"""What a group of records shares and what differs between them (compare views, sweeps)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def differing(records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """What every record shares (name -> value, in first-seen order), and the sorted names
    whose values are not the same in all of them (a missing name counts as None)."""
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    shared: dict[str, Any] = {}
    differ: list[str] = []
    for name in names:
        values = {json.dumps(r.get(name), sort_keys=True, default=str) for r in records}
        if len(values) > 1:
            differ.append(name)
        else:
            shared[name] = records[0].get(name)
    return shared, sorted(differ)


def apart(texts: Sequence[str], limit: int) -> dict[str, str]:
    """Each text cut to ``limit`` characters so that texts stay told apart: a long text that
    starts like another is shown from a little before where they part ("…at dusk; cool
    blue…"), not by a start they share - prompt variants usually differ in the middle."""
    found: dict[str, str] = {}
    for text in texts:
        if len(text) <= limit:
            found[text] = text
            continue
        shared = max((_common(text, other) for other in texts if other != text), default=0)
        if shared < limit - 12:
            found[text] = text[:limit - 1] + "…"
            continue
        start = text.rfind(" ", 0, max(shared - 8, 1)) + 1  # a word start before they part
        window = text[start:start + limit - 2]
        found[text] = "…" + window + ("…" if start + limit - 2 < len(text) else "")
    return found


def _common(one: str, other: str) -> int:
    """How many characters two texts share from their start."""
    size = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        size += 1
    return size
