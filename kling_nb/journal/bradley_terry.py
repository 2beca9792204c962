"""Bradley-Terry with ties (Davidson 1970): scores from pairwise verdicts, by Newton's method.

Each player ``i`` has a score ``theta_i`` (log-strength). For a pair with ``s = theta_a -
theta_b`` and a tie parameter ``nu = exp(lam)``::

    P(a wins) = e^(s/2) / D,   P(b wins) = e^(-s/2) / D,   P(tie) = nu / D,
    D = e^(s/2) + e^(-s/2) + nu

Davidson's model rather than "a tie is half a win": a tie says the two are close, and counting
it as half a win each way would shrink every score towards zero as ties grow (and makes
the likelihood of a tie-heavy pair wrong). With no ties at all ``nu`` is not estimated and the
model is plain Bradley-Terry (``P(a wins) = logistic(s)``). A weak normal prior on each score
(sd ``PRIOR_SD``) keeps a player with no wins (or no losses) finite, makes the scores
identifiable (they are reported centred on 0) and the Hessian invertible; with a few
comparisons per player its pull is small.

``fit`` solves many replicates at once (the rows of ``counts``): the bootstrap refits every
resample in one batched Newton run. ``laplace_cov`` gives the posterior covariance the pair
selection uses. numpy only; a few hundred players fit in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PRIOR_SD = 3.0
"""Prior sd of a score: a 20:1 favourite is ``s = 3``, so the prior hardly binds."""
TIE_PRIOR = (-1.0, 2.0)
"""Prior mean and sd of ``log nu`` when ties occur (nu ~ 0.37: a tie is plausible, not sure)."""
MAX_STEP = 2.0
"""Largest change of any parameter in one Newton step (keeps the first steps sane)."""

Array = Any  # numpy arrays (numpy's own typing is too loose to help mypy here)


@dataclass(frozen=True)
class Pairs:
    """Verdicts aggregated per unordered pair of players: ``first < second`` indexes, and per
    pair how often the first won, the second won, and how often they tied."""

    players: int
    first: Array
    second: Array
    counts: Array
    """Shape ``(pairs, 3)``: first won, second won, tie."""

    @classmethod
    def of(cls, players: int, verdicts: list[tuple[int, int, str]]) -> Pairs:
        """From ``(a, b, outcome)`` with outcome ``a`` (a won), ``b`` (b won) or ``tie``."""
        cells: dict[tuple[int, int], list[int]] = {}
        for a, b, outcome in verdicts:
            if a == b:
                continue
            key, flip = ((a, b), False) if a < b else ((b, a), True)
            cell = cells.setdefault(key, [0, 0, 0])
            if outcome == "tie":
                cell[2] += 1
            else:
                cell[int((outcome == "b") != flip)] += 1
        keys = sorted(cells)
        return cls(players, np.array([k[0] for k in keys], dtype=np.intp),
                   np.array([k[1] for k in keys], dtype=np.intp),
                   np.array([cells[k] for k in keys], dtype=float).reshape(-1, 3))

    @property
    def total(self) -> int:
        """How many verdicts (wins and ties) there are."""
        return int(self.counts.sum())

    @property
    def ties(self) -> bool:
        """Whether any verdict is a tie (then ``nu`` is estimated)."""
        return bool(self.counts[:, 2].sum() > 0)


@dataclass(frozen=True)
class Fit:
    """Scores (centred on 0) and ``log nu`` of each replicate; ``hessian`` of the last
    iterate's negative log-posterior (for ``laplace_cov``)."""

    scores: Array
    """Shape ``(replicates, players)``."""
    log_nu: Array
    """Shape ``(replicates,)``; ``-inf`` when ties are not modelled."""
    hessian: Array
    iterations: int


def _terms(pairs: Pairs, theta: Array, lam: Array | None) -> tuple[Array, ...]:
    """Per replicate and pair: the first and second derivatives of the log-likelihood in the
    score difference and in ``log nu``."""
    s = theta[:, pairs.first] - theta[:, pairs.second]
    half = s / 2
    cosh, sinh = np.cosh(half), np.sinh(half)
    nu = np.exp(lam)[:, None] if lam is not None else 0.0
    d = 2 * cosh + nu
    return s, cosh, sinh, nu, d


def _scatter(size: int, places: list[Array], values: list[Array]) -> Array:
    """A flat array of ``size`` with each value added at its place (repeats summed)."""
    where = np.concatenate([np.broadcast_to(p, v.shape).ravel()
                            for p, v in zip(places, values, strict=True)])
    weights = np.concatenate([v.ravel() for v in values])
    return np.bincount(where, weights=weights, minlength=size).astype(float)


