"""What each choice does: for every factor that varied (prompt, seed, model, duration, size,
sound...), the mean outcome per level with an interval, and how much of the outcome's variation
the factor explains, ranked.

How much a factor explains is its Type II sum of squares in a main-effects linear model (the
variation it explains beyond every other factor), as a share of the total variation. On a full
grid - any sweep - this is each factor's eta-squared and the shares add up to at most 1; on an
unbalanced selection of the history it never credits a factor with what another one explains
(a factor that always changes together with another explains nothing on its own: it is named
as confounded). Chance alone gives a factor with many levels and few jobs a share (a 4-level
seed over 12 jobs "explains" about 27% of pure noise), so each share comes with a permutation
p-value (Freedman and Lane 1983: the residuals of the model without the factor are permuted
``permutations`` times and the factor's F ratio computed again): the chance that it would
explain as much, against what is left unexplained, if it did nothing.
Main effects only: an interaction (a seed that suits one prompt only) is left in the residual.

Each level's interval is the t interval of its mean (``confidence``, 95% by default). The
outcome is the star rating, any video metric or scorer number by name, a mapping of job id or
handle to a score (for example a blind-comparison ranking's), or any function of an entry.
numpy is imported when a table is computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from .entries import Entry
from .leaderboard import group_value

Outcome = str | Callable[[Entry], Any] | Mapping[str, Any]
"""``"rating"``, a metric or scorer name, ``{job id or handle: score}``, or ``f(entry)``."""
NOT_FACTORS = frozenset({"external_task_id", "webhook_url", "public"})
"""Spec fields that differ without being a choice about the video."""
PERMUTATIONS = 999


@dataclass(frozen=True)
class Level:
    """One value of a factor: how many jobs had it, their mean outcome and its interval."""

    value: Any
    n: int
    mean: float
    low: float | None
    high: float | None
    """The interval of the mean (None with a single job)."""

    @property
    def label_text(self) -> str:
        """The value as text, in full."""
        return "(none)" if self.value is None else str(self.value)

    @property
    def label(self) -> str:
        """The value as short text."""
        text = self.label_text
        return text if len(text) <= 48 else text[:47] + "…"


@dataclass(frozen=True)
class Factor:
    """One factor: its levels and how much of the outcome's variation it explains."""

    name: str
    levels: tuple[Level, ...]
    share: float
    """Its Type II sum of squares over the total: what it explains beyond the others."""
    alone: float
    """Its eta-squared on its own (one-way): what it explains, shared variation included."""
    p: float | None
    """Permutation p-value of ``share`` (None when no job is left to judge chance by)."""
    note: str = ""
    noise: float | None = None
    """What a factor with as many levels explains on average among as many jobs when nothing
    has any effect: ``(levels - 1) / (jobs - 1)``. A share near it is what chance gives."""

    @property
    def spread(self) -> float:
        """Best level mean minus worst."""
        means = [level.mean for level in self.levels]
        return max(means) - min(means)

    @property
    def best(self) -> Level:
        """The level with the highest mean outcome."""
        return max(self.levels, key=lambda level: level.mean)


