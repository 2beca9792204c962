"""What each choice does: on simulated sweeps with one strong and one null factor the table
ranks them right, its intervals cover the true means at their stated rate and its p-values
hold their level; outcomes are ratings, metrics, scores or functions; it shows and plots."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.journal import factorplot
from kling_nb.journal.entries import Entry
from kling_nb.journal.factors import t_quantile
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import Sandbox

PROMPTS = {"a fox": 1.5, "a cat": 0.0, "an owl": -1.0}
"""The strong factor: what each prompt adds to the outcome."""
SEEDS = (1, 2, 3, 4)
"""The null factor: seeds add nothing."""


def entry(n: int, outcome: float | None = None, *, rating: int | None = None,
          sandbox: bool = False, **spec: Any) -> Entry:
    """A finished job with these spec fields, its outcome stored as the metric ``motion``."""
    data = {"model": "leonardo/kling-3.0", "duration": 5, **spec}
    return Entry(handle=f"h{n:04d}", provider="leonardo", model=str(data["model"]),
                 status="complete", job_id=f"job-{n}", spec_data=data, rating=rating,
                 prompt=data.get("prompt"), seed=data.get("seed"), sandbox=sandbox,
                 measures={} if outcome is None else {"motion": outcome})


def simulated(rng: random.Random, repeats: int = 2, noise: float = 0.7) -> History:
    """A prompts x seeds sweep, ``repeats`` jobs a cell: outcome = 3 + prompt effect + noise."""
    found = []
    for prompt, effect in PROMPTS.items():
        for seed in SEEDS:
            for _ in range(repeats):
                found.append(entry(len(found), 3 + effect + rng.gauss(0, noise),
                                   prompt=prompt, seed=seed))
    return History(found)


def test_the_strong_factor_ranks_first_and_the_null_one_is_chance() -> None:
    """Over 40 simulated sweeps the prompt always ranks first, explains most and is never
    chance; the seed explains little and is called significant about as often as its 5%."""
    rng = random.Random(7)
    seed_hits, shares = 0, []
    for run in range(40):
        table = simulated(rng).factors("motion", permutations=199, seed=run)
        assert table.names == ["prompt", "seed"]
        prompt, seed = table["prompt"], table["seed"]
        assert prompt.share > 0.4
        assert prompt.p is not None
        assert prompt.p < 0.05
        assert prompt.best.value == "a fox"
        assert seed.p is not None
        seed_hits += seed.p < 0.05
        shares.append((prompt.share, seed.share))
    assert sum(p for p, _ in shares) / len(shares) > 0.6
    assert sum(s for _, s in shares) / len(shares) < 0.15  # chance alone: about 3/23
    assert seed_hits <= 6  # 5% of 40 is 2


def test_pure_noise_explains_what_the_table_says_it_would() -> None:
    """When nothing has any effect, a factor's share averages its ``noise`` figure over many
    sweeps: (levels - 1) / (jobs - 1), 2/23 for 3 prompts and 3/23 for 4 seeds of 24 jobs."""
    rng = random.Random(11)
    totals = {"prompt": 0.0, "seed": 0.0}
    runs = 300
    for _ in range(runs):
        found = [entry(n, rng.gauss(0, 1), prompt=prompt, seed=seed)
                 for n, (prompt, seed) in enumerate((p, s) for p in PROMPTS for s in SEEDS
                                                    for _ in range(2))]
        table = History(found).factors("motion", permutations=0)
        for factor in table:
            totals[factor.name] += factor.share
    assert table["prompt"].noise == pytest.approx(2 / 23)
    assert table["seed"].noise == pytest.approx(3 / 23)
    assert totals["prompt"] / runs == pytest.approx(2 / 23, abs=0.015)
    assert totals["seed"] / runs == pytest.approx(3 / 23, abs=0.015)


def test_ratings_are_the_default_outcome() -> None:
    """Star ratings (whole numbers, 1-5) rank the prompt first; unrated jobs are left out."""
    rng = random.Random(3)
    rated = [entry(n, rating=max(1, min(5, round(3 + effect + rng.gauss(0, 0.6)))),
                   prompt=prompt, seed=seed)
             for n, (prompt, effect, seed) in enumerate(
                 (p, e, s) for p, e in PROMPTS.items() for s in SEEDS for _ in range(2))]
    table = History([*rated, entry(999, prompt="a fox", seed=1)]).factors()
    assert table.outcome == "rating"
    assert (table.jobs, table.dropped) == (24, 1)
    assert table.names[0] == "prompt"
    assert table["prompt"].best.value == "a fox"


def test_level_intervals_cover_the_true_means_at_their_rate() -> None:
    """95% t intervals of each prompt's mean cover its true mean in about 95% of sweeps."""
    rng = random.Random(11)
    covered = total = 0
    for run in range(150):
        table = simulated(rng, repeats=1, noise=1.0).factors("motion", permutations=0, seed=run)
        for level in table["prompt"].levels:
            truth = 3 + PROMPTS[level.value]
            assert level.low is not None
            assert level.high is not None
            covered += level.low <= truth <= level.high
            total += 1
    assert 0.91 <= covered / total <= 0.98


