"""A promotion's results show as the compare board with each draft beside its final."""

from __future__ import annotations

from pathlib import Path

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.notebook.gallery import promotion_bundle, promotion_gallery
from kling_nb.sandbox import Sandbox


def test_each_draft_sits_beside_its_final(tmp_path: Path) -> None:
    """Cards in pairs: 'draft 1', 'final 1', 'draft 2', 'final 2'; the final differs in its
    row's settings; the static table stays as the fallback."""
    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    drafts = kn.Sweep(kn.Kling30(prompt="x", duration=3), prompts=["a fox", "a cat"]).run(
        client, progress=False)
    for entry in drafts.history():
        journal.rate(entry.handle, 4)
    finals = drafts.promote(top=2, to={"model": "leonardo/kling-3.0", "duration": 5}).run(
        client, progress=False)
    bundle = promotion_bundle(finals)
    assert "kling-nb-promotion" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    gallery = promotion_gallery(finals)
    assert gallery is not None
    board = gallery.board
    titles = [card["title"].split()[0:2] for card in board.cards]
    assert titles == [["draft", "1"], ["final", "1"], ["draft", "2"], ["final", "2"]]
    assert all(card["metrics"] for card in board.cards)
    pairs = finals.pairs
    assert board.cards[0]["title"].endswith((pairs[0][0].job_id or "")[:8])  # type: ignore[union-attr]
    assert board.cards[1]["title"].endswith((pairs[0][1].job_id or "")[:8])
    journal.close()
