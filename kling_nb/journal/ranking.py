"""Rankings from blind verdicts: a Bradley-Terry fit (Davidson's ties) per group of jobs, with
bootstrap intervals and the number of comparisons behind each score.

``journal.history(...).ranking(by="prompt")`` groups the jobs by any field (``job`` - each
video on its own, the default -, ``prompt``, ``seed``, ``model``, ``duration``, ``mode``,
``tag``, ``sweep_id`` or any spec field, or several), turns every verdict between two of them
into a win, a loss or a tie between their groups (a verdict inside one group says nothing about
the groups and is only counted), and fits a score per group (log-strength, centred on 0: a
group one point above another wins about 73% of the verdicts between them that are not ties,
two points 88%). Live and sandbox verdicts are fitted apart and shown apart; ``mix=True``
fits them together, marked.
``ranking.scores()`` gives each job its score, for tables of what each choice does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from kling_nb.core.html import bundle, short

from .bradley_terry import Pairs, bootstrap, fit
from .leaderboard import group_value

if TYPE_CHECKING:
    from .entries import Entry
    from .verdicts import Verdict

LEVEL = 0.95
"""The default coverage of the bootstrap intervals."""
REPLICATES = 200
"""Bootstrap resamples per fit (seeded: the same verdicts give the same intervals)."""


def rank_value(entry: Entry, name: str) -> Any:
    """What ``entry`` has for ``name``: its handle for ``job``, its tags (sorted, joined) for
    ``tag``, else the journal column or spec field, as the leaderboard groups."""
    if name == "job":
        return entry.handle
    if name in ("tag", "tags"):
        return ", ".join(entry.tags) or None
    value = group_value(entry, name)
    return repr(value) if isinstance(value, (list, dict)) else value


COLUMNS = ("job", "tag", "tags", "prompt", "seed", "model", "duration", "provider",
           "sweep_id", "status")
"""What every job can be ranked by, whatever its row."""


def _check_names(names: Sequence[str], jobs: Sequence[Entry]) -> None:
    """Refuse a name no job has (a typo would rank every job as one group)."""
    known = set(COLUMNS)
    for entry in jobs:
        known.update(entry.spec_data or {})
        spec = entry.spec if entry.spec_data is not None and not set(names) <= known else None
        if spec is not None:  # a field the spec derives or defaults (mode, aspect_ratio...)
            known.update(type(spec).model_fields)
    unknown = [n for n in names if n not in known]
    if jobs and unknown:
        fields = sorted(known - set(COLUMNS) - {"model"})
        msg = (f"by: {', '.join(map(repr, unknown))} is not a field of these jobs; rank by "
               f"{', '.join(COLUMNS[:2] + COLUMNS[3:7])} or a spec field ({', '.join(fields)})")
        raise ValueError(msg)


@dataclass
class Standing:
    """One group: its fitted score and interval, and the verdicts behind them."""

    key: tuple[Any, ...]
    sandbox: bool
    handles: list[str] = field(default_factory=list)
    label: str = ""
    full: str = ""
    """The label with long values in full (views cut them where they differ: ``apart``)."""
    score: float | None = None
    """Log-strength, centred on 0 over the ranked groups (None: never compared)."""
    low: float | None = None
    high: float | None = None
    wins: int = 0
    ties: int = 0
    losses: int = 0

    @property
    def comparisons(self) -> int:
        """How many verdicts against another group this score rests on."""
        return self.wins + self.ties + self.losses

    def cells(self) -> tuple[str, ...]:
        """The row's figures as text: score, interval, comparisons, wins-ties-losses."""
        if self.score is None:
            return ("-", "not compared", "0", "-")
        interval = (f"[{_num(self.low)}, {_num(self.high)}]" if self.low is not None
                    and self.high is not None else "-")
        return (_num(self.score), interval,
                str(self.comparisons), f"{self.wins}-{self.ties}-{self.losses}")


def _num(value: float) -> str:
    """A score as text, signed, with no ``-0.00``."""
    return f"{(value if abs(value) >= 0.005 else 0.0):+.2f}"


@dataclass
class Fitted:
    """What one fit (live, sandbox, or both mixed) found."""

    rows: list[Standing]
    verdicts: int = 0
    within: int = 0
    """Verdicts between two videos of the same group (not in the fit)."""
    tie_nu: float | None = None
    """Davidson's tie parameter (None when there was no tie)."""
    lead: float | None = None
    """The share of the bootstrap resamples in which the first group scores above the second:
    how settled their order is (None with fewer than two groups compared, or no resamples)."""


def _label(entry: Entry, names: Sequence[str], key: tuple[Any, ...], *,
           cut: bool = True) -> str:
    parts = []
    for name, value in zip(names, key, strict=True):
        if name == "job":
            parts.append(f"{entry.short} {short(entry.prompt, 40)}".strip())
        else:
            text = "(none)" if value is None else str(value)
            parts.append(short(text, 60) if cut else text)
    return " · ".join(parts)