def test_t_quantiles() -> None:
    """The t table's 97.5% and 95% points, small and large degrees of freedom."""
    for df, upper, lower in ((1, 12.706, 6.314), (2, 4.303, 2.920), (3, 3.182, 2.353),
                             (5, 2.571, 2.015), (10, 2.228, 1.812), (30, 2.042, 1.697),
                             (120, 1.980, 1.658), (1000, 1.962, 1.646)):
        assert t_quantile(0.975, df) == pytest.approx(upper, abs=0.001)
        assert t_quantile(0.95, df) == pytest.approx(lower, abs=0.001)


def test_a_factor_that_never_changed_alone_is_named_confounded() -> None:
    """The model always changed with the mode: neither explains anything on its own; both are
    said to be confounded, and the seed is still judged."""
    rng = random.Random(5)
    found = []
    for model, mode, effect in (("leonardo/kling-3.0", "std", 0.0), ("leonardo/kling-o3", "pro",
                                                                      1.0)):
        for seed in SEEDS:
            for _ in range(2):
                found.append(entry(len(found), 3 + effect + rng.gauss(0, 0.3), model=model,
                                   mode=mode, seed=seed))
    table = History(found).factors("motion", permutations=99)
    assert table["model"].share == 0.0
    assert table["model"].alone > 0.5
    assert "confounded with mode" in table["model"].note
    assert "confounded with model" in table["mode"].note
    assert table["model"].p is None
    assert table.names[0] == "seed"


def test_outcomes_can_be_scores_functions_and_metrics() -> None:
    """A mapping of job id (or handle) to score - a ranking's, say - and a function of an
    entry work like a metric; too few values is a clear error."""
    rng = random.Random(2)
    history = simulated(rng)
    scores = {e.job_id: e.measures["motion"] for e in history}
    by_id = history.factors(scores, permutations=0)
    assert by_id.outcome == "score"
    assert by_id["prompt"].share == pytest.approx(history.factors("motion",
                                                                  permutations=0)["prompt"].share)
    by_handle = history.factors({e.handle: e.measures["motion"] for e in history},
                                permutations=0)
    assert by_handle["prompt"].share == pytest.approx(by_id["prompt"].share)

    def doubled(e: Entry) -> float:
        return 2 * e.measures["motion"]  # type: ignore[operator]

    assert history.factors(doubled, permutations=0).outcome == "doubled"
    with pytest.raises(ValueError, match="sharpness: 0 job"):
        history.factors("sharpness")
    with pytest.raises(TypeError, match="outcome"):
        history.factors(42)  # type: ignore[arg-type]


