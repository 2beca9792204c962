"""When to ask a job's status: rarely early on, often around the expected finish, then less."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PollSchedule:
    """An adaptive poll schedule built on how long a job typically takes.

    ``expected`` is the typical range of the job's duration in seconds (documented, or learned
    from this user's past jobs). The first status request goes out shortly before the range
    starts (``lead`` intervals before it); inside the range requests come every
    ``(high - low) / per_window`` seconds; after it the interval grows by ``backoff`` up to
    ``max_interval``.
    """

    expected: tuple[float, float]
    min_interval: float = 2.0
    max_interval: float = 60.0
    per_window: float = 12.0
    lead: float = 1.0
    backoff: float = 1.5

    @classmethod
    def for_duration(cls, video_seconds: int) -> PollSchedule:
        """The documented typical wait: 3-4 min for 5 s of video, 6-8 min for 10 s."""
        return cls((36.0 * video_seconds, 48.0 * video_seconds))

    @classmethod
    def learned(cls, expected: tuple[float, float]) -> PollSchedule:
        """From the range this user's past jobs took: narrower, so fewer polls keep the lag."""
        return cls(expected, per_window=4.0)

    @classmethod
    def fast(cls) -> PollSchedule:
        """For the sandbox's fast mode, where jobs finish on their second status request."""
        return cls((0.0, 0.0), min_interval=0.005, max_interval=0.05)

    @property
    def window_interval(self) -> float:
        """The interval between requests inside the expected range."""
        low, high = self.expected
        return min(max((high - low) / self.per_window, self.min_interval), self.max_interval)

    def delay(self, elapsed: float) -> float:
        """Seconds to wait before the next status request, ``elapsed`` seconds after submit."""
        low, high = self.expected
        start = max(low - self.lead * self.window_interval, 0.0)
        if elapsed < start:
            return max(start - elapsed, self.min_interval)
        if elapsed <= high:
            return self.window_interval
        # capped: a job picked up days late would overflow the power (and wait max anyway)
        growth: float = self.backoff ** min((elapsed - high) / max(high, 1.0) * 4, 64.0)
        late = self.window_interval * growth
        return min(max(late, self.min_interval), self.max_interval)

    def deadline(self) -> float:
        """A default wall-clock limit for waiting: three times the expected upper bound."""
        return max(3 * self.expected[1], 600.0) if self.expected[1] else 120.0
