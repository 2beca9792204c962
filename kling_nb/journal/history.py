"""Past jobs as a notebook table (``History``), with ``to_records`` and ``to_pandas``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kling_nb.core.html import (
    SANDBOX_TAG,
    attr,
    esc,
    fresh,
    pretty,
    relative_src,
    servable,
    short,
    thumbnail,
)
from kling_nb.media.sheets import existing, sheet_img
from kling_nb.specs.results import cost_text

from .entries import Entry
from .leaderboard import Leaderboard

if TYPE_CHECKING:
    from .factors import FactorTable, Outcome
    from .ranking import Ranking

BLIND_SCORE = "blind_score"
"""The outcome named by each job's score from the blind verdicts between the jobs."""


class History(list[Entry]):
    """A list of journal entries with a notebook view and ``to_pandas()``; ``journal`` is the
    journal they came from (their blind verdicts are read from it)."""

    def __init__(self, entries: Iterable[Entry] = (), *, journal: Any = None) -> None:
        super().__init__(entries)
        self.journal = journal

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per entry (cost as float, times as datetimes); ``blind_score`` is the
        job's score from the blind verdicts between these jobs (None: never compared)."""
        records = [_record(e) for e in self]
        scores = self._blind_scores()
        for entry, record in zip(self, records, strict=True):
            record["blind_score"] = scores.get(entry.handle)
        return records

    def to_pandas(self) -> Any:
        """A pandas DataFrame of the entries (needs pandas installed)."""
        return pandas().DataFrame(self.to_records())

    def leaderboard(self, by: str | Sequence[str] = "prompt", *,
                    metrics: Sequence[str] | None = None) -> Leaderboard:
        """Which ``prompt``s, ``seed``s, ``model``s, ``duration``s or ``mode``s (or any spec
        field, or several) score best: mean rating, rated and kept (4+ stars) counts, the
        reported cost per kept video, and the mean of video ``metrics`` (default motion,
        sharpness and your scorers', with how many videos were flagged); sandbox jobs ranked
        apart."""
        return Leaderboard.of(self, by, metrics)

    def factors(self, outcome: Outcome = "rating", *, factors: Sequence[str] | None = None,
                permutations: int = 999, confidence: float = 0.95,
                seed: int = 0) -> FactorTable:
        """What each choice does: for every factor that varied (prompt, seed, model, duration,
        size, sound, ...), the mean ``outcome`` per level with its interval, and how much of
        the outcome's variation the factor explains (beyond the others), with a permutation
        p-value; ranked. ``outcome``: ``"rating"``, ``"blind_score"`` (each video's score from
        the blind verdicts between these jobs), a metric or scorer name, a mapping of job id
        (or handle) to a score, or a function of an entry. ``.plot()`` draws it."""
        from .factors import factor_table

        return factor_table(self, self.outcome(outcome), factors=factors,
                            permutations=permutations, confidence=confidence, seed=seed)

    def outcome(self, outcome: Outcome) -> Outcome:
        """``outcome`` as the factor table and promotions read it: ``"blind_score"`` becomes a
        function giving each job its score from the blind verdicts between these jobs (None
        for a job never compared); anything else is returned as it is."""
        if outcome != BLIND_SCORE:
            return outcome
        scores = self._blind_scores()

        def blind_score(entry: Entry) -> float | None:
            return scores.get(entry.handle)

        scorer: Callable[[Entry], float | None] = blind_score
        return scorer

    def ranking(self, by: str | Sequence[str] = "job", *, level: float = 0.95,
                mix: bool = False) -> Ranking:
        """Which videos (``job``), ``prompt``s, ``seed``s, ``model``s, ``duration``s, ``tag``s
        (or any spec field, or several) win blind comparisons: a Bradley-Terry fit of the
        journal's verdicts between these jobs, with ties, ``level`` bootstrap intervals and the
        comparisons behind each score; live and sandbox verdicts apart unless ``mix=True``."""
        from .ranking import Ranking

        return Ranking.of(self, self._verdicts(), by, level=level, mix=mix)

    def _verdicts(self) -> list[Any]:
        if self.journal is None:
            msg = ("these entries carry no journal to read verdicts from: rank "
                   "journal.history(...).ranking(by=...)")
            raise ValueError(msg)
        found: list[Any] = self.journal.verdicts({e.handle for e in self}, skips=False)
        return found

    def _blind_scores(self) -> dict[str, float]:
        if self.journal is None or not self:
            return {}
        verdicts = self._verdicts()
        if not verdicts:
            return {}
        from .ranking import Ranking

        return Ranking.of(self, verdicts, "job", replicates=0).scores()

    def plot(self, by: str | Sequence[str] = "prompt", *, ax: Any = None, top: int = 20) -> Any:
        """The leaderboard as a bar chart (needs ``kling-nb[plot]``, i.e. matplotlib); the
        table instead when matplotlib is not installed."""
        from .plot import plot

        return plot(self.leaderboard(by), ax=ax, top=top)

    def __str__(self) -> str:
        if not self:
            return "no jobs"
        return "\n".join(_line(e) for e in self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        measured = any(e.measures for e in self)
        rows = "".join(_html_row(e, measured) for e in self)
        head = "".join(f"<th>{h}</th>" for h in
                       ("", "prompt", "parameters", "status", "cost", "notes",
                        *(("measured",) if measured else ()), "links"))
        table = (f"<table class='kling-nb-history'><thead><tr>{head}</tr></thead>"
                 f"<tbody>{rows}</tbody></table>" if self else "<p>no jobs</p>")
        return {"text/plain": str(self), "text/html": table}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(self, printer)


def pandas() -> Any:
    """pandas, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        msg = "to_pandas() needs pandas: pip install pandas (or: pip install \"kling-nb[lab]\")"
        raise ImportError(msg) from None


def _record(entry: Entry) -> dict[str, Any]:
    return {
        "job_id": entry.job_id, "handle": entry.handle, "provider": entry.provider,
        "model": entry.model, "status": entry.status, "prompt": entry.prompt,
        "duration": entry.duration, "seed": entry.seed,
        "cost": float(entry.cost.amount) if entry.cost else None,
        "cost_unit": entry.cost.unit if entry.cost else None,
        "submitted_at": entry.submitted_at, "finished_at": entry.finished_at,
        "elapsed": entry.elapsed, "rating": entry.rating, "tags": ",".join(entry.tags),
        "note": entry.note, "sweep_id": entry.sweep_id, "video_url": entry.video_url,
        "path": str(entry.path) if entry.path else None, "sandbox": entry.sandbox,
        "draft_of": entry.draft_of, **_measured(entry),
    }


def _measured(entry: Entry) -> dict[str, Any]:
    """The video's metrics, checks and scores as columns, and its flags as one text."""
    metrics = entry.metrics
    if metrics is None:
        return {}
    return {**metrics.to_dict(), "flags": "; ".join(metrics.flags)}



def _line(entry: Entry) -> str:
    """The entry, and what its metrics flag (a mismatch with what was asked, black frames...)."""
    flags = entry.metrics.flags if entry.metrics is not None else []
    return str(entry) + (f"  ! {'; '.join(flags)}" if flags else "")


def _parameters(entry: Entry) -> str:
    spec = dict(entry.spec_data or {})
    for name in ("prompt", "model"):
        spec.pop(name, None)
    shown = ", ".join(f"{k}={v}" for k, v in spec.items() if not isinstance(v, (dict, list)))
    return f"{esc(entry.model)}<br/><small>{esc(short(shown, 200))}</small>"


def _links(entry: Entry) -> str:
    links = []
    if fresh(entry.video_url, entry.finished_at):
        links.append(f"<a href='{attr(entry.video_url or '')}' target='_blank'>video</a>")
    src = servable(entry.path)
    if src is not None:
        links.append(f"<a href='{attr(src)}' target='_blank'>file</a>")
    ident = esc(entry.job_id or entry.handle)
    return "<br/>".join([*links, f"<code>{ident}</code>"])


def _notes(entry: Entry) -> str:
    stars = "★" * (entry.rating or 0)
    tags = " ".join(f"<code>#{esc(t)}</code>" for t in entry.tags)
    note = esc(entry.note or "")
    final = f"final of draft <code>{esc(entry.draft_of[:8])}</code>" if entry.draft_of else ""
    return "<br/>".join(p for p in (stars, tags, note, final) if p)



def _sheet(entry: Entry) -> str:
    """The cached contact sheet under the thumbnail (by relative path; "" when none)."""
    sheet = existing(entry.path)
    if sheet is None or relative_src(sheet.path) is None:
        return ""
    return "<br/>" + sheet_img(sheet.path, height=48)


def _metrics_cell(entry: Entry) -> str:
    """The video's metrics in one line, and its flags (what is worth a look) below."""
    metrics = entry.metrics
    if metrics is None:
        return ""
    flags = "".join(f"<br/><small class='kn-flag'>! {esc(f)}</small>" for f in metrics.flags)
    return f"<small>{esc(metrics.summary())}</small>{flags}"


def _html_row(entry: Entry, measured: bool = False) -> str:
    status = esc(entry.status) + (f"<br/><small>{esc(short(entry.error, 160))}</small>"
                                     if entry.error else "")
    if entry.sandbox:
        status += f"<br/>{SANDBOX_TAG}"
    thumb = thumbnail(entry.poster_url, entry.path, video_url=entry.video_url,
                      ended=entry.finished_at) + _sheet(entry)
    cells = (thumb, esc(short(entry.prompt, 300)),
             _parameters(entry), status,
             esc(cost_text(entry.cost, sandbox=entry.sandbox, model=entry.model)), _notes(entry),
             *((_metrics_cell(entry),) if measured else ()), _links(entry))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
