"""Warnings that point at the user's line, not at the library's insides."""

from __future__ import annotations

import sys
import warnings
from types import FrameType

_PACKAGE = __name__.split(".", 1)[0]


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first caller outside kling_nb (the user's line).

    The level is counted at run time, so it stays right however deep the library's call
    chain is: a submit runs as a generator under a driver, a sweep through its runner.
    """
    warnings.warn(message, category, stacklevel=_user_level(sys._getframe(1)))


def _user_level(frame: FrameType | None) -> int:
    """The ``stacklevel`` (as ``warn`` passes it) of the first frame from ``frame`` up that
    is not kling_nb's own."""
    level = 2  # ``frame`` is warn's caller: stacklevel 2 from inside warn
    while frame is not None and _inside(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
        level += 1
    return level


def _inside(module: str) -> bool:
    return module == _PACKAGE or module.startswith(_PACKAGE + ".")
