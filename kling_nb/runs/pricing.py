"""Budgets on rows with no published price: one job first, the rest priced from its report.

A sweep with ``max_cost_usd`` whose jobs have no known price (no published figure, no past
jobs of that model and length) groups them by what may change a price: the row, its tier
(mode or size), sound and the number of videos. From each group the shortest job is sent
first, alone, while the budget has room (its own price cannot be known before it is sent);
nothing else is sent until the provider has reported what it cost. The group's other jobs
are then priced from that report - per second of video, at the highest rate reported so far,
so a price with a fixed part is overestimated for a longer job, never under - and held to
the budget as jobs with a published price are; every later report of the group updates the
rate. A group whose first job reports no USD price (or credits only) sends nothing more.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from typing import Literal

from kling_nb.specs.base import Spec
from kling_nb.specs.prices import tier_of

from .plan import IN_FLIGHT, Estimate, SweepItem

Pricing = Literal["priced", "first", "wait", "unpriceable"]
"""Whether an item may be held to the budget now: it has a price (``priced``), it is the
group's first job (``first``: sent while the budget has room), it waits for the first job's
report (``wait``), or its group cannot be priced (``unpriceable``: never sent)."""

CENT = Decimal("0.01")
NOT_SENT = ("planned", "skipped", "rejected", "not_created")
"""States of an item whose create made no job (so it reported nothing and cost nothing)."""


def price_group(spec: Spec) -> tuple[Hashable, ...]:
    """What may change a job's price besides its length: row, tier, sound, videos."""
    data = spec.to_dict()
    aspect = data.get("aspect_ratio")
    tier = tier_of(data) or (aspect if isinstance(aspect, str) else None)
    sound = next((data[n] for n in ("audio", "generate_audio", "motion_has_audio")
                  if data.get(n) is not None), None)
    return spec.key, tier, sound, data.get("quantity") or 1


def _seconds(item: SweepItem) -> int | None:
    value = getattr(item.spec, "duration", None)
    return value if isinstance(value, int) and value > 0 else None


def _rate(item: SweepItem, amount: Decimal) -> Decimal:
    seconds = _seconds(item)
    return amount / seconds if seconds else amount


def unpriced_groups(items: Iterable[SweepItem]) -> dict[tuple[Hashable, ...], list[SweepItem]]:
    """The items with no price known before the run, by price group (shortest first)."""
    groups: dict[tuple[Hashable, ...], list[SweepItem]] = {}
    for item in items:
        if item.estimate.usd is None or item.estimate.source == "reported":
            groups.setdefault(price_group(item.spec), []).append(item)
    for members in groups.values():
        members.sort(key=lambda i: (_seconds(i) or 0, i.index))
    return groups


class PriceGroup:
    """One group's jobs: which one goes first, what was reported, the rate it gives.

    Kept up to date as jobs are sent and report (each decision looks only at the jobs sent
    since, so a sweep of a thousand jobs does not rescan them all for every one)."""

    def __init__(self, members: list[SweepItem]) -> None:
        self.members = members
        self.sent: list[SweepItem] = [i for i in members if i.state != "planned"]
        """Jobs sent whose report is not taken in yet."""
        self.first: SweepItem | None = next((i for i in self.sent if i.state not in NOT_SENT),
                                            None)
        self.rates: list[Decimal] = []
        self.reported: list[int] = []
        self.per_second = True
        self.basis = ""
        self.dead = False
        """The first job ended without a price in USD: nothing more is sent."""

    def take_reports(self) -> None:
        """Take in what the jobs sent since reported (or that they ended without a price)."""
        waiting = []
        for item in self.sent:
            cost = item.cost
            if cost is not None and cost.unit == "USD":
                self.per_second = self.per_second and _seconds(item) is not None
                self.rates.append(_rate(item, cost.amount))
                self.reported.append(item.index)
            elif item.state in IN_FLIGHT or item.state == "planned":  # planned: being sent
                waiting.append(item)
            elif item is self.first:  # it ended with no USD price, or made no job at all
                if item.state in NOT_SENT:
                    self.first = None  # no job was made: the next shortest goes first
                else:
                    self.dead = True
        self.sent = waiting
        if self.rates:
            jobs = ", ".join(f"#{n}" for n in self.reported[:4]) + (
                f" and {len(self.reported) - 4} more" if len(self.reported) > 4 else "")
            per = "per second" if self.per_second else "per job"
            self.basis = (f"${max(self.rates):.3f} {per}, reported for "
                          f"job{'s' if len(self.reported) > 1 else ''} {jobs}")

    def price(self, item: SweepItem) -> None:
        """Estimate ``item`` from the reports: the mean rate, and the highest for the upper
        figure (per second of video, so a fixed part is overestimated for longer jobs)."""
        high, mean = max(self.rates), sum(self.rates, Decimal(0)) / len(self.rates)
        scale = Decimal((_seconds(item) if self.per_second else 1) or 1)
        item.estimate = Estimate((mean * scale).quantize(CENT, ROUND_HALF_EVEN),
                                 (high * scale).quantize(CENT, ROUND_CEILING), "reported",
                                 self.basis)

    def pricing(self, item: SweepItem) -> Pricing:
        """Whether ``item`` may be held to the budget now."""
        if self.sent:
            self.take_reports()
        if self.rates:
            if item.state == "planned":
                self.price(item)
            return "priced"
        if self.dead:
            return "unpriceable"
        if self.first is None:
            self.first = next((i for i in self.members if i.state == "planned"), None)
        if self.first is item:
            return "first"
        return "wait"

    def waiting(self) -> bool:
        """Whether a job of this group was sent with no price and has reported none yet."""
        first = self.first
        return (not self.rates and first is not None and first.state in IN_FLIGHT
                and first.cost is None)


