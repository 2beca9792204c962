"""Each tutorial run live, against a keyed loopback sandbox server that records what it is
sent: no key anywhere, every URL in a request one the run itself made (no placeholder or
outside host), a first cell that states truly what running it live costs and takes, and the
quickstart's first video on the cheapest row."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import nbformat
import pytest
from tutorial_runs import (
    KEY,
    NOTEBOOKS,
    TutorialRun,
    banner_in,
    files_holding,
    host_of,
    run_live,
    server,
)

import kling_nb as kn
from kling_nb.sandbox import SandboxServer

NAMES = sorted(p.name for p in NOTEBOOKS.glob("[0-9]*.ipynb"))
Runs = Callable[[str], TutorialRun]


@pytest.fixture(scope="module")
def keyed() -> Iterator[SandboxServer]:
    """A loopback sandbox that accepts only KEY."""
    with server() as found:
        yield found


@pytest.fixture(scope="module")
def runs(keyed: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Each tutorial run once against ``keyed`` (the tests below share the runs)."""
    done: dict[str, TutorialRun] = {}

    def run(name: str) -> TutorialRun:
        if name not in done:
            done[name] = run_live(name, keyed, tmp_path_factory.mktemp(name.split("_")[0]))
            logging.getLogger(__name__).info("%s ran live in %.1f s", name, done[name].seconds)
        return done[name]

    return run


@pytest.mark.parametrize("name", NAMES)
def test_a_tutorial_run_live_works_and_leaves_no_key(name: str, runs: Runs) -> None:
    """Run live, a tutorial sends requests, raises nothing, and never shows or stores the key."""
    run = runs(name)
    assert KEY not in nbformat.writes(run.notebook)
    assert run.requests, f"{name} sent nothing: not live"
    assert files_holding(run.folder, KEY) == []
    assert run.errors == [], f"{name} failed live: {[e.get('ename') for e in run.errors]}"


@pytest.mark.parametrize("name", NAMES)
def test_a_tutorial_sends_no_placeholder_or_outside_url(name: str, runs: Runs,
                                                        keyed: SandboxServer) -> None:
    """Every URL in every request a tutorial sends is one of the run's own assets (here the
    server's; live, the provider's): never example.com, another placeholder, or a file on a
    host the tutorial does not control, which would be a billed job with a dead input."""
    own = host_of(keyed.url)
    foreign = [(path, url) for path, url in runs(name).urls() if host_of(url) != own]
    assert foreign == [], f"{name} sends URLs it did not make: {foreign}"


@pytest.mark.parametrize("name", NAMES)
def test_a_tutorial_opens_with_what_running_it_live_costs_and_takes(name: str,
                                                                    runs: Runs) -> None:
    """The first cell's banner is ``kn.live_cost`` of the jobs the tutorial sends (published
    prices, unpublished rows named, jobs that run together waited for once)."""
    expected = runs(name).live_cost().banner
    assert banner_in(NOTEBOOKS / name) == expected, (
        f"{name}'s first cell should say:\n{expected}\n(.venv/bin/python -m tests.tutorial_runs "
        f"--write {name} puts it there)")


def test_the_quickstart_makes_its_first_video_on_the_cheapest_row(runs: Runs) -> None:
    """The quickstart's first job is on the row with the lowest published USD price of those
    that make a video from a prompt, at that price's length (credits are not compared: no
    exchange rate is published)."""
    first = runs("00_quickstart.ipynb").jobs[0]
    row = kn.MODELS.find(first.order.model)
    assert row is not None
    prices = []
    for candidate in kn.MODELS.filter(text=True, active=True).values():
        for seconds in candidate.durations or (5,):
            found = candidate.published(seconds)
            if found is not None and found[1] == "USD":
                prices.append(found[0])
    assert row.published(first.order.seconds) == (min(prices), "USD")
