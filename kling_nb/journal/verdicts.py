"""Blind pairwise verdicts in the journal: which of two videos was better, a tie, or skipped.

``journal.judge(left, right, "left")`` keeps one vote (jobs named by handle, its first
characters, or job id) and returns its id; ``journal.forget_verdict(id)`` removes it (undo);
``journal.verdicts(...)`` reads them back. A live and a sandbox video are never compared: each
verdict carries the mark its two jobs share, so live and sandbox rankings never mix.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .entries import stamp
from .store import Store

Outcome = Literal["left", "right", "tie", "skip"]
OUTCOMES: tuple[Outcome, ...] = ("left", "right", "tie", "skip")


@dataclass(frozen=True)
class Verdict:
    """One vote: the two jobs as they were shown (left, right), and what was said."""

    id: int
    session: str
    left: str
    """The left video's journal handle."""
    right: str
    outcome: Outcome
    sandbox: bool
    decided_at: datetime | None
    seconds: float | None = None
    """How long the pair was on screen before the vote (None when not measured)."""

    @property
    def winner(self) -> str | None:
        """The better video's handle (None for a tie or a skip)."""
        return self.left if self.outcome == "left" else (
            self.right if self.outcome == "right" else None)

    @property
    def pair(self) -> frozenset[str]:
        """The two handles, in no order."""
        return frozenset((self.left, self.right))

    def __str__(self) -> str:
        said = {"left": ">", "right": "<", "tie": "=", "skip": "?"}[self.outcome]
        mark = " [SANDBOX]" if self.sandbox else ""
        return f"#{self.id} {self.left[:8]} {said} {self.right[:8]} ({self.outcome}){mark}"


class Verdicts(Store):
    """Blind comparisons kept in the journal (``Journal`` mixes this in)."""

    def judge(self, left: str, right: str, outcome: str, *, session: str | None = None,
              seconds: float | None = None) -> int:
        """Keep one verdict on two jobs shown left and right: ``left``, ``right`` (which was
        better), ``tie`` or ``skip``; returns its id (for ``forget_verdict``)."""
        if outcome not in OUTCOMES:
            msg = f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}"
            raise ValueError(msg)
        first, second = self._resolve(left), self._resolve(right)
        if first == second:
            msg = f"a video is not compared with itself ({first[:8]})"
            raise ValueError(msg)
        marks = {r["handle"]: bool(r["sandbox"]) for r in self._rows(
            "SELECT handle, sandbox FROM jobs WHERE handle IN (?, ?)", (first, second))}
        if marks[first] != marks[second]:
            msg = (f"a live and a SANDBOX video are never compared ({first[:8]} is "
                   f"{'SANDBOX' if marks[first] else 'live'}, {second[:8]} is "
                   f"{'SANDBOX' if marks[second] else 'live'})")
            raise ValueError(msg)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO verdicts (session, left_handle, right_handle, outcome, sandbox, "
                "decided_at, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session or f"review-{uuid.uuid4().hex[:12]}", first, second, outcome,
                 int(marks[first]), self.clock(), seconds))
            return int(cursor.lastrowid or 0)

    def forget_verdict(self, verdict_id: int) -> bool:
        """Remove one verdict (undo); whether there was one with that id."""
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM verdicts WHERE id = ?", (int(verdict_id),))
            return cursor.rowcount > 0

    def verdicts(self, handles: Iterable[str] | None = None, *, sandbox: bool | None = None,
                 session: str | None = None, skips: bool = True) -> list[Verdict]:
        """Verdicts in the order given (oldest first): all, or those whose two jobs are both
        among ``handles``; ``sandbox=False`` live ones only, ``True`` sandbox ones only;
        ``skips=False`` leaves skipped pairs out."""
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if sandbox is not None:
            clauses.append("sandbox = ?")
            params.append(int(sandbox))
        if session is not None:
            clauses.append("session = ?")
            params.append(session)
        if not skips:
            clauses.append("outcome != 'skip'")
        if handles is not None:  # both sides among them, by the indexes on each side
            among = json.dumps(sorted(set(handles)))
            clauses.append("left_handle IN (SELECT value FROM json_each(?)) AND right_handle "
                           "IN (SELECT value FROM json_each(?))")
            params += [among, among]
        rows = self._rows(f"SELECT * FROM verdicts WHERE {' AND '.join(clauses)} "
                          "ORDER BY id", params)
        return [Verdict(r["id"], r["session"], r["left_handle"], r["right_handle"],
                        r["outcome"], bool(r["sandbox"]), stamp(r["decided_at"]), r["seconds"])
                for r in rows]
