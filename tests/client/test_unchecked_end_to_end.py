"""An unchecked body through the whole client against the sandbox: refused as the live API
would refuse an unknown model (unchanged, with a hint), served with ``accept_unknown_models``;
the intent journaled before the one create, a lost answer looked for (Leonardo) or left
unknown (AI/ML: nothing to look it up by), polls scheduled from its duration, a download
resumed after a cut, history, costs, images made ready for the body."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import av
import pytest
from client_helpers import FakeClock, instant_retries, make_client, png

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import DROP_AFTER, SERVER_ERROR, TRUNCATE, Sandbox

__all__ = ["instant_retries"]

LEO = {"model": "kling-9.1", "public": False, "parameters": {
    "prompt": "a heron lands on a jetty", "duration": 8, "width": 2520, "height": 1080,
    "motion_has_audio": True, "seed": 11}}
AIML = {"model": "kling-video/v9/text-to-video", "prompt": "a heron lands", "duration": 6,
        "aspect_ratio": "9:16", "generate_audio": False}


@pytest.fixture
def sb() -> Sandbox:
    """A sandbox that serves unknown models, on a fake clock, listings 1 s behind."""
    return Sandbox(clock=FakeClock(), accept_unknown_models=True)


def _creates(sb: Sandbox) -> list[Any]:
    return [r for r in sb.requests if r.method == "POST" and r.surface in ("leonardo", "aimlapi")
            and "init-image" not in r.path]


def _probe(path: Path) -> tuple[float, int, int, int]:
    with av.open(io.BytesIO(path.read_bytes())) as container:
        audio = container.streams.audio
        video = container.streams.video[0]
        return (container.duration / 1e6, video.width, video.height,
                audio[0].channels if audio else 0)


def test_the_sandbox_refuses_an_unknown_model_as_the_api_would(tmp_path: Path) -> None:
    """Without the switch: a 400 whose message is the API's own, shown unchanged, with a
    hint naming the switch; nothing was billed and the journal says rejected."""
    sb = Sandbox()
    journal = Journal(tmp_path / "j.db")
    client = make_client(sb, tmp_path, journal=journal)
    for body, said in ((LEO, "invalid model 'kling-9.1'"),
                       (AIML, "model must be one of the following values")):
        with pytest.raises(kn.RejectedError) as info:
            client.submit(kn.parse_spec(body, unchecked=True))
        assert info.value.status == 400
        assert said in str(info.value.api_message)
        assert "accept_unknown_models=True" in str(info.value)
    assert {e.status for e in journal.history()} == {"rejected"}
    assert not sb.store.jobs
    journal.close()


@pytest.mark.parametrize(("body", "size", "seconds", "channels"), [
    (LEO, (2520, 1080), 8, 2), (AIML, (1080, 1920), 6, 0)])
def test_an_unchecked_body_is_journaled_sent_once_and_downloaded(
        body: dict[str, Any], size: tuple[int, int], seconds: int, channels: int,
        sb: Sandbox, tmp_path: Path, journal: Journal) -> None:
    """The intent is written before the create, which goes once, as given, to the chosen
    endpoint; the job is polled, downloaded and kept in the history labelled unchecked."""
    client = make_client(sb, tmp_path, journal=journal)
    seen: list[list[str]] = []
    original = sb.handle

    def handle(req: Any) -> Any:
        if req.method == "POST":
            seen.append([e.status for e in journal.history()])
        return original(req)

    sb.handle = handle  # type: ignore[method-assign]
    spec = kn.parse_spec(body, unchecked=True)
    result = client.generate(spec, progress=False)
    [create] = _creates(sb)
    assert seen[0] == ["submitting"]
    assert create.json == body
    assert create.path == spec.endpoint
    assert result.path is not None
    duration, width, height, audio = _probe(result.path)
    assert duration == pytest.approx(seconds, abs=0.15)
    assert width / height == pytest.approx(size[0] / size[1], rel=0.05)
    assert audio == channels
    [entry] = journal.history()
    assert entry.model == spec.key
    assert entry.model.endswith("(unchecked)")
    assert entry.status == "complete"
    assert entry.saved == result.path
    assert entry.prompt == spec.prompt
    assert entry.duration == seconds
    assert entry.to_spec() == spec
    assert entry.sandbox
    assert entry.cost is not None
    costs = journal.costs(by="model")
    assert costs.sandbox is not None
    assert costs.sandbox[spec.key].jobs == 1  # kept apart from live costs, as every sandbox job
    assert not costs.rows
    assert "(unchecked)" in str(result)


def test_polls_follow_the_bodys_duration(sb: Sandbox, tmp_path: Path) -> None:
    """Without learned timing, a live-like schedule comes from the body's duration (36-48 s
    a second), and from 5 s when it has none."""
    client = make_client(sb, tmp_path)
    job = client.job("leonardo", "00000000-0000-4000-8000-000000000001",
                     spec=kn.parse_spec(LEO, unchecked=True))
    job.fast = False
    assert client.schedule(job).expected == (36.0 * 8, 48.0 * 8)
    bare = kn.parse_spec({"model": "kling-9.1", "parameters": {"prompt": "p"}}, unchecked=True)
    job.spec = bare
    assert client.schedule(job).expected == (36.0 * 5, 48.0 * 5)
    assert job.poll_path == "/api/rest/v1/generations/{id}"


@pytest.mark.usefixtures("instant_retries")
def test_a_lost_create_answer_is_found_in_leonardos_listing(
        sb: Sandbox, tmp_path: Path, journal: Journal) -> None:
    """The connection drops after the create: the job is looked for, found, linked to its
    intent, and goes on; nothing is sent twice."""
    sb.faults.add(DROP_AFTER, route="create")
    client = make_client(sb, tmp_path, journal=journal)
    with pytest.warns(kn.RecoveredJobWarning):
        job = client.submit(kn.parse_spec(LEO, unchecked=True))
    assert job.recovered
    assert len(_creates(sb)) == 1
    assert job.wait(progress=False).video_url
    [entry] = journal.history()
    assert entry.recovered
    assert entry.job_id == job.id
    assert entry.model == "leonardo/kling-9.1 (unchecked)"


@pytest.mark.usefixtures("instant_retries")
def test_a_lost_aiml_answer_stays_unknown_and_is_never_resent(
        sb: Sandbox, tmp_path: Path, journal: Journal) -> None:
    """The universal endpoint offers no lookup and the body carries no task id: the outcome
    stays unknown, says where to look, and nothing is sent again."""
    sb.faults.add(SERVER_ERROR, route="create", status=503)
    client = make_client(sb, tmp_path, journal=journal)
    with pytest.raises(kn.UnknownOutcomeError) as info:
        client.submit(kn.parse_spec(AIML, unchecked=True))
    assert "dashboard" in str(info.value)
    assert len(_creates(sb)) == 1
    [entry] = journal.history()
    assert entry.unknown_outcome
    with pytest.raises(kn.DuplicateRiskError):
        journal.resubmit(client, entry.handle)


@pytest.mark.usefixtures("instant_retries")
def test_a_cut_download_resumes(sb: Sandbox, tmp_path: Path) -> None:
    """The download is cut half way; it resumes and the file is whole."""
    client = make_client(sb, tmp_path)
    result = client.submit(kn.parse_spec(LEO, unchecked=True)).wait(progress=False)
    sb.faults.add(TRUNCATE, route="download", keep=0.5)
    path = client.download(result)
    assert path.read_bytes()[4:8] == b"ftyp"
    assert _probe(path)[0] == pytest.approx(8, abs=0.15)


def test_image_for_body_gives_what_each_provider_body_needs(sb: Sandbox,
                                                          tmp_path: Path) -> None:
    """Leonardo: an uploaded image's ref (its id and type go in the body); AI/ML: a data URI,
    an https URL as given; a bad image is refused before anything is sent."""
    client = make_client(sb, tmp_path)
    ref = client.image_for_body(png((640, 360)), provider="leonardo")
    assert isinstance(ref, kn.ImageRef)
    assert ref.type == "UPLOADED"
    assert sb.store.images[ref.id].data
    uri = client.image_for_body(png((640, 360)), provider="aimlapi")
    assert isinstance(uri, str)
    assert uri.startswith("data:image/png;base64,")
    url = "https://example.com/frame.png"
    assert client.image_for_body(url, provider="aimlapi") == url
    with pytest.raises(kn.ImageError):
        client.image_for_body(png((100, 100)), provider="leonardo")  # under 300 px
    body = {"model": "kling-9.1", "public": False, "parameters": {
        "prompt": "p", "duration": 5, "guidances": {"start_frame": [{"image": ref}]}}}
    result = client.generate(kn.parse_spec(body, unchecked=True), progress=False)
    assert result.path is not None
    [create] = _creates(sb)
    assert create.json["parameters"]["guidances"]["start_frame"] == [
        {"image": {"id": ref.id, "type": "UPLOADED"}}]
