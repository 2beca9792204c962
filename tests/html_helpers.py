"""Reading HTML views in tests: the text as shown, with esc()'s MathJax guards unwrapped."""

from __future__ import annotations

import re

GUARD = re.compile(r"<span class='tex2jax_ignore mathjax_ignore'>([^<]*)</span>")


def unguarded(html: str) -> str:
    """``html`` with each '$' and '\\' back in place of its MathJax ignore element."""
    return GUARD.sub(r"\1", html)


def mathjax_sees(html: str) -> str:
    """The text MathJax would scan: what is left outside its ignore elements, tags dropped."""
    return re.sub(r"<[^>]+>", "", GUARD.sub(" ", html))


def shown(html: str) -> str:
    """The text a reader sees (tags dropped, entities left as they are)."""
    return re.sub(r"<[^>]+>", "", unguarded(html))
