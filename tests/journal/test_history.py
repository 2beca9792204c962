"""History, notes, sidecars, remix and costs, from the journal of real sandbox jobs."""

from __future__ import annotations

import base64
import importlib.util
import json
import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.journal.history import History
from kling_nb.journal.journal import Journal
from kling_nb.journal.sidecars import load_sidecar
from kling_nb.sandbox import DROP_AFTER, FAILED_JOB, Sandbox

SPEC = kn.Kling30(prompt="a fox in fresh snow", duration=5, mode="RESOLUTION_720")


@pytest.fixture
def client(tmp_path: Path, journal: Journal) -> kn.Client:
    """A sandbox client journaling to ``journal``."""
    return kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)


def test_rate_tag_annotate_and_filters(client: kn.Client, journal: Journal) -> None:
    """rate/tag/untag/annotate are stored and every history filter selects on them."""
    fox = client.generate(SPEC)
    owl = client.generate(SPEC.replace(prompt="an owl at dusk", duration=10))
    turbo = client.generate(kn.Kling25Turbo(prompt="a fox, turbo"), download=False)
    journal.rate(fox.job_id, 5)
    journal.tag(fox.job_id, "keeper", "snow")
    journal.untag(fox.job_id, "snow")
    journal.annotate(owl.job_id, "too dark")
    with pytest.raises(ValueError, match="1 to 5"):
        journal.rate(owl.job_id, 6)
    assert [e.job_id for e in journal.history(tag="keeper")] == [fox.job_id]
    assert journal.entry(fox.job_id).tags == ("keeper",)
    assert journal.entry(owl.job_id).note == "too dark"
    assert {e.job_id for e in journal.history(prompt="FOX")} == {fox.job_id, turbo.job_id}
    assert [e.job_id for e in journal.history(model="leonardo/kling-2.5-turbo")] == [
        turbo.job_id]
    assert [e.job_id for e in journal.history(min_rating=4)] == [fox.job_id]
    assert len(journal.history(status="complete", since=date.today())) == 3
    assert journal.history(until=datetime.now() - timedelta(days=1)) == []
    assert [e.job_id for e in journal.history(limit=1)] == [turbo.job_id]
    with pytest.raises(KeyError):
        journal.tag("no-such-job", "x")


