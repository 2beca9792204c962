"""Which prompts, seeds, models, durations and modes score best: the journal's ratings as a
leaderboard, with the cost of each kept video (rated ``KEPT`` or more).

Sandbox jobs are ranked apart from live ones, and their costs never enter a live cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kling_nb.core.compare import apart
from kling_nb.core.html import SANDBOX_TAG, escape, short
from kling_nb.media.metrics import BUILTIN, CHECKS

if TYPE_CHECKING:
    from .entries import Entry

KEPT = 4
"""A video rated this many stars or more is one you keep."""
BY = ("prompt", "seed", "model", "duration", "mode")
"""What a leaderboard is usually grouped by; any spec field name works too."""
_COLUMNS = ("jobs", "rated", "mean", "kept", "cost/kept")
METRICS = ("motion", "sharpness")
"""The video metrics a leaderboard shows by default (their mean per group), with your
scorers' numbers and how many videos were flagged, once any video was measured."""


def group_value(entry: Entry, name: str) -> Any:
    """What ``entry`` has for ``name``: a journal column, else the spec's (derived) field."""
    if name in ("prompt", "seed", "model", "duration", "provider", "sweep_id", "status"):
        return getattr(entry, name)
    value = (entry.spec_data or {}).get(name)
    if value is None and entry.spec_data is not None:
        value = getattr(entry.spec, name, None)
    return value


@dataclass
class Standing:
    """One group of jobs: their ratings, how many were kept, what they cost."""

    key: tuple[Any, ...]
    sandbox: bool = False
    jobs: int = 0
    ratings: list[int] = field(default_factory=list)
    usd: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)
    unpriced: int = 0
    """Jobs whose cost no API reported (not in the cost per kept video)."""
    measures: dict[str, list[float]] = field(default_factory=dict)
    """Each metric's values over the group's measured videos."""
    measured: int = 0
    flagged: int = 0
    """Measured videos with something worth a look (``Metrics.flags``)."""

    def add(self, entry: Entry) -> None:
        """Count one job: its rating, its reported cost and its video's metrics."""
        self.jobs += 1
        metrics = entry.metrics
        if metrics is not None:
            self.measured += 1
            self.flagged += bool(metrics.flags)
            for name, value in metrics.to_dict().items():
                if value is not None:
                    self.measures.setdefault(name, []).append(float(value))
        if entry.rating is not None:
            self.ratings.append(entry.rating)
        if entry.cost is None:
            self.unpriced += 1
        elif entry.cost.unit == "USD":
            self.usd += entry.cost.amount
        else:
            self.credits += entry.cost.amount

    @property
    def rated(self) -> int:
        """How many of the jobs were rated."""
        return len(self.ratings)

    @property
    def mean(self) -> float | None:
        """The mean rating, None when nothing was rated."""
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def kept(self) -> int:
        """How many were rated ``KEPT`` stars or more."""
        return sum(1 for r in self.ratings if r >= KEPT)

    @property
    def usd_per_kept(self) -> Decimal | None:
        """Reported USD spent in the group per kept video (None for sandbox or no keeper)."""
        return None if self.sandbox or not self.kept or not self.usd else self.usd / self.kept

    @property
    def credits_per_kept(self) -> Decimal | None:
        """Reported credits spent in the group per kept video (None as for USD)."""
        if self.sandbox or not self.kept or not self.credits:
            return None
        return self.credits / self.kept

    @property
    def label(self) -> str:
        """The group's values as short text."""
        return " · ".join("(none)" if v is None else short(str(v), 60) for v in self.key)

    def cost_text(self) -> str:
        """The cost per kept video as text ('' when there is none to give)."""
        if self.sandbox:
            return "not billed"
        parts = [f"${self.usd_per_kept:.2f}" if self.usd_per_kept is not None else "",
                 f"{self.credits_per_kept:.1f} credits" if self.credits_per_kept else ""]
        text = " + ".join(p for p in parts if p)
        if not text and (self.usd or self.credits):
            text = "no keeper yet"
        return text + (f" ({self.unpriced} unpriced)" if text and self.unpriced else "")

    def cells(self) -> tuple[str, ...]:
        """The row's figures as text, in ``_COLUMNS`` order."""
        mean = f"{self.mean:.2f}" if self.mean is not None else "-"
        return (str(self.jobs), str(self.rated), mean, str(self.kept), self.cost_text() or "-")

    def metric(self, name: str) -> float | None:
        """The mean of a metric over the group's measured videos (None when none has it)."""
        values = self.measures.get(name)
        return sum(values) / len(values) if values else None

    def metric_cells(self, names: Sequence[str]) -> tuple[str, ...]:
        """The metrics' means as text, then ``flagged/measured``."""
        means = tuple(_figure(self.metric(n)) for n in names)
        return (*means, f"{self.flagged}/{self.measured}" if self.measured else "-")


def _figure(value: float | None) -> str:
    """A mean as short text: ``1934``, ``12.3``, ``0.42``; ``-`` when there is none."""
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _rank(row: Standing) -> tuple[Any, ...]:
    return (row.mean is None, -(row.mean or 0.0), -row.kept, -row.rated, row.label)


