"""The board's cards show each video's metrics in one line and what is worth a look (flags);
the full record lists every measurement and check."""

from __future__ import annotations

from pathlib import Path

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.media.metrics import Asked, Metrics
from kling_nb.notebook import board as board_module
from kling_nb.notebook.gallery import Gallery
from kling_nb.sandbox import Sandbox
from kling_nb.specs.results import Result

VALUES = {"seconds": 2.0, "width": 320.0, "height": 320.0, "fps": 8.0, "frames": 16.0,
          "audio": 0.0, "loudness_db": None, "silence": None, "motion": 1.5, "flicker": 0.1,
          "sharpness": 900.0, "black": 0.0, "frozen": 0.0}


def test_cards_show_the_metrics_line_and_flags() -> None:
    """A measured result's card: its summary, its flags; an unmeasured one: neither."""
    measured = Result(job_id="a", provider="leonardo", model="leonardo/kling-3.0",
                      video_url="https://cdn.example/a.mp4",
                      metrics=Metrics(VALUES, Asked(seconds=5, size=(16, 9), sound=True)))
    plain = Result(job_id="b", provider="leonardo", model="leonardo/kling-3.0",
                   video_url="https://cdn.example/b.mp4")
    first, second = Gallery([measured, plain]).board.cards
    assert first["metrics"].startswith("2.0 s · 320x320 · 8 fps · no sound · motion 1.5%")
    assert first["flags"] == ["shorter than asked: 2.0 s of 5 s",
                              "aspect 1:1 (320x320), asked 16:9",
                              "no sound track, though sound was asked"]
    record = dict(map(tuple, first["record"]))
    assert record["duration_ok"] == "NO"
    assert record["sharpness"] == "900"
    assert (second["metrics"], second["flags"]) == ("", [])
    script = (Path(board_module.__file__).parent / "board.js").read_text()
    assert "kn-metrics" in script
    assert "kn-flag" in script


def test_a_history_board_carries_the_journals_metrics(tmp_path: Path) -> None:
    """Gallery.from_history: each card's line comes from the journal's stored metrics."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    client.generate(kn.Kling30(prompt="a heron", duration=5), progress=False)
    [card] = Gallery.from_history(journal).board.cards
    assert card["metrics"].startswith("5.0 s · 320x180 · 8 fps")
    assert card["flags"] == []
    journal.close()
