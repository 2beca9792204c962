"""The compare board plays in JupyterLab, Notebook 7 and Voila (headless Chromium).

``board_notebook.ipynb`` makes three sandbox videos in a folder no server serves, and shows
``kn.compare(results)``. In each front end: the board renders, every card's video arrives over
the widget's comm (a ``blob:`` source), has metadata, and one click on the sync bar's play
starts every player (``readyState >= 2``, ``currentTime`` advancing, not paused); every
card's contact sheet arrives over the comm too and is displayed (a ``blob:`` image with pixels);
a card rated from the keyboard shows its stars once the kernel has written them to the journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import HERE, note
from .frontends import KINDS, Frontend, serve
from .test_jupyterlab import KERNEL_READY, RUN_ALL

pytestmark = pytest.mark.browser

NOTEBOOK = HERE / "board_notebook.ipynb"
VIDEOS = ".kling-nb-board video.kn-video"

LOADED = """(n) => {
  const videos = Array.from(document.querySelectorAll('.kling-nb-board video.kn-video'));
  return videos.length === n && videos.every(v => v.src.startsWith('blob:') && v.readyState >= 1);
}"""

PLAYING = """() => {
  const videos = Array.from(document.querySelectorAll('.kling-nb-board video.kn-video'));
  return videos.length > 0 && videos.every(v => !v.paused && v.readyState >= 2
                                               && v.currentTime > 0.2);
}"""

SHEETS = """(n) => {
  const sheets = Array.from(document.querySelectorAll('.kling-nb-board img.kn-sheet'));
  return sheets.length === n && sheets.every(i => !i.hidden && i.src.startsWith('blob:')
                                                 && i.complete && i.naturalWidth > 0);
}"""

MEASURE = """() => Array.from(document.querySelectorAll(
    '.kling-nb-board video.kn-video')).map(v => ({
  src: v.src.slice(0, 5), readyState: v.readyState, currentTime: v.currentTime,
  paused: v.paused, duration: v.duration, width: v.videoWidth,
  error: v.error ? v.error.code : null}))"""


@pytest.fixture(params=KINDS)
def frontend(request: pytest.FixtureRequest, jupyterlab_available: None,
             tmp_path: Path) -> Any:
    if request.param == "notebook":
        pytest.importorskip("notebook", reason="Notebook 7 is in the lab extra")
    if request.param == "voila":
        pytest.importorskip("voila", reason="voila is in the lab extra")
    with serve(request.param, NOTEBOOK, tmp_path) as running:
        yield running


def _open(page: Any, frontend: Frontend) -> None:
    page.goto(frontend.page(NOTEBOOK.name), wait_until="domcontentloaded")
    if frontend.kind != "voila":  # Voila runs the notebook itself
        page.wait_for_function(KERNEL_READY, timeout=60_000, polling=200)
        page.evaluate(RUN_ALL)  # returns when the cells are queued; the board comes later


def test_the_board_plays_every_video_in_sync(frontend: Frontend, browser_page: Any,
                                             tmp_path: Path,
                                             request: pytest.FixtureRequest) -> None:
    page = browser_page
    try:
        _open(page, frontend)
        page.locator(VIDEOS).nth(2).wait_for(state="attached", timeout=90_000)
        page.wait_for_function(LOADED, arg=3, timeout=30_000, polling=100)
        page.wait_for_function(SHEETS, arg=3, timeout=10_000, polling=100)
    except Exception:
        note(request.config, f"{frontend.kind} log:\n{frontend.log_tail()}")
        raise
    before = page.evaluate(MEASURE)
    assert all(v["paused"] and v["currentTime"] == 0 for v in before), before
    page.locator(".kling-nb-board .kn-play").first.click()  # the one sync control
    page.wait_for_function(PLAYING, timeout=20_000, polling=100)
    played = page.evaluate(MEASURE)
    shot = tmp_path / f"board-{frontend.kind}.png"
    page.screenshot(path=str(shot))
    note(request.config, f"{frontend.kind}: {played} (screenshot {shot})")
    assert all(v["error"] is None and v["width"] > 0 and v["src"] == "blob:" for v in played)
    assert "data:video" not in page.content()  # the videos came as blobs, not inline
    assert "data:" not in page.locator(".kling-nb-board").first.inner_html()  # sheets too

    card = page.locator(".kling-nb-board .kn-card").nth(1)
    card.focus()
    page.keyboard.press("4")  # rate from the keyboard: the kernel writes it, the stars follow
    card.locator(".kn-star.kn-on").nth(3).wait_for(timeout=10_000)
    assert card.locator(".kn-star.kn-on").count() == 4