@dataclass
class Leaderboard:
    """Groups of jobs ranked by mean rating; live and sandbox jobs apart."""

    by: tuple[str, ...]
    live: list[Standing] = field(default_factory=list)
    sandbox: list[Standing] = field(default_factory=list)
    note: str = ""
    """Said under the table (for example why there is no plot)."""
    metrics: tuple[str, ...] = ()
    """The video metrics shown per group (their mean), then ``flagged``; none when no video
    in the board was measured."""

    @classmethod
    def of(cls, entries: Iterable[Entry], by: str | Sequence[str],
           metrics: Sequence[str] | None = None) -> Leaderboard:
        """Group the entries that started a job by the ``by`` values, and rank the groups.

        ``metrics``: the video metrics to show the mean of (default ``METRICS`` and your
        scorers' numbers, where measured; ``()`` for none)."""
        names = (by,) if isinstance(by, str) else tuple(by)
        if not names:
            msg = f"by: name at least one of {', '.join(BY)} (or a spec field)"
            raise ValueError(msg)
        groups: dict[tuple[Any, ...], Standing] = {}
        for entry in entries:
            if entry.job_id is None:
                continue
            key = (entry.sandbox, *(_hashable(group_value(entry, n)) for n in names))
            groups.setdefault(key, Standing(key[1:], entry.sandbox)).add(entry)
        rows = sorted(groups.values(), key=_rank)
        return cls(names, [r for r in rows if not r.sandbox], [r for r in rows if r.sandbox],
                   metrics=_shown(rows, metrics))

    @property
    def rows(self) -> list[Standing]:
        """Every group: live ones first."""
        return [*self.live, *self.sandbox]

    def row(self, *values: Any, sandbox: bool = False) -> Standing:
        """The group with these values."""
        return next(r for r in (self.sandbox if sandbox else self.live) if r.key == values)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def metric_columns(self) -> tuple[str, ...]:
        """The metric columns' headings (none when no video was measured)."""
        return (*self.metrics, "flagged") if self.metrics else ()

    def labels(self) -> dict[int, str]:
        """Each row's label (by ``id``), long values cut where they differ from the others'
        (``apart``: prompt variants that start alike stay told apart)."""
        texts = [["(none)" if v is None else str(v) for v in row.key] for row in self.rows]
        columns = [apart([t[i] for t in texts], 60) for i in range(len(self.by))]
        return {id(row): " · ".join(columns[i][v] for i, v in enumerate(t))
                for row, t in zip(self.rows, texts, strict=True)}

    def __str__(self) -> str:
        title = " · ".join(self.by)
        labels = self.labels()
        width = max([len(title), *(len(label) for label in labels.values())])
        costs = max([9, *(len(r.cost_text() or "-") for r in self.rows)])
        extra = self.metric_columns
        heads = "".join(f" {h:>9}" for h in extra)
        lines = [f"{title:<{width}} {'jobs':>5} {'rated':>5} {'mean':>5} {'kept':>5}  "
                 f"{'cost/kept':<{costs}}{heads}".rstrip()]
        for heading, rows in (("", self.live), (_SANDBOX_TEXT, self.sandbox)):
            if heading and rows:
                lines.append(heading)
            for row in rows:
                jobs, rated, mean, kept, cost = row.cells()
                measured = "".join(f" {c:>9}" for c in row.metric_cells(self.metrics)) \
                    if extra else ""
                lines.append(f"{labels[id(row)]:<{width}} {jobs:>5} {rated:>5} {mean:>5} {kept:>5}"
                             f"  {cost:<{costs}}{measured}".rstrip())
        if not self.rows:
            lines.append("(no jobs)")
        return "\n".join([*lines, *([self.note] if self.note else [])])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": str(self), "text/html": self.html()}

    def html(self) -> str:
        """The leaderboard as an HTML table."""
        head = "".join(f"<th>{escape(h)}</th>" for h in (" · ".join(self.by), *_COLUMNS,
                                                            *self.metric_columns))
        labels = self.labels()
        body = "".join(_html_row(r, labels[id(r)], self.metrics) for r in self.live)
        if self.sandbox:
            span = len(_COLUMNS) + len(self.metric_columns) + 1
            body += (f"<tr><td colspan='{span}'>{SANDBOX_TAG} "
                     "offline emulator: ranked apart, never in live costs</td></tr>")
            body += "".join(_html_row(r, labels[id(r)], self.metrics) for r in self.sandbox)
        note = f"<p><i>{escape(self.note)}</i></p>" if self.note else ""
        return (f"<table class='kling-nb-leaderboard'><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>{note}")


_BUILT_IN = frozenset((*BUILTIN, *CHECKS))
_SANDBOX_TEXT = "SANDBOX (offline emulator: ranked apart, never in live costs)"


def _html_row(row: Standing, label: str, metrics: Sequence[str] = ()) -> str:
    extra = row.metric_cells(metrics) if metrics else ()
    cells = (escape(label), *(escape(c) for c in (*row.cells(), *extra)))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _shown(rows: Sequence[Standing], wanted: Sequence[str] | None) -> tuple[str, ...]:
    """The metrics to show: those asked for (default ``METRICS`` and every scorer's) that
    some group has values of; none when no video was measured."""
    have: dict[str, None] = {}
    for row in rows:
        have.update(dict.fromkeys(row.measures))
    if not any(row.measured for row in rows):
        return ()
    if wanted is None:
        scored = [n for n in have if n not in _BUILT_IN]
        wanted = (*METRICS, *scored)
    return tuple(n for n in wanted if n in have)


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return repr(value)
    return value
