"""The Bradley-Terry fit with Davidson's ties: simulated verdicts give back the true order, its
bootstrap intervals cover the true scores at about their stated rate, and ties, a player with
no wins and the no-tie case behave."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kling_nb.journal.bradley_terry import (
    Pairs,
    bootstrap,
    fit,
    laplace_cov,
    probabilities,
    win_information,
)


def simulate(true: np.ndarray, count: int, nu: float, seed: int) -> list[tuple[int, int, str]]:
    """``count`` verdicts on random pairs drawn from Davidson's model with scores ``true``."""
    rng = np.random.default_rng(seed)
    verdicts = []
    for _ in range(count):
        a, b = (int(i) for i in rng.choice(len(true), 2, replace=False))
        s = true[a] - true[b]
        odds = np.array([math.exp(s / 2), math.exp(-s / 2), nu])
        verdicts.append((a, b, ("a", "b", "tie")[int(rng.choice(3, p=odds / odds.sum()))]))
    return verdicts


@pytest.mark.parametrize("nu", [0.0, 0.6])
def test_simulated_preferences_give_back_the_true_order(nu: float) -> None:
    """Six players 0.8 apart, 600 verdicts (with and without ties): the fitted order is the
    true one, each score within 0.4 of the truth, and nu is recovered when there are ties."""
    true = np.linspace(-2.0, 2.0, 6)
    pairs = Pairs.of(6, simulate(true, 600, nu, seed=7))
    found = fit(pairs)
    scores = found.scores[0]
    assert list(np.argsort(scores)) == list(range(6))
    assert np.abs(scores - (true - true.mean())).max() < 0.4
    assert abs(scores.sum()) < 1e-9  # centred on 0
    if nu:
        assert abs(math.exp(found.log_nu[0]) - nu) < 0.2
    else:
        assert found.log_nu[0] == -np.inf  # no tie: plain Bradley-Terry


def test_intervals_cover_the_true_scores_at_about_their_stated_rate() -> None:
    """90% intervals from 30 seeded simulations (6 players, 300 verdicts, some ties) hold the
    true score about 90% of the time (between 80% and 97% of 180 intervals)."""
    covered, total = 0, 0
    for seed in range(30):
        rng = np.random.default_rng(1000 + seed)
        true = rng.normal(0.0, 1.0, 6)
        true -= true.mean()
        pairs = Pairs.of(6, simulate(true, 300, 0.5, seed=seed))
        found = fit(pairs)
        spread = bootstrap(pairs, found, replicates=200, seed=seed)
        low, high = np.percentile(spread, [5, 95], axis=0)
        covered += int(((low <= true) & (true <= high)).sum())
        total += 6
    assert 0.80 <= covered / total <= 0.97, covered / total


def test_a_player_with_no_wins_gets_a_finite_lowest_score() -> None:
    """Player 2 lost every verdict: its score is finite, the lowest, and so is its interval."""
    verdicts = [(0, 1, "a"), (1, 0, "a"), (0, 1, "tie")] + [(0, 2, "a"), (2, 1, "b")] * 3
    pairs = Pairs.of(3, verdicts)
    found = fit(pairs)
    scores = found.scores[0]
    assert np.isfinite(scores).all()
    assert int(np.argmin(scores)) == 2
    spread = bootstrap(pairs, found)
    assert np.isfinite(spread).all()


def test_ties_only_leave_everyone_level_and_nu_large() -> None:
    """Nothing but ties: every score 0, and a tie far likelier than a win."""
    pairs = Pairs.of(3, [(0, 1, "tie"), (1, 2, "tie"), (0, 2, "tie")] * 4)
    found = fit(pairs)
    assert np.abs(found.scores[0]).max() < 1e-9
    assert probabilities(pairs, found)[0, 2] > 0.8


def test_without_ties_it_is_the_logistic_model() -> None:
    """Two players, 3 wins to 1: the difference is close to log 3 (the prior pulls a little)."""
    pairs = Pairs.of(2, [(0, 1, "a")] * 3 + [(1, 0, "a")])
    scores = fit(pairs).scores[0]
    assert 0.9 * math.log(3) < scores[0] - scores[1] < math.log(3)


def test_verdicts_are_aggregated_per_unordered_pair() -> None:
    """(1, 0, "a") is the second player of pair (0, 1) winning; a self-pair is dropped."""
    pairs = Pairs.of(2, [(1, 0, "a"), (0, 1, "a"), (0, 1, "tie"), (1, 1, "a")])
    assert pairs.first.tolist() == [0]
    assert pairs.second.tolist() == [1]
    assert pairs.counts.tolist() == [[1.0, 1.0, 1.0]]
    assert pairs.total == 3
    assert pairs.ties


def test_uncertainty_shrinks_with_comparisons_and_information_peaks_at_even_pairs() -> None:
    """More verdicts, a narrower posterior of the difference; one verdict says most about an
    even pair."""
    def spread(cov: np.ndarray) -> float:
        return float(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])

    few = spread(laplace_cov(fit(Pairs.of(2, [(0, 1, "a"), (0, 1, "b")]))))
    many = spread(laplace_cov(fit(Pairs.of(2, [(0, 1, "a"), (0, 1, "b")] * 20))))
    assert many < few / 10
    information = win_information(np.array([0.0, 1.0, 4.0]), -np.inf)
    assert information[0] == pytest.approx(0.25)
    assert information[0] > information[1] > information[2]
