"""The studio app: Generate puts the video on the board, ratings reach the client's journal and
the leaderboard, remix refills the form, the SANDBOX line, and where the app works."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn
from kling_nb.core.apps import APPS, FOLDER_VARIABLE
from kling_nb.notebook.app import StudioApp, app_client, app_folder, mode_html, studio_app


@pytest.fixture
def journal(tmp_path: Path) -> kn.Journal:
    """A journal of the test's own."""
    return kn.Journal(tmp_path / "journal.db")


@pytest.fixture
def client(tmp_path: Path, journal: kn.Journal) -> kn.Client:
    """A sandbox client reporting to that journal."""
    return kn.Client(sandbox=True, download_dir=tmp_path / "videos", journal=journal)


def make(client: kn.Client, **options: Any) -> tuple[StudioApp, list[Any]]:
    """An app that validates at once; Generate's coroutines are collected, not started."""
    started: list[Any] = []
    return studio_app(client, debounce=0, runner=started.append, **options), started


def generate(app: StudioApp, started: list[Any], prompt: str, **values: Any) -> kn.Result:
    """Fill the form, press Generate and run the job to the end."""
    app.studio.form.set_values({"prompt": prompt, **values})
    app.studio.form.generate_button.click()
    result = asyncio.run(started.pop())
    assert result is not None, app.studio.form.progress.value
    return result


def rate(app: StudioApp, index: int, stars: int) -> None:
    """What the board's stars send to the kernel."""
    assert app.gallery is not None
    app.gallery.board._receive(None, {"kind": "rate", "index": index, "stars": stars}, [])


def test_generate_puts_the_video_on_the_board_and_ranks_its_rating(
        client: kn.Client, journal: kn.Journal) -> None:
    """The video is the board's first card (SANDBOX, rateable, sent over the comm); its rating
    is written to the client's journal and the leaderboard shows it."""
    app, started = make(client)
    assert app.journal is journal
    assert "No videos yet" in app.board.children[0].value
    assert "No jobs to rank yet" in app.leaderboard.value
    result = generate(app, started, "a paper boat")
    assert app.gallery is not None
    board = app.gallery.board
    assert board.can_rate
    assert [c["title"] for c in board.cards] == [f"#0 {result.job_id[:8]}"]
    card = board.cards[0]
    assert card["sandbox"]
    assert card["local"]  # its bytes come over the comm
    assert card["src"] == ""
    assert board.files == [result.path]
    done = app.studio.form.output.outputs[0]["data"]
    assert "first on the board" in done["text/plain"]
    assert "SANDBOX" in done["text/html"]
    assert "<video" not in done["text/html"]  # the board plays it, in any front end
    assert "<td>0</td>" in app.leaderboard.value  # one job, nothing rated yet
    rate(app, 0, 4)
    assert journal.entry(result.job_id).rating == 4
    assert board.cards[0]["rating"] == 4
    assert "<td>4.00</td>" in app.leaderboard.value
    assert "SANDBOX" in app.leaderboard.value
    assert repr(app).startswith("Studio app: a model's form, Generate, this session's videos "
                                "on the compare board (1 so far)")
    assert "application/vnd.jupyter.widget-view+json" in app._repr_mimebundle_()


def test_ratings_tags_and_notes_survive_the_next_video(client: kn.Client,
                                                       journal: kn.Journal) -> None:
    """A new video rebuilds the board newest first; earlier cards keep what was written."""
    app, started = make(client)
    first = generate(app, started, "a fox")
    rate(app, 0, 2)
    assert app.gallery is not None
    app.gallery.board._receive(None, {"kind": "tag", "index": 0, "tag": "dusk"}, [])
    app.gallery.board._receive(None, {"kind": "note", "index": 0, "note": "too dark"}, [])
    old_board = app.gallery.board
    second = generate(app, started, "a hare")
    assert app.gallery.board is not old_board
    assert old_board.comm is None  # the replaced board was closed
    cards = app.gallery.board.cards
    assert [c["title"][3:] for c in cards] == [second.job_id[:8], first.job_id[:8]]
    assert (cards[1]["rating"], cards[1]["tags"], cards[1]["note"]) == (2, ["dusk"], "too dark")
    assert journal.entry(first.job_id).tags == ("dusk",)
    rate(app, 0, 5)
    assert journal.entry(second.job_id).rating == 5
    app.by.value = "prompt"
    assert app.leaderboard.value.index("a hare") < app.leaderboard.value.index("a fox")


def test_the_leaderboard_covers_this_session_or_the_whole_journal(
        client: kn.Client, journal: kn.Journal) -> None:
    """Jobs from before the app opened count only in the whole journal's ranking."""
    earlier = client.generate(kn.Kling30(prompt="an earlier fox", duration=5))
    journal.rate(earlier.job_id, 3)
    app, started = make(client, by="prompt")
    generate(app, started, "a new fox")
    assert "an earlier fox" not in app.leaderboard.value
    assert "a new fox" in app.leaderboard.value
    app.scope.value = "journal"
    assert "an earlier fox" in app.leaderboard.value
    assert "<td>3.00</td>" in app.leaderboard.value


def test_generate_from_another_model_lands_on_the_board_too(client: kn.Client) -> None:
    """The board follows every form the studio makes, not only the first one."""
    app, started = make(client)
    app.studio.select("aimlapi/kling-2.6-pro")
    result = generate(app, started, "a heron")
    assert result.model == "aimlapi/kling-2.6-pro"
    assert app.items[0].result is result
    assert app.gallery is not None
    assert app.gallery.board.cards[0]["title"].endswith(result.job_id[:8])