class PriceGroups:
    """A sweep's jobs with no known price, by price group, priced as reports come in."""

    def __init__(self, items: Iterable[SweepItem]) -> None:
        self.groups = {key: PriceGroup(members)
                       for key, members in unpriced_groups(items).items()}
        self.group_of = {i.index: group for group in self.groups.values()
                         for i in group.members}

    def pricing(self, item: SweepItem) -> Pricing:
        """Whether ``item`` may be held to the budget now."""
        group = self.group_of.get(item.index)
        return "priced" if group is None else group.pricing(item)

    def sending(self, item: SweepItem) -> None:
        """``item`` is about to be sent: its report is to be taken in."""
        group = self.group_of.get(item.index)
        if group is not None and item not in group.sent:  # sent again after a 429: once
            group.sent.append(item)

    def waiting(self) -> bool:
        """Whether a job was sent with no price and has reported none yet (nothing else is
        sent meanwhile: the budget cannot count it)."""
        return any(group.waiting() for group in self.groups.values())

    def lines(self) -> list[str]:
        """How each group that got a report was priced (for the sweep and its results)."""
        found = []
        for (key, *_), group in self.groups.items():
            if group.sent:
                group.take_reports()
            if group.basis:
                found.append(report_line(str(key), group.basis))
        return found

    def first(self, item: SweepItem) -> SweepItem | None:
        """The job whose report prices ``item``'s group."""
        group = self.group_of.get(item.index)
        return group.first if group is not None else None


def unpriceable_note(first: SweepItem | None) -> str:
    """Why a group's jobs are not sent: its first job reported no USD price."""
    told = f" (it reported {first.cost})" if first is not None and first.cost else ""
    where = f"job #{first.index}" if first is not None else "its first job"
    return (f"not sent: no published price, and {where} reported no price in USD{told}, so "
            "max_cost_usd cannot be kept")


def plan_lines(items: Sequence[SweepItem]) -> list[str]:
    """How jobs with no known price will be priced, said before anything is sent."""
    lines = []
    for (key, *_), members in unpriced_groups(items).items():
        first = members[0]
        which = f"job #{first.index}" + (f" ({_seconds(first)} s)" if _seconds(first) else "")
        if len(members) == 1:
            lines.append(f"no known price for {key}: {which} is sent while the budget has room "
                         "(its price is known only once it is sent)")
            continue
        lines.append(f"no known price for {key} ({len(members)} jobs): {which} is sent first, "
                     "alone, while the budget has room (its price is known only once it is "
                     f"sent); the other {len(members) - 1} are priced from what the provider "
                     "reports for it (and for each job after) and held to max_cost_usd")
    return lines


def report_line(key: str, basis: str) -> str:
    """How a row's jobs were priced: ``priced from the provider's reports: KEY at ...``."""
    return f"priced from the provider's reports: {key} at {basis}"
