"""What counts as a vendor source for a documented rule, in the specs and in the sandbox."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = re.compile(
    r"(?P<seed>\d{3}_[0-9a-f]{16}\.txt)|Leonardo (guides?|recipe|API reference) \"|"
    r"AI/ML API model page \"[^\"]+\" \(api-notes §10\.\d\)|"
    r"aimlapi/api-docs docs/api-references/video-models/(Kling-AI|kling-ai)/[\w.-]+\.(json|md)")
"""A seed page's file, a named Leonardo guide, recipe or API reference, a schema or page of the
AI/ML API's docs repository (its pages sit in ``Kling-AI/`` and ``kling-ai/``), or an AI/ML
model page newer than that repository's snapshot, as the API notes record it (§10)."""


def vendor_sources(text: str, seeds_dir: Path) -> list[str]:
    """The vendor sources ``text`` names (every seed page it names must exist)."""
    found = list(SOURCE.finditer(text))
    for match in found:
        if match["seed"]:
            assert (seeds_dir / match["seed"]).is_file(), match["seed"]
    return [match.group() for match in found]