@dataclass
class FactorTable:
    """Factors ranked by how much of the outcome they explain; shows as a table, plots."""

    outcome: str
    factors: list[Factor]
    jobs: int
    dropped: int = 0
    """Jobs left out because they have no value of the outcome."""
    confidence: float = 0.95
    permutations: int = PERMUTATIONS
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Factor:
        found = next((f for f in self.factors if f.name == name), None)
        if found is None:
            msg = f"no factor {name!r} varied here (factors: {', '.join(self.names)})"
            raise KeyError(msg)
        return found

    def __iter__(self) -> Any:
        return iter(self.factors)

    def __len__(self) -> int:
        return len(self.factors)

    @property
    def names(self) -> list[str]:
        """The factors, most important first."""
        return [f.name for f in self.factors]

    def to_pandas(self) -> Any:
        """One row per factor and level: share, alone, noise, p, n, mean, low, high (needs
        pandas)."""
        from .history import pandas

        return pandas().DataFrame([
            {"factor": f.name, "rank": rank, "share": f.share, "alone": f.alone,
             "noise": f.noise, "p": f.p,
             "level": level.value, "n": level.n, "mean": level.mean, "low": level.low,
             "high": level.high} for rank, f in enumerate(self.factors, 1)
            for level in f.levels])

    def plot(self, *, ax: Any = None, top: int = 6) -> Any:
        """Shares as bars and each factor's level means with their intervals (matplotlib,
        ``pip install 'kling-nb[plot]'``); the table itself when matplotlib is missing."""
        from .factorplot import plot_factors

        return plot_factors(self, ax=ax, top=top)

    def __str__(self) -> str:
        from .factorview import table_text

        return table_text(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from .factorview import table_html

        return {"text/plain": str(self), "text/html": table_html(self)}


# -- outcome and factors -------------------------------------------------------------------------
def outcome_of(outcome: Outcome) -> tuple[str, Callable[[Entry], float | None]]:
    """A label and a function from an entry to its outcome (None: not known)."""
    if isinstance(outcome, str):
        return outcome, lambda entry: _named(entry, outcome)
    if isinstance(outcome, Mapping):
        scores = dict(outcome)
        return "score", lambda entry: _number(scores.get(entry.handle,
                                                         scores.get(entry.job_id or "")))
    if callable(outcome):
        name = getattr(outcome, "__name__", "outcome")
        return ("outcome" if name == "<lambda>" else name), lambda entry: _number(outcome(entry))
    msg = f"outcome: {outcome!r} is not a name, a mapping of job ids to scores, or a function"
    raise TypeError(msg)


def _named(entry: Entry, name: str) -> float | None:
    if name == "rating":
        return _number(entry.rating)
    if name == "elapsed":
        return _number(entry.elapsed)
    if name == "cost":
        return float(entry.cost.amount) if entry.cost is not None else None
    metrics = entry.metrics
    return _number(metrics.get(name)) if metrics is not None else None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def candidates(entries: Sequence[Entry]) -> list[str]:
    """The spec fields (and the model) whose value differs between the entries; width and
    height together as ``size``."""
    names: dict[str, None] = {"model": None}
    for entry in entries:
        names.update(dict.fromkeys(entry.spec_data or {}))
    if "width" in names or "height" in names:
        names = {("size" if n in ("width", "height") else n): None for n in names}
    return [n for n in names if n not in NOT_FACTORS
            and len({_key(value_of(e, n)) for e in entries}) > 1]


def value_of(entry: Entry, name: str) -> Any:
    """The entry's value of a factor (``size`` is ``WIDTHxHEIGHT``): its journal column, else
    its spec's field."""
    data = entry.spec_data or {}
    if name == "size" and "size" not in data:
        width, height = value_of(entry, "width"), value_of(entry, "height")
        return f"{width}x{height}" if width and height else None
    value = group_value(entry, name)
    return data.get(name) if value is None else value


def _key(value: Any) -> Any:
    return repr(value) if isinstance(value, (list, dict)) else value


# -- the table -----------------------------------------------------------------------------------
def factor_table(entries: Sequence[Entry], outcome: Outcome = "rating", *,
                 factors: Sequence[str] | None = None, permutations: int = PERMUTATIONS,
                 confidence: float = 0.95, seed: int = 0) -> FactorTable:
    """The factor table of ``entries`` (see the module's docstring for the method)."""
    label, score = outcome_of(outcome)
    kept = [(e, value) for e in entries
            if e.job_id is not None and (value := score(e)) is not None]
    dropped = sum(1 for e in entries if e.job_id is not None) - len(kept)
    if len(kept) < 3:
        msg = (f"{label}: {len(kept)} job(s) have a value of it; a factor table needs at "
               "least 3 (rate more videos, or pick an outcome the jobs have)")
        raise ValueError(msg)
    chosen = [e for e, _ in kept]
    names = list(factors) if factors is not None else candidates(chosen)
    codes: dict[str, tuple[list[int], list[Any]]] = {}
    notes: list[str] = []
    for name in names:
        values = [_key(value_of(e, name)) for e in chosen]
        levels = _ordered(set(values))
        if len(levels) < 2:
            notes.append(f"{name} did not vary here")
        elif len(levels) == len(chosen) and factors is None:
            notes.append(f"{name} differs for every job: no level has two jobs to compare")
        else:
            codes[name] = ([levels.index(v) for v in values], levels)
    if len({e.sandbox for e in chosen}) > 1:
        notes.append("live and SANDBOX jobs are mixed here: select one (history(sandbox=...))")
    y = [value for _, value in kept]
    from .anova import effects

    found = effects(y, {n: c for n, (c, _) in codes.items()}, permutations, seed)
    table = [Factor(name, _levels(codes[name], y, confidence), *found[name],
                    noise=(len(codes[name][1]) - 1) / (len(kept) - 1)) for name in codes]
    table.sort(key=lambda f: (-f.share, f.p if f.p is not None else 1.0, f.name))
    return FactorTable(label, table, len(kept), dropped, confidence, permutations, notes)


def _ordered(values: set[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (v is None, str(v)))


def _levels(coded: tuple[list[int], list[Any]], y: Sequence[float],
            confidence: float) -> tuple[Level, ...]:
    codes, values = coded
    found = []
    for index, value in enumerate(values):
        group = [y[i] for i, c in enumerate(codes) if c == index]
        mean = sum(group) / len(group)
        low = high = None
        if len(group) > 1:
            sd = math.sqrt(sum((v - mean) ** 2 for v in group) / (len(group) - 1))
            half = t_quantile(0.5 + confidence / 2, len(group) - 1) * sd / math.sqrt(len(group))
            low, high = mean - half, mean + half
        found.append(Level(value, len(group), mean, low, high))
    return tuple(found)


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile (``p`` above 0.5): the exact distribution function for whole
    degrees of freedom (Abramowitz and Stegun 26.7.3-4) inverted by bisection; above 200, the
    Cornish-Fisher expansion around the normal quantile (closer than 1e-6 there)."""
    if df > 200:
        z = NormalDist().inv_cdf(p)
        return (z + (z ** 3 + z) / (4 * df)
                + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
                + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))
    target, low, high = 2 * p - 1, 0.0, 1.0
    while _within(high, df) < target:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _within(middle, df) < target else (low, middle)
    return (low + high) / 2


def _within(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with ``df`` (whole) degrees of freedom."""
    theta = math.atan(t / math.sqrt(df))
    cos2, term, total = math.cos(theta) ** 2, 1.0, 1.0
    if df % 2 == 0:
        for k in range(1, df // 2):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        return math.sin(theta) * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = math.cos(theta)
    for k in range(1, (df - 1) // 2):
        term *= cos2 * (2 * k) / (2 * k + 1)
        total += term
    return 2 / math.pi * (theta + math.sin(theta) * total)
