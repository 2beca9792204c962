"""The earlier videos a form offers to build on (a start frame, a video to edit): this
session's, then the journal's most recent, narrowed by a filter box - never the whole journal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from kling_nb.specs.results import Result

from .background import Debouncer

RECENT = 8
"""How many of the journal's newest finished videos are offered besides this session's."""
SEARCHED = 200
"""How far back in the journal a filter looks (newest first)."""


def candidates(results: Iterable[Any] | None, journal: Any, text: str = "",
               recent: int = RECENT, by_url: bool = False) -> list[Result]:
    """This session's results (``results``), then the journal's ``recent`` newest finished
    videos; only those with an asset id (nothing else can be built on), or with ``by_url``
    those with a video URL (a motion reference is sent by its URL). ``text`` narrows
    both to the videos whose prompt, model or job id contains it, and then looks further back
    in the journal (up to ``SEARCHED`` jobs)."""
    wanted = text.strip().lower()
    found = [r for r in map(_result_of, list(results or [])) if r is not None]
    earlier = _history(journal, SEARCHED if wanted else recent)
    if wanted:
        found = [r for r in found if _matches(r, wanted)]
        earlier = [r for r in earlier if _matches(r, wanted)][:recent]
    seen: set[str] = set()
    unique = []
    for result in [*found, *earlier]:
        if result.job_id not in seen and (result.video_url if by_url else result.asset_id):
            seen.add(result.job_id)
            unique.append(result)
    return unique


def _result_of(item: Any) -> Result | None:
    result = item if isinstance(item, Result) else getattr(item, "result", None)
    return result if isinstance(result, Result) else None


def _history(journal: Any, limit: int) -> list[Result]:
    """The journal's newest finished videos (duck-typed: any object with ``history``)."""
    if journal is None or not hasattr(journal, "history"):
        return []
    try:
        records = list(journal.history(status="complete", limit=limit))
    except Exception:  # a journal that cannot answer just offers nothing
        return []
    return [r for r in map(_result_of, records) if r is not None]


def _matches(result: Result, text: str) -> bool:
    return any(text in (value or "").lower()
               for value in (result.prompt, result.model, result.job_id))


def label(result: Result) -> str:
    """``3f2a9c1e a fox in fresh snow [sandbox]``: short id, prompt, and the sandbox mark."""
    prompt = (result.prompt or "").strip().replace("\n", " ")
    short = prompt if len(prompt) <= 40 else prompt[:37] + "..."
    mark = " [sandbox]" if result.sandbox else ""
    return f"{result.job_id[:8]} {short}{mark}"


class Choices:
    """Keeps a dropdown (``pick``) offering the candidates, narrowed by a filter box
    (``filter``) as the user types; the chosen result stays chosen while it still matches."""

    def __init__(self, pick: w.Dropdown, empty: str, *, by_url: bool = False) -> None:
        self.pick = pick
        self.empty = empty
        self.by_url = by_url
        self.filter = w.Text(placeholder="filter: prompt, model or id", continuous_update=True,
                             layout=w.Layout(width="200px"))
        self.filter.add_class("kling-nb-pick-filter")
        self.results: Any = None
        self.journal: Any = None
        self.typing = Debouncer(0.25, self.refresh)  # the journal is read once typing pauses
        self.filter.observe(lambda _change: self.typing(), "value")

    def set(self, results: Any, journal: Any) -> None:
        """Offer from these results and this journal."""
        self.results, self.journal = results, journal
        self.refresh()

    def refresh(self) -> None:
        """Offer this session's and the recent videos that match the filter."""
        options: list[tuple[str, Any]] = [(self.empty, None)] + [
            (label(r), r) for r in candidates(self.results, self.journal, self.filter.value,
                                              by_url=self.by_url)]
        current = self.pick.value
        self.pick.options = options
        if any(current is value for _, value in options):
            self.pick.value = current
