"""Rankings from blind verdicts: by any field, with the comparisons behind each score, live and
sandbox fitted apart (mixed only when asked), each job's score for tables of what each choice
does, as text, HTML, records, a DataFrame and a plot."""

from __future__ import annotations

import random
import sys
from datetime import datetime, timezone

import pytest
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.journal.plot import NO_MATPLOTLIB
from kling_nb.journal.ranking import Ranking

SPEC = kn.Kling30(prompt="a heron", duration=5)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def job(journal: Journal, name: str, prompt: str, seed: int, *, sandbox: bool = False,
        tags: tuple[str, ...] = ()) -> str:
    """A finished job (live unless ``sandbox``) of ``prompt`` and ``seed``; its handle."""
    spec = SPEC.replace(prompt=prompt, seed=seed)
    made = kn.Job(id=name, provider="leonardo", model=spec.key, sandbox=sandbox,
                  submitted_at=START, spec=spec, status=kn.Status.COMPLETE)
    return journal.track(made, tags=tags).handle


@pytest.fixture
def votes(journal: Journal) -> dict[str, str]:
    """Live: prompt "calm" (seeds 1, 2) beats "storm" (seeds 1, 2) in 5 of 6 verdicts, one tie,
    one verdict inside "calm", one skip; sandbox: two jobs, one verdict."""
    h = {name: job(journal, name, prompt, seed, tags=tags) for name, prompt, seed, tags in (
        ("c1", "calm", 1, ("keeper",)), ("c2", "calm", 2, ()), ("s1", "storm", 1, ()),
        ("s2", "storm", 2, ("keeper",)))}
    h["x1"] = job(journal, "x1", "calm", 1, sandbox=True)
    h["x2"] = job(journal, "x2", "storm", 1, sandbox=True)
    for left, right, said in (("c1", "s1", "left"), ("s2", "c1", "right"), ("c2", "s1", "left"),
                              ("s2", "c2", "right"), ("c1", "s2", "left"), ("c2", "s2", "tie"),
                              ("c1", "c2", "left"), ("s1", "c2", "skip"),
                              ("x2", "x1", "left")):
        journal.judge(h[left], h[right], said)
    return h


def test_a_ranking_by_prompt_counts_and_orders_the_groups(journal: Journal,
                                                          votes: dict[str, str]) -> None:
    """calm above storm: 5 wins, 1 tie, 0 losses from 6 comparisons; the verdict inside calm
    is counted apart, the skip not at all; the sandbox verdict is in its own fit."""
    ranking = journal.history().ranking(by="prompt")
    calm, storm = ranking.live.rows
    assert (calm.key, storm.key) == (("calm",), ("storm",))
    assert (calm.wins, calm.ties, calm.losses, calm.comparisons) == (5, 1, 0, 6)
    assert (storm.wins, storm.ties, storm.losses) == (0, 1, 5)
    assert calm.score is not None
    assert storm.score is not None
    assert calm.score > 0 > storm.score
    assert calm.score == pytest.approx(-storm.score)
    assert calm.low is not None
    assert calm.high is not None
    assert calm.low <= calm.score <= calm.high
    assert ranking.live.within == 1
    assert ranking.live.verdicts == 6
    assert ranking.live.tie_nu is not None
    assert [r.key for r in ranking.sandbox.rows] == [("storm",), ("calm",)]
    assert ranking.row("storm", sandbox=True).wins == 1


def test_rankings_by_seed_tag_job_and_several_fields(journal: Journal,
                                                     votes: dict[str, str]) -> None:
    """Any field groups the same verdicts: seed, tag, each job, prompt and seed together."""
    history = journal.history(sandbox=False)
    by_job = history.ranking()
    assert by_job.by == ("job",)
    assert by_job.live.rows[0].key == (votes["c1"],)  # 3 wins and nothing lost
    assert by_job.live.rows[0].label.startswith(votes["c1"][:8] + " calm")
    assert by_job.sandbox.rows == []
    tags = history.ranking(by="tag")
    assert {r.key for r in tags.live.rows} == {("keeper",), (None,)}
    both = history.ranking(by=["prompt", "seed"])
    assert both.row("calm", 1).comparisons == 4  # c1 met s1, s2 twice and c2
    assert "calm · 1" in str(both)
    assert history.ranking(by="seed").row(1).comparisons > 0
    with pytest.raises(ValueError, match="name at least one field"):
        history.ranking(by=[])
    with pytest.raises(ValueError, match=r"level: 1\.5"):
        history.ranking(level=1.5)


def test_live_and_sandbox_mix_only_when_asked(journal: Journal, votes: dict[str, str]) -> None:
    """mix=True fits every verdict together, groups holding sandbox jobs marked; by default
    a live ranking has no sandbox verdict in it."""
    apart = journal.history().ranking(by="prompt")
    mixed = journal.history().ranking(by="prompt", mix=True)
    assert mixed.mixed
    assert mixed.sandbox.rows == []
    assert mixed.live.verdicts == apart.live.verdicts + apart.sandbox.verdicts == 7
    calm = mixed.row("calm")
    assert (calm.wins, calm.losses, calm.sandbox) == (5, 1, True)  # the sandbox loss too
    assert apart.row("calm").losses == 0
    assert "[SANDBOX]" in str(mixed)
    assert "mixed, as asked" in str(mixed)


