"""A live, updating output in the running notebook cell - only when a kernel is running.

IPython is never imported here: a kernel has always loaded it already, so it is looked up in
``sys.modules``; in a script or on the command line there is nothing to show.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

Refresh = Callable[..., None]


def live_display(obj: Any, *, min_interval: float = 0.5) -> Refresh | None:
    """Show ``obj`` in the running notebook cell and return a refresher for that same output.

    The refresher redraws at most every ``min_interval`` seconds (``force=True`` always).
    Outside an IPython kernel (scripts, the command line) there is nothing to show: None.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    handle = ipython.display.display(obj, display_id=True)
    last = [time.monotonic()]

    def refresh(force: bool = False) -> None:
        now = time.monotonic()
        if handle is not None and (force or now - last[0] >= min_interval):
            handle.update(obj)
            last[0] = now

    return refresh
