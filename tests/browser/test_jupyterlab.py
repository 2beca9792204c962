"""The studio in a real JupyterLab, driven by headless Chromium (Playwright, sync API).

Opens a copy of ``lab_notebook.ipynb`` (``import kling_nb as kn``; ``client =
kn.Client(sandbox=True)``; ``kn.studio(client=client)``) in JupyterLab, runs it, checks the
widgets render (no "Error displaying widget", no "Loading widget..." left), types a prompt,
clicks Generate, watches the live progress line, and checks that the ``<video>`` the form
shows loads its source through JupyterLab's /files/ endpoint and actually plays (metadata
with a duration, then ``readyState >= 2`` and ``currentTime`` advancing). Two more tests pick
other models in the same studio: a two-shot storyboard, and Kling 4.0 at 21:9 with two
reference images uploaded from the computer.

Needs Chromium and Playwright (``bash .ci/browser-setup <venv>``); skipped loudly without
them. Deselect with ``-m "not browser"``. Screenshots go to the test's tmp dir: ``studio.png``
(after the widgets render), ``final.png`` (the played video), ``failure.png`` on failure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import Lab, note

pytestmark = pytest.mark.browser

PROMPT = "a red fox trotting through fresh snow at dawn, browser test"
PLACEHOLDER = "describe the scene, subject, motion and camera"

# Stable hooks (``widget.add_class("kling-nb-...")``) when the widgets have them; otherwise what
# the widgets show today (the prompt's placeholder, the button's text). A selector list matches
# either.
STUDIO_OUTPUT = (".jp-OutputArea-output:has(.kling-nb-studio), "
                 ".jp-OutputArea-output:has(.widget-dropdown):has(textarea)")
MODEL_PICKER = ".kling-nb-model select, .widget-dropdown select"
PROMPT_BOX = f".kling-nb-field-prompt textarea, textarea[placeholder='{PLACEHOLDER}']"
GENERATE = ".kling-nb-generate, button.jupyter-button:has-text('Generate')"
VIDEO = ".kling-nb-result video"

# JavaScript run in the page -------------------------------------------------------------------
KERNEL_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  const kernel = session && session.kernel;
  return !!(panel && panel.content && panel.content.widgets && panel.content.widgets.length
            && kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle');
}"""

RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:run-all-cells');
  const panel = app.shell.currentWidget;
  return panel.content.widgets.filter(c => c.model.type === 'code')
                              .map(c => c.model.executionCount);
}"""

# Records the progress the form shows (the job's status badge) as it changes.
WATCH_PROGRESS = """(area) => {
  window.__klingSeen = [];
  const record = () => {
    const text = area.innerText || '';
    if (text.includes('submitting...') && !window.__klingSeen.includes('submitting'))
      window.__klingSeen.push('submitting');
    for (const job of area.querySelectorAll('.kling-nb-job')) {
      for (const row of job.querySelectorAll('tr')) {
        const th = row.querySelector('th');
        if (th && th.innerText.trim() === 'status') {
          const status = row.querySelector('td').innerText.trim();
          if (window.__klingSeen[window.__klingSeen.length - 1] !== status)
            window.__klingSeen.push(status);
        }
      }
    }
  };
  new MutationObserver(record).observe(area, {subtree: true, childList: true,
                                             characterData: true, attributes: true});
}"""

PLAY = """async (video) => {
  const sleep = (ms) => new Promise(r => setTimeout(r, ms));
  const deadline = Date.now() + 20000;
  while (video.readyState < 1 && !video.error && Date.now() < deadline) await sleep(50);
  const metadata = {readyState: video.readyState, duration: video.duration,
                    width: video.videoWidth, height: video.videoHeight};
  video.muted = true;
  let play = 'not tried';
  if (!video.error) play = await video.play().then(() => 'ok', (e) => String(e));
  while ((video.readyState < 2 || video.currentTime <= 0.05) && !video.error
         && Date.now() < deadline) await sleep(50);
  const out = {metadata, play, readyState: video.readyState, duration: video.duration,
               currentTime: video.currentTime, paused: video.paused,
               width: video.videoWidth, height: video.videoHeight, src: video.currentSrc,
               error: video.error ? `${video.error.code}: ${video.error.message}` : null};
  video.pause();
  return out;
}"""

# The message ipywidgets keeps in an error widget (shown on click), first lines only.
WIDGET_ERROR = """async (el) => {
  const near = el.closest('.widget-vbox') || el.parentElement;
  const label = near && near.querySelector('.widget-html b');
  el.click();  // an error widget shows its message when clicked
  await new Promise(r => setTimeout(r, 100));
  const lines = (el.innerText || el.textContent || '').split('\\n').map(l => l.trim())
    .filter(l => l && !l.startsWith('[Open Browser Console') && !l.startsWith('at '));
  return `${label ? label.textContent + ': ' : ''}${lines.slice(0, 3).join(' | ')}`;
}"""

FETCH = """async (src) => {
  const r = await fetch(src, {credentials: 'same-origin'});
  const body = await r.arrayBuffer();
  return {status: r.status, type: r.headers.get('content-type'), bytes: body.byteLength};
}"""


def _shot(page: Any, path: Path) -> Path:
    page.screenshot(path=str(path))
    return path


def _open_studio(page: Any, lab: Lab) -> Any:
    """Open the notebook, run it, and return the studio's output once its widgets render."""
    page.goto(lab.lab_url("lab_notebook.ipynb"), wait_until="domcontentloaded")
    page.wait_for_function(KERNEL_READY, timeout=45_000, polling=200)
    counts = page.evaluate(RUN_ALL)  # the last cell shows the studio
    assert all(isinstance(c, int) for c in counts), f"not every cell ran: {counts}"
    studio = page.locator(STUDIO_OUTPUT)
    page.locator(PROMPT_BOX).first.wait_for(state="visible", timeout=30_000)
    # The widgets render: nothing is left loading, nothing failed.
    page.wait_for_function(
        "() => !document.body.innerText.includes('Loading widget...')", timeout=15_000)
    body = page.locator("body").inner_text()
    assert "Error displaying widget" not in body, body[-2000:]
    assert "Loading widget" not in body
    broken = page.locator(".jupyter-widgets-error-widget")  # "Click to show javascript error."
    if broken.count():
        errors = "\n".join(broken.nth(i).evaluate(WIDGET_ERROR) for i in range(broken.count()))
        pytest.fail(f"{broken.count()} widget(s) failed to render in the browser:\n{errors}")
    assert studio.count() == 1, f"expected one studio output, found {studio.count()}"
    return studio


