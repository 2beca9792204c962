"""A tutorial opened before "Run All" shows nothing broken (JupyterLab, headless Chromium).

Copies of tutorials, with no ``kling_videos/`` beside them (the repository has none), are
opened in JupyterLab and not run. Every image in their outputs has loaded (the posters that
stand in for the videos included), no player is there to fail, and no widget says "Error
displaying widget" or stays "Loading widget...": each shows its text instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import note
from .frontends import serve

pytestmark = pytest.mark.browser

TUTORIALS = Path(__file__).resolve().parents[2] / "notebooks"
OPENED = ("00_quickstart.ipynb", "06_prompt_tuning.ipynb", "10_aimlapi_kling_family.ipynb")

RENDERED = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const cells = panel && panel.content && panel.content.widgets;
  return !!(cells && cells.length && document.querySelectorAll('.jp-OutputArea-output').length
            && Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
                    .every(i => i.complete));
}"""

MEDIA = """() => {
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
  const images = outputs.flatMap(o => Array.from(o.querySelectorAll('img')));
  const videos = outputs.flatMap(o => Array.from(o.querySelectorAll('video')));
  const text = outputs.map(o => o.innerText || '').join('\\n');
  return {
    images: images.length,
    broken: images.filter(i => !i.complete || i.naturalWidth === 0)
                  .map(i => (i.getAttribute('src') || '').slice(0, 80)),
    posters: images.filter(i => i.closest('.kling-nb-poster') && i.naturalWidth > 0).length,
    videos: videos.map(v => ({src: (v.currentSrc || v.getAttribute('src') || '').slice(0, 80),
                              network: v.networkState, error: v.error && v.error.code})),
    widgetErrors: (text.match(/Error displaying widget/g) || []).length,
    loading: (text.match(/Loading widget/g) || []).length,
    fallbacks: (text.match(/an interactive widget: run the notebook to use it/g) || []).length,
  };
}"""


def _open(page: Any, lab_url: str) -> None:
    page.goto(lab_url, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    # Scroll through, so lazily loaded images and every windowed cell are drawn.
    for _ in range(40):
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(50)
    page.wait_for_function(RENDERED, timeout=30_000)


def test_a_tutorial_opened_before_running_shows_nothing_broken(
        browser_page: Any, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """No broken image, no player, no widget error: posters and widget texts instead."""
    first, *others = (TUTORIALS / name for name in OPENED)
    tracker = (tmp_path / "jupyter" / "lab-settings" / "@jupyterlab" / "notebook-extension"
               / "tracker.jupyterlab-settings")
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))  # every cell drawn, not windowed
    with serve("lab", first, tmp_path) as lab:
        for other in others:
            shutil.copy2(other, lab.root / other.name)
        assert not (lab.root / "kling_videos").exists()
        found = {}
        for name in OPENED:
            _open(browser_page, lab.page(name) + "&reset")
            found[name] = browser_page.evaluate(MEDIA)
        note(request.config, f"stored outputs, before running: {found}")
    for name, media in found.items():
        stored = (TUTORIALS / name).read_text(encoding="utf-8").count("kling-nb-poster")
        assert media["posters"] == stored, name  # every poster drawn, and loaded
        assert media["broken"] == [], name
        assert media["videos"] == [], name
        assert media["posters"] >= 1, name
        assert media["widgetErrors"] == 0, name
        assert media["loading"] == 0, name
    assert found["00_quickstart.ipynb"]["fallbacks"] >= 1  # the studio, as text
