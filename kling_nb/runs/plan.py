"""What a sweep will send and what it should cost, before anything is sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from kling_nb.core.compare import differing
from kling_nb.core.errors import KlingError
from kling_nb.core.html import esc
from kling_nb.journal.journal import Journal
from kling_nb.specs.base import Spec
from kling_nb.specs.prices import tier_of
from kling_nb.specs.results import Cost, Result, cost_text

if TYPE_CHECKING:
    from kling_nb.client.jobs import Job

DEFAULT_CONCURRENCY = 10
IN_FLIGHT = ("pending", "running")
EstimateSource = Literal["history", "documented", "reported", "unknown"]
"""Where an estimate comes from: your past jobs, the documented (unofficial) price, what the
provider reported for an earlier job of the same sweep (rows with no published price), or
nowhere yet."""


class BudgetExceededError(KlingError):
    """A sweep would pass its ``max_jobs`` or ``max_cost_usd``: nothing more is sent."""


@dataclass(frozen=True)
class Estimate:
    """What one job should cost: typical and upper USD, and where the figures come from."""

    usd: Decimal | None
    upper: Decimal | None
    source: EstimateSource
    basis: str = ""
    """For a ``reported`` estimate: the rate and the jobs it comes from."""

    def __str__(self) -> str:
        if self.usd is None:
            return "price unknown"
        mark = {"history": "your past jobs", "reported": self.basis or "reported"}.get(
            self.source, "documented price")
        return f"~${self.usd:.2f} (estimate: {mark})"


def estimate(spec: Spec, journal: Journal | None, *, sandbox: bool = False) -> Estimate:
    """The estimated cost of one job: this user's past jobs, else the documented figure.

    Past jobs are live ones for a live job, sandbox ones for a sandbox job. Each of a job's
    videos (``quantity``) is billed, so the figure is per video times them.
    """
    duration = getattr(spec, "duration", None)
    quantity = Decimal(getattr(spec, "quantity", None) or 1)
    documented = (spec.estimated_usd(duration, tier_of(spec.to_dict()))
                  if duration is not None else None)
    listed = Decimal(str(documented)) * quantity if documented is not None else None
    seen = (journal.typical_usd(spec.key, duration, sandbox=sandbox) if journal is not None
            else None)
    if seen is not None:
        typical, highest = seen[0] * quantity, seen[1] * quantity
        return Estimate(typical, max(highest, listed or highest), "history")
    return Estimate(listed, listed, "documented" if listed is not None else "unknown")


@dataclass
class SweepItem:
    """One job of a sweep: its spec, state, job, result or error."""

    index: int
    spec: Spec
    estimate: Estimate
    state: str = "planned"
    """planned, pending, running, complete, failed, unknown, rejected, skipped, stopped or lost."""
    job: Job | None = None
    result: Result | None = None
    error: KlingError | None = None
    note: str | None = None

    @property
    def cost(self) -> Cost | None:
        """What the API reported this job cost."""
        if self.job is not None and self.job.cost is not None:
            return self.job.cost
        return self.result.cost if self.result is not None else None

    @property
    def committed_usd(self) -> Decimal:
        """USD this job counts against the budget: reported, else its upper estimate."""
        if self.state in ("planned", "skipped", "rejected", "not_created"):
            return Decimal(0)
        cost = self.cost
        if cost is not None and cost.unit == "USD":
            return cost.amount
        return self.estimate.upper or Decimal(0)

    @property
    def sandbox(self) -> bool:
        """Whether the job ran in the sandbox (its price is the sandbox's, never billed)."""
        ran = self.job if self.job is not None else self.result
        return bool(getattr(ran, "sandbox", False))

    @property
    def cost_text(self) -> str:
        """The job's cost as a person reads it: a sandbox price is labelled so."""
        return cost_text(self.cost, sandbox=self.sandbox, model=self.spec.key)

    @property
    def job_id(self) -> str | None:
        """The provider's job id, once known."""
        if self.job is not None:
            return self.job.id
        return self.result.job_id if self.result is not None else None


@dataclass
class SweepPlan:
    """What a sweep will send, and what it should cost, before anything is sent."""

    sweep_id: str
    items: list[SweepItem]
    max_jobs: int | None
    max_cost_usd: Decimal | None

    @property
    def jobs(self) -> int:
        """How many jobs the sweep plans."""
        return len(self.items)

    @property
    def estimated_usd(self) -> Decimal:
        """The total estimated cost of the jobs whose price is known."""
        return sum((i.estimate.usd or Decimal(0) for i in self.items), Decimal(0))

    @property
    def unpriced(self) -> int:
        """Jobs with no known price (no history, no documented figure)."""
        return sum(1 for i in self.items if i.estimate.usd is None)

    @property
    def sources(self) -> dict[str, int]:
        """How many estimates come from history, documented figures, or nowhere."""
        return dict(Counter(i.estimate.source for i in self.items))

    def problems(self, *, started: bool = False) -> list[str]:
        """Why the sweep may not start (empty when it may); a sweep already ``started``
        (resumed) is not refused on its estimate, as each job is held to the budget."""
        found = []
        if self.max_jobs is not None and self.jobs > self.max_jobs:
            found.append(f"{self.jobs} jobs planned, max_jobs is {self.max_jobs}")
        if self.max_cost_usd is not None and self.estimated_usd > self.max_cost_usd \
                and not started:
            found.append(f"estimated ${self.estimated_usd:.2f}, max_cost_usd is "
                         f"${self.max_cost_usd:.2f}")
        return found

    def pricing(self) -> list[str]:
        """How jobs with no known price are held to ``max_cost_usd`` (one of each group first,
        the rest priced from what the provider reports): empty without a cost budget."""
        from .pricing import plan_lines

        return plan_lines(self.items) if self.max_cost_usd is not None else []

    def check(self, *, started: bool = False) -> None:
        """Raise ``BudgetExceededError`` when the plan breaks its budget."""
        problems = self.problems(started=started)
        if problems:
            msg = (f"sweep {self.sweep_id} not started (nothing was sent): "
                   + "; ".join(problems))
            raise BudgetExceededError(msg)

    def __str__(self) -> str:
        sources = ", ".join(f"{n} from {s}" for s, n in sorted(self.sources.items()))
        if self.unpriced == self.jobs:
            cost = "no price known for any job: the provider reports it after each job"
        elif self.unpriced:
            cost = (f"estimated ${self.estimated_usd:.2f} for {self.jobs - self.unpriced} of "
                    f"them, {self.unpriced} with no known price (ESTIMATE: {sources})")
        else:
            cost = f"estimated ${self.estimated_usd:.2f} (ESTIMATE: {sources})"
        lines = [f"sweep {self.sweep_id}: {self.jobs} job(s), {cost}"]
        if self.max_jobs is not None or self.max_cost_usd is not None:
            lines.append(f"budget: max_jobs={self.max_jobs}, max_cost_usd={self.max_cost_usd}")
        lines += [f"budget: {line}" for line in self.pricing()]
        lines += [f"NOT STARTABLE: {p}" for p in self.problems()]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        rows = "".join(
            f"<tr><td>{i.index}</td><td>{esc(i.spec.key)}</td>"
            f"<td>{esc(fields_text(i.spec.field_texts(), varying(self.items)))}</td>"
            f"<td>{esc(str(i.estimate))}</td></tr>" for i in self.items)
        body = "<br/>".join(esc(line) for line in str(self).splitlines())
        return {"text/plain": str(self),
                "text/html": f"<div><p>{body}</p><table><thead><tr><th>#</th><th>model</th>"
                             f"<th>varies</th><th>estimate</th></tr></thead><tbody>{rows}"
                             "</tbody></table></div>"}


def committed_text(items: Sequence[SweepItem]) -> str:
    """What the jobs commit, live money and sandbox prices apart: ``$1.90 committed``,
    ``$0.75 in sandbox prices committed (not billed)``, or both."""
    live = sum((i.committed_usd for i in items if not i.sandbox), Decimal(0))
    sandbox = sum((i.committed_usd for i in items if i.sandbox), Decimal(0))
    prices = f"${sandbox:.2f} in sandbox prices"
    if sandbox and not live:
        return f"{prices} committed (not billed)"
    return f"${live:.2f} committed" + (f"; {prices} (not billed)" if sandbox else "")


def varying(items: Sequence[SweepItem]) -> list[str]:
    """The spec fields whose values differ between the items."""
    return differing([i.spec.to_dict() for i in items])[1]


def fields_text(data: Mapping[str, Any], names: Sequence[str]) -> str:
    """``name=value, ...`` for the given names."""
    return ", ".join(f"{n}={data.get(n)}" for n in names)
