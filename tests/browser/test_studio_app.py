"""The studio app as a page of its own: ``kling-nb studio`` serves it with Voila.

The command runs as a user would start it (``kling-nb studio --sandbox --no-browser --port
N``, in a temporary working folder, with the browser tests' private Jupyter folders, journal
and HOME); headless Chromium opens the page, which says SANDBOX and shows no code. A prompt is
typed and Generate clicked: the video lands on the compare board (sent over the widget's comm)
and plays; a click on the fourth star rates it, then the keyboard's ``5`` rates it again. The
rating is read back from the journal file by this process, and the leaderboard on the page
shows it. The command is stopped like Ctrl-C (SIGINT to the process group it started in).
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn

from .conftest import EXTRA_HINT, FAILED, free_port, lab_environment, note
from .frontends import _stop, _wait_ready
from .test_jupyterlab import PLAY, _shot

pytestmark = pytest.mark.browser

PROMPT = "a paper boat on a rain puddle, studio app test"
APP = ".kling-nb-studio-app"
BOARD = ".kling-nb-app-board"
RATINGS = ".kling-nb-app-ratings"

LOADED = """() => {
  const v = document.querySelector('.kling-nb-app-board video.kn-video');
  return !!v && v.src.startsWith('blob:') && v.readyState >= 1;
}"""

RANKED = """(mean) => {
  const table = document.querySelector('.kling-nb-app-ratings table');
  return !!table && Array.from(table.querySelectorAll('td')).some(td => td.innerText === mean);
}"""


@dataclass
class StudioServer:
    url: str  # the page, with its token
    folder: Path  # where the command was started: videos in kling_videos
    journal: Path
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


@pytest.fixture
def studio_server(jupyterlab_available: None, tmp_path: Path,
                  request: pytest.FixtureRequest) -> Iterator[StudioServer]:
    """``kling-nb studio --sandbox`` on a free port; stopped like Ctrl-C, kernels and all."""
    try:
        import voila  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"Voila is not installed in {sys.prefix} ({exc}): {EXTRA_HINT}")
    env = lab_environment(tmp_path / "jupyter")
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    (runtime / "tmp").mkdir()
    env["TMPDIR"] = str(runtime / "tmp")  # Voila's kernel files: leftovers are found by it
    token = secrets.token_hex(16)
    env["JUPYTER_TOKEN"] = token
    folder = tmp_path / "work"
    folder.mkdir()
    port = free_port()
    log = tmp_path / "studio.log"
    command = [sys.executable, "-m", "kling_nb.cli.main", "studio", "--sandbox",
               "--no-browser", f"--port={port}"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = StudioServer(f"http://127.0.0.1:{port}/?token={token}", folder,
                          Path(env["KLING_NB_JOURNAL"]), log)
    try:
        _wait_ready(process, f"http://127.0.0.1:{port}/api/status?token={token}", log)
        yield server
    finally:
        _stop(process, runtime)
        if request.node.stash.get(FAILED, False):
            note(request.config, f"kling-nb studio log (tail):\n{server.log_tail()}")


def test_the_studio_app_generates_and_rates(studio_server: StudioServer, browser_page: Any,
                                            tmp_path: Path,
                                            request: pytest.FixtureRequest) -> None:
    page = browser_page
    started = time.monotonic()
    page.goto(studio_server.url, wait_until="domcontentloaded")
    app = page.locator(APP)
    prompt = app.locator(".kling-nb-field-prompt textarea").first
    prompt.wait_for(state="visible", timeout=60_000)
    assert "SANDBOX" in app.locator(".kling-nb-mode").inner_text()
    body = page.locator("body").inner_text()
    assert "studio_app" not in body, "Voila showed the notebook's code"
    assert "Error displaying widget" not in body
    assert "Traceback" not in body, body[-2000:]
    note(request.config, f"studio app opened: {_shot(page, tmp_path / 'studio-app-open.png')}")

    prompt.fill(PROMPT)
    generate = app.locator(".kling-nb-generate").first
    page.wait_for_function("(b) => !b.disabled", arg=generate.element_handle(),
                           timeout=10_000)
    generate.click()

    # The video lands on the board (its bytes over the comm) and plays. --------------------
    video = page.locator(f"{BOARD} video.kn-video").first
    video.wait_for(state="attached", timeout=60_000)
    page.wait_for_function(LOADED, timeout=30_000, polling=100)
    played: dict[str, Any] = video.evaluate(PLAY)
    note(request.config, f"studio app video: {played}")
    assert played["error"] is None, played
    assert played["readyState"] >= 2, played
    assert played["currentTime"] > 0, played
    assert played["src"].startswith("blob:"), played
    card = page.locator(f"{BOARD} .kn-card").first
    assert "SANDBOX" in card.inner_text()
    assert "SANDBOX" in app.locator(".kling-nb-done").inner_text()
    assert list((studio_server.folder / "kling_videos").glob("*.mp4")), \
        "the video was not saved in the folder the command was started in"

    # Rate it: a click, then the keyboard; the journal and the leaderboard follow. ---------
    card.locator(".kn-star[data-stars='4']").click()
    card.locator(".kn-star.kn-on").nth(3).wait_for(timeout=10_000)
    page.wait_for_function(RANKED, arg="4.00", timeout=10_000)
    assert _ratings(studio_server.journal) == [(PROMPT, 4, True)]
    card.focus()
    page.keyboard.press("5")
    card.locator(".kn-star.kn-on").nth(4).wait_for(timeout=10_000)
    page.wait_for_function(RANKED, arg="5.00", timeout=10_000)
    assert _ratings(studio_server.journal) == [(PROMPT, 5, True)]
    assert "SANDBOX" in page.locator(RATINGS).inner_text()

    shot = _shot(page, tmp_path / "studio-app-rated.png")
    note(request.config, f"studio app rated: {shot} "
                         f"(test body took {time.monotonic() - started:.1f} s)")


def _ratings(path: Path) -> list[tuple[str | None, int | None, bool]]:
    """Every job's prompt, rating and SANDBOX mark, read from the journal file here."""
    journal = kn.Journal(path)
    try:
        return [(e.prompt, e.rating, e.sandbox) for e in journal.history()]
    finally:
        journal.close()
