"""The studio app's blind review: judge this session's (or the whole journal's) videos two at a
time, labels hidden, and see them ranked by a Bradley-Terry fit after every verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from kling_nb.core.errors import KlingError
from kling_nb.journal.entries import Entry
from kling_nb.journal.history import History
from kling_nb.journal.leaderboard import BY

from .review import Review, review, source_of

if TYPE_CHECKING:
    from .app import StudioApp

SCOPES = (("this session", "session"), ("whole journal", "journal"))
RANK_BY = ("job", *BY, "tag")
STYLE = ("<style>.kling-nb-ranking{border-collapse:collapse}"
         ".kling-nb-ranking th,.kling-nb-ranking td{border-bottom:1px solid #dee2e6;"
         "padding:2px 10px 2px 0;text-align:left}</style>")
FEW = "<i>Make two videos or more (above), then start a blind review.</i>"


class ReviewPanel(w.VBox):  # type: ignore[misc]
    """Start a blind review of the app's videos; the ranking follows every verdict."""

    def __init__(self, app: StudioApp) -> None:
        self.app = app
        self.review: Review | None = None
        self.scope = w.ToggleButtons(options=list(SCOPES), value="session",
                                     style={"button_width": "auto"})
        self.start = w.Button(description="Start a blind review", icon="balance-scale",
                              tooltip="two videos at a time, labels hidden, sides random",
                              layout=w.Layout(width="auto"))
        self.by = w.Dropdown(options=list(RANK_BY), value="job", description="rank by",
                             layout=w.Layout(width="220px"))
        self.status = w.HTML(FEW)
        self.holder = w.VBox([])
        self.table = w.HTML("")
        self.start.on_click(lambda _: self.begin())
        self.by.observe(lambda _: self.refresh(), "value")
        self.scope.observe(lambda _: self.refresh(), "value")
        super().__init__([w.HBox([self.scope, self.start]), self.status, self.holder,
                          self.by, self.table])
        self.add_class("kling-nb-app-review")
        self.start.add_class("kling-nb-review-start")
        self.table.add_class("kling-nb-app-ranking")
        self.refresh()

    def entries(self) -> list[Entry]:
        """The finished videos in scope: this session's, or every one in the journal."""
        journal = self.app.journal
        if journal is None:
            return []
        if self.scope.value == "journal":
            found = list(journal.history(status="complete"))
        else:
            found = []
            for item in self.app.items:
                try:
                    found.append(journal.entry(item.job_id))
                except (KlingError, KeyError):  # not in this journal: nothing to review
                    continue
        return [e for e in found if source_of(e) is not None]

    def begin(self) -> Review | None:
        """Start a new review of the videos in scope (None, and a note, when fewer than 2)."""
        journal = self.app.journal
        entries = self.entries()
        if journal is None:
            self.status.value = "<i>The journal is off: verdicts cannot be kept.</i>"
            return None
        if len(entries) < 2:
            self.status.value = FEW
            return None
        old, self.review = self.review, review(entries, journal=journal)
        self.review.on_vote(lambda _: self.refresh())
        self.holder.children = [self.review]
        self.status.value = ""
        if old is not None:
            old.close()
        self.refresh()
        return self.review

    def refresh(self, *_: Any) -> None:
        """Rank again: the open review's videos, else the videos in scope."""
        journal = self.app.journal
        if journal is None:
            self.table.value = "<i>The journal is off: there are no verdicts to rank.</i>"
            return
        if self.review is not None:
            ranking = self.review.ranking(self.by.value)
        else:
            ranking = History(self.entries(), journal=journal).ranking(self.by.value)
        if not any(r.comparisons for r in ranking.rows):
            self.table.value = "<i>No verdicts yet: start a blind review above.</i>"
        else:
            self.table.value = STYLE + ranking.html()
