"""Enforce Leonardo's documented request-rate limits (api-notes §6) on the sandbox clock."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

WINDOW = 60.0
CREATE_PER_MINUTE = 100
OVERALL_PER_MINUTE = 2000


class RateLimits:
    """Sliding one-minute windows: 100 creates per create endpoint, 2000 requests overall."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def check(self, keys: dict[str, int]) -> int | None:
        """Count a request against each ``{window key: limit}``; seconds to wait if over."""
        now = self._clock()
        waits = [self._wait(key, limit, now) for key, limit in keys.items()]
        blocked = [w for w in waits if w is not None]
        if blocked:
            return max(blocked)
        for key in keys:
            self._seen.setdefault(key, deque()).append(now)
        return None

    def _wait(self, key: str, limit: int, now: float) -> int | None:
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - WINDOW:
            seen.popleft()
        if len(seen) < limit:
            return None
        return max(1, math.ceil(seen[0] + WINDOW - now))
