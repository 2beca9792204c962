"""Blind-comparison rankings: fitting 1,000 verdicts, and the next pair after a vote.

Fit: 1,000 verdicts drawn from Davidson's model (ties included) between the 24 videos of a
simulated sweep (4 prompts x 6 seeds), ranked by job (24 players) and by prompt (4 groups):
the Bradley-Terry fit with its 200-resample bootstrap, in memory (``Ranking.of``) and from a
journal file (``journal.history().ranking()``: reading the jobs and verdicts too). Median of
five after one warm-up. Next pair: a review of those 24 videos in a journal that already holds
200 of their verdicts; timed from the page's vote message to the new pair in the widget's
state (the verdict written to the journal, every verdict between them read back and refitted,
the most informative pair chosen): median and p95 of 40 votes. Baseline: the point fit alone.
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import kling_nb as kn
from kling_nb.journal.bradley_terry import Pairs, fit
from kling_nb.journal.ranking import Ranking
from kling_nb.journal.reviews import ReviewSession
from kling_nb.notebook.review import Review, Source

from .common import Row, p95

VIDEOS, VERDICTS, RUNS, VOTES = 24, 1000, 5, 40
SPEC = kn.Kling30(prompt="a heron", duration=5)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def _journal(folder: Path) -> tuple[kn.Journal, list[str], list[float]]:
    """24 finished sandbox jobs (4 prompts x 6 seeds) and their true scores."""
    journal = kn.Journal(folder / "journal.db")
    handles, truth = [], []
    rng = random.Random(11)
    for n in range(VIDEOS):
        spec = SPEC.replace(prompt=f"prompt {n % 4}", seed=n // 4)
        job = kn.Job(id=f"job{n}", provider="leonardo", model=spec.key, sandbox=True,
                     submitted_at=START, spec=spec, status=kn.Status.COMPLETE)
        handles.append(journal.track(job).handle)
        truth.append(0.5 * (n % 4) + rng.gauss(0, 0.5))
    return journal, handles, truth


def _vote(rng: random.Random, truth: list[float], a: int, b: int, nu: float = 0.4) -> str:
    s = truth[a] - truth[b]
    odds = (math.exp(s / 2), math.exp(-s / 2), nu)
    return rng.choices(("left", "right", "tie"), weights=odds)[0]


def _fill(journal: kn.Journal, handles: list[str], truth: list[float], count: int) -> None:
    rng = random.Random(5)
    for _ in range(count):
        a, b = rng.sample(range(len(handles)), 2)
        journal.judge(handles[a], handles[b], _vote(rng, truth, a, b), session="bench")


def _median(call: Any) -> float:
    call()  # warm-up: numpy's first calls
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _fits(journal: kn.Journal) -> list[Row]:
    history = journal.history()
    verdicts = journal.verdicts(skips=False)
    assert len(verdicts) == VERDICTS
    by_job = _median(lambda: Ranking.of(history, verdicts, "job"))
    by_prompt = _median(lambda: Ranking.of(history, verdicts, "prompt"))
    from_file = _median(lambda: journal.history().ranking())
    index = {e.handle: n for n, e in enumerate(history)}
    said = {"left": "a", "right": "b", "tie": "tie"}
    pairs = Pairs.of(VIDEOS, [(index[v.left], index[v.right], said[v.outcome])
                              for v in verdicts])
    point = _median(lambda: fit(pairs))
    baseline = f"point fit alone {1000 * point:.1f} ms"
    return [
        Row("ranking", f"fit of {VERDICTS:,} verdicts by job ({VIDEOS} videos), 200-resample "
            "bootstrap", f"{1000 * by_job:.0f} ms", baseline, target="<= 100 ms",
            met=by_job <= 0.1),
        Row("ranking", f"fit of {VERDICTS:,} verdicts by prompt (4 groups), bootstrap",
            f"{1000 * by_prompt:.0f} ms", baseline, target="<= 100 ms", met=by_prompt <= 0.1),
        Row("ranking", f"journal.history().ranking(): read {VIDEOS} jobs and {VERDICTS:,} "
            "verdicts, fit", f"{1000 * from_file:.0f} ms", baseline, target="<= 100 ms",
            met=from_file <= 0.1),
    ]


def _next_pair(journal: kn.Journal, handles: list[str], truth: list[float]) -> list[Row]:
    """Kernel time from a vote message to the next pair in the widget's state."""
    session = ReviewSession(journal, handles, seed=3, goal=10_000)
    widget = Review(session, [Source(path=Path(f"v{n}.mp4")) for n in range(VIDEOS)])
    rng = random.Random(9)
    index = {h: n for n, h in enumerate(handles)}
    times = []
    for _ in range(VOTES):
        shown = session.current
        assert shown is not None
        a = index[session.entries[shown.left].handle]
        b = index[session.entries[shown.right].handle]
        message = {"kind": "vote", "outcome": _vote(rng, truth, a, b),
                   "round": widget.pair["round"]}
        started = time.perf_counter()
        widget._receive(widget, message, [])
        times.append(time.perf_counter() - started)
        assert widget.pair["round"] == message["round"] + 1
    widget.close()
    median, tail = statistics.median(times), p95(times)
    return [Row("ranking", f"next pair after a vote ({VIDEOS} videos, 200+ verdicts; write, "
                "refit, choose, new state)", f"{1000 * median:.0f} ms (p95 {1000 * tail:.0f} ms)",
                target="<= 100 ms", met=tail <= 0.1)]


def benchmark() -> list[Row]:
    """The ranking fit over 1,000 verdicts, and the next pair after a vote."""
    with tempfile.TemporaryDirectory(prefix="kling-nb-ranking-") as folder:
        journal, handles, truth = _journal(Path(folder))
        _fill(journal, handles, truth, VERDICTS)
        rows = _fits(journal)
        journal.close()
    with tempfile.TemporaryDirectory(prefix="kling-nb-review-") as folder:
        journal, handles, truth = _journal(Path(folder))
        _fill(journal, handles, truth, 200)
        rows += _next_pair(journal, handles, truth)
        journal.close()
    return rows


if __name__ == "__main__":
    from .common import table

    print(table(benchmark()))
