"""The compare board of 24 downloaded videos: kernel time to show it, contact sheets included.

24 sandbox videos (5 s each) are made through the real client (no key: the in-process sandbox,
on an injected clock, journaled into a temporary journal) and downloaded into a temporary
folder. Then, timed: ``kn.compare(results)`` (the widget and the state sent when its comm
opens), its MIME bundle, and the 24 sheet requests a page sends once the board is on screen,
each answered with the JPEG over the comm: "cold" with the sheets removed first (each one made
then), "warm" with the sheets cached beside the videos (as after a download, which makes them).
A last figure adds the 24 local videos sent too. The baseline, measured in the same run, is the
static HTML grid of the same 24 results with their sheets shown (what a page without widgets
gets). Sends go to the widget's comm, a no-op without a kernel: what is timed is the kernel's
own work, not the transport.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import kling_nb as kn
from kling_nb.media.sheets import sheet_path
from kling_nb.specs.results import Result, ResultList

from .common import FakeClock, Row

VIDEOS = 24
WARM_RUNS = 5


def _downloaded(folder: Path) -> list[Result]:
    """24 sandbox videos of 5 s, one seed each, downloaded (with their sheets) into ``folder``."""
    clock = FakeClock()
    journal = kn.Journal(folder / "journal.db")
    client = kn.Client(env_file=False, environ={}, journal=journal, download_dir=folder,
                       clock=clock.now, sleep=clock.sleep)
    try:
        results = [client.generate(kn.Kling30(prompt="a fox in fresh snow", seed=seed,
                                              duration=5)) for seed in range(VIDEOS)]
    finally:
        journal.close()
    assert all(r.sandbox and r.path is not None and r.path.is_file() for r in results)
    return results


def _show(results: list[Result], videos: bool = False) -> tuple[float, str]:
    """Seconds of kernel time to build and show the board and answer its sheet requests (and
    its video requests, with ``videos``); and the size of what a saved notebook keeps."""
    started = time.perf_counter()
    gallery = kn.compare(results)
    board = gallery.board
    bundle = gallery._repr_mimebundle_()
    saved = json.dumps(board.get_state()) + json.dumps(bundle)
    for index, card in enumerate(board.cards):  # what the page asks for once it is on screen
        if card["sheet"]:
            board._receive(board, {"kind": "sheet", "index": index}, [])
    if videos:
        for index, card in enumerate(board.cards):
            if card["local"]:
                board._receive(board, {"kind": "fetch", "index": index}, [])
    seconds = time.perf_counter() - started
    assert sum(card["sheet"] for card in board.cards) == len(results)
    _close(gallery)
    return seconds, saved


def _close(gallery: Any) -> None:
    """Close the board's widgets, so runs do not pile up open comms."""
    for widget in (gallery.board, gallery.remix_area, gallery):
        widget.close()


def _static_grid(results: list[Result]) -> float:
    """Seconds to render the static grid of the same results, their sheets shown."""
    started = time.perf_counter()
    html = ResultList(results)._repr_mimebundle_()["text/html"]
    seconds = time.perf_counter() - started
    assert html.count("class='kling-nb-sheet'") == len(results)
    return seconds


def benchmark() -> list[Row]:
    """Show the board of 24 downloaded videos: sheets made (cold), then cached (warm)."""
    with tempfile.TemporaryDirectory(prefix="kling-nb-board-", dir=".") as folder:
        results = _downloaded(Path(folder))
        _static_grid(results)  # the first view loads the model catalogue (timed in start-up)
        _show(results[:1])  # the first board loads anywidget and reads the board's script
        static = statistics.median(_static_grid(results) for _ in range(WARM_RUNS))
        for result in results:
            assert result.path is not None
            sheet_path(result.path).unlink()
        cold, saved = _show(results)
        warm = statistics.median(_show(results)[0] for _ in range(WARM_RUNS))
        with_videos = statistics.median(_show(results, videos=True)[0] for _ in range(WARM_RUNS))
    baseline = f"static grid {1000 * static:.1f} ms"
    return [
        Row("board", f"{VIDEOS}-video board shown, sheets made (cold; kernel time)",
            f"{1000 * cold:.0f} ms", baseline, f"{cold / static:.1f}x", "< 1 s", cold < 1.0),
        Row("board", f"{VIDEOS}-video board shown, sheets cached (as after download)",
            f"{1000 * warm:.1f} ms", baseline, f"{warm / static:.1f}x", "< 1 s", warm < 1.0),
        Row("board", f"{VIDEOS}-video board shown, cached sheets and the {VIDEOS} videos sent",
            f"{1000 * with_videos:.1f} ms", baseline, f"{with_videos / static:.1f}x",
            "< 1 s", with_videos < 1.0),
        Row("board", f"{VIDEOS}-video board: widget state + MIME bundle (all a notebook can save)",
            f"{len(saved) / 1000:.1f} KB", target="no image or video bytes",
            met=not any(mark in saved for mark in ("base64", "data:", "JFIF", "ftyp"))),
    ]
