"""A blind review session: pairs never repeat (across reviews too), sides are random, votes and
undo reach the journal, a stale vote is ignored, progress counts, live and sandbox apart."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.journal.reviews import ReviewSession

SPEC = kn.Kling30(prompt="a heron", duration=5)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def jobs(journal: Journal, count: int, *, sandbox: bool = True, start: int = 0) -> list[str]:
    """``count`` finished jobs; their handles."""
    return [journal.track(kn.Job(id=f"j{start + n}", provider="leonardo", model=SPEC.key,
                                 sandbox=sandbox, submitted_at=START, spec=SPEC,
                                 status=kn.Status.COMPLETE)).handle for n in range(count)]


def test_every_pair_once_then_done_and_again_never(journal: Journal) -> None:
    """Four videos: six pairs in six votes, each pair once; a later review of the same
    videos has nothing left to show."""
    handles = jobs(journal, 4)
    session = ReviewSession(journal, handles, seed=1)
    assert (session.goal, session.possible, session.remaining) == (6, 6, 6)
    seen = []
    for outcome in ("left", "right", "tie", "skip", "left", "right"):
        shown = session.current
        assert shown is not None
        seen.append(frozenset((shown.left, shown.right)))
        assert session.vote(outcome) is not None
    assert len(set(seen)) == 6
    assert session.current is None
    assert (session.judged, session.skipped, session.remaining) == (5, 1, 0)
    assert session.vote("left") is None  # nothing on screen
    assert ReviewSession(journal, handles).current is None


def test_votes_go_to_the_journal_and_undo_takes_them_back(journal: Journal) -> None:
    """Each vote is a journal verdict with the sides as shown and this session's id; undo
    deletes the last and puts its pair back on screen; nothing left, undo says False."""
    handles = jobs(journal, 3)
    session = ReviewSession(journal, handles, seed=2, clock=iter(range(100)).__next__)
    shown = session.current
    assert shown is not None
    session.vote("left")
    (kept,) = journal.verdicts()
    assert (kept.left, kept.right, kept.outcome) == (handles[shown.left],
                                                     handles[shown.right], "left")
    assert kept.session == session.session
    assert kept.seconds == 1  # the injected clock moved one tick while it was shown
    assert session.undo() is True
    assert journal.verdicts() == []
    back = session.current
    assert back is not None
    assert (back.left, back.right) == (shown.left, shown.right)
    assert back.round > shown.round
    assert session.undo() is False


def test_a_vote_for_an_earlier_round_is_ignored(journal: Journal) -> None:
    """A double key press votes once: the second names a round no longer on screen."""
    session = ReviewSession(journal, jobs(journal, 3), seed=3)
    first = session.current
    assert first is not None
    assert session.vote("left", first.round) is not None
    assert session.vote("left", first.round) is None
    assert len(journal.verdicts()) == 1


def test_sides_are_random(journal: Journal) -> None:
    """Over reviews with different seeds, the lower-index video of a pair is shown on the
    left sometimes and on the right sometimes."""
    handles = jobs(journal, 2)
    lefts = {ReviewSession(journal, handles, seed=seed).current.left  # type: ignore[union-attr]
             for seed in range(20)}
    assert lefts == {0, 1}


def test_live_and_sandbox_videos_are_never_paired(journal: Journal) -> None:
    """Two live and two sandbox videos: two possible pairs, each of one kind."""
    handles = jobs(journal, 2, sandbox=False) + jobs(journal, 2, start=10)
    session = ReviewSession(journal, handles, seed=4)
    assert session.possible == 2
    while session.current is not None:
        shown = session.current
        assert session.entries[shown.left].sandbox == session.entries[shown.right].sandbox
        session.vote("tie")
    assert {v.sandbox for v in journal.verdicts()} == {True, False}


def test_a_review_needs_two_videos(journal: Journal) -> None:
    """One video (or the same one twice) cannot be reviewed."""
    (one,) = jobs(journal, 1)
    with pytest.raises(ValueError, match="two videos or more"):
        ReviewSession(journal, [one, one])


def test_the_ranking_follows_the_votes(journal: Journal) -> None:
    """Always voting for the video with the lower index ranks them in index order."""
    handles = jobs(journal, 4)
    session = ReviewSession(journal, handles, seed=5)
    while (shown := session.current) is not None:
        session.vote("left" if shown.left < shown.right else "right")
    ranking = session.ranking()
    assert [r.key[0] for r in ranking.sandbox.rows] == handles
    assert [r.comparisons for r in ranking.sandbox.rows] == [3, 3, 3, 3]
