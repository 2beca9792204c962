"""What a promotion will cost before anything is sent (``PromotionPlan``: the finals, the
drafts they come from, what was dropped, the saving against running every draft on the final
row), and its results, each final beside its draft (``PromotionResults``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kling_nb.core.html import SANDBOX_TAG, esc, short, thumbnail
from kling_nb.journal.entries import Entry
from kling_nb.specs.results import price_is_published

from .plan import SweepItem, SweepPlan
from .results import SweepResults, card_html


def _usd(entries: Sequence[Entry]) -> Decimal:
    return sum((e.cost.amount for e in entries if e.cost is not None and e.cost.unit == "USD"),
               Decimal(0))


def draft_label(entry: Entry | None) -> str:
    """``a1b2c3d4 leonardo/kling-3.0 'a fox...' seed 7, 5 stars``: two drafts of one prompt
    told apart by their seeds."""
    if entry is None:
        return "(draft not in the journal)"
    more = ", ".join([*([f"seed {entry.seed}"] if entry.seed is not None else []),
                      *([f"{entry.rating} star{'s' * (entry.rating != 1)}"] if entry.rating
                        else [])])
    return f"{entry.short} {entry.model} {short(entry.prompt, 40)!r}" + (f" {more}" if more
                                                                         else "")


@dataclass
class PromotionPlan(SweepPlan):
    """The finals' plan (jobs, estimate, budget) with the drafts they re-render, what each
    could not take from its draft, and the saving against running every draft on that row."""

    drafts: list[Entry | None] = field(default_factory=list)
    dropped: list[list[str]] = field(default_factory=list)
    pool: list[Entry] = field(default_factory=list)
    ranked_by: str = ""
    already: list[tuple[Entry, Entry]] = field(default_factory=list)

    @property
    def sandbox(self) -> bool:
        """Whether the drafts ran in the sandbox (made-up prices, never billed)."""
        return any(e.sandbox for e in self.pool) or any(
            e is not None and e.sandbox for e in self.drafts)

    @property
    def drafts_usd(self) -> Decimal:
        """What every draft the best were picked from cost, as reported (USD)."""
        return _usd(self.pool)

    @property
    def everything_usd(self) -> Decimal | None:
        """The estimate of running every draft on the final row instead (None: unpriced)."""
        if self.unpriced or not self.items or not self.pool:
            return None
        return self.estimated_usd / len(self.items) * len(self.pool)

    @property
    def saving_usd(self) -> Decimal | None:
        """``everything_usd`` minus the drafts and the finals (None: unpriced)."""
        everything = self.everything_usd
        return None if everything is None else everything - self.drafts_usd - self.estimated_usd

    def _sandbox_prices(self) -> str:
        """What the sandbox's prices are: the published figures, or made up where none is."""
        rows = {e.model for e in self.pool} | {i.spec.key for i in self.items}
        if all(price_is_published(row) for row in rows):
            return "SANDBOX prices: the published figures; not billed"
        return "SANDBOX prices, made up where no price is published; not billed"

    def lines(self) -> list[str]:
        """The drafts, what was dropped, and the saving, one line each."""
        found = [f"the best {len(self.items)} of {len(self.pool) or len(self.items)} drafts"
                 + (f" by {self.ranked_by}" if self.ranked_by else "") + ":"]
        for index, draft in enumerate(self.drafts):
            lost = self.dropped[index] if index < len(self.dropped) else []
            found.append(f"  #{index} from draft {draft_label(draft)}"
                         + (f"; dropped: {'; '.join(lost)}" if lost else ""))
        found += [f"  not sent again: draft {draft_label(draft)} already has final "
                  f"{final.job_id or final.short} ({final.status}); again=True renders it anew"
                  for draft, final in self.already]
        everything, saving = self.everything_usd, self.saving_usd
        if everything is not None and saving is not None:
            mark = f" ({self._sandbox_prices()})" if self.sandbox else ""
            verdict = (f"saving ~${saving:.2f}" if saving >= 0 else
                       f"no saving: ~${-saving:.2f} more (too few drafts to choose from)")
            found.append(f"drafts ${self.drafts_usd:.2f} reported + finals "
                         f"${self.estimated_usd:.2f} estimated, against ~${everything:.2f} "
                         f"for every draft on the final row: {verdict}{mark}")
        return found

    def __str__(self) -> str:
        head, *rest = super().__str__().splitlines()
        return "\n".join([head.replace("sweep ", "promotion ", 1), *self.lines(), *rest])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        bundle = super()._repr_mimebundle_(include, exclude)
        return {"text/plain": str(self),
                "text/html": "<div>" + "<br/>".join(esc(line) for line in self.lines())
                             + bundle["text/html"] + "</div>"}


class PromotionResults(SweepResults):
    """A promotion's finals, each beside the draft it re-rendered."""

    def __init__(self, items: Sequence[SweepItem] = (), *, drafts: Sequence[Entry | None] = (),
                 **options: Any) -> None:
        super().__init__(items, **options)
        self.drafts = list(drafts)

    @property
    def pairs(self) -> list[tuple[Entry | None, SweepItem]]:
        """(draft, final) for every final, in order."""
        return [(self.drafts[i.index] if i.index < len(self.drafts) else None, i) for i in self]

    def __str__(self) -> str:
        lines = [super().__str__().splitlines()[0]]
        for draft, item in self.pairs:
            final = item.result.path or item.result.video_url if item.result else (
                item.error or item.note or "")
            changed = "; ".join(changes(draft, item))
            lines.append(f"#{item.index} draft {draft_label(draft)}\n"
                         f"   -> final [{item.state}] {item.cost_text} {final}".rstrip()
                         + (f"\n      changed: {changed}" if changed else ""))
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        rows = "".join(
            f"<tr><td>{_draft_cell(draft)}</td><td>{card_html(item)}<small>"
            f"{'<br/>'.join(esc(c) for c in changes(draft, item))}</small></td></tr>"
            for draft, item in self.pairs)
        return {"text/plain": str(self),
                "text/html": "<table class='kling-nb-promotion'><thead><tr><th>draft</th>"
                             f"<th>final</th></tr></thead><tbody>{rows}</tbody></table>"}


def _draft_cell(draft: Entry | None) -> str:
    if draft is None:
        return esc(draft_label(None))
    result = draft.result
    thumb = thumbnail(draft.poster_url, draft.path, 200, video_url=draft.video_url,
                      ended=draft.finished_at) if result else ""
    mark = f" {SANDBOX_TAG}" if draft.sandbox else ""
    return f"{thumb}<br/>{esc(draft_label(draft))}{mark}"


def _sized(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec's fields, width and height as one ``size``."""
    found = dict(spec)
    if "width" in found and "height" in found:
        found["size"] = f"{found.pop('width')}x{found.pop('height')}"
    return found


def changes(draft: Entry | None, item: SweepItem) -> list[str]:
    """What the final changed from its draft: ``duration 3 -> 10``, ``size 1280x720 ->
    1920x1080``, a field left to the row's default (``audio True -> default``); nothing
    without a draft."""
    if draft is None:
        return []
    before, after = _sized(draft.spec_data or {}), _sized(item.spec.to_dict())
    return [f"{name} {before.get(name, 'default')} -> {after.get(name, 'default')}"
            for name in dict.fromkeys([*after, *before]) if before.get(name) != after.get(name)]
