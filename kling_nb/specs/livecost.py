"""What running jobs live would cost and take, from the catalogue's price rules, before any is
sent: ``kn.live_cost(spec, [a, b, c], ...)``.

Each argument is one step: a spec, or several specs sent together (a sweep's, a batch waited
for at once). A job is priced at its row's published (unofficial) figure for its length (USD,
or Leonardo API credits where those are what is published); a row with no published price is
counted and named, never priced at $0; a retired row's job is refused live (no job is made).
The wait is each step's longest job, added up over the steps: a job takes the row's typical
time where the row says it, else the documented 36-48 s per second of video (api-notes §4),
and a length the spec leaves to its input (an edit) counts as 5 s.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kling_nb.core.html import Renders, esc

from .base import Spec
from .catalogue import MODELS
from .prices import tier_of

SECONDS_PER_VIDEO_SECOND = (36.0, 48.0)
"""The documented wait per second of video: 3-4 min for 5 s, 6-8 min for 10 s."""
UNFIXED_SECONDS = 5


@dataclass(frozen=True)
class LiveJob:
    """One job as far as its price and wait go: the row, its length, how many videos."""

    key: str
    seconds: int | None = None
    videos: int = 1
    tier: int | None = None
    """The short side of the video (720, 1080), for a price per tier; None: not known."""

    @classmethod
    def of(cls, spec: Spec) -> LiveJob:
        """The job a spec sends."""
        seconds = getattr(spec, "duration", None)
        quantity = getattr(spec, "quantity", None)
        return cls(spec.key, seconds if isinstance(seconds, int) else None,
                   quantity if isinstance(quantity, int) and quantity > 0 else 1,
                   tier_of(spec.to_dict()))

    def wait(self) -> tuple[float, float]:
        """How long the job typically takes live, low and high (seconds)."""
        typical = getattr(MODELS[self.key].spec, "typical_job_seconds", None)
        if isinstance(typical, tuple) and len(typical) == 2:
            return float(typical[0]), float(typical[1])
        seconds = self.seconds or UNFIXED_SECONDS
        low, high = SECONDS_PER_VIDEO_SECOND
        return low * seconds, high * seconds


@dataclass
class LiveCost(Renders):
    """What the jobs would cost live at the published prices, and how long they would take."""

    steps: list[list[LiveJob]] = field(default_factory=list)

    @classmethod
    def of(cls, steps: Iterable[Iterable[LiveJob]]) -> LiveCost:
        """From steps of jobs (the jobs of a step are sent together)."""
        return cls([list(step) for step in steps])

    @property
    def jobs(self) -> list[LiveJob]:
        """Every job, in order."""
        return [job for step in self.steps for job in step]

    @property
    def sent(self) -> list[LiveJob]:
        """The jobs a provider would take (a retired row's are refused)."""
        return [job for job in self.jobs if not MODELS[job.key].retired]

    def _total(self, unit: str) -> Decimal:
        total = Decimal(0)
        for job in self.sent:
            found = MODELS[job.key].published(job.seconds, job.tier)
            if found is not None and found[1] == unit:
                total += Decimal(str(found[0])) * job.videos
        return total

    @property
    def usd(self) -> Decimal:
        """The published USD of the jobs that have a USD price."""
        return self._total("USD")

    @property
    def credits(self) -> Decimal:
        """The published Leonardo API credits of the jobs priced in credits."""
        return self._total("CREDITS")

    @property
    def unpriced(self) -> Counter[str]:
        """How many jobs of each row (by name) have no published price."""
        return Counter(_name(job.key) for job in self.sent
                       if MODELS[job.key].published(job.seconds) is None)

    @property
    def refused(self) -> Counter[str]:
        """How many jobs of each retired row would be refused (no job is made)."""
        return Counter(_name(job.key) for job in self.jobs if MODELS[job.key].retired)

    @property
    def minutes(self) -> tuple[int, int]:
        """The typical wait, low and high, in whole minutes (the steps one after another)."""
        low = high = 0.0
        for step in self.steps:
            waits = [job.wait() for job in step if not MODELS[job.key].retired]
            if waits:
                low += max(w[0] for w in waits)
                high += max(w[1] for w in waits)
        return math.floor(low / 60), math.ceil(high / 60)

    def __str__(self) -> str:
        count = len(self.jobs)
        money = [f"${self.usd:.2f} at published third-party prices (unofficial)"] \
            if self.usd else []
        money += [f"{self.credits.normalize():f} Leonardo API credits (Leonardo's published "
                  "price)"] if self.credits else []
        parts = [" and ".join(money)] if money else []
        unpriced = self.unpriced
        if unpriced:
            total = sum(unpriced.values())
            rows = ", ".join(f"{name}: {n}" for name, n in unpriced.items())
            which = (f"plus {total} whose price is not published" if money else
                     "no published price" if total == count else
                     f"{total} with no published price")
            parts.append(f"{which} ({rows}; the provider reports it after each job)")
        refused = self.refused
        if refused:
            parts.append(f"{sum(refused.values())} refused ({', '.join(refused)}: retired, "
                         "so no job is made)")
        low, high = self.minutes
        wait = f"about {low}-{high} min of waiting" if high else "no waiting"
        if not count:
            return "no jobs: nothing is billed, no waiting"
        return f"{count} job{'s' if count != 1 else ''}: {', '.join(parts)}; {wait}"

    @property
    def banner(self) -> str:
        """The line a tutorial opens with (Markdown): what running it live costs and takes."""
        text = str(self).replace("$", "\\$")  # a bare $ starts LaTeX in Jupyter's Markdown
        return f"> **Running it live:** {text}. In the sandbox (no API key) it is free."

    def _text_view(self) -> str:
        return f"live: {self}"

    def _html_view(self) -> str:
        return f"<p class='kling-nb-live-cost'><b>Live:</b> {esc(str(self))}</p>"


def _name(key: str) -> str:
    row = MODELS[key]
    twins = [k for k, r in MODELS.items() if r.name == row.name and k != key]
    return f"{row.name} ({row.provider_name})" if twins else row.name


def live_cost(*steps: Spec | Sequence[Spec] | Any) -> LiveCost:
    """What sending these specs live would cost (published prices) and take: each argument a
    spec, or specs sent together (a list, or anything with ``.specs``, such as a sweep)."""
    found: list[list[LiveJob]] = []
    for step in steps:
        specs = getattr(step, "specs", step)
        group = [specs] if isinstance(specs, Spec) else list(specs)
        for spec in group:
            if not isinstance(spec, Spec):
                msg = f"live_cost: {spec!r} is not a spec (give specs, lists of specs or a sweep)"
                raise TypeError(msg)
        found.append([LiveJob.of(spec) for spec in group])
    return LiveCost(found)
