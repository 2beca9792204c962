"""A row's published price: USD per job by length, USD per second by tier, or Leonardo API
credits per job - and the tier a request asks for, which a per-tier price goes by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Spec

Unit = str
"""``USD`` or ``CREDITS``."""


def tier_of(data: Mapping[str, object]) -> int | None:
    """The tier a request asks for, as the short side of its video (720, 1080): from its
    ``mode``, ``size`` or ``width`` and ``height``; None when its size follows an input."""
    mode, size = data.get("mode"), data.get("size")
    if isinstance(mode, str) and mode.startswith("RESOLUTION_") and mode[11:].isdigit():
        return int(mode[11:])
    if isinstance(size, str) and "x" in size:
        across, _, down = size.partition("x")
        if across.isdigit() and down.isdigit() and int(across) and int(down):
            return min(int(across), int(down))
    width, height = data.get("width"), data.get("height")
    if isinstance(width, int) and isinstance(height, int) and width and height:
        return min(width, height)
    return None


def _by_length(table: Mapping[int, float], duration: int | None) -> float:
    """The figure for ``duration``: its own, else the next longer length listed (the longest
    when none is longer; the shortest when no length is given)."""
    if duration is None:
        return table[min(table)]
    longer = [s for s in sorted(table) if s >= duration]
    return table[longer[0] if longer else max(table)]


def published(spec: type[Spec], duration: int | None,
              tier: int | None = None) -> tuple[float, Unit] | None:
    """The published price of one job of ``duration`` seconds at ``tier`` (the short side:
    a per-tier rate takes the highest tier not above it, and an unknown tier the highest, the
    safe side for a budget): ``(amount, "USD")`` or ``(amount, "CREDITS")``; None where no
    price is published."""
    if spec.usd_per_job:
        return _by_length(spec.usd_per_job, duration), "USD"
    if spec.usd_per_second:
        tiers = sorted(spec.usd_per_second)
        below = [t for t in tiers if tier is not None and t <= tier]
        rate = spec.usd_per_second[below[-1] if below else (tiers[-1] if tier is None
                                                            else tiers[0])]
        seconds = duration if duration is not None else min(spec.durations or (5,))
        return rate * seconds, "USD"
    if spec.credits_per_job:
        return _by_length(spec.credits_per_job, duration), "CREDITS"
    return None


def rule_text(spec: type[Spec]) -> str | None:
    """The published rule in words (None where the row gives its price only in words)."""
    if spec.usd_per_job:
        low, high = min(spec.usd_per_job), max(spec.usd_per_job)
        return (f"${spec.usd_per_job[low]:.2f} ({low} s) to ${spec.usd_per_job[high]:.2f} "
                f"({high} s), unofficial")
    if spec.usd_per_second:
        rates = " / ".join(f"${rate:.3f} ({tier}p)" for tier, rate in
                           sorted(spec.usd_per_second.items()))
        return f"{rates} per second, unofficial"
    return None
