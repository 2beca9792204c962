"""The blind review widget, headless: the page's state names no job, prompt or file and holds
no bytes; a local video comes as a buffer when asked for; votes and undo sent by the page reach
the journal; a stale vote is dropped; the progress counts; a sweep's results and a history can
be reviewed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.notebook.review import Review, review


class Sent:
    """What a widget would send over its comm."""

    def __init__(self, widget: Review) -> None:
        self.messages: list[tuple[dict[str, Any], list[bytes] | None]] = []
        widget.send = lambda content, buffers=None: self.messages.append((content, buffers))


@pytest.fixture
def client(tmp_path: Path, journal: Journal) -> kn.Client:
    """A sandbox client journaling to ``journal``, videos in tmp_path."""
    return kn.Client(sandbox=True, download_dir=tmp_path / "videos", journal=journal)


@pytest.fixture
def results(client: kn.Client) -> list[kn.Result]:
    """Three short sandbox videos of different prompts."""
    return [client.generate(kn.Kling30(prompt=p, duration=3, seed=1))
            for p in ("a calm lake", "a stormy sea", "a dry desert")]


def press(widget: Review, outcome: str) -> None:
    """What a key or button press sends: the outcome for the round on screen."""
    widget._receive(widget, {"kind": "vote", "outcome": outcome,
                             "round": widget.pair["round"]}, [])


def test_the_page_state_is_blind_and_holds_no_bytes(results: list[kn.Result],
                                                    journal: Journal) -> None:
    """Two random keys, no job id, prompt or path anywhere in what the page gets or what a
    saved notebook keeps; both sides are local files sent on request."""
    widget = review(results, journal=journal, seed=1)
    state = json.dumps(widget.get_state()) + json.dumps(widget._repr_mimebundle_(),
                                                        default=str)
    for result in results:
        assert result.job_id not in state
        assert str(result.path) not in state
        assert (result.path.name if result.path else "") not in state
    assert "a calm lake" not in state
    assert "base64" not in state
    assert "data:video" not in state
    left, right = widget.pair["left"], widget.pair["right"]
    assert left["key"] != right["key"]
    assert left["key"].startswith("v")
    assert (left["local"], left["src"], right["local"]) == (True, "", True)
    assert widget.pair["sandbox"] is True
    assert widget.progress == {"judged": 0, "goal": 3, "skipped": 0, "remaining": 3,
                               "done": False, "sandbox": True, "round": 1}
    assert widget.title == "Blind review of 3 videos"
    assert repr(widget) == ("Blind review of 3 videos (SANDBOX): two at a time, labels hidden; "
                            "0 of 3 verdicts given, 3 pairs never judged (an interactive "
                            "widget: run the notebook to use it)")
    assert widget._repr_mimebundle_()[0]["text/plain"] == repr(widget)  # whole, never cut off


def test_a_fetch_gets_the_video_as_one_buffer(results: list[kn.Result],
                                              journal: Journal) -> None:
    """The page asks by key; the kernel sends that video's bytes; an unknown key is ignored."""
    widget = review(results, journal=journal, seed=2)
    sent = Sent(widget)
    key = widget.pair["left"]["key"]
    widget._receive(widget, {"kind": "fetch", "key": key}, [])
    widget._receive(widget, {"kind": "fetch", "key": "v-not-mine"}, [])
    ((content, buffers),) = sent.messages
    assert content == {"kind": "video", "key": key, "type": "video/mp4"}
    path = widget.sources[widget.video_keys.index(key)].path
    assert path is not None
    assert buffers == [path.read_bytes()]


def test_votes_and_undo_from_the_page_reach_the_journal(results: list[kn.Result],
                                                        journal: Journal) -> None:
    """Left, then undo, then tie, right, skip: the journal holds what the sides were; the
    progress follows; when every pair is judged the pair is empty and undo stays possible."""
    widget = review(results, journal=journal, seed=3)
    called: list[Review] = []
    widget.on_vote(called.append)
    first = dict(widget.pair)
    press(widget, "left")
    assert widget.progress["judged"] == 1
    assert widget.can_undo
    widget._receive(widget, {"kind": "undo"}, [])
    assert journal.verdicts() == []
    assert widget.pair["left"]["key"] == first["left"]["key"]
    for outcome in ("tie", "right", "skip"):
        press(widget, outcome)
    assert [v.outcome for v in journal.verdicts()] == ["tie", "right", "skip"]
    assert widget.pair == {}
    assert widget.progress["done"] is True
    assert (widget.progress["judged"], widget.progress["skipped"]) == (2, 1)
    assert widget.can_undo
    assert len(called) == 5
    keys = dict(zip(widget.video_keys, [e.handle for e in widget.session.entries],
                    strict=True))
    assert journal.verdicts()[0].left == keys[first["left"]["key"]]


