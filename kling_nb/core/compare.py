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
