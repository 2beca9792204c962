"""A blind review: pairs of the same videos shown in turn, each verdict kept in the journal.

``Review(journal, handles)`` holds the videos (journal handles), picks the next pair
(``pairs.next_pair``: the most informative one never judged before, in this review or an
earlier one), puts its two videos on random sides, keeps every vote in the journal
(``journal.judge``) and takes the last ones back one by one (``undo``). It knows nothing of
widgets: the notebook's ``kn.review`` shows it.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .pairs import next_pair
from .verdicts import OUTCOMES

if TYPE_CHECKING:
    from .entries import Entry
    from .journal import Journal
    from .ranking import Ranking

GOAL_PER_VIDEO = 3
"""The default goal: about this many verdicts per video (or every pair, if fewer)."""


@dataclass(frozen=True)
class Shown:
    """The pair on screen: which video is left and which right (indexes), and its round."""

    left: int
    right: int
    round: int
    shown_at: float


class ReviewSession:
    """Blind pairwise review of ``handles`` (2 or more jobs of ``journal``)."""

    def __init__(self, journal: Journal, handles: Sequence[str], *, goal: int | None = None,
                 seed: int | None = None, session: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.journal = journal
        entries: list[Entry] = []
        for ident in handles:
            entry = journal.entry(ident)
            if entry.handle not in {e.handle for e in entries}:
                entries.append(entry)
        if len(entries) < 2:
            msg = f"a blind review needs two videos or more (got {len(entries)})"
            raise ValueError(msg)
        self.entries = entries
        self.index = {e.handle: n for n, e in enumerate(entries)}
        self.session = session or f"review-{uuid.uuid4().hex[:12]}"
        self.rng = random.Random(seed)
        self.clock = clock
        marks = [e.sandbox for e in entries]
        self.groups = marks
        self.possible = sum(1 for a in range(len(marks)) for b in range(a + 1, len(marks))
                            if marks[a] == marks[b])
        self.goal = min(self.possible, goal if goal is not None
                        else GOAL_PER_VIDEO * len(entries))
        self.undo_stack: list[int] = []
        """This review's verdict ids, oldest first (``undo`` takes the last)."""
        self.round = 0
        self.current: Shown | None = None
        self.advance()

    # -- what was said ---------------------------------------------------------------------
    def _verdicts(self) -> list[Any]:
        return self.journal.verdicts(self.index)

    def _outcomes(self, verdicts: Sequence[Any]) -> list[tuple[int, int, str]]:
        said = {"left": "a", "right": "b", "tie": "tie"}
        return [(self.index[v.left], self.index[v.right], said[v.outcome])
                for v in verdicts if v.outcome != "skip"]

    @property
    def judged(self) -> int:
        """Verdicts (not skips) given in this review."""
        mine = set(self.undo_stack)
        return sum(1 for v in self._verdicts() if v.id in mine and v.outcome != "skip")

    @property
    def skipped(self) -> int:
        """Pairs skipped in this review."""
        mine = set(self.undo_stack)
        return sum(1 for v in self._verdicts() if v.id in mine and v.outcome == "skip")

    @property
    def remaining(self) -> int:
        """Pairs never judged (nor skipped), in this review or before."""
        seen = {v.pair for v in self._verdicts()}
        return self.possible - len(seen)

    # -- the next pair -----------------------------------------------------------------------
    def advance(self) -> Shown | None:
        """Choose the next pair (random sides), or None when every pair has been judged."""
        verdicts = self._verdicts()
        seen = {frozenset((self.index[v.left], self.index[v.right])) for v in verdicts}
        pair = next_pair(len(self.entries), self._outcomes(verdicts), seen,
                         groups=self.groups, rng=self.rng)
        self.round += 1
        if pair is None:
            self.current = None
            return None
        left, right = pair if self.rng.random() < 0.5 else (pair[1], pair[0])
        self.current = Shown(left, right, self.round, self.clock())
        return self.current

    def vote(self, outcome: str, round: int | None = None) -> int | None:
        """Keep a verdict on the pair on screen (``left``, ``right``, ``tie`` or ``skip``) and
        show the next; a vote for an earlier round (a double key press) is ignored (None)."""
        if outcome not in OUTCOMES:
            msg = f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}"
            raise ValueError(msg)
        shown = self.current
        if shown is None or (round is not None and round != shown.round):
            return None
        verdict = self.journal.judge(self.entries[shown.left].handle,
                                     self.entries[shown.right].handle, outcome,
                                     session=self.session,
                                     seconds=max(self.clock() - shown.shown_at, 0.0))
        self.undo_stack.append(verdict)
        self.advance()
        return verdict

    def undo(self) -> bool:
        """Take back this review's last verdict (removed from the journal) and show its pair
        again; False when there is nothing to undo."""
        while self.undo_stack:
            verdict = self.undo_stack.pop()
            found = [v for v in self._verdicts() if v.id == verdict]
            if not self.journal.forget_verdict(verdict) or not found:
                continue
            said = found[0]
            self.round += 1
            left, right = self.index[said.left], self.index[said.right]
            self.current = Shown(left, right, self.round, self.clock())
            return True
        return False

    def ranking(self, by: str | Sequence[str] = "job", **options: Any) -> Ranking:
        """The ranking of these videos from every verdict between them (see ``Ranking``)."""
        from .ranking import Ranking

        entries = [self.journal.entry(e.handle) for e in self.entries]
        return Ranking.of(entries, self.journal.verdicts(self.index, skips=False), by,
                          **options)

    def __repr__(self) -> str:
        return (f"<ReviewSession {self.session}: {len(self.entries)} videos, "
                f"{len(self.undo_stack)} votes>")