def test_each_job_gets_its_score(journal: Journal, votes: dict[str, str]) -> None:
    """scores(): by job, each compared job's own score; by a field, its group's; and the
    history's DataFrame has it as blind_score (None for a job never compared)."""
    history = journal.history(sandbox=False)
    own = history.ranking().scores()
    assert set(own) == {votes[n] for n in ("c1", "c2", "s1", "s2")}
    assert own[votes["c1"]] > own[votes["s1"]]
    by_prompt = history.ranking(by="prompt").scores()
    assert by_prompt[votes["c1"]] == by_prompt[votes["c2"]] > by_prompt[votes["s2"]]
    job(journal, "new", "calm", 9)
    frame = journal.history(sandbox=False).to_pandas()
    scores = dict(zip(frame["job_id"], frame["blind_score"], strict=True))
    assert scores["c1"] == pytest.approx(own[votes["c1"]])
    assert scores["new"] is None or scores["new"] != scores["new"]  # None or NaN


def test_a_ranking_shows_itself(journal: Journal, votes: dict[str, str]) -> None:
    """Text and HTML with the interval, counts and the SANDBOX part apart; records and a
    DataFrame with one row per group; never compared groups say so."""
    job(journal, "lone", "drizzle", 3)
    ranking = journal.history().ranking(by="prompt")
    text = str(ranking)
    assert "calm" in text
    assert "5-1-0" in text
    assert "not compared" in text
    assert "SANDBOX (offline emulator: fitted apart from live verdicts)" in text
    assert "95% bootstrap intervals" in text
    bundle = ranking._repr_mimebundle_()
    html = bundle["text/html"]
    assert "kling-nb-ranking" in html
    assert ">SANDBOX</span>" in html
    assert "5-1-0" in unguarded(html)
    records = ranking.to_records()
    assert records[0]["prompt"] == "calm"
    assert {"score", "low", "high", "comparisons", "wins", "ties", "losses", "sandbox"} <= set(
        records[0])
    frame = ranking.to_pandas()
    assert list(frame["prompt"])[:3] == ["calm", "storm", "drizzle"]


def test_a_history_without_a_journal_says_where_verdicts_come_from() -> None:
    """A History built by hand has no verdicts to read: ranking() says what to call."""
    with pytest.raises(ValueError, match=r"journal.history\(...\).ranking"):
        History([]).ranking()


def test_the_plot_draws_each_score_with_its_interval(journal: Journal,
                                                     votes: dict[str, str]) -> None:
    """With matplotlib: a dot and an interval per compared group, best on top."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    ax = journal.history().ranking(by="prompt").plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["calm", "storm", "storm [sandbox]", "calm [sandbox]"]
    assert "blind-comparison score" in ax.get_xlabel()


def test_without_matplotlib_the_plot_is_the_table(journal: Journal, votes: dict[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No matplotlib: plot() returns the ranking itself, with a note saying why."""
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    shown = journal.history().ranking(by="prompt").plot()
    assert isinstance(shown, kn.Ranking)
    assert NO_MATPLOTLIB in str(shown)


def test_prompts_that_start_alike_are_told_apart_in_the_ranking(journal: Journal) -> None:
    """Ranked by prompt, long variants that share their start are shown from where they part."""
    start = "Wide shot, slow push-in: a red hot-air balloon rises over a misty valley at "
    dawn = job(journal, "d1", start + "sunrise, golden light", 1)
    dusk = job(journal, "d2", start + "dusk, cool blue light", 1)
    journal.judge(dawn, dusk, "left")
    ranked = journal.history().ranking(by="prompt")
    for shown in (str(ranked), ranked.html()):
        assert "sunrise" in shown
        assert "dusk" in shown


def _simulated(rng: random.Random, gap: float, verdicts: int) -> Ranking:
    """Two videos ``a`` and ``b`` whose scores differ by ``gap``: ``verdicts`` drawn from the
    model (no ties), ranked by job."""
    import math

    from kling_nb.journal.entries import Entry
    from kling_nb.journal.verdicts import Verdict

    entries = [Entry(handle=h, provider="leonardo", model=SPEC.key, status="complete",
                     job_id=h) for h in ("a", "b")]
    said = [Verdict(n, "s", "a", "b", "left" if rng.random() < 1 / (1 + math.exp(-gap))
                    else "right", False, None) for n in range(verdicts)]
    return Ranking.of(entries, said, replicates=100)


def test_the_lead_says_how_settled_the_first_two_are(journal: Journal,
                                                     votes: dict[str, str]) -> None:
    """The share of resamples in which the first scores above the second: near 1 for a clear
    gap (and said settled), rarely 95% or more when the two are equally good (the leader is
    whichever happened to win more), and shown under the table."""

    rng = random.Random(5)
    clear = [_simulated(rng, 2.0, 40).live.lead for _ in range(20)]
    assert all(lead is not None and lead >= 0.95 for lead in clear)
    even = [_simulated(rng, 0.0, 40).live.lead for _ in range(100)]
    assert all(lead is not None and lead >= 0.4 for lead in even)  # ahead, or level
    assert sum(lead >= 0.95 for lead in even if lead is not None) <= 20  # about 10% expected
    text = str(journal.history().ranking(by="prompt"))
    assert "the first scores above the second in" in text
    live, sandbox = (line for line in text.splitlines() if "resamples" in line)
    assert live.startswith("live: ")
    assert live.endswith("% of the resamples (settled)")
    assert sandbox.startswith("SANDBOX: ")
    assert sandbox.endswith("% of the resamples (not settled: under 95%)")
    assert journal.history().ranking(by="prompt", level=0.9).live.lead is not None