def _play(video: Any) -> dict[str, Any]:
    """Play the video in the page; fail unless it loads, has frames and its time advances."""
    video.scroll_into_view_if_needed()
    played: dict[str, Any] = video.evaluate(PLAY)
    assert played["error"] is None, f"the video failed to load: {played}"
    assert played["metadata"]["readyState"] >= 1, f"no metadata: {played}"
    assert played["duration"] > 0, f"no duration: {played}"
    assert played["readyState"] >= 2, f"no frame data: {played}"
    assert played["currentTime"] > 0, f"the video did not play: {played}"
    assert played["width"] > 0, played
    assert played["height"] > 0, played
    return played


def test_studio_generates_a_playable_video(jupyter_lab: Lab, browser_page: Any,
                                           tmp_path: Path,
                                           request: pytest.FixtureRequest) -> None:
    page = browser_page
    started = time.monotonic()
    studio = _open_studio(page, jupyter_lab)
    prompt = page.locator(PROMPT_BOX).first
    assert "Kling 3.0" in studio.locator(MODEL_PICKER).first.input_value()
    studio.scroll_into_view_if_needed()
    note(request.config, f"screenshot of the rendered studio: "
                         f"{_shot(page, tmp_path / 'studio.png')}")

    # Type a prompt, click Generate. ---------------------------------------------------------
    prompt.click()
    prompt.fill(PROMPT)
    counter = studio.get_by_text(f"{len(PROMPT)} / ", exact=False)
    counter.first.wait_for(timeout=10_000)  # the kernel saw the text (its live counter)
    generate = studio.locator(GENERATE).first
    page.wait_for_function("(b) => !b.disabled", arg=generate.element_handle(),
                           timeout=10_000)
    studio.evaluate(WATCH_PROGRESS)
    generate.click()

    # Progress, then the video. ----------------------------------------------------------------
    job = studio.locator(".kling-nb-job").first
    job.wait_for(timeout=30_000)
    assert "SANDBOX" in job.inner_text()
    video = studio.locator(VIDEO).first
    video.wait_for(state="attached", timeout=30_000)
    seen = page.evaluate("() => window.__klingSeen")
    note(request.config, f"progress seen in the browser: {seen}")
    assert seen, "the progress line never showed a job"
    assert seen[-1] == "complete", f"progress line: {seen}"
    assert any(s in ("pending", "running", "submitting") for s in seen), \
        f"no live progress before completion: {seen}"

    result = studio.locator(".kling-nb-result").first
    assert PROMPT in result.inner_text(), "the result does not carry the typed prompt"
    card, player = result.bounding_box(), video.bounding_box()
    banner = result.locator(".kling-nb-banner").bounding_box()
    assert card is not None
    assert player is not None
    assert banner is not None
    assert abs(player["x"] - card["x"]) < 2, (card, player)  # not pushed right of the badge
    assert player["y"] >= banner["y"] + banner["height"] - 1, (banner, player)
    # The kernel wrote a relative src (kling_videos/...mp4); JupyterLab resolved it to /files/.
    source = urlsplit(video.locator("source").first.get_attribute("src") or "")
    assert source.path.startswith("/files/kling_videos/"), \
        f"the video source was not resolved through /files/: {source.geturl()}"
    assert source.path.endswith(".mp4"), source.geturl()
    local = jupyter_lab.root / unquote(source.path.removeprefix("/files/"))
    assert local.is_file(), f"{local} (the video the page shows) was not downloaded"

    played = _play(video)
    note(request.config, f"video in the browser: {played}")
    assert urlsplit(played["src"]).path == source.path, played
    fetched = page.evaluate(FETCH, played["src"])
    size = local.stat().st_size
    assert fetched == {"status": 200, "type": "video/mp4", "bytes": size}, fetched

    final = _shot(page, tmp_path / "final.png")
    note(request.config, f"screenshot of the final state: {final} "
                         f"(test body took {time.monotonic() - started:.1f} s)")


