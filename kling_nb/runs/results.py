"""A sweep's jobs side by side: results, failures, costs; a grid in the notebook."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kling_nb.core.compare import differing
from kling_nb.core.errors import KlingError
from kling_nb.core.html import SANDBOX_TAG, attr, esc, fresh, pretty, shown_path, thumbnail
from kling_nb.journal.factors import FactorTable, Outcome
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.specs.results import Result

from .plan import SweepItem, fields_text, varying

if TYPE_CHECKING:
    from kling_nb.journal.ranking import Ranking

    from .carry import Target
    from .promote import Best, Promotion


class SweepResults(list[SweepItem]):
    """A sweep's jobs side by side: results, failures, costs; shows as a grid.

    ``halted`` says why the sweep stopped sending new jobs (and how to resolve it), if it did.
    """

    def __init__(self, items: Sequence[SweepItem] = (), *, halted: str | None = None,
                 sweep_id: str | None = None, journal: Journal | None = None,
                 priced: Sequence[str] = ()) -> None:
        super().__init__(items)
        self.halted = halted
        self.sweep_id, self.journal = sweep_id, journal
        self.priced = list(priced)
        """How jobs with no published price were priced (from the provider's reports)."""

    def history(self) -> History:
        """The sweep's jobs as the journal knows them (ratings, metrics, notes), in order."""
        if self.journal is None or self.sweep_id is None:
            msg = ("these results have no journal: run the sweep with a client that keeps one "
                   "(kn.Client() does), or use journal.history(sweep=sweep.id)")
            raise LookupError(msg)
        found = self.journal.sweep_entries(self.sweep_id)
        return History((found[i.index] for i in self if i.index in found),
                       journal=self.journal)

    def factors(self, outcome: Outcome = "rating", **options: Any) -> FactorTable:
        """What each choice of the sweep does for ``outcome`` (the star rating, a metric or
        scorer name, ``{job id: score}`` or a function of an entry): the mean per level with
        its interval and the share of the variation each factor explains, ranked
        (``History.factors``)."""
        return self.history().factors(outcome, **options)

    def promote(self, *, to: Target, top: int = 3, by: Best = "rating",
                max_cost_usd: float | str | Decimal | None = None, **options: Any) -> Promotion:
        """The ``top`` best of these drafts (by ``rating``, ``blind_score``, a metric or scorer,
        ``{job id: score}``, a function, a blind ranking - ``self.ranking(by="prompt")``
        promotes the winning prompt's drafts - or an order you give) to re-render on ``to``
        (a spec class, a model key, ``{"model": ..., settings}`` or a spec): same prompt, seed
        and frames where that row takes them. Nothing is sent: ``.plan(journal, client)``
        estimates it, ``.run(client)`` runs it within ``max_cost_usd``, each final linked to
        its draft."""
        from .promote import promote

        return promote(self, to=to, top=top, by=by, max_cost_usd=max_cost_usd, **options)

    @property
    def results(self) -> list[Result]:
        """The finished videos, in sweep order."""
        return [i.result for i in self if i.result is not None]

    @property
    def errors(self) -> list[tuple[str, KlingError]]:
        """Each job that did not give a video: its id (or ``#index``) and error."""
        return [(i.job_id or f"#{i.index}", i.error) for i in self if i.error is not None]

    @property
    def total_cost(self) -> Decimal:
        """Reported USD spent on the sweep's live jobs (sandbox prices are never spent)."""
        return _usd(i for i in self if not i.sandbox)

    @property
    def sandbox_prices(self) -> Decimal:
        """The sandbox's USD prices of the sweep's sandbox jobs: never billed, never spent."""
        return _usd(i for i in self if i.sandbox)

    def ranking(self, by: str | Sequence[str] = "job", **options: Any) -> Ranking:
        """The sweep's videos (or its prompts, seeds, ... with ``by``) ranked by the blind
        verdicts between them (``kn.review(results)``); see ``History.ranking``."""
        return self.history().ranking(by, **options)

    def __str__(self) -> str:
        names = varying(self)
        money = f"${self.total_cost:.2f} reported"
        if any(i.sandbox for i in self):
            prices = f"${self.sandbox_prices:.2f} in sandbox prices, not billed"
            money = prices if all(i.sandbox for i in self if i.cost) else f"{money}; {prices}"
        lines = [f"{len(self.results)}/{len(self)} video(s), {money}"
                 + (f"; varying: {', '.join(names)}" if names else "")]
        lines += self.priced
        if self.halted:
            lines.append(f"HALTED: {self.halted}")
        for item in self:
            result = item.result
            what = (shown_path(result.path) if result.path else result.video_url) if result else (
                item.error or item.note or "")
            varied = fields_text(item.spec.field_texts(), names)
            lines.append(f"#{item.index} [{item.state}] {varied} {item.cost_text} {what}".rstrip())
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        halted = (f"<p><b>HALTED:</b> {esc(self.halted)}</p>" if self.halted else "")
        return {"text/plain": str(self), "text/html": halted + grid_html(self)}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(self, printer)


def _usd(items: Iterable[SweepItem]) -> Decimal:
    return sum((c.amount for c in (i.cost for i in items) if c and c.unit == "USD"), Decimal(0))


def grid_html(items: Sequence[SweepItem]) -> str:
    """The sweep's results as cards side by side; shared parameters once, differing per card."""
    shared, names = differing([i.spec.to_dict() for i in items])
    cards = "".join(card_html(i, names) for i in items)
    first = items[0].spec.field_texts() if items else {}
    head = (f"<p><b>same for all:</b> {esc(fields_text(first, list(shared)))}<br/>"
            f"<b>differs:</b> {esc(', '.join(names) or 'nothing')}</p>")
    return (f"<div class='kling-nb-sweep'>{head}<div style='display:flex;flex-wrap:wrap;"
            f"gap:8px'>{cards}</div></div>")


def card_html(item: SweepItem, names: Sequence[str] = ()) -> str:
    """One job's card: its video, state, cost and link, and the ``names`` fields' values."""
    result = item.result
    thumb = thumbnail(result.poster_url, result.path, 200, video_url=result.video_url,
                      ended=result.completed_at) if result else ""
    link = (f"<a href='{attr(result.video_url)}' target='_blank'>video</a>"
            if result and fresh(result.video_url, result.completed_at) else "")
    error = f"<br/><small>{esc(str(item.error)[:300])}</small>" if item.error else ""
    shown = item.spec.field_texts()
    rows = "<br/>".join(f"<b>{esc(n)}</b>: {esc(str(shown.get(n)))}" for n in names)
    mark = f" {SANDBOX_TAG}" if result is not None and result.sandbox else ""
    return (f"<div style='width:210px;border:1px solid #ccc;padding:4px'>{thumb}<br/>"
            f"#{item.index} <b>{esc(item.state)}</b> {esc(item.cost_text)} {link}"
            f"{mark}<br/>{rows}{error}</div>")
