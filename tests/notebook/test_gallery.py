"""The gallery: differing parameters highlighted, playback, rating and tagging."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.core.compare import differing
from kling_nb.notebook import board as board_module
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


def shown(gallery: Gallery) -> str:
    """Everything the board's state holds, as one string (what the page is given)."""
    return json.dumps({"title": gallery.board.title, "shared": gallery.board.shared,
                       "cards": gallery.board.cards})


def test_a_sweep_highlights_only_the_parameters_that_differ() -> None:
    """(spec, result) pairs of a seed sweep: seed differs, the prompt is shared once."""
    sweep = [(kn.Kling30(prompt="a fox", seed=s), result(f"j{s}", seed=s)) for s in (1, 2, 3)]
    gallery = Gallery(sweep)
    assert gallery.differ == {"seed"}
    assert gallery.shared["prompt"] == "a fox"
    assert ["prompt", "a fox"] in gallery.board.shared
    assert gallery.board.title == "3 results; differing: seed"
    for card, seed in zip(gallery.board.cards, (1, 2, 3), strict=True):
        assert card["differ"] == [["seed", str(seed)]]
        assert ["prompt", "a fox"] in card["record"]  # the full record, one click away
        assert ["job id", f"j{seed}"] in card["record"]


def test_the_shared_header_leaves_out_settings_left_at_an_off_default() -> None:
    """Fields a form sends at their off or empty default (public False, no references, no
    prompt rewrite) are not listed; a set size reads as one size; one card's change from a
    default shows as "(default)" against the other card's value."""
    form_like = {"public": False, "image_references": [], "prompt_enhance": None,
                 "duration": 5, "size": "1280x720"}
    specs = [kn.Kling30(prompt="a fox", seed=1, **form_like),
             kn.Kling30(prompt="a fox", seed=2, **{**form_like, "public": True})]
    gallery = Gallery([(spec, result(f"j{spec.seed}", seed=spec.seed)) for spec in specs])
    shared = dict(gallery.board.shared)
    assert "image_references" not in shared
    assert "prompt_enhance" not in shared
    assert (shared["duration"], shared["size"]) == ("5", "1280x720")
    assert "width" not in shared
    assert gallery.board.cards[0]["differ"] == [["public", "(default)"], ["seed", "1"]]
    assert gallery.board.cards[1]["differ"] == [["public", "True"], ["seed", "2"]]


def test_results_alone_compare_by_their_own_facts() -> None:
    """Plain results compare on model, prompt, duration, size and seed."""
    items = [to_item(result("a", duration=5)), to_item(result("b", duration=10, prompt="<b>"))]
    shared, differ = differing([item.params for item in items])
    assert differ == ["duration", "prompt"]
    assert shared["size"] == "1920x1080"
    gallery = compare(items[0].result, items[1].result)
    assert gallery.board.cards[1]["differ"] == [["duration", "10"], ["prompt", "<b>"]]


def test_a_sandbox_cards_record_labels_its_price() -> None:
    """A sandbox card's full record lists the sandbox's price, labelled, and no cost."""
    live, sandbox = compare(result("a"), result("b", sandbox=True)).board.cards
    assert ["cost", "$0.99"] in live["record"]
    assert ["price", "$0.99 (sandbox price, not billed)"] in sandbox["record"]
    assert not any(name == "cost" for name, _ in sandbox["record"])


def test_live_videos_play_by_url_and_local_ones_come_over_the_comm(tmp_path: Path) -> None:
    """A live card has its https URL; a sandbox card asks for its file; no bytes in the state."""
    video = tmp_path / "v.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"x" * 5000)
    sandbox = result("b", sandbox=True, video_url="https://cdn.sandbox.kling-nb.invalid/b.mp4",
                     path=video)
    gallery = compare([result("a"), sandbox])
    live, local = gallery.board.cards
    assert (live["src"], live["local"]) == ("https://cdn.example/a.mp4", False)
    assert (local["src"], local["local"], local["sandbox"]) == ("", True, True)
    assert gallery.board.files == [None, video]
    state = shown(gallery)
    assert "base64" not in state
    assert "ftyp" not in state
    assert "1 SANDBOX" in gallery.board.title


def sandbox_result(folder: Path, seed: int) -> Result:
    """A downloaded sandbox result with a real (2-second) MP4 and no sheet yet."""
    from kling_nb.sandbox._media import RenderSpec, render

    video = folder / f"sandbox-{seed}.mp4"
    video.write_bytes(render(RenderSpec(1280, 720, 2, "kling-3.0", f"seed {seed}", seed)).mp4)
    return result(f"s{seed}", seed=seed, sandbox=True, path=video,
                  video_url=f"https://cdn.sandbox.kling-nb.invalid/s{seed}.mp4")