def _newton_system(pairs: Pairs, counts: Array, theta: Array,
                   lam: Array | None) -> tuple[Array, Array]:
    """Gradient and (negative) Hessian of the log-posterior, per replicate."""
    reps, n = theta.shape
    k = n + (lam is not None)
    wins_a, wins_b, ties = counts[..., 0], counts[..., 1], counts[..., 2]
    total = wins_a + wins_b + ties
    _s, cosh, sinh, nu, d = _terms(pairs, theta, lam)
    g_s = (wins_a - wins_b) / 2 - total * sinh / d
    h_s = total * (1 + 0.5 * nu * cosh) / d**2  # minus the second derivative
    first, second = pairs.first[None, :], pairs.second[None, :]
    rows: Array = np.arange(reps)[:, None]
    # Each pair adds to its two players' gradient and to four cells of the Hessian; one
    # bincount per array sums them for every replicate at once (far faster than np.add.at).
    grad = _scatter(reps * k, [rows * k + first, rows * k + second], [g_s, -g_s])
    cell = rows * k * k
    hess = _scatter(reps * k * k,
                    [cell + first * k + first, cell + second * k + second,
                     cell + first * k + second, cell + second * k + first],
                    [h_s, h_s, -h_s, -h_s])
    grad, hess = grad.reshape(reps, k), hess.reshape(reps, k, k)
    grad[:, :n] -= theta / PRIOR_SD**2
    idx = np.arange(n)
    hess[:, idx, idx] += 1 / PRIOR_SD**2
    if lam is not None:
        g_l = (ties - total * nu / d).sum(axis=1)
        h_l = (total * nu * 2 * cosh / d**2).sum(axis=1)
        cross = -total * sinh * nu / d**2  # minus d2/ds dlam
        mean, sd = TIE_PRIOR
        grad[:, n] = g_l - (lam - mean) / sd**2
        hess[:, n, n] = h_l + 1 / sd**2
        column = _scatter(reps * n, [rows * n + first, rows * n + second],
                          [cross, -cross]).reshape(reps, n)
        hess[:, :n, n] += column
        hess[:, n, :n] += column
    return grad, hess


def fit(pairs: Pairs, counts: Array | None = None, *, start: Fit | None = None,
        ties: bool | None = None, tol: float = 1e-7, max_iter: int = 100) -> Fit:
    """The posterior mode of every replicate (``counts`` of shape ``(replicates, pairs, 3)``;
    default: the data itself, one replicate), from ``start`` or from zero."""
    data = pairs.counts[None] if counts is None else np.asarray(counts, dtype=float)
    reps, n = data.shape[0], pairs.players
    with_ties = pairs.ties if ties is None else ties
    if start is not None:
        theta = np.broadcast_to(start.scores[:1], (reps, n)).copy()
        lam: Array | None = (np.broadcast_to(start.log_nu[:1], (reps,)).copy()
                             if with_ties else None)
    else:
        theta = np.zeros((reps, n))
        lam = np.full(reps, TIE_PRIOR[0]) if with_ties else None
    hess = np.zeros((reps, n, n))
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        grad, hess = _newton_system(pairs, data, theta, lam)
        step = np.linalg.solve(hess, grad[..., None])[..., 0]
        biggest = np.abs(step).max(axis=1, keepdims=True)
        step *= np.minimum(1.0, MAX_STEP / np.maximum(biggest, 1e-300))
        theta += step[:, :n]
        if lam is not None:
            lam += step[:, n]
        if float(biggest.max()) < tol:
            break
    scores = theta - theta.mean(axis=1, keepdims=True)
    log_nu = lam if lam is not None else np.full(reps, -np.inf)
    return Fit(scores, log_nu, hess, iterations)


def laplace_cov(result: Fit) -> Array:
    """The posterior covariance of the first replicate's scores (Laplace approximation)."""
    n = result.scores.shape[1]
    return np.linalg.inv(result.hessian[0])[:n, :n]


def probabilities(pairs: Pairs, result: Fit) -> Array:
    """The fitted chance of each outcome (first wins, second wins, tie) per pair."""
    s = result.scores[0, pairs.first] - result.scores[0, pairs.second]
    nu = float(np.exp(result.log_nu[0])) if np.isfinite(result.log_nu[0]) else 0.0
    odds = np.stack([np.exp(s / 2), np.exp(-s / 2), np.full_like(s, nu)], axis=1)
    return odds / odds.sum(axis=1, keepdims=True)


def bootstrap(pairs: Pairs, result: Fit, *, replicates: int = 200,
              seed: int = 0) -> Array:
    """Scores refitted on ``replicates`` parametric resamples, shape ``(replicates,
    players)``: each pair keeps its number of verdicts (the pairs were chosen, not drawn) and
    their outcomes are drawn from the fitted chances. Unlike resampling the verdicts
    themselves, a pair seen twice with two wins still varies (an interval is never a point
    for lack of data). Seeded, so the same verdicts always give the same intervals."""
    if pairs.total == 0 or replicates <= 0:
        return np.repeat(result.scores[:1], max(replicates, 0), axis=0)
    rng = np.random.default_rng(seed)
    chances = probabilities(pairs, result)
    sizes = pairs.counts.sum(axis=1).astype(np.int64)
    # A multinomial per pair as two binomials (first wins; then second wins among the rest):
    # the same distribution, drawn many times faster for every pair and replicate at once.
    first = rng.binomial(sizes, chances[:, 0], size=(replicates, len(sizes)))
    rest = np.clip(1 - chances[:, 0], 1e-300, None)
    second = rng.binomial(sizes - first, np.clip(chances[:, 1] / rest, 0.0, 1.0))
    draws = np.stack([first, second, sizes - first - second], axis=2).astype(float)
    # Percentiles need no more than 1e-4 of a score: a looser stop saves Newton steps.
    return fit(pairs, draws, start=result, ties=pairs.ties, tol=1e-4).scores


def win_information(s: Array, log_nu: float) -> Array:
    """The Fisher information one verdict carries about a score difference ``s``: largest
    for an even pair, small for a foregone one."""
    nu = 0.0 if not np.isfinite(log_nu) else float(np.exp(log_nu))
    cosh = np.cosh(np.asarray(s) / 2)
    return (1 + 0.5 * nu * cosh) / (2 * cosh + nu) ** 2