def test_stray_and_stale_messages_change_nothing(results: list[kn.Result],
                                                 journal: Journal) -> None:
    """A vote for an old round, an unknown outcome, junk content: no verdict is written."""
    widget = review(results, journal=journal, seed=4)
    old = widget.pair["round"]
    press(widget, "left")
    for content in ({"kind": "vote", "outcome": "left", "round": old},
                    {"kind": "vote", "outcome": "better", "round": widget.pair["round"]},
                    {"kind": "nope"}, "vote", {"kind": "fetch", "key": 3}):
        widget._receive(widget, content, [])
    assert len(journal.verdicts()) == 1


def test_a_vote_that_cannot_be_saved_frees_the_page(results: list[kn.Result],
                                                    journal: Journal,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal error while saving a vote is said on the page, which may vote again."""
    widget = review(results, journal=journal, seed=4)
    sent = Sent(widget)

    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise kn.KlingError("the journal is locked")

    monkeypatch.setattr(widget.session, "vote", locked)
    press(widget, "left")
    assert sent.messages == [({"kind": "failed",
                               "message": "Not saved: the journal is locked. Try again."}, None)]
    assert journal.verdicts() == []


def test_results_from_another_journal_ask_for_it(results: list[kn.Result],
                                                 tmp_path: Path) -> None:
    """Results kept in a journal other than the one given: a message naming ``journal=``."""
    with pytest.raises(LookupError, match=r"not in the journal .*journal=\.\.\."):
        review(results, journal=Journal(tmp_path / "other.db"))


def test_a_sweeps_results_and_a_history_can_be_reviewed(client: kn.Client,
                                                        journal: Journal) -> None:
    """kn.review(sweep results) keeps verdicts in the sweep's journal, found through its
    client; results.ranking(by="prompt") ranks them; a history works the same way."""
    sweep = kn.Sweep(kn.Kling30(prompt="x", duration=3), prompts=["a calm lake", "a stormy sea"],
                     seeds=[1, 2])
    done = sweep.run(client)
    widget = review(done, seed=5)
    assert widget.session.journal is journal
    while widget.pair:
        press(widget, "left")
    assert len(journal.verdicts()) == 6
    ranking = done.ranking(by="prompt")
    assert sum(r.comparisons for r in ranking.sandbox.rows) == 2 * ranking.sandbox.verdicts
    again = review(journal.history(), seed=6)
    assert again.session.journal is journal
    assert again.pair == {}  # every pair of these four was judged already


def test_videos_that_cannot_play_are_left_out(results: list[kn.Result], journal: Journal,
                                              client: kn.Client) -> None:
    """A job without a downloaded or loadable video is left out and counted in the title;
    something that is no result at all is refused, saying what it is."""
    undownloaded = client.generate(kn.Kling30(prompt="no file", duration=3), download=False)
    widget = review([*results, undownloaded], journal=journal)
    assert len(widget.sources) == 3
    assert "1 without a playable video left out" in widget.title
    with pytest.raises(TypeError, match="not a result, job or journal entry"):
        review(results, 42, journal=journal)


def test_a_scripted_judge_votes_on_the_pairs_the_review_picks(results: list[kn.Result],
                                                              journal: Journal,
                                                              client: kn.Client) -> None:
    """judge_with sees the entries on screen (left, right), its verdicts go to the journal as
    the sides were shown, it stops at the goal or at ``until`` verdicts (key presses count,
    skips do not), or when no pair is left; a verdict that is none is refused."""
    more = [client.generate(kn.Kling30(prompt=p, duration=3, seed=1)) for p in ("ice", "fog")]
    widget = review([*results, *more], journal=journal, seed=7, goal=4)
    seen: list[tuple[str, str]] = []

    def calm_first(left: kn.Entry, right: kn.Entry) -> str:
        seen.append((left.handle, right.handle))
        return "left" if left.prompt == "a calm lake" else "right"

    press(widget, "tie")
    assert widget.judge_with(calm_first, until=3) == 2  # the key press counts
    assert widget.judge_with(calm_first) == 1  # on to the goal of 4
    said = journal.verdicts()[1:]
    assert [(v.left, v.right) for v in said] == seen
    assert all(v.winner == (v.left if journal.entry(v.left).prompt == "a calm lake"
                            else v.right) for v in said)
    assert widget.progress["judged"] == 4
    assert widget.judge_with(calm_first) == 0  # the goal is reached
    assert widget.judge_with(lambda left, right: "skip", until=10) == 0  # skips use up pairs
    assert widget.progress["remaining"] == 0
    assert widget.pair == {}
    late = client.generate(kn.Kling30(prompt="snow", duration=3, seed=1))
    other = review(late, *results[:1], journal=journal, seed=9)
    with pytest.raises(ValueError, match="the judge said 'better'"):
        other.judge_with(lambda left, right: "better")
    with pytest.raises(ValueError, match="until: -1"):
        other.judge_with(calm_first, until=-1)
