"""The compare board plays in JupyterLab, Notebook 7 and Voila (headless Chromium).

``board_notebook.ipynb`` makes three sandbox videos in a folder no server serves, and shows
``kn.compare(results)``. In each front end: the board renders, every card's video arrives over
the widget's comm (a ``blob:`` source), has metadata, and one click on the sync bar's play
starts every player (``readyState >= 2``, ``currentTime`` advancing, not paused); every
card's contact sheet arrives over the comm too and is displayed (a ``blob:`` image with pixels);
a click on a frame of a sheet seeks that card's player there, and "more frames" brings a
6-frame strip over the comm in its place; a card rated from the keyboard shows its stars once
the kernel has written them to the journal.
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


# The sync bar's icon: drawn from an inline SVG path (no font), with a size on the page.
ICONS = """() => Array.from(document.querySelectorAll('.kling-nb-board .kn-play svg.kn-icon'))
  .filter(svg => { const box = svg.getBoundingClientRect();
                   return box.width > 4 && box.height > 4 && svg.querySelector('path'); })
  .map(svg => svg.getAttribute('class').replace('kn-icon kn-icon-', ''))"""


FIRST_VIDEO = """() => {
  const v = document.querySelector('.kling-nb-board video.kn-video');
  return {paused: v.paused, currentTime: v.currentTime, duration: v.duration};
}"""

FRAMES_SHOWN = """(n) => {
  const img = document.querySelector('.kling-nb-board img.kn-sheet');
  return img.dataset.frames === String(n) && img.src.startsWith('blob:') && img.complete
         && img.naturalWidth > 0;
}"""


def _sheet_seeks_and_grows(page: Any) -> None:
    """A click on a frame of a card's sheet seeks its player there; "more frames" asks the
    kernel for a 6-frame strip, which arrives over the comm and replaces the 3-frame one."""
    page.locator(".kling-nb-board .kn-play").first.click()  # pause all
    page.wait_for_function("() => Array.from(document.querySelectorAll("
                           "'.kling-nb-board video.kn-video')).every(v => v.paused)",
                           timeout=10_000, polling=100)
    sheet = page.locator(".kling-nb-board img.kn-sheet").first
    box = sheet.bounding_box()
    assert box is not None
    sheet.click(position={"x": box["width"] * 0.5, "y": box["height"] / 2})  # middle frame
    middle = page.evaluate(FIRST_VIDEO)
    assert abs(middle["currentTime"] - middle["duration"] / 2) < 0.1, middle
    sheet.click(position={"x": box["width"] * 0.05, "y": box["height"] / 2})  # first frame
    assert page.evaluate(FIRST_VIDEO)["currentTime"] == 0
    narrow = page.evaluate("() => document.querySelector('.kling-nb-board img.kn-sheet')"
                           ".naturalWidth")
    more = page.locator(".kling-nb-board .kn-sheet-more").first
    assert more.inner_text() == "more frames"
    more.click()
    page.wait_for_function(FRAMES_SHOWN, arg=6, timeout=20_000, polling=100)
    assert more.inner_text() == "fewer frames"
    wide = page.evaluate("() => document.querySelector('.kling-nb-board img.kn-sheet')"
                         ".naturalWidth")
    assert wide > narrow
    box = sheet.bounding_box()
    assert box is not None
    sheet.click(position={"x": box["width"] * 0.99, "y": box["height"] / 2})  # the last of 6
    last = page.evaluate(FIRST_VIDEO)
    assert last["currentTime"] >= last["duration"] - 0.1, last


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
    assert page.evaluate(ICONS) == ["play"], "the play icon is not drawn"
    page.locator(".kling-nb-board .kn-play").first.click()  # the one sync control
    page.wait_for_function(PLAYING, timeout=20_000, polling=100)
    page.wait_for_function(f"() => ({ICONS})().join() === 'pause'", timeout=5_000)
    played = page.evaluate(MEASURE)
    shot = tmp_path / f"board-{frontend.kind}.png"
    page.screenshot(path=str(shot))
    note(request.config, f"{frontend.kind}: {played} (screenshot {shot})")
    assert all(v["error"] is None and v["width"] > 0 and v["src"] == "blob:" for v in played)
    assert "data:video" not in page.content()  # the videos came as blobs, not inline
    assert "data:" not in page.locator(".kling-nb-board").first.inner_html()  # sheets too

    _sheet_seeks_and_grows(page)

    card = page.locator(".kling-nb-board .kn-card").nth(1)
    card.focus()
    page.keyboard.press("4")  # rate from the keyboard: the kernel writes it, the stars follow
    card.locator(".kn-star.kn-on").nth(3).wait_for(timeout=10_000)
    assert card.locator(".kn-star.kn-on").count() == 4
