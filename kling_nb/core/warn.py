"""Warnings that point at the user's own line, not at a line inside kling_nb."""

from __future__ import annotations

import sys
import warnings

_INTERNAL = ("kling_nb", "pydantic", "pydantic_core", "typing_extensions")


def user_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside kling_nb and pydantic (for ``warn``)."""
    level = 1
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.split(".")[0] not in _INTERNAL:
            return level
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` at the caller's own line (outside kling_nb)."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