STORYBOARD_MODEL = "AI/ML API · Kling 3.0 Turbo Pro"
SHOTS = (("a fox wakes in its den at dawn", 2), ("the fox bounds out across the snow", 3))


def test_studio_makes_a_two_shot_storyboard(jupyter_lab: Lab, browser_page: Any,
                                            tmp_path: Path,
                                            request: pytest.FixtureRequest) -> None:
    """Pick a storyboard model, add two timed shots (the total shows as you type), Generate:
    a 5 s video plays."""
    page = browser_page
    studio = _open_studio(page, jupyter_lab)
    studio.locator(MODEL_PICKER).first.select_option(label=STORYBOARD_MODEL)
    board = studio.locator(".kling-nb-field-multi-prompt")
    board.wait_for(state="visible", timeout=20_000)
    add = board.locator(".kling-nb-add-shot").first
    for index, (text, seconds) in enumerate(SHOTS):
        add.click()
        shot = board.locator(".kling-nb-shot-prompt textarea").nth(index)
        shot.wait_for(timeout=10_000)
        shot.fill(text)
        length = board.locator(".kling-nb-shot-seconds input").nth(index)
        length.fill(str(seconds))
        length.press("Tab")
    total = sum(seconds for _, seconds in SHOTS)
    board.get_by_text(f"total {total} s").first.wait_for(timeout=10_000)
    generate = studio.locator(GENERATE).first
    page.wait_for_function("(b) => !b.disabled", arg=generate.element_handle(),
                           timeout=10_000)
    note(request.config, f"storyboard before Generate: "
                         f"{_shot(page, tmp_path / 'storyboard.png')}")
    generate.click()
    video = studio.locator(VIDEO).first
    video.wait_for(state="attached", timeout=30_000)
    result = studio.locator(".kling-nb-result").first
    assert "SANDBOX" in result.inner_text()
    played = _play(video)
    note(request.config, f"storyboard video in the browser: {played}")
    assert abs(played["duration"] - total) < 0.5, played


KLING_40 = "Leonardo.AI · Kling 4.0"
WIDE = "2520x1080 (21:9 ultra-wide)"


def _reference_png(path: Path, colour: tuple[int, int, int]) -> Path:
    from PIL import Image

    Image.new("RGB", (640, 360), colour).save(path, format="PNG")
    return path


def test_studio_makes_kling_4_0_with_two_references(jupyter_lab: Lab, browser_page: Any,
                                                   tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    """Pick Kling 4.0, the 21:9 size, upload two reference images from the computer (each
    row named @image1, @image2), Generate: a 21:9 video with sound plays."""
    page = browser_page
    studio = _open_studio(page, jupyter_lab)
    studio.locator(MODEL_PICKER).first.select_option(label=KLING_40)
    references = studio.locator(".kling-nb-field-image-references")
    references.wait_for(state="visible", timeout=20_000)
    studio.locator(".kling-nb-field-size select").first.select_option(label=WIDE)
    prompt = studio.locator(PROMPT_BOX).first
    prompt.fill("@image1 and @image2 walk along a wide beach at dusk, browser test")
    add = references.get_by_role("button", name="add image")
    for index, colour in enumerate(((200, 80, 40), (40, 90, 200))):
        add.click()
        studio.get_by_text(f"@image{index + 1}", exact=True).first.wait_for(timeout=10_000)
        chooser = references.get_by_role("button", name="Choose image").nth(index)
        with page.expect_file_chooser() as chosen:
            chooser.click()
        chosen.value.set_files(str(_reference_png(tmp_path / f"ref{index}.png", colour)))
        references.get_by_text(f"ref{index}.png: 640x360 PNG").first.wait_for(timeout=10_000)
    references.get_by_text("2 of at most 10").first.wait_for(timeout=10_000)
    generate = studio.locator(GENERATE).first
    page.wait_for_function("(b) => !b.disabled", arg=generate.element_handle(),
                           timeout=10_000)
    note(request.config, f"Kling 4.0 before Generate: {_shot(page, tmp_path / 'k40.png')}")
    generate.click()
    video = studio.locator(VIDEO).first
    video.wait_for(state="attached", timeout=60_000)
    result = studio.locator(".kling-nb-result").first
    assert "SANDBOX" in result.inner_text()
    assert "2520x1080" in result.inner_text()
    played = _play(video)
    note(request.config, f"Kling 4.0 video in the browser: {played}")
    assert abs(played["duration"] - 5) < 0.5, played
    assert abs(played["width"] / played["height"] - 21 / 9) < 0.1, played
