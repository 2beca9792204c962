"""The gallery: differing parameters highlighted, playback, rating and tagging."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.core.compare import differing
from kling_nb.notebook.gallery import Gallery, compare, to_item
from kling_nb.specs.results import Cost, Result


def result(job_id: str, **changes: Any) -> Result:
    """A finished live result."""
    base: dict[str, Any] = {
        "job_id": job_id, "provider": "leonardo", "model": "leonardo/kling-3.0",
        "video_url": f"https://cdn.example/{job_id}.mp4", "asset_id": job_id,
        "width": 1920, "height": 1080, "duration": 5, "seed": 1, "prompt": "a fox",
        "cost": Cost(Decimal("0.99")),
    }
    base.update(changes)
    return Result(**base)


class FakeJournal:
    """Records the calls a gallery makes."""

    def __init__(self, records: list[Any] | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.records = records or []

    def rate(self, job_id: str, stars: int) -> None:
        self.calls.append(("rate", job_id, stars))

    def tag(self, job_id: str, *tags: str) -> None:
        self.calls.append(("tag", job_id, *tags))

    def untag(self, job_id: str, tag: str) -> None:
        self.calls.append(("untag", job_id, tag))

    def annotate(self, job_id: str, note: str) -> None:
        self.calls.append(("annotate", job_id, note))

    def history(self, **query: Any) -> list[Any]:
        self.calls.append(("history", query))
        return self.records


def test_a_sweep_highlights_only_the_parameters_that_differ() -> None:
    """(spec, result) pairs of a seed sweep: seed differs, the prompt is shared."""
    sweep = [(kn.Kling30(prompt="a fox", seed=s), result(f"j{s}", seed=s)) for s in (1, 2, 3)]
    gallery = Gallery(sweep)
    assert gallery.differ == {"seed"}
    assert gallery.shared["prompt"] == "a fox"
    assert "differing: <span" in gallery.header.value
    assert "seed" in gallery.header.value
    for card, seed in zip(gallery.cards, (1, 2, 3), strict=True):
        assert f"seed = {seed}" in card.params.value
        assert "background:#fff3cd" in card.params.value
        assert "prompt" not in card.params.value


def test_results_alone_compare_by_their_own_facts() -> None:
    """Plain results compare on model, prompt, duration, size and seed."""
    items = [to_item(result("a", duration=5)), to_item(result("b", duration=10, prompt="<b>"))]
    shared, differ = differing([item.params for item in items])
    assert differ == ["duration", "prompt"]
    assert shared["size"] == "1920x1080"
    gallery = compare(items[0].result, items[1].result)
    assert "&lt;b&gt;" in gallery.cards[1].params.value
    assert "<b>" not in gallery.cards[1].params.value


def test_cards_play_side_by_side_without_base64() -> None:
    """Each card holds the result's player; sandbox ones are marked."""
    gallery = compare([result("a"), result("b", sandbox=True)])
    htmls = [card.player.outputs[0]["data"]["text/html"] for card in gallery.cards]
    assert "<video controls" in htmls[0]
    assert "SANDBOX" in htmls[1]
    assert all("base64" not in h for h in htmls)
    assert "1 SANDBOX" in gallery.header.value


def test_rating_and_tagging_write_to_the_journal() -> None:
    """Stars, tags, untag and notes call the journal with the job id."""
    journal = FakeJournal()
    gallery = Gallery([result("a"), result("b")], journal=journal)
    card = gallery.cards[1]
    card.stars[3].click()
    card.tag_text.value = "keeper"
    card.tag_button.click()
    card.tag_list.children[0].click()
    card.note.value = "best motion"
    card.note_button.click()
    assert journal.calls == [("rate", "b", 4), ("tag", "b", "keeper"), ("untag", "b", "keeper"),
                             ("annotate", "b", "best motion")]
    assert [s.button_style for s in card.stars] == ["warning"] * 4 + [""]


def test_without_a_journal_the_buttons_are_disabled() -> None:
    """No journal: rating and tagging are offered disabled, nothing is called."""
    card = Gallery([result("a")]).cards[0]
    assert all(s.disabled for s in card.stars)
    assert card.tag_button.disabled


def test_from_history_shows_journal_records() -> None:
    """A journal query's records (with rating and tags) become the gallery."""

    class Record:
        def __init__(self, r: Result, rating: int, tags: list[str]) -> None:
            self.result, self.rating, self.tags, self.spec = r, rating, tags, None

    journal = FakeJournal([Record(result("a"), 5, ["best"]), Record(result("b", seed=2), 2, [])])
    gallery = Gallery.from_history(journal, model="leonardo/kling-3.0")
    assert journal.calls[0] == ("history", {"model": "leonardo/kling-3.0"})
    assert gallery.differ == {"seed"}
    assert [s.button_style for s in gallery.cards[0].stars] == ["warning"] * 5
    assert gallery.cards[0].tag_list.children[0].description.startswith("best")


def test_entries_without_a_result_are_refused() -> None:
    """A pending job cannot be shown in a gallery."""
    with pytest.raises(TypeError, match="no finished result"):
        to_item(object())
