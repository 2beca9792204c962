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
    tier = data.get("mode") or _short_side(data)
    sound = next((data[n] for n in ("audio", "generate_audio", "motion_has_audio")
                  if data.get(n) is not None), None)
    return spec.key, tier, sound, data.get("quantity") or 1


def _short_side(data: dict[str, object]) -> int | str | None:
    size, width, height = data.get("size"), data.get("width"), data.get("height")
    if isinstance(size, str) and "x" in size:
        across, _, down = size.partition("x")
        return min(int(across), int(down)) if across.isdigit() and down.isdigit() else size
    if isinstance(width, int) and isinstance(height, int):
        return min(width, height)
    aspect = data.get("aspect_ratio")
    return aspect if isinstance(aspect, str) else None


def _seconds(item: SweepItem) -> int | None:
    value = getattr(item.spec, "duration", None)
    return value if isinstance(value, int) and value > 0 else None


def unpriced_groups(items: Iterable[SweepItem]) -> dict[tuple[Hashable, ...], list[SweepItem]]:
    """The items with no price known before the run, by price group (shortest first)."""
    groups: dict[tuple[Hashable, ...], list[SweepItem]] = {}
    for item in items:
        if item.estimate.usd is None or item.estimate.source == "reported":
            groups.setdefault(price_group(item.spec), []).append(item)
    for members in groups.values():
        members.sort(key=lambda i: (_seconds(i) or 0, i.index))
    return groups


def _reported(members: Sequence[SweepItem]) -> list[tuple[SweepItem, Decimal]]:
    return [(i, i.cost.amount) for i in members if i.cost is not None and i.cost.unit == "USD"]


def _rate(item: SweepItem, amount: Decimal) -> Decimal:
    seconds = _seconds(item)
    return amount / seconds if seconds else amount


def reprice(members: Sequence[SweepItem]) -> None:
    """Price the group's unsent jobs from what its jobs reported (per second of video, at the
    highest rate so far for the upper figure, the mean rate for the typical one)."""
    reported = _reported(members)
    if not reported:
        return
    rates = [_rate(i, amount) for i, amount in reported]
    high, mean = max(rates), sum(rates, Decimal(0)) / len(rates)
    jobs = ", ".join(f"#{i.index}" for i, _ in reported)
    per = "per second" if all(_seconds(i) for i, _ in reported) else "per job"
    basis = f"${high:.3f} {per}, reported for job{'s' if len(reported) > 1 else ''} {jobs}"
    for item in members:
        if item.state != "planned":
            continue
        scale = Decimal((_seconds(item) if per == "per second" else 1) or 1)
        item.estimate = Estimate((mean * scale).quantize(CENT, ROUND_HALF_EVEN),
                                 (high * scale).quantize(CENT, ROUND_CEILING), "reported", basis)


def first_of(members: Sequence[SweepItem]) -> SweepItem | None:
    """The group's job whose report prices the rest: the shortest one that made a job, else
    the shortest still to send."""
    sent = [i for i in members if i.state not in NOT_SENT]
    if sent:
        return sent[0]
    planned = [i for i in members if i.state == "planned"]
    return planned[0] if planned else None


class PriceGroups:
    """A sweep's jobs with no known price, by price group, priced as reports come in."""

    def __init__(self, items: Iterable[SweepItem]) -> None:
        self.groups = unpriced_groups(items)
        self.group_of = {i.index: key for key, members in self.groups.items() for i in members}
        self.reports = dict.fromkeys(self.groups, -1)

    def pricing(self, item: SweepItem) -> Pricing:
        """Whether ``item`` may be held to the budget now."""
        key = self.group_of.get(item.index)
        if key is None:
            return "priced"
        members = self.groups[key]
        count = sum(1 for i in members if i.cost is not None)
        if count != self.reports[key]:  # reprice only when a new report came in
            self.reports[key] = count
            reprice(members)
        if item.estimate.upper is not None:
            return "priced"
        first = first_of(members)
        if first is item:
            return "first"
        if first is None or first.state in IN_FLIGHT:
            return "wait"
        return "unpriceable"

    def members(self, item: SweepItem) -> list[SweepItem]:
        """The jobs priced together with ``item``."""
        key = self.group_of.get(item.index)
        return self.groups[key] if key is not None else [item]


def waiting_on_a_report(items: Iterable[SweepItem]) -> SweepItem | None:
    """A job sent without a price whose cost is not reported yet (nothing else is sent
    meanwhile: the budget cannot count it)."""
    return next((i for i in items if i.state in IN_FLIGHT and i.estimate.upper is None
                 and i.cost is None), None)


def unpriceable_note(members: Sequence[SweepItem]) -> str:
    """Why a group's jobs are not sent: its first job reported no USD price."""
    first = first_of(members)
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


def report_lines(items: Sequence[SweepItem]) -> list[str]:
    """How the jobs with no published price were priced, after (or during) the run."""
    found: dict[str, str] = {}
    for item in items:
        if item.estimate.source == "reported" and item.estimate.basis:
            found[item.spec.key] = item.estimate.basis  # the last: from the most reports
    return [f"priced from the provider's reports: {key} at {basis}"
            for key, basis in found.items()]