def test_only_what_varied_is_a_factor() -> None:
    """Fields the same for every job, or different for every job, are no factor; width and
    height are one factor, size; mixing live and sandbox jobs is noted."""
    found = [entry(n, float(n % 3), prompt="same", seed=n, width=w, height=h,
                   sandbox=n == 0) for n, (w, h) in enumerate([(1280, 720), (720, 1280)] * 3)]
    table = History(found).factors("motion", permutations=0)
    assert table.names == ["size"]
    assert {level.value for level in table["size"].levels} == {"1280x720", "720x1280"}
    assert any("seed differs for every job" in note for note in table.notes)
    assert any("live and SANDBOX" in note for note in table.notes)


def test_the_table_shows_itself_and_flattens() -> None:
    """Text and HTML name the factors in rank order with level means and intervals; pandas
    gets one row per factor and level."""
    table = simulated(random.Random(4)).factors("motion", permutations=99)
    text = str(table)
    assert text.startswith("What each choice does for motion: 24 jobs")
    assert "1. prompt: explains" in text
    assert "2. seed: explains" in text
    assert "n=8" in text
    assert table["seed"].noise == pytest.approx(3 / 23)  # 4 levels among 24 jobs
    assert f"pure noise ~{3 / 23:.0%})" in text
    html = table._repr_mimebundle_()["text/html"]
    assert html.index("<b>prompt</b>") < html.index("<b>seed</b>")
    frame = table.to_pandas()
    assert len(frame) == 3 + 4
    assert set(frame.columns) >= {"factor", "rank", "share", "noise", "p", "level", "mean",
                                  "low", "high"}
    assert "pure noise" in html


def test_without_matplotlib_the_plot_is_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """No matplotlib: plot() gives the table back, saying why."""
    table = simulated(random.Random(4)).factors("motion", permutations=0)
    monkeypatch.setattr(factorplot, "pyplot", lambda: None)
    assert table.plot() is table
    assert "matplotlib is not installed" in str(table)


def test_the_plot_draws_shares_and_means() -> None:
    """A figure: the shares, then one panel per factor; on a given axes, the shares only."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    table = simulated(random.Random(4)).factors("motion", permutations=99)
    figure = table.plot()
    assert len(figure.axes) == 3
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["prompt", "seed"]
    assert figure.axes[1].get_title() == "prompt"
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert table.plot(ax=ax) is ax
    plt.close("all")


def test_a_sweeps_results_give_their_factor_table(tmp_path: Path) -> None:
    """A sandbox sweep over prompts and seeds: its results' factors of a measured metric
    (the sandbox's motion comes from prompt and seed)."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    sweep = kn.Sweep(kn.Kling30(prompt="x", duration=3), prompts=["a fox", "a cat"],
                     seeds=[1, 2, 3])
    results = sweep.run(client, progress=False)
    table = results.factors("motion", permutations=99)
    assert set(table.names) == {"prompt", "seed"}
    assert table.jobs == 6
    assert [e.job_id for e in results.history()] == [r.job_id for r in results.results]
    with pytest.raises(ValueError, match="rating: 0 job"):
        results.factors()
    journal.close()


def test_the_blind_score_is_an_outcome_by_name(tmp_path: Path) -> None:
    """factors("blind_score") is each video's score from the blind verdicts between the
    sweep's jobs, labelled so; with no verdicts, no job has one and the table says so."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    sweep = kn.Sweep(kn.Kling30(prompt="x", duration=3), prompts=["a fox", "a cat"],
                     seeds=[1, 2])
    results = sweep.run(client, progress=False)
    with pytest.raises(ValueError, match="blind_score: 0 job"):
        results.factors("blind_score")
    history = results.history()
    for a in history:
        for b in history:
            if a.prompt == "a fox" != b.prompt:
                journal.judge(a.handle, b.handle, "left")
    table = results.factors("blind_score", permutations=0)
    assert str(table).startswith("What each choice does for blind_score: 4 jobs")
    scores = results.ranking().scores()
    fox = table["prompt"].best
    assert fox.value == "a fox"
    assert fox.mean == pytest.approx(sum(scores[e.handle] for e in history
                                         if e.prompt == "a fox") / 2)
    journal.close()