class Recorded:
    """Collects what a board sends over its comm."""

    def __init__(self, gallery: Gallery, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[tuple[Any, Any]] = []
        monkeypatch.setattr(gallery.board, "send",
                            lambda content, buffers=None: self.sent.append((content, buffers)))


def test_every_card_of_local_videos_gets_its_sheet_over_the_comm(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each card of downloaded videos says it has a sheet; asked for, the sheet is made and
    sent as a JPEG buffer; the state and the saved output hold no image or video at all."""
    downloaded = [sandbox_result(tmp_path, seed) for seed in (1, 2, 3)]
    live = result("live", path=downloaded[0].path, seed=4)  # a live video, downloaded too
    gallery = compare([*downloaded, live])
    assert [c["sheet"] for c in gallery.board.cards] == [True] * 4
    assert [c["local"] for c in gallery.board.cards] == [True, True, True, False]
    recorded = Recorded(gallery, monkeypatch)
    for index in range(4):
        gallery.board._receive(gallery.board, {"kind": "sheet", "index": index}, [])
    for index, (content, buffers) in enumerate(recorded.sent):
        assert content == {"kind": "sheet", "key": f"card-{index}", "type": "image/jpeg",
                           "frames": 3}
        assert len(buffers) == 1
        assert buffers[0][:3] == b"\xff\xd8\xff"
    assert all(Path(f"{r.path}.sheet.jpg").is_file() for r in downloaded)  # cached beside it
    saved = json.dumps(gallery.board.get_state()) + json.dumps(gallery._repr_mimebundle_())
    for inline in ("base64", "data:image", "data:video", "JFIF", "ftyp", ".sheet.jpg"):
        assert inline not in saved, inline
    assert len(saved) < 5000 * len(gallery.items)


def test_url_only_results_have_no_sheet_and_still_render(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Live results never downloaded: no sheet slot (the poster URL stands in), and a stray
    sheet request is answered with a message, not an exception."""
    gallery = compare(result("a", poster_url="https://cdn.example/a.jpg"),
                      result("b", seed=2, poster_url="https://cdn.sandbox.kling-nb.invalid/b.jpg"))
    first, second = gallery.board.cards
    assert (first["sheet"], first["poster"], first["src"]) == (
        False, "https://cdn.example/a.jpg", "https://cdn.example/a.mp4")
    assert (second["sheet"], second["poster"]) == (False, "")  # a host no browser can load
    assert gallery._repr_mimebundle_()["text/plain"].startswith(
        "Compare board: 2 results; differing: seed")
    recorded = Recorded(gallery, monkeypatch)
    gallery.board._receive(gallery.board, {"kind": "sheet", "index": 1}, [])
    assert recorded.sent == [({"kind": "sheet", "key": "card-1",
                               "message": "no downloaded video"}, None)]


def test_the_board_has_the_sync_bar_and_card_controls() -> None:
    """The front end builds one play/seek/loop/speed bar and per-card enlarge, stars, tags."""
    script = (Path(board_module.__file__).parent / "board.js").read_text()
    for hook in ("kn-play", "kn-seek", "kn-loop", "kn-speed", "kn-enlarge", "kn-star",
                 "kn-tag-input", "kn-note", "kn-remix", "<details>".strip("<>"), "keydown",
                 "kn-sheet", "kn-sheet-more", 'kind: "sheet"'):
        assert hook in script, hook
    assert "base64" not in script
    assert "URL.createObjectURL" in script


def test_rating_and_tagging_write_to_the_journal() -> None:
    """Stars, tags, untag and notes from the page call the journal with the job id."""
    journal = FakeJournal()
    gallery = Gallery([result("a"), result("b")], journal=journal)
    assert gallery.board.can_rate
    receive = gallery.board._receive
    receive(gallery.board, {"kind": "rate", "index": 1, "stars": 4}, [])
    receive(gallery.board, {"kind": "tag", "index": 1, "tag": "keeper"}, [])
    assert gallery.board.cards[1]["tags"] == ["keeper"]
    receive(gallery.board, {"kind": "untag", "index": 1, "tag": "keeper"}, [])
    receive(gallery.board, {"kind": "note", "index": 1, "note": "best motion"}, [])
    receive(gallery.board, {"kind": "rate", "index": 7, "stars": 4}, [])  # no such card
    assert journal.calls == [("rate", "b", 4), ("tag", "b", "keeper"), ("untag", "b", "keeper"),
                             ("annotate", "b", "best motion")]
    assert gallery.board.cards[1]["rating"] == 4
    assert gallery.board.cards[1]["note"] == "best motion"


def test_on_change_follows_every_note_written() -> None:
    """``on_change`` hears of each rating, tag and note once the journal has it (the studio
    app re-ranks then); an invalid rating is not news."""
    heard: list[tuple[str, int | None, list[str], str]] = []
    gallery = Gallery([result("a"), result("b")], journal=FakeJournal(),
                      on_change=lambda i: heard.append((i.job_id, i.rating, list(i.tags),
                                                        i.note)))
    receive = gallery.board._receive
    receive(gallery.board, {"kind": "rate", "index": 0, "stars": 9}, [])
    receive(gallery.board, {"kind": "rate", "index": 0, "stars": 3}, [])
    receive(gallery.board, {"kind": "tag", "index": 1, "tag": "keeper"}, [])
    receive(gallery.board, {"kind": "note", "index": 1, "note": "nice"}, [])
    assert heard == [("a", 3, [], ""), ("b", None, ["keeper"], ""),
                     ("b", None, ["keeper"], "nice")]


def test_without_a_journal_nothing_is_written() -> None:
    """No journal: the page offers no rating, and a stray message changes nothing."""
    gallery = Gallery([result("a")])
    assert not gallery.board.can_rate
    gallery.rate(0, 5)
    assert gallery.board.cards[0]["rating"] == 0


def test_remix_hands_over_the_cards_spec() -> None:
    """"remix this" gives the card's spec to on_remix (and keeps it as .remixed)."""
    got: list[Any] = []
    spec = kn.Kling30(prompt="a fox", seed=2)
    gallery = Gallery([(spec, result("a", seed=2)), result("b")], on_remix=got.append)
    assert [c["remix"] for c in gallery.board.cards] == [True, False]
    gallery.board._receive(gallery.board, {"kind": "remix", "index": 0}, [])
    assert got == [spec]
    assert gallery.remixed is spec
    assert gallery.remix(1) is None


def test_remix_opens_a_filled_form_by_default() -> None:
    """Without on_remix, the spec opens in a form below the grid."""
    gallery = Gallery([(kn.Kling30(prompt="a fox", seed=2), result("a", seed=2))])
    gallery.remix(0)
    assert len(gallery.remix_area.outputs) == 1


def test_the_text_view_is_stable() -> None:
    """A fixed text form (no widget ids, no paths) that describes the board for a page
    without widgets: saved notebooks compare equal."""
    gallery = compare(result("a"), result("b", seed=2))
    assert repr(gallery) == ("Compare board: 2 results; differing: seed; plays them in sync, "
                             "side by side (an interactive widget: run the notebook to use it)")
    assert gallery._repr_mimebundle_()["text/plain"] == repr(gallery)


def test_from_history_shows_journal_records() -> None:
    """A journal query's records (with rating and tags) become the gallery."""

    class Record:
        def __init__(self, r: Result, rating: int, tags: list[str]) -> None:
            self.result, self.rating, self.tags, self.spec = r, rating, tags, None

    journal = FakeJournal([Record(result("a"), 5, ["best"]), Record(result("b", seed=2), 2, [])])
    gallery = Gallery.from_history(journal, model="leonardo/kling-3.0")
    assert journal.calls[0] == ("history", {"model": "leonardo/kling-3.0"})
    assert gallery.differ == {"seed"}
    assert gallery.board.cards[0]["rating"] == 5
    assert gallery.board.cards[0]["tags"] == ["best"]


def test_entries_without_a_result_are_refused() -> None:
    """A pending job cannot be shown in a gallery."""
    with pytest.raises(TypeError, match="no finished result"):
        to_item(object())


def sweep_of(*seeds: int) -> Any:
    """A sweep's results: one complete item per seed and one failed item."""
    from kling_nb.runs.plan import Estimate, SweepItem
    from kling_nb.runs.results import SweepResults

    items = [SweepItem(n, kn.Kling30(prompt="a fox", seed=s), Estimate(None, None, "documented"),
                       state="complete", result=result(f"j{s}", seed=s))
             for n, s in enumerate(seeds)]
    items.append(SweepItem(len(items), kn.Kling30(prompt="a fox", seed=99),
                           Estimate(None, None, "documented"), state="failed"))
    return SweepResults(items)


def test_a_sweeps_results_show_as_the_board_with_a_static_fallback() -> None:
    """Finished items become the board; the text and the static grid stay for other pages."""
    from kling_nb.notebook.gallery import sweep_bundle

    results = sweep_of(1, 2)
    data = sweep_bundle(results)
    assert data["text/plain"] == str(results)
    assert "kling-nb-sweep" in data["text/html"]
    assert "model_id" in data["application/vnd.jupyter.widget-view+json"]
    gallery = compare(results)  # failed items are left out
    assert gallery.differ == {"seed"}
    assert len(gallery.board.cards) == 2


def test_under_ipython_sweep_results_display_as_the_board(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing kling_nb in a kernel registers the board for SweepResults, by name."""
    import types

    import IPython
    from IPython.core.formatters import MimeBundleFormatter

    formatter = MimeBundleFormatter()
    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(
        mimebundle_formatter=formatter))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    kn._show_sweeps_as_boards()
    data, _ = formatter(sweep_of(1, 2))
    assert "application/vnd.jupyter.widget-view+json" in data
