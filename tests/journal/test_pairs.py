"""Which pair a blind review shows next: never one already judged, the most uncertain and the
closest first, never a live video against a sandbox one."""

from __future__ import annotations

import random

from kling_nb.journal.pairs import next_pair, pair_gains


def test_every_pair_comes_once_then_none() -> None:
    """Judging whatever comes, five players give their ten pairs once each, then None."""
    rng = random.Random(3)
    judged: set[frozenset[int]] = set()
    outcomes: list[tuple[int, int, str]] = []
    while (pair := next_pair(5, outcomes, judged, rng=rng)) is not None:
        assert frozenset(pair) not in judged
        judged.add(frozenset(pair))
        outcomes.append((*pair, rng.choice(("a", "b", "tie"))))
    assert len(judged) == 10


def test_an_unseen_pair_comes_before_a_well_known_one() -> None:
    """0 and 1 met twenty times; 2 and 3 never: the next pair is (2, 3)."""
    outcomes = [(0, 1, "a"), (0, 1, "b")] * 10
    assert next_pair(4, outcomes, rng=random.Random(0)) == (2, 3)


def test_a_close_pair_teaches_more_than_a_foregone_one() -> None:
    """Two pairs met ten times each: 0 beat 1 every time, 2 and 3 split: (2, 3) gains more,
    and is chosen once the never-met pairs are judged."""
    outcomes = [(0, 1, "a")] * 10 + [(2, 3, "a"), (2, 3, "b")] * 5
    gains = pair_gains(4, outcomes)
    assert gains[2, 3] > gains[0, 1]
    judged = {frozenset(p) for p in ((0, 2), (0, 3), (1, 2), (1, 3))}
    assert next_pair(4, outcomes, judged) == (2, 3)


def test_only_players_of_one_kind_are_paired() -> None:
    """Live (False) and sandbox (True) players are never put side by side."""
    marks = [False, True, False, True]
    judged: set[frozenset[int]] = set()
    while (pair := next_pair(4, [], judged, groups=marks)) is not None:
        assert marks[pair[0]] == marks[pair[1]]
        judged.add(frozenset(pair))
    assert judged == {frozenset((0, 2)), frozenset((1, 3))}


def test_fewer_than_two_players_have_no_pair() -> None:
    """One player: nothing to compare."""
    assert next_pair(1, []) is None