def test_history_view_has_thumbnails_and_no_base64(client: kn.Client, journal: Journal,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook view shows a thumbnail, prompt, cost and links, never inline video.

    Sandbox posters live on an unreachable host, so the local video (in the notebook's
    folder) stands in for them.
    """
    monkeypatch.chdir(tmp_path)
    client.generate(SPEC)
    history = journal.history()
    bundle = history._repr_mimebundle_()
    html = bundle["text/html"]
    assert "<video src='" in html
    assert "cdn.sandbox" not in html
    assert "a fox in fresh snow" in html
    assert "$0.95" in unguarded(html)
    assert "href=" in html
    assert "base64" not in html
    assert "a fox in fresh snow" in bundle["text/plain"]
    assert History([])._repr_mimebundle_()["text/plain"] == "no jobs"


def test_failed_job_is_recorded_with_its_reason(tmp_path: Path, journal: Journal) -> None:
    """A job that fails on the server is journaled as failed with the reason."""
    sb = Sandbox()
    sb.faults.add(FAILED_JOB)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    with pytest.raises(kn.JobFailedError):
        client.generate(SPEC)
    [entry] = journal.history(status="failed")
    assert entry.error
    assert "FAILED" in entry.error
    assert entry.finished_at is not None


def test_sidecar_has_everything_to_reproduce(client: kn.Client, journal: Journal) -> None:
    """Each download gets <video>.json with spec, ids, cost and timings; notes update it."""
    result = client.generate(SPEC)
    assert result.path is not None
    data = json.loads(Path(str(result.path) + ".json").read_text())
    assert data["spec"] == SPEC.to_dict()
    assert data["job_id"] == result.job_id
    assert data["cost"] == {"amount": "0.95", "unit": "USD"}
    assert data["asset_id"]
    assert data["submitted_at"]
    assert data["finished_at"]
    assert data["elapsed_seconds"] >= 0
    journal.rate(result.job_id, 4)
    assert load_sidecar(result.path).data["rating"] == 4


def test_remix_from_journal_and_sidecar(client: kn.Client, journal: Journal) -> None:
    """A past job's spec comes back from the journal or the sidecar, ready to change and submit."""
    result = client.generate(SPEC)
    assert result.path is not None
    remix = journal.spec(result.job_id).replace(prompt="a fox in spring rain")
    assert remix == SPEC.replace(prompt="a fox in spring rain")
    sidecar = load_sidecar(result.path)
    assert sidecar.spec == SPEC
    assert sidecar.job_id == result.job_id
    assert sidecar.cost == kn.Cost.parse("0.95", "USD")
    again = client.generate(sidecar.remix(duration=10))
    assert journal.entry(again.job_id).duration == 10


def test_costs_per_day_model_and_sweep(client: kn.Client, journal: Journal) -> None:
    """Costs are summed from what the API reported, per day, per model and per sweep."""
    client.generate(SPEC, download=False)
    client.generate(kn.Kling25Turbo(prompt="cheap"), download=False)
    with journal.labels(sweep="sweep-x", index=0):
        client.generate(SPEC.replace(duration=10), download=False)
    by_model = journal.costs(by="model").sandbox
    assert by_model is not None
    assert by_model["leonardo/kling-3.0"].usd == Decimal("0.95") + Decimal("1.89")
    assert by_model["leonardo/kling-2.5-turbo"].usd == Decimal("0.35")
    assert journal.costs(by="sweep").sandbox["sweep-x"].jobs == 1  # type: ignore[index]
    by_day = journal.costs(by="day")
    assert by_day.sandbox[date.today().isoformat()].usd == Decimal("3.19")  # type: ignore[index]
    assert by_day.sandbox.total.jobs == 3  # type: ignore[union-attr]
    assert by_day.total.jobs == 0  # sandbox jobs are never in the live total
    assert "sandbox total" in str(by_day)
    assert "<table>" in by_day._repr_mimebundle_()["text/html"]
    with pytest.raises(ValueError, match="by"):
        journal.costs(by="week")


def test_sandbox_prices_are_labelled_in_the_journal(client: kn.Client,
                                                   journal: Journal) -> None:
    """Entries, the history table, the job and the cost table call a sandbox job's price a
    sandbox price (made up where none is published), never money spent."""
    job = client.submit(kn.MODELS["leonardo/kling-o3"].spec(prompt="fog"))
    made_up = f"{job.cost} (made-up sandbox price: no price is published; not billed)"
    assert made_up in str(job)
    assert f"price {made_up}" in job._text_view()
    assert "as the API reported it" not in job._html_view()
    client.generate(SPEC, download=False)
    entry = journal.entry(journal.history(model=SPEC.key)[0].job_id or "")
    assert "$0.95 (sandbox price, not billed)" in str(entry)
    html = unguarded(journal.history()._repr_mimebundle_()["text/html"])
    assert "$0.95 (sandbox price, not billed)" in html
    assert made_up in html
    table = journal.costs(by="model")
    text = str(table)
    assert "sandbox prices, made up where no price is published; never billed" in text
    assert "sandbox total (sandbox prices, not billed)" in text
    assert "$0.95 (sandbox prices)" in unguarded(table._repr_mimebundle_()["text/html"])


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas not installed")
def test_to_pandas(client: kn.Client, journal: Journal) -> None:
    """History and cost tables convert to DataFrames when pandas is installed."""
    client.generate(SPEC, download=False)
    assert list(journal.history().to_pandas()["prompt"]) == [SPEC.prompt]
    assert journal.costs(by="model").to_pandas()["jobs"].sum() == 1


def test_to_pandas_without_pandas_says_how(journal: Journal,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_pandas raises an ImportError naming the package to install."""
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        journal.history().to_pandas()


def test_entries_expose_spec_and_result_for_widgets(client: kn.Client, journal: Journal) -> None:
    """An entry's ``spec`` and ``result`` are real objects (the gallery duck-types on them)."""
    made = client.generate(SPEC)
    [entry] = journal.history()
    assert entry.spec == SPEC
    assert entry.result is not None
    assert entry.result.job_id == made.job_id
    assert entry.result.asset_id == made.asset_id
    assert entry.result.path == made.path


def _photo(size: int = 320) -> bytes:
    """A PNG of random pixels (it does not compress): about 300 kB at 320 x 320."""
    import io
    import random

    from PIL import Image

    rng = random.Random(7)
    image = Image.frombytes("RGB", (size, size), bytes(rng.getrandbits(8)
                                                       for _ in range(size * size * 3)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_data_is_stored_once_beside_the_journal(tmp_path: Path, journal: Journal) -> None:
    """A 200 kB AI/ML image is one file beside the journal; the row stays small; remix works."""
    photo = _photo()
    assert len(photo) > 200_000
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    spec = kn.parse_spec({"model": "aimlapi/kling-2.1-pro", "prompt": "a harbour at dawn",
                          "start_frame": photo})
    result = client.generate(spec)
    [stored] = list(journal.images.iterdir())
    assert stored.read_bytes() == photo
    assert stored.name.endswith(".png")
    conn = sqlite3.connect(journal.path)
    [(spec_text, request_text)] = conn.execute("SELECT spec, request FROM jobs").fetchall()
    conn.close()
    assert len(spec_text) + len(request_text) < 3000
    assert "kling-nb-image:sha256:" in spec_text
    remixed = journal.spec(result.job_id)
    assert remixed.to_dict()["image_url"] == spec.to_dict()["image_url"]
    assert remixed.replace(prompt="dusk").to_dict()["image_url"] == spec.to_dict()["image_url"]
    assert result.path is not None
    sidecar = load_sidecar(result.path)
    assert len(sidecar.path.read_text()) < 3000
    assert sidecar.remix(prompt="dusk").to_dict()["image_url"] == spec.to_dict()["image_url"]
    client.generate(spec.replace(prompt="again"), download=False)
    assert len(list(journal.images.iterdir())) == 1  # the same image is stored once


def test_unknown_outcome_with_an_image_keeps_a_small_request(tmp_path: Path, journal: Journal
                                                             ) -> None:
    """The request kept for an unknown outcome names the image; the job is still found."""
    sb = Sandbox(listing_delay=0)
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path,
                       retry=kn.RetryPolicy(reconcile_grace=None))  # do not look: stay unknown
    sb.faults.add(DROP_AFTER, route="create")
    spec = kn.parse_spec({"model": "aimlapi/kling-2.1-pro", "prompt": "lost harbour",
                          "start_frame": _photo()})
    with pytest.raises(kn.UnknownOutcomeError):
        client.submit(spec)
    [entry] = journal.unfinished()
    assert entry.request is not None
    assert len(json.dumps(entry.request)) < 3000
    assert len(journal.find_submitted(client, entry.handle)) == 1


def test_sweep_specs_keep_image_data_once(tmp_path: Path, journal: Journal) -> None:
    """A sweep's recorded specs name their image, and load back with the image data."""
    from kling_nb.runs.sweep import Sweep

    photo = _photo()
    base = {"model": "aimlapi/kling-2.1-pro", "prompt": "x", "start_frame": photo}
    sweep = Sweep(base, prompts=["a", "b", "c"])
    journal.record_sweep(sweep.id, None, [s.to_dict() for s in sweep.specs], {})
    conn = sqlite3.connect(journal.path)
    [(specs_text,)] = conn.execute("SELECT specs FROM sweeps").fetchall()
    conn.close()
    assert len(specs_text) < 3000
    assert Sweep.load(journal, sweep.id).specs == sweep.specs


def test_history_shows_contact_sheets_by_relative_path(
        tmp_path: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A downloaded job's row shows its sheet as <img src='relative'>; entries make more."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=Path("videos"))
    result = client.generate(SPEC, progress=False)
    html = journal.history()._repr_mimebundle_()["text/html"]
    assert f"src='videos/{result.path.name}.sheet.jpg'" in html
    assert "base64" not in html
    assert "data:" not in html
    five = journal.entry(result.job_id).contact_sheet(frames=5)
    assert five.path.name == f"{result.path.name}.sheet-5.jpg"
    assert five.path.is_file()
    undownloaded = client.generate(SPEC, download=False, progress=False)
    with pytest.raises(kn.MediaError, match="no downloaded video"):
        journal.entry(undownloaded.job_id).contact_sheet()


def test_videos_outside_the_notebook_folder_show_no_broken_player(
        client: kn.Client, journal: Journal, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A video saved elsewhere (e.g. by the command line) cannot be served to the notebook:
    history shows its URL while it works, else a plain "saved at PATH", never a dead player."""
    notebook = tmp_path / "notebook"
    notebook.mkdir()
    monkeypatch.chdir(notebook)
    made = client.generate(SPEC)  # downloaded to tmp_path, outside the notebook's folder
    html = journal.history()._repr_mimebundle_()["text/html"]
    assert "<video" not in html
    assert f"saved at <code>{made.path}</code>" in html
    assert ">file<" not in html
    live = "https://cdn.leonardo.ai/users/u/generations/g/v.mp4"
    with sqlite3.connect(journal.path) as conn:
        conn.execute("UPDATE jobs SET video_url = ?, sandbox = 0", (live,))
    html = journal.history()._repr_mimebundle_()["text/html"]
    assert f"<a href='{live}' target='_blank'>{live}</a>" in html
    assert "<video" not in html
    old = (datetime.now() - timedelta(days=30)).timestamp()
    with sqlite3.connect(journal.path) as conn:
        conn.execute("UPDATE jobs SET finished_at = ?", (old,))
    html = journal.history()._repr_mimebundle_()["text/html"]
    assert live not in html  # a month-old URL is not offered
    assert f"saved at <code>{made.path}</code>" in html


def test_sound_clips_and_reference_videos_are_stored_once_too(tmp_path: Path,
                                                             journal: Journal) -> None:
    """An avatar's clip and a motion reference (local files, sent inline) are files beside
    the journal, named in the rows and sidecars; a remix sends the same bytes again."""
    from clip_helpers import audio_clip, moving_square

    voice = audio_clip("MP3", 3.0)
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    spec = kn.KlingAvatarStandardAIML(image_url="https://example.com/me.png", audio_url=voice)
    result = client.generate(spec)
    [stored] = list(journal.images.iterdir())
    assert stored.read_bytes() == voice
    assert stored.name.endswith(".mp3")
    conn = sqlite3.connect(journal.path)
    [(spec_text, request_text)] = conn.execute("SELECT spec, request FROM jobs").fetchall()
    conn.close()
    assert len(spec_text) + len(request_text) < 3000
    assert "data:audio/mpeg;kling-nb-image:sha256:" in request_text
    remixed = journal.spec(result.job_id)
    assert remixed.audio_url.read() == voice
    assert result.path is not None
    sidecar = load_sidecar(result.path)
    assert len(sidecar.path.read_text()) < 3000
    assert sidecar.remix(prompt="again").to_request().json["audio_url"] == \
        "data:audio/mpeg;base64," + base64.b64encode(voice).decode()
    dance = moving_square((320, 568), 3.0)
    client.generate(kn.Kling30MotionControlAIML(image_url="https://example.com/me.png",
                                                video_url=dance), download=False)
    assert {p.suffix for p in journal.images.iterdir()} == {".mp3", ".mp4"}
