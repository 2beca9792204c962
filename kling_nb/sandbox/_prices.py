"""What a sandbox job costs, per entry: a price rule that is published somewhere or made up.

Each rule is ``published`` (where the figure comes from: a vendor page, a third party) or
``made_up`` (why the sandbox invents one: nothing is published), so whatever shows a sandbox
price can say which it is (``Price.made_up``; ``kling_nb.sandbox.price_rule(model)``).
Leonardo prices in API credits are charged at ``TOKENS_PER_USD``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOKENS_PER_USD = 1000
"""A sandbox convention for ``apiCreditCost``, ``apiPaidTokens`` and ``credits_used``."""


@dataclass(frozen=True, kw_only=True)
class Price:
    """A price rule with its basis: ``published`` (where) or ``made_up`` (why)."""

    published: str = ""
    made_up: str = ""
    unit = "USD"
    """``USD`` or ``CREDITS`` (Leonardo API credits)."""

    def __post_init__(self) -> None:
        if bool(self.published) == bool(self.made_up):
            msg = f"{type(self).__name__}: give either published= (where) or made_up= (why)"
            raise ValueError(msg)

    @property
    def is_made_up(self) -> bool:
        """Whether the sandbox invented the figure (no price is published)."""
        return bool(self.made_up)

    @property
    def basis(self) -> str:
        """Where the figure comes from, or why it is made up, in words."""
        return (f"made up by the sandbox: {self.made_up}" if self.made_up
                else f"published: {self.published}")

    def amount(self, seconds: int, tier: int, sound: bool) -> float:
        """The price of one job in ``unit``."""
        raise NotImplementedError

    def usd(self, seconds: int, tier: int, sound: bool) -> float:
        """The price of one job in USD (credits at ``TOKENS_PER_USD``)."""
        amount = self.amount(seconds, tier, sound)
        return amount / TOKENS_PER_USD if self.unit == "CREDITS" else amount


def _by_seconds(table: Mapping[int, float], seconds: int) -> float:
    """The figure for ``seconds``: its own, else the longest listed length not above it."""
    if seconds in table:
        return table[seconds]
    shorter = [s for s in table if s <= seconds]
    return table[max(shorter) if shorter else min(table)]


@dataclass(frozen=True, kw_only=True)
class PerJob(Price):
    """USD per job by its length: ``{5: 0.35, 10: 0.70}``."""

    usd_by_seconds: Mapping[int, float]

    def amount(self, seconds: int, tier: int, sound: bool) -> float:
        return _by_seconds(self.usd_by_seconds, seconds)


@dataclass(frozen=True, kw_only=True)
class Credits(Price):
    """Leonardo API credits per job by its length: ``{5: 604, 10: 1208}``."""

    credits_by_seconds: Mapping[int, float]
    unit = "CREDITS"

    def amount(self, seconds: int, tier: int, sound: bool) -> float:
        return _by_seconds(self.credits_by_seconds, seconds)


@dataclass(frozen=True, kw_only=True)
class Linear(Price):
    """USD from ``low`` (seconds, USD) to ``high``, in a straight line between."""

    low: tuple[int, float]
    high: tuple[int, float]

    def amount(self, seconds: int, tier: int, sound: bool) -> float:
        (s0, p0), (s1, p1) = self.low, self.high
        return p0 + (seconds - s0) * (p1 - p0) / (s1 - s0)


@dataclass(frozen=True, kw_only=True)
class PerSecond(Price):
    """USD per second of video (``rate``): one figure, or one per tier (the short side, 720
    or 1080) and sound setting: ``{(720, False): 0.157, (1080, True): 0.235, ...}``."""

    rate: float | Mapping[tuple[int, bool], float]

    def amount(self, seconds: int, tier: int, sound: bool) -> float:
        if isinstance(self.rate, (int, float)):
            return self.rate * seconds
        # A size off the tiers (one the sandbox takes because the list is only inferred) is
        # priced at the highest tier not above it, else the lowest.
        tiers = sorted({t for t, _ in self.rate})
        below = [t for t in tiers if t <= tier]
        return self.rate[(below[-1] if below else tiers[0], sound)] * seconds
