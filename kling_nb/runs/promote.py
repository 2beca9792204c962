"""Draft, then final: the best results of a cheap draft run re-rendered on another row.

``results.promote(top=3, to=kn.Kling30, by="rating", max_cost_usd=10)`` (or
``kn.promote(journal.history(...), ...)``) picks the best drafts - by rating, any metric or
scorer, ``{job id: score}``, a function of an entry, or an order you give - and builds each
one's final: the same prompt, seed and frames where the target row takes them, the target's
settings on top, and whatever the row does not take dropped and said. The result is a
``Promotion``: a sweep, so ``plan()`` estimates the cost before anything is sent, the budget
is held (a plan over it is refused, nothing sent), and a kill in the middle loses nothing
(``journal.resume(client, sweep=promotion.id)`` sends only what was never sent). Each final
is linked to its draft in the journal (``entry.draft_of``); its results show each draft
beside its final.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kling_nb.journal.entries import LOST, Entry
from kling_nb.journal.factors import outcome_of
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.journal.ranking import Ranking
from kling_nb.journal.reconcile import RESENDABLE
from kling_nb.specs.results import Result

from .carry import Target, carry, target_of
from .plan import SweepPlan
from .promoted import PromotionPlan, PromotionResults
from .results import SweepResults
from .sweep import Sweep

if TYPE_CHECKING:
    from kling_nb.client.client import Client

Best = str | Callable[[Entry], Any] | Mapping[str, Any] | Ranking | Sequence[Any]
"""``"rating"``, ``"blind_score"``, a metric or scorer name, ``{job id: score}``, ``f(entry)``
(highest first), a blind ranking (each draft takes its group's score: ``ranking(by="prompt")``
promotes the winning prompt), or the drafts themselves in the order you want them (job ids,
handles, entries, results)."""


NOTHING_MADE = frozenset(RESENDABLE) - {LOST}
"""A final in these states made no video to keep (refused, failed, never created)."""


class Promotion(Sweep):
    """Finals of the best drafts on another row: a sweep that knows each job's draft."""

    def __init__(self, *, specs: Sequence[Any], drafts: Sequence[Entry] = (),
                 dropped: Sequence[Sequence[str]] = (), pool: Sequence[Entry] = (),
                 ranked_by: str = "", already: Sequence[tuple[Entry, Entry]] = (),
                 **options: Any) -> None:
        super().__init__(specs=specs, **options)
        self.draft_entries: list[Entry | None] = list(drafts)
        self.drafts = [e.handle for e in drafts] if drafts else None
        self.dropped: list[list[str]] = [list(d) for d in dropped]
        """What each final could not take from its draft, and why."""
        self.pool: list[Entry] = list(pool)
        """Every draft the best were picked from (for the saving)."""
        self.ranked_by = ranked_by
        self.already = list(already)
        """The chosen drafts left out: each already has a final on the row (draft, final)."""

    @classmethod
    def load(cls, journal: Journal, sweep_id: str) -> Promotion:
        """A promotion recorded in the journal, to resume it or show drafts beside finals."""
        promotion = super().load(journal, sweep_id)
        assert isinstance(promotion, Promotion)
        promotion.journal = journal
        promotion.draft_entries = [_entry(journal, h) for h in promotion.drafts or []]
        promotion.items = promotion.plan(journal).items
        for index, entry in journal.sweep_entries(sweep_id).items():
            if 0 <= index < len(promotion.items):  # as the journal has it (run() adopts it)
                item = promotion.items[index]
                item.state, item.result, item.note = entry.status, entry.result, entry.error
        return promotion

    def plan(self, journal: Journal | None = None, client: Client | None = None
             ) -> PromotionPlan:
        """The finals and their estimated cost before anything is sent, the drafts they come
        from, what was dropped, and what running every draft on the final row would cost."""
        plain: SweepPlan = super().plan(journal, client)
        return PromotionPlan(plain.sweep_id, plain.items, plain.max_jobs, plain.max_cost_usd,
                             drafts=list(self.draft_entries), dropped=self.dropped,
                             pool=self.pool, ranked_by=self.ranked_by, already=self.already)

    @property
    def results(self) -> PromotionResults:
        """Each final beside its draft."""
        return PromotionResults(self.items, halted=self.halted, sweep_id=self.id,
                                journal=self.journal, drafts=self.draft_entries,
                                priced=self.priced)

    def run(self, client: Client, **options: Any) -> PromotionResults:
        """Run the finals (see ``Sweep.run``): within the budget, resumable, each linked to
        its draft; returns each final beside its draft."""
        super().run(client, **options)
        return self.results

    async def run_async(self, client: Client, **options: Any) -> PromotionResults:
        """``run`` on the event loop."""
        await super().run_async(client, **options)
        return self.results


def _entry(journal: Journal, handle: str | None) -> Entry | None:
    if handle is None:
        return None
    try:
        return journal.entry(handle)
    except KeyError:
        return None


