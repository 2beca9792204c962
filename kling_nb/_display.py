"""How kling_nb objects show themselves in a notebook (``_repr_mimebundle_``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def mimebundle(obj: Any, include: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None) -> dict[str, str]:
    """The MIME bundle for any kling_nb object: ``text/plain`` and ``text/html``."""
    from html import escape

    text = str(obj)
    bundle = {"text/plain": text, "text/html": f"<pre>{escape(text)}</pre>"}
    if include is not None:
        bundle = {k: v for k, v in bundle.items() if k in set(include)}
    if exclude is not None:
        bundle = {k: v for k, v in bundle.items() if k not in set(exclude)}
    return bundle