def test_remix_puts_the_card_back_in_the_form(client: kn.Client) -> None:
    """"remix this" selects the card's model and fills in its values."""
    app, started = make(client)
    generate(app, started, "a kite over dunes", duration=10)
    app.studio.select("leonardo/kling-2.5-turbo")
    assert app.gallery is not None
    app.gallery.board._receive(None, {"kind": "remix", "index": 0}, [])
    assert app.studio.picker.value == "leonardo/kling-3.0"
    spec = app.studio.form.spec
    assert spec is not None
    assert (spec.prompt, spec.duration) == ("a kite over dunes", 10)


def test_without_a_journal_the_board_plays_but_cannot_rate(tmp_path: Path) -> None:
    """A client with no journal: the page says so instead of offering stars."""
    quiet = kn.Client(sandbox=True, download_dir=tmp_path, journal=False)
    app, started = make(quiet)
    assert app.journal is None
    generate(app, started, "a moth")
    assert app.gallery is not None
    assert not app.gallery.board.can_rate
    assert "journal is off" in app.leaderboard.value
    assert any("journal is off" in getattr(c, "value", "") for c in app.children)


def test_the_mode_line_says_sandbox_or_live_per_provider(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """SANDBOX whenever a provider runs in the emulator, and why; never a key."""
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "KLING_NB_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    offline = kn.Client(env_file=False, journal=False)
    text = mode_html(offline)
    assert "SANDBOX" in text
    assert "no API key set" in text
    forced = kn.Client(sandbox=True, leonardo_key="lk-secret-1234", env_file=False,
                       journal=False)
    assert "the sandbox was chosen" in mode_html(forced)
    mixed = kn.Client(leonardo_key="lk-secret-1234", env_file=False, journal=False)
    text = mode_html(mixed)
    assert "Leonardo.AI: <b>live</b>" in text
    assert "AI/ML API: <span" in text
    assert "SANDBOX" in text
    assert "lk-secret" not in text + mode_html(forced)


def test_the_app_works_in_the_folder_its_launcher_names(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``KLING_NB_STUDIO_DIR``: videos in its kling_videos, keys from its .env; in the package's
    own app folder (plain voila) the home folder; elsewhere the current folder, as usual."""
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "KLING_NB_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    assert app_folder() == tmp_path
    assert app_folder(tmp_path / "other") == tmp_path / "other"
    (tmp_path / ".env").write_text("LEONARDO_API_KEY=lk-from-dotenv\n")
    client = app_client(app_folder())
    assert client.download_dir == tmp_path / "kling_videos"
    assert not client.is_sandbox("leonardo")
    assert client.is_sandbox("aimlapi")
    monkeypatch.delenv(FOLDER_VARIABLE)
    monkeypatch.chdir(APPS)
    assert app_folder() == Path.home()
    monkeypatch.chdir(tmp_path)
    assert app_folder() is None
    assert app_client(None).download_dir == Path("kling_videos")


def test_the_app_makes_its_own_client_reporting_to_the_default_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kn.studio_app()`` with no client: the default journal (the tests' own file)."""
    monkeypatch.setenv("KLING_NB_SANDBOX", "1")
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    app = kn.studio_app(debounce=0)
    assert isinstance(app.client, kn.Client)
    assert app.journal is not None
    assert Path(app.journal.path) == Path(os.environ["KLING_NB_JOURNAL"])
    assert "SANDBOX" in app.mode.value


def test_a_failing_listener_does_not_hide_the_video(client: kn.Client) -> None:
    """A listener's error shows under the progress line; the result stands."""
    from kling_nb.notebook.form import SpecForm

    started: list[Any] = []
    form = SpecForm("leonardo/kling-3.0", client, debounce=0, runner=started.append)
    heard: list[Any] = []
    form.on_generated(lambda f, r: heard.append((f, r)))
    form.on_generated(lambda f, r: 1 / 0)
    form.fields["prompt"].set("a lantern")
    form.generate_button.click()
    result = asyncio.run(started[0])
    assert heard == [(form, result)]
    assert "division by zero" in form.progress.value
    assert result.job_id in form.output.outputs[0]["data"]["text/plain"]


def test_the_app_reviews_its_videos_blind_and_ranks_them(client: kn.Client,
                                                         journal: kn.Journal) -> None:
    """Fewer than two videos: the review says to make more. Three: a review of them starts,
    each vote is a journal verdict and the ranking below follows it; "whole journal" ranks
    the journal's videos."""
    app, started = make(client)
    panel = app.review
    assert panel.begin() is None
    assert "two videos or more" in panel.status.value
    assert "No verdicts yet" in panel.table.value
    for prompt in ("a calm lake", "a stormy sea", "a dry desert"):
        generate(app, started, prompt)
    widget = panel.begin()
    assert widget is not None
    assert panel.holder.children == (widget,)
    for outcome in ("left", "right", "tie"):
        widget._receive(widget, {"kind": "vote", "outcome": outcome,
                                 "round": widget.pair["round"]}, [])
    assert [v.outcome for v in journal.verdicts()] == ["left", "right", "tie"]
    assert "kling-nb-ranking" in panel.table.value
    assert "SANDBOX" in panel.table.value
    panel.by.value = "prompt"
    assert "a calm lake" in panel.table.value
    panel.scope.value = "journal"
    assert len(panel.entries()) == 3