def fit_groups(entries: Sequence[Entry], verdicts: Iterable[Verdict], names: Sequence[str],
               *, level: float = LEVEL, replicates: int = REPLICATES,
               sandbox: bool = False) -> Fitted:
    """Group ``entries`` by ``names``, turn ``verdicts`` into group outcomes and fit."""
    groups: dict[tuple[Any, ...], Standing] = {}
    group_of: dict[str, tuple[Any, ...]] = {}
    for entry in entries:
        key = tuple(rank_value(entry, n) for n in names)
        row = groups.get(key)
        if row is None:
            row = groups[key] = Standing(key, sandbox, label=_label(entry, names, key),
                                         full=_label(entry, names, key, cut=False))
        row.sandbox = row.sandbox or entry.sandbox  # mixed: a group with sandbox jobs says so
        row.handles.append(entry.handle)
        group_of[entry.handle] = key
    outcomes: list[tuple[tuple[Any, ...], tuple[Any, ...], str]] = []
    within = 0
    for verdict in verdicts:
        if verdict.outcome == "skip":
            continue
        a, b = group_of.get(verdict.left), group_of.get(verdict.right)
        if a is None or b is None:
            continue
        if a == b:
            within += 1
            continue
        said = {"left": "a", "right": "b", "tie": "tie"}[verdict.outcome]
        outcomes.append((a, b, said))
        for mine, side in ((a, "a"), (b, "b")):
            row = groups[mine]
            if said == "tie":
                row.ties += 1
            elif said == side:
                row.wins += 1
            else:
                row.losses += 1
    ranked = [k for k, row in groups.items() if row.comparisons]
    index = {key: n for n, key in enumerate(ranked)}
    nu: float | None = None
    spread: Any = None
    if ranked:
        pairs = Pairs.of(len(ranked), [(index[a], index[b], s) for a, b, s in outcomes])
        found = fit(pairs)
        tail = (1 - level) / 2 * 100
        spread = bootstrap(pairs, found, replicates=replicates) if replicates > 0 else None
        bounds = (np.percentile(spread, [tail, 100 - tail], axis=0) if spread is not None
                  else None)
        for key, n in index.items():
            row = groups[key]
            row.score = float(found.scores[0, n])
            if bounds is not None:  # held around the score: resamples stop within 1e-4
                row.low = min(float(bounds[0][n]), row.score)
                row.high = max(float(bounds[1][n]), row.score)
        nu = float(np.exp(found.log_nu[0])) if pairs.ties else None
    rows = sorted(groups.values(), key=lambda r: (r.score is None, -(r.score or 0.0),
                                                  -r.comparisons, r.label))
    lead = None
    if spread is not None and len(ranked) >= 2:
        first, second = (index[r.key] for r in rows[:2])
        lead = float(np.mean(spread[:, first] > spread[:, second]))
    return Fitted(rows, len(outcomes), within, nu, lead)


@dataclass
class Ranking:
    """Groups of jobs ranked by a Bradley-Terry fit of blind verdicts; live and sandbox apart
    (or ``mixed``, when asked)."""

    by: tuple[str, ...]
    live: Fitted
    sandbox: Fitted
    level: float = LEVEL
    mixed: bool = False
    """Live and sandbox verdicts fitted together (``mix=True``): ``live`` holds them all."""
    note: str = ""
    """Said under the table (for example why there is no plot)."""

    @classmethod
    def of(cls, entries: Iterable[Entry], verdicts: Iterable[Verdict],
           by: str | Sequence[str] = "job", *, level: float = LEVEL,
           replicates: int = REPLICATES, mix: bool = False) -> Ranking:
        """Rank the ``entries`` that made a video (a job id) on the ``verdicts`` between them."""
        names = (by,) if isinstance(by, str) else tuple(by)
        if not names:
            msg = "by: name at least one field (job, prompt, seed, model, duration, mode, tag...)"
            raise ValueError(msg)
        if not 0 < level < 1:
            msg = f"level: {level!r} is not between 0 and 1 (0.95 is a 95% interval)"
            raise ValueError(msg)
        jobs = [e for e in entries if e.job_id is not None]
        _check_names(names, jobs)
        said = list(verdicts)
        options: dict[str, Any] = {"level": level, "replicates": replicates}
        if mix:
            return cls(names, fit_groups(jobs, said, names, **options),
                       Fitted([]), level, mixed=True)
        parts = [fit_groups([e for e in jobs if e.sandbox == mark],
                            [v for v in said if v.sandbox == mark], names, sandbox=mark,
                            **options) for mark in (False, True)]
        return cls(names, parts[0], parts[1], level)

    @property
    def rows(self) -> list[Standing]:
        """Every group: live ones first."""
        return [*self.live.rows, *self.sandbox.rows]

    def row(self, *values: Any, sandbox: bool = False) -> Standing:
        """The group with these values (``job``: the job's full handle)."""
        rows = self.live.rows if self.mixed else (self.sandbox if sandbox else self.live).rows
        return next(r for r in rows if r.key == values)

    def scores(self) -> dict[str, float]:
        """Each compared job's score (its group's, when ranked by a field), by handle."""
        return {h: r.score for r in self.rows if r.score is not None for h in r.handles}

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per group: its values, score, interval, comparisons, the mark."""
        return [{**dict(zip(self.by, r.key, strict=True)), "score": r.score, "low": r.low,
                 "high": r.high, "comparisons": r.comparisons, "wins": r.wins, "ties": r.ties,
                 "losses": r.losses, "jobs": len(r.handles), "sandbox": r.sandbox,
                 "label": r.label} for r in self.rows]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of ``to_records()`` (needs pandas installed)."""
        from .history import pandas

        return pandas().DataFrame(self.to_records())

    def plot(self, *, ax: Any = None, top: int = 20) -> Any:
        """Scores with their intervals (needs ``kling-nb[plot]``); the table without it."""
        from .rankplot import plot_ranking

        return plot_ranking(self, ax=ax, top=top)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __str__(self) -> str:
        from .rankview import ranking_text

        return ranking_text(self)

    def html(self) -> str:
        """The ranking as an HTML table."""
        from .rankview import ranking_html

        return ranking_html(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return bundle(str(self), self.html(), include, exclude)
