"""Which pair to show next in a blind review: the one whose verdict is expected to teach the
ranking most, never one already judged.

The current verdicts are fitted (``bradley_terry.fit``) and the scores' posterior covariance
taken from the fit's Hessian (Laplace). A verdict on pair ``(i, j)`` tells about the score
difference ``s = theta_i - theta_j``, whose variance is ``v = C_ii + C_jj - 2 C_ij``; one
observation with Fisher information ``I(s)`` shrinks that variance by the factor
``1 + I(s) v``, so the expected information gain is ``log(1 + I(s) v) / 2``. It is largest for
a pair that is both close (``I`` peaks at an even pair) and uncertain (wide intervals, few
comparisons): so an unseen video is soon shown, and two videos already far apart rarely are.
Ties between equally good pairs are broken at random (seeded).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

import numpy as np

from .bradley_terry import Pairs, fit, laplace_cov, win_information


def pair_gains(players: int, outcomes: Sequence[tuple[int, int, str]]) -> np.ndarray:
    """The expected information gain of one more verdict on every pair, as a
    ``players x players`` matrix (outcomes: ``(a, b, "a" | "b" | "tie")``)."""
    pairs = Pairs.of(players, list(outcomes))
    found = fit(pairs)
    cov = laplace_cov(found)
    var = np.diag(cov)
    spread = var[:, None] + var[None, :] - 2 * cov
    scores = found.scores[0]
    diff = scores[:, None] - scores[None, :]
    gains: np.ndarray = 0.5 * np.log1p(win_information(diff, float(found.log_nu[0]))
                                       * np.maximum(spread, 0.0))
    return gains


def next_pair(players: int, outcomes: Sequence[tuple[int, int, str]],
              judged: Collection[frozenset[int]] = (), *,
              groups: Sequence[object] | None = None,
              rng: random.Random | None = None) -> tuple[int, int] | None:
    """The pair ``(i, j)``, ``i < j``, to judge next, or None when every pair allowed has been
    judged. ``judged``: pairs never to show again; ``groups``: a label per player (its
    live/sandbox mark), only players with the same label are paired."""
    if players < 2:
        return None
    gains = pair_gains(players, outcomes)
    first, second = np.triu_indices(players, k=1)
    allowed = np.ones(len(first), dtype=bool)
    if groups is not None:
        labels = list(groups)
        allowed &= np.array([labels[a] == labels[b] for a, b in zip(first, second,
                                                                     strict=True)])
    if judged:
        allowed &= np.array([frozenset((int(a), int(b))) not in judged
                             for a, b in zip(first, second, strict=True)])
    if not allowed.any():
        return None
    values = np.where(allowed, gains[first, second], -np.inf)
    best = float(values.max())
    near = np.flatnonzero(values >= best - 1e-9 * max(abs(best), 1e-12))
    pick = int(near[(rng or random.Random()).randrange(len(near))])
    return int(first[pick]), int(second[pick])
