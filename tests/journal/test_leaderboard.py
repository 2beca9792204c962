"""Ratings that teach: leaderboards by prompt, seed, model, duration and mode; the cost per kept
video from live jobs only; the plot with matplotlib and the table without it."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

import kling_nb as kn
from kling_nb.journal.entries import Entry
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.journal.plot import NO_MATPLOTLIB
from kling_nb.sandbox import Sandbox
from kling_nb.specs.results import Cost

_COUNT = iter(range(10_000))


def _entry(prompt: str, rating: int | None, *, seed: int = 1, sandbox: bool = False,
           usd: str | None = "0.35", mode: str = "std", duration: int = 5,
           job: bool = True) -> Entry:
    n = next(_COUNT)
    return Entry(handle=f"h{n}", provider="leonardo", model="leonardo/kling-2.5-turbo",
                 status="complete", job_id=f"job{n}" if job else None, prompt=prompt,
                 seed=seed, duration=duration, rating=rating, sandbox=sandbox,
                 cost=Cost(Decimal(usd)) if usd else None,
                 spec_data={"prompt": prompt, "mode": mode})


@pytest.fixture
def history() -> History:
    """Known ratings: A 5,4; B 3,5,unrated; C 2; D unrated; a sandbox A 5; one unsent job."""
    return History([
        _entry("A", 5, seed=7), _entry("A", 4, seed=8, mode="pro"),
        _entry("B", 3, seed=7), _entry("B", 5, seed=8), _entry("B", None, seed=9),
        _entry("C", 2, seed=9, duration=10), _entry("D", None, seed=9, usd=None),
        _entry("A", 5, seed=7, sandbox=True, usd="0.35"), _entry("A", 1, job=False),
    ])


def test_groups_rank_by_mean_rating(history: History) -> None:
    """Mean rating, rated, kept (4+) per prompt; best first; unrated groups last."""
    board = history.leaderboard(by="prompt")
    assert [r.key for r in board.live] == [("A",), ("B",), ("C",), ("D",)]
    a, b, c, d = board.live
    assert (a.jobs, a.rated, a.mean, a.kept) == (2, 2, 4.5, 2)
    assert (b.jobs, b.rated, b.mean, b.kept) == (3, 2, 4.0, 1)
    assert (c.mean, c.kept) == (2.0, 0)
    assert (d.rated, d.mean) == (0, None)


def test_cost_per_kept_video_counts_every_live_job_of_the_group(history: History) -> None:
    """What the group cost (kept or not) divided by its keepers; none kept says so."""
    board = history.leaderboard("prompt")
    assert board.row("A").usd_per_kept == Decimal("0.35")
    assert board.row("B").usd_per_kept == Decimal("1.05")  # three jobs for one keeper
    assert board.row("B").cost_text() == "$1.05"
    assert board.row("C").usd_per_kept is None
    assert board.row("C").cost_text() == "no keeper yet"
    assert board.row("D").cost_text() == ""


def test_sandbox_jobs_are_ranked_apart_and_never_cost(history: History) -> None:
    """The sandbox A is its own row under a SANDBOX heading; its cost enters no live figure."""
    board = history.leaderboard("prompt")
    sandbox = board.row("A", sandbox=True)
    assert (sandbox.jobs, sandbox.mean, sandbox.kept) == (1, 5.0, 1)
    assert sandbox.usd_per_kept is None
    assert sandbox.cost_text() == "not billed"
    assert board.row("A").jobs == 2
    assert board.rows[-1] is sandbox
    text, html = str(board), board._repr_mimebundle_()["text/html"]
    assert text.index("SANDBOX") > text.index("D ")
    assert "SANDBOX" in html
    assert html.index("SANDBOX") > html.index("<td>D</td>")


def test_by_seed_duration_mode_and_several_at_once(history: History) -> None:
    """Any journal column or spec field groups, and a tuple groups by several."""
    seeds = history.leaderboard("seed")
    assert [r.key for r in seeds.live] == [(8,), (7,), (9,)]
    assert seeds.row(8).mean == 4.5
    assert history.leaderboard("duration").row(10).mean == 2.0
    assert history.leaderboard("mode").row("pro").kept == 1
    both = history.leaderboard(("prompt", "seed"))
    assert both.row("B", 8).mean == 5.0
    assert both.by == ("prompt", "seed")
    with pytest.raises(ValueError, match="at least one"):
        history.leaderboard(())


def test_the_table_as_text_and_html(history: History) -> None:
    """Text and HTML show the same rows and figures; user text is escaped."""
    history.append(_entry("<b>bold</b>", 4))
    board = history.leaderboard("prompt")
    text = str(board)
    assert text.splitlines()[0].split() == ["prompt", "jobs", "rated", "mean", "kept",
                                            "cost/kept"]
    assert "4.50" in text
    assert "$1.05" in text
    html = board._repr_mimebundle_()["text/html"]
    assert "<th>cost/kept</th>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold" not in html
    assert "base64" not in html
    assert str(History().leaderboard()).endswith("(no jobs)")


def test_a_journal_of_rated_sandbox_jobs(tmp_path: Path) -> None:
    """From a real journal: ratings by seed; all sandbox, so ranked apart and never billed."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    for seed, stars in ((1, 5), (2, 2), (1, 4)):
        result = client.generate(kn.Kling30(prompt="a kite", seed=seed, duration=5),
                                 download=False, progress=False)
        journal.rate(result.job_id, stars)
    board = journal.history().leaderboard("seed")
    journal.close()
    assert board.live == []
    assert [(r.key, r.mean, r.kept) for r in board.sandbox] == [((1,), 4.5, 2), ((2,), 2.0, 0)]


def test_plot_with_matplotlib(history: History) -> None:
    """With matplotlib: one bar per rated group, best on top, sandbox marked; an Axes back."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    ax = history.plot("prompt")
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["A", "B", "C", "A [sandbox]"]
        assert [round(p.get_width(), 2) for p in ax.patches] == [4.5, 4.0, 2.0, 5.0]
        assert "ratings by prompt" in ax.get_title()
    finally:
        plt.close(ax.figure)


def test_plot_without_matplotlib_is_the_table(history: History,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the plot is the leaderboard table, saying how to get the chart."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    shown = history.plot("prompt")
    assert isinstance(shown, kn.Leaderboard)
    assert [r.key for r in shown.live][:2] == [("A",), ("B",)]
    assert str(shown).endswith(NO_MATPLOTLIB)
    assert "kling-nb[plot]" in shown._repr_mimebundle_()["text/html"]
