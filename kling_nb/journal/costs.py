"""Reported costs grouped by day, model or sweep (``CostTable``); live and sandbox apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kling_nb.core.html import SANDBOX_TAG, esc
from kling_nb.specs.results import Cost

from .history import pandas

SANDBOX_LINE = ("SANDBOX jobs (offline emulator): sandbox prices, made up where no price is "
                "published; never billed, never in the total")
SANDBOX_TOTAL = "sandbox total (sandbox prices, not billed)"


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
    """Costs grouped by day, model or sweep, with a total row.

    From ``Journal.costs()``: the rows and ``total`` are live jobs only; ``sandbox`` holds the
    sandbox's jobs in a table of their own (made-up prices, never billed, never in the total).
    """

    by: str
    rows: list[CostRow] = field(default_factory=list)
    sandbox: CostTable | None = None
    """The sandbox's jobs, grouped the same way (None on a sandbox table itself)."""
    is_sandbox: bool = False

    @property
    def total(self) -> CostRow:
        """Every group of this table together (live jobs only in a live table: ``live total``
        when sandbox jobs are shown below it)."""
        live = "live total" if self.sandbox is not None and self.sandbox.rows else "total"
        total = CostRow(SANDBOX_TOTAL if self.is_sandbox else live)
        for row in self.rows:
            total.jobs += row.jobs
            total.usd += row.usd
            total.credits += row.credits
            total.unpriced += row.unpriced
        return total

    def __getitem__(self, key: str) -> CostRow:
        found = next((r for r in self.rows if r.key == key), None)
        if found is None:
            where = "sandbox" if self.is_sandbox else "live"
            msg = f"no {where} jobs for {key!r} (sandbox jobs are in table.sandbox)"
            raise KeyError(msg)
        return found

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _all(self) -> list[tuple[CostRow, bool]]:
        """(row, is it sandbox) for this table, its total, then the sandbox part if any."""
        found = [(r, self.is_sandbox) for r in [*self.rows, self.total]]
        if self.sandbox is not None and self.sandbox.rows:
            found += self.sandbox._all()
        return found

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per group (needs pandas installed); ``sandbox`` column."""
        return pandas().DataFrame([{self.by: r.key, "jobs": r.jobs, "usd": float(r.usd),
                                    "credits": float(r.credits), "unpriced": r.unpriced,
                                    "sandbox": sandbox}
                                   for r, sandbox in self._all() if "total" not in r.key])

    def __str__(self) -> str:
        rows = [(f"{r.key} [SANDBOX]" if sandbox else r.key, r, sandbox)
                for r, sandbox in self._all()]
        width = max([24, *(len(key) for key, _, _ in rows)])
        lines = [f"{self.by:<{width}} {'jobs':>5} {'USD':>10} {'credits':>10} {'unpriced':>8}"]
        for key, row, sandbox in rows:
            if sandbox and row is self._first_sandbox():
                lines.append(SANDBOX_LINE)
            lines.append(f"{key:<{width}} {row.jobs:>5} {row.usd:>10.2f} "
                         f"{row.credits.normalize():>10f} {row.unpriced:>8}")
        return "\n".join(lines)

    def _first_sandbox(self) -> CostRow | None:
        part = self if self.is_sandbox else self.sandbox
        if part is None or not part.rows:
            return None
        return part.rows[0]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        head = "".join(f"<th>{h}</th>" for h in (self.by, "jobs", "USD", "credits", "unpriced"))
        body = []
        for row, sandbox in self._all():
            if sandbox and row is self._first_sandbox():
                body.append(f"<tr><td colspan='5'>{SANDBOX_TAG} {esc(SANDBOX_LINE)}</td></tr>")
            key = esc(row.key) + (f" {SANDBOX_TAG}" if sandbox else "")
            usd = f"${row.usd:.2f}" + (" (sandbox prices)" if sandbox else "")
            body.append(f"<tr><td>{key}</td><td>{row.jobs}</td><td>{esc(usd)}"
                        f"</td><td>{row.credits.normalize():f}</td><td>{row.unpriced}</td></tr>")
        return {"text/plain": str(self),
                "text/html": f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
                             "</tbody></table>"}