def promote(selection: SweepResults | Sequence[Any], *, to: Target, top: int = 3,
            by: Best = "rating", journal: Journal | None = None,
            max_cost_usd: float | str | Decimal | None = None,
            concurrency: int | None = None, name: str | None = None,
            again: bool = False) -> Promotion:
    """The ``top`` best finished drafts of ``selection`` (a sweep's results, a history, or
    job ids / results with ``journal``), each to be re-rendered on ``to``.

    Nothing is sent: ``promotion.plan(journal, client)`` shows the cost first and
    ``promotion.run(client)`` runs it, never past ``max_cost_usd``. A chosen draft that
    already has a final on that row (run the cell again, and this is what it meets) is left
    out and named in the plan, not paid for twice; ``again=True`` renders it once more.
    The drafts are all sandbox or all live: their ratings and prices are not comparable.
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        msg = f"top: {top!r} is not a whole number of at least 1"
        raise ValueError(msg)
    found = _entries(selection, journal)
    pool = [e for e in found if e.status == "complete" and e.job_id]
    if len({e.sandbox for e in pool}) > 1:
        msg = ("the drafts mix sandbox and live jobs, whose ratings, scores and prices do not "
               "compare: choose from one kind, e.g. journal.history(sandbox=False) for the "
               "live drafts")
        raise ValueError(msg)
    if isinstance(by, str):  # "blind_score": the verdicts are read from the drafts' journal
        by = History(pool, journal=found.journal).outcome(by)
    label, chosen = _best(pool, by, top)
    row, settings = target_of(to)
    already = [] if again else _promoted(found.journal, chosen, row.key)
    done = {draft.handle for draft, _ in already}
    chosen = [draft for draft in chosen if draft.handle not in done]
    finals, dropped = [], []
    for draft in chosen:
        spec, lost = carry(draft.to_spec(), row, settings)
        finals.append(spec)
        dropped.append(lost)
    if not finals and already:
        made = "; ".join(f"draft {d.short} -> final {f.job_id or f.short} ({f.status})"
                         for d, f in already)
        msg = (f"every chosen draft already has a final on {row.key}: {made}. Nothing is sent "
               "again; see them with journal.history(model=...), or pass again=True to render "
               "them once more (paid again)")
        raise ValueError(msg)
    if not finals:
        msg = f"no finished draft to promote (of {len(pool)} finished, none has a {label})"
        raise ValueError(msg)
    return Promotion(specs=finals, drafts=chosen, dropped=dropped, pool=pool, ranked_by=label,
                     already=already, max_jobs=len(finals), max_cost_usd=max_cost_usd,
                     concurrency=concurrency, name=name or f"promoted to {row.key}")


def _promoted(journal: Journal | None, drafts: Sequence[Entry], model: str
              ) -> list[tuple[Entry, Entry]]:
    """(draft, its final) for each draft already re-rendered on ``model``: a final that was
    made, is being made or may have been made (a create whose answer was lost) counts."""
    if journal is None or not drafts:
        return []
    finals = {f.draft_of: f for f in journal.finals_of([d.handle for d in drafts], model)
              if f.status not in NOTHING_MADE}
    return [(d, finals[d.handle]) for d in drafts if d.handle in finals]


def _entries(selection: SweepResults | Sequence[Any], journal: Journal | None) -> History:
    """The selection's journal entries, with the journal they came from."""
    if isinstance(selection, SweepResults):
        return selection.history()
    found = History(journal=journal or getattr(selection, "journal", None))
    for item in selection:
        if isinstance(item, Entry):
            found.append(item)
            continue
        ident = _ident(item)
        if journal is None:
            msg = (f"cannot look up {ident!r} without a journal: pass journal=, or give "
                   "journal entries (journal.history(...))")
            raise LookupError(msg)
        found.append(journal.entry(ident))
    return found


def _ident(item: Any) -> str:
    if isinstance(item, str):
        return item
    result = item if isinstance(item, Result) else getattr(item, "result", None)
    if isinstance(result, Result):
        return result.job_id
    job_id = getattr(item, "job_id", None)
    if isinstance(job_id, str):
        return job_id
    msg = f"by/selection: {item!r} names no job (give job ids, handles, entries or results)"
    raise TypeError(msg)


def _best(pool: list[Entry], by: Best, top: int) -> tuple[str, list[Entry]]:
    """The label of the ranking and the ``top`` best entries, best first."""
    if isinstance(by, Sequence) and not isinstance(by, str):
        chosen: dict[str, Entry] = {}
        for item in by:
            wanted = item.handle if isinstance(item, Entry) else _ident(item)
            found = next((e for e in pool if wanted in (e.handle, e.job_id) or (
                len(wanted) >= 4 and e.handle.startswith(wanted))), None)
            if found is None:
                msg = f"by: {wanted!r} is not a finished draft of the selection"
                raise ValueError(msg)
            chosen.setdefault(found.handle, found)
        return "the order given", list(chosen.values())[:top]
    if isinstance(by, Ranking):  # each draft takes its group's score
        label, score = f"blind ranking ({' · '.join(by.by)})", _group_score(by)
    else:
        label, score = outcome_of(by)
    scored = [(value, index, entry) for index, entry in enumerate(pool)
              if (value := score(entry)) is not None]
    scored.sort(key=lambda found: (-found[0], found[1]))
    return label, [entry for _, _, entry in scored[:top]]


def _group_score(ranking: Ranking) -> Callable[[Entry], float | None]:
    """Each entry's score in ``ranking`` (its group's), None when it was never compared."""
    scores = ranking.scores()

    def score(entry: Entry) -> float | None:
        return scores.get(entry.handle)

    return score
