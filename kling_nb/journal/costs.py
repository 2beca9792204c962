"""Reported costs grouped by day, model or sweep (``CostTable``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kling_nb.core.html import esc
from kling_nb.specs.results import Cost

from .history import pandas


@dataclass
class CostRow:
    """What a group of jobs cost, as the APIs reported it."""

    key: str
    jobs: int = 0
    usd: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)
    unpriced: int = 0
    """Jobs in the group whose cost no API reported."""

    def add(self, cost: Cost | None) -> None:
        """Count one job and its cost."""
        self.jobs += 1
        if cost is None:
            self.unpriced += 1
        elif cost.unit == "USD":
            self.usd += cost.amount
        else:
            self.credits += cost.amount


@dataclass
class CostTable:
    """Costs grouped by day, model or sweep, with a total row."""

    by: str
    rows: list[CostRow] = field(default_factory=list)

    @property
    def total(self) -> CostRow:
        """Every group together."""
        total = CostRow("total")
        for row in self.rows:
            total.jobs += row.jobs
            total.usd += row.usd
            total.credits += row.credits
            total.unpriced += row.unpriced
        return total

    def __getitem__(self, key: str) -> CostRow:
        return next(r for r in self.rows if r.key == key)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per group (needs pandas installed)."""
        return pandas().DataFrame([{self.by: r.key, "jobs": r.jobs, "usd": float(r.usd),
                              "credits": float(r.credits), "unpriced": r.unpriced}
                             for r in self.rows])

    def __str__(self) -> str:
        lines = [f"{self.by:<24} {'jobs':>5} {'USD':>10} {'credits':>10} {'unpriced':>8}"]
        for row in [*self.rows, self.total]:
            lines.append(f"{row.key:<24} {row.jobs:>5} {row.usd:>10.2f} "
                         f"{row.credits.normalize():>10f} {row.unpriced:>8}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        head = "".join(f"<th>{h}</th>" for h in (self.by, "jobs", "USD", "credits", "unpriced"))
        body = "".join(
            f"<tr><td>{esc(r.key)}</td><td>{r.jobs}</td><td>{esc(f'${r.usd:.2f}')}</td>"
            f"<td>{r.credits.normalize():f}</td><td>{r.unpriced}</td></tr>"
            for r in [*self.rows, self.total])
        return {"text/plain": str(self),
                "text/html": f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"}
