"""Blind review by keyboard in JupyterLab, Notebook 7 and Voila, and in the Voila studio app.

``review_notebook.ipynb`` makes four sandbox videos (six pairs) in a folder no server serves
and shows ``kn.review(results)``. In each front end both videos arrive over the widget's comm
(``blob:`` sources) and play together; then six pairs are judged from the keyboard alone (the
arrows and letters, one undo on the way), each key waiting for the next pair to be on screen.
The journal file, read by this process, holds exactly the six verdicts pressed (the undone one
gone), one per pair, and its ranking counts for each video the wins, ties and losses those
verdicts give. The studio app (``kling-nb studio``) does the same with four videos already in
its journal: "whole journal", "Start a blind review", six keys, and the ranking on the page.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn

from .conftest import HERE, note
from .frontends import KINDS, Frontend, serve
from .test_jupyterlab import KERNEL_READY, RUN_ALL
from .test_studio_app import APP, StudioServer, studio_server

pytestmark = pytest.mark.browser
__all__ = ["studio_server"]

NOTEBOOK = HERE / "review_notebook.ipynb"
REVIEW = ".kling-nb-review"
KEYS = ("ArrowLeft", "ArrowRight", "ArrowDown", "a", "d", "t")
"""Six verdicts by keyboard: left, right, tie, left, right, tie."""
SAID = ("left", "right", "tie", "left", "right", "tie")

BOTH_PLAYING = """() => {
  const videos = Array.from(document.querySelectorAll('.kling-nb-review video'));
  return videos.length === 2 && videos.every(v => v.src.startsWith('blob:') && !v.paused
                                                  && v.readyState >= 2 && v.currentTime > 0.1);
}"""

SYNC = """() => {
  const [a, b] = Array.from(document.querySelectorAll('.kling-nb-review video'));
  return {a: a.currentTime, b: b.currentTime, pa: a.paused, pb: b.paused};
}"""

ROUND = "() => Number(document.querySelector('.kling-nb-review').dataset.round || 0)"


@pytest.fixture(params=KINDS)
def frontend(request: pytest.FixtureRequest, jupyterlab_available: None,
             tmp_path: Path) -> Any:
    if request.param == "notebook":
        pytest.importorskip("notebook", reason="Notebook 7 is in the lab extra")
    if request.param == "voila":
        pytest.importorskip("voila", reason="voila is in the lab extra")
    with serve(request.param, NOTEBOOK, tmp_path) as running:
        yield running


def _press(page: Any, key: str) -> None:
    """Press ``key`` with the review focused and wait until the next pair (or the end) is on
    screen: the round moves on."""
    before = page.evaluate(ROUND)
    page.locator(REVIEW).first.focus()
    page.keyboard.press(key)
    try:
        page.wait_for_function(f"(r) => ({ROUND})() > r", arg=before, timeout=10_000,
                               polling=50)
    except Exception:
        state = page.evaluate("() => ({round: document.querySelector('.kling-nb-review')"
                              ".dataset.round, active: document.activeElement.className, "
                              "text: document.querySelector('.kling-nb-review').innerText, "
                              "disabled: Array.from(document.querySelectorAll("
                              "'.kling-nb-review button')).map(b => b.disabled)})")
        raise AssertionError(f"{key} after round {before}: {state} "
                             f"{page.console_messages_seen[-5:]}") from None


def _review_six_pairs(page: Any) -> None:
    """A first left, taken back with ``u``; then the six keys; the page says all are judged."""
    progress = page.locator(f"{REVIEW} .kn-review-progress").first
    assert progress.inner_text().startswith("0 of 6 judged")
    _press(page, "ArrowLeft")
    assert progress.inner_text().startswith("1 of 6 judged")
    _press(page, "u")
    assert progress.inner_text().startswith("0 of 6 judged")
    for key in KEYS:
        _press(page, key)
    assert progress.inner_text().startswith("6 of 6 judged")
    done = page.locator(f"{REVIEW} .kn-review-done").first
    assert "Every pair has been judged" in done.inner_text()


def _journal_matches(path: Path) -> kn.Ranking:
    """The journal holds the six verdicts pressed, one per pair, and its ranking's counts are
    what those verdicts say of each video."""
    journal = kn.Journal(path)
    try:
        verdicts = journal.verdicts()
        assert [v.outcome for v in verdicts] == list(SAID)
        assert len({v.pair for v in verdicts}) == 6
        assert all(v.sandbox for v in verdicts)
        wins, ties, losses = Counter(), Counter(), Counter()
        for v in verdicts:
            if v.outcome == "tie":
                ties.update((v.left, v.right))
            else:
                wins[v.winner] += 1
                losses[v.right if v.winner == v.left else v.left] += 1
        ranking = journal.history().ranking()
        rows = ranking.sandbox.rows
        assert len(rows) == 4
        for row in rows:
            (handle,) = row.key
            assert (row.wins, row.ties, row.losses) == (wins[handle], ties[handle],
                                                        losses[handle])
            assert row.comparisons == 3
        scores = [r.score for r in rows]
        assert scores == sorted(scores, reverse=True)
        return ranking
    finally:
        journal.close()


def test_six_pairs_are_reviewed_by_keyboard(frontend: Frontend, browser_page: Any,
                                            tmp_path: Path,
                                            request: pytest.FixtureRequest) -> None:
    page = browser_page
    try:
        page.goto(frontend.page(NOTEBOOK.name), wait_until="domcontentloaded")
        if frontend.kind != "voila":  # Voila runs the notebook itself
            page.wait_for_function(KERNEL_READY, timeout=60_000, polling=200)
            page.evaluate(RUN_ALL)
        page.locator(f"{REVIEW} video").nth(1).wait_for(state="attached", timeout=120_000)
        page.wait_for_function(BOTH_PLAYING, timeout=30_000, polling=100)
    except Exception:
        note(request.config, f"{frontend.kind} log:\n{frontend.log_tail()}")
        raise
    synced = page.evaluate(SYNC)
    assert abs(synced["a"] - synced["b"]) < 0.5, synced  # started together, kept together
    assert "data:video" not in page.content()
    assert "SANDBOX" in page.locator(REVIEW).first.inner_text()
    page.screenshot(path=str(tmp_path / f"review-{frontend.kind}-pair.png"))
    _review_six_pairs(page)
    assert page.locator(f"{REVIEW} .kn-review-stage").first.is_hidden()  # nothing left
    shot = tmp_path / f"review-{frontend.kind}.png"
    page.screenshot(path=str(shot))
    ranking = _journal_matches(Path(frontend.root.parent / "jupyter" / "journal.db"))
    note(request.config, f"{frontend.kind}: six pairs reviewed (screenshot {shot})\n{ranking}")


def test_the_studio_app_reviews_six_pairs_by_keyboard(studio_server: StudioServer,
                                                      browser_page: Any, tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    started = time.monotonic()
    journal = kn.Journal(studio_server.journal)  # four videos already made, as by Generate
    client = kn.Client(sandbox=True, journal=journal,
                       download_dir=studio_server.folder / "kling_videos")
    for prompt in ("a calm lake", "a stormy sea", "a dry desert", "a snowy peak"):
        client.generate(kn.Kling30(prompt=prompt, seed=1, duration=3))
    journal.close()
    page = browser_page
    page.goto(studio_server.url, wait_until="domcontentloaded")
    panel = page.locator(f"{APP} .kling-nb-app-review")
    panel.wait_for(state="visible", timeout=60_000)
    panel.locator("button:has-text('whole journal')").click()
    panel.locator(".kling-nb-review-start").click()
    page.locator(f"{REVIEW} video").nth(1).wait_for(state="attached", timeout=30_000)
    page.wait_for_function(BOTH_PLAYING, timeout=30_000, polling=100)
    assert "SANDBOX" in page.locator(REVIEW).first.inner_text()
    _review_six_pairs(page)
    ranking = _journal_matches(studio_server.journal)
    table = page.locator(f"{APP} .kling-nb-app-ranking table")
    table.wait_for(timeout=10_000)
    best = ranking.sandbox.rows[0]
    assert best.cells()[3] in table.inner_text()  # its wins-ties-losses, on the page
    shot = tmp_path / "review-studio-app.png"
    page.screenshot(path=str(shot), full_page=True)
    note(request.config, f"studio app review: {shot} (took {time.monotonic() - started:.1f} s)")
