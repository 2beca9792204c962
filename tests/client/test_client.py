"""The client against the in-process sandbox: images in, submit, status paths, results, reuse."""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
from client_helpers import (
    AIML_MODEL,
    FakeClock,
    aiml_spec,
    client,
    creates,
    instant_retries,
    leo_spec,
    make_client,
    mock_client,
    png,
    sb,
    v2_spec,
)
from PIL import Image

from kling_nb import (
    AspectRatioWarning,
    Client,
    ConfigError,
    ImageError,
    JobFailedError,
    JobTimeoutError,
    JournalError,
    KlingError,
    KlingO1,
    NotCreatedError,
    NotFoundError,
    RecoveredJobWarning,
    RetiredModelWarning,
    RetryPolicy,
    Status,
    UnknownOutcomeError,
    generated,
    parse_spec,
    uploaded,
)
from kling_nb.client.observer import JobObserver
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import Sandbox

__all__ = ["client", "instant_retries", "sb"]
V1 = "/api/rest/v1"


ASSET = "00000000-0000-4000-8000-000000000001"
"""A Leonardo asset id (a UUID)."""


# -- images in --------------------------------------------------------------------------------
def test_upload_flow_presigns_then_posts_without_authorization(sb: Sandbox,
                                                               client: Client) -> None:
    """Local bytes go through init-image then a multipart POST that carries no auth header."""
    job = client.submit(leo_spec())
    init, post, create = sb.requests[:3]
    assert (init.path, init.json) == (V1 + "/init-image", {"extension": "png"})
    assert post.surface == "uploads"
    assert "authorization" not in post.headers
    assert post.headers["content-type"].startswith("multipart/form-data")
    assert create.json["imageType"] == "UPLOADED"
    assert job.spec is not None
    assert job.spec.values()["start_frame"].type == "UPLOADED"


def test_upload_image_returns_an_uploaded_ref(sb: Sandbox, client: Client) -> None:
    """upload_image answers a reusable UPLOADED ref whose bytes landed in the sandbox."""
    ref = client.upload_image(png(fmt="JPEG"))
    assert ref.type == "UPLOADED"
    assert sb.requests[0].json == {"extension": "jpg"}
    assert sb.store.images[ref.id].data is not None


@pytest.mark.parametrize("kind", ["path", "pil", "webp"])
def test_local_image_kinds_are_uploaded(kind: str, sb: Sandbox, client: Client,
                                        tmp_path: Path) -> None:
    """A file path, a PIL image and WebP bytes are all uploaded as the start frame."""
    image: Any
    if kind == "path":
        image = tmp_path / "frame.png"
        image.write_bytes(png())
    elif kind == "pil":
        image = Image.new("RGB", (640, 360))
    else:
        image = png(fmt="WEBP")
    client.submit(leo_spec(image)).wait()
    assert [r.path for r in sb.requests[:1]] == [V1 + "/init-image"]
    assert len(creates(sb)) == 1


@pytest.mark.parametrize("ref", [uploaded, generated])
def test_existing_asset_ids_are_sent_as_is(ref: Any, sb: Sandbox, client: Client) -> None:
    """An UPLOADED or GENERATED asset id is referenced without any upload."""
    asset = sb.add_image(png(), kind="UPLOADED" if ref is uploaded else "GENERATED")
    client.submit(leo_spec(ref(asset))).wait()
    body = creates(sb)[0].json
    assert (body["imageId"], body["imageType"]) == (asset, ref(asset).type)
    assert not any(r.path.endswith("/init-image") for r in sb.requests)


def test_https_image_is_fetched_then_uploaded_for_leonardo(tmp_path: Path) -> None:
    """An https image URL is downloaded (no auth header) and uploaded to Leonardo."""
    sb = Sandbox()
    seen: list[httpx.Request] = []

    def outside(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=png())

    with make_client(sb, tmp_path, transport=httpx.MockTransport(outside)) as client:
        client.submit(leo_spec("https://images.example.com/frame.png")).wait()
    assert [str(r.url) for r in seen] == ["https://images.example.com/frame.png"]
    assert "authorization" not in seen[0].headers
    assert sb.requests[0].path == V1 + "/init-image"


def test_aiml_url_is_sent_as_is_and_local_image_as_base64(sb: Sandbox, client: Client) -> None:
    """AI/ML gets an https URL unchanged and a local image inline as base64."""
    client.submit(aiml_spec("https://images.example.com/frame.png"))
    client.submit(aiml_spec(png()))
    first, second = (r.json for r in creates(sb))
    assert first["image_url"] == "https://images.example.com/frame.png"
    encoded = second["image_url"].split(",", 1)[-1]
    assert base64.b64decode(encoded) == png()
    assert not any(r.surface == "uploads" for r in sb.requests)


def test_bytes_are_checked_before_anything_is_sent(sb: Sandbox, client: Client,
                                                   tmp_path: Path) -> None:
    """A file that is not really an image fails locally: not one request goes out."""
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a" + b"\0" * 64)
    with pytest.raises(ImageError, match=r"fake\.png is not a PNG, JPEG or WebP"):
        client.submit(leo_spec(fake))
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(png()[:40])
    with pytest.raises(ImageError, match="damaged"):
        client.submit(leo_spec(damaged))
    assert sb.requests == []


def test_aspect_ratio_mismatch_warns(client: Client) -> None:
    """A square start frame for a 16:9 video warns that it will be cropped or stretched."""
    with pytest.warns(AspectRatioWarning, match="480x480"):
        client.submit(leo_spec(png((480, 480))))


def test_matching_aspect_ratio_does_not_warn(client: Client) -> None:
    """A 16:9 start frame for a 16:9 video is accepted silently."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.submit(leo_spec(png((640, 360))))


def test_expired_presign_is_renewed_once(tmp_path: Path) -> None:
    """An upload whose presigned URL expired asks for a fresh one and succeeds."""
    clock = FakeClock()
    sb = Sandbox(clock=clock, sleep=clock.sleep)
    sb.faults.add("slow", route="upload", delay=200.0)
    with make_client(sb, tmp_path) as client:
        ref = client.upload_image(png())
    inits = [r for r in sb.requests if r.path.endswith("/init-image")]
    assert len(inits) == 2
    assert sb.store.images[ref.id].data is not None


def test_expired_presign_twice_is_an_error(tmp_path: Path) -> None:
    """When the fresh presign expires too, the error says so with S3's message."""
    clock = FakeClock()
    sb = Sandbox(clock=clock, sleep=clock.sleep)
    sb.faults.add("slow", route="upload", delay=200.0, times=2)
    with make_client(sb, tmp_path) as client, pytest.raises(KlingError, match="expired"):
        client.upload_image(png())


def test_image_references_are_all_uploaded(sb: Sandbox, client: Client) -> None:
    """Kling 3.0 image references given as bytes are each uploaded, in order."""
    job = client.submit(v2_spec(image_references=[png(), png(fmt="JPEG")]))
    guidances = creates(sb)[0].json["parameters"]["guidances"]["image_reference"]
    assert len(guidances) == 2
    assert all(g["image"]["type"] == "UPLOADED" for g in guidances)
    assert job.wait().video_url


# -- submit, results, reuse -------------------------------------------------------------------
def test_result_carries_video_poster_asset_cost_and_timings(client: Client) -> None:
    """A finished Leonardo job gives video and poster URLs, an asset id, cost and timings."""
    job = client.submit(leo_spec())
    assert (job.status, str(job.cost)) == (Status.PENDING, "$0.35")
    result = job.wait()
    assert job.done
    assert job.status.value == "complete"
    assert result.video_url.endswith(".mp4")
    assert result.poster_url
    assert result.poster_url.endswith(".jpg")
    assert result.asset_id
    assert result.cost == job.cost
    assert result.elapsed is not None
    assert result.elapsed >= 0
    assert (result.width, result.height, result.duration) == (1920, 1080, 5)


def test_generated_asset_is_reusable_as_start_frame(sb: Sandbox, client: Client) -> None:
    """A result's asset id goes back in as a GENERATED start frame."""
    first = client.submit(leo_spec()).wait()
    client.submit(leo_spec(first.as_start_frame())).wait()
    body = creates(sb)[1].json
    assert (body["imageId"], body["imageType"]) == (first.asset_id, "GENERATED")


def test_aiml_external_task_id_is_set_unless_given(sb: Sandbox, client: Client) -> None:
    """The client sets an external_task_id on AI/ML jobs, keeping the user's own."""
    auto = client.submit(aiml_spec())
    mine = client.submit(aiml_spec(external_task_id="my-task-7"))
    sent = [r.json["external_task_id"] for r in creates(sb)]
    assert sent[0].startswith("kling-nb-")
    assert auto.external_task_id == sent[0]
    assert sent[1] == "my-task-7" == mine.external_task_id


def test_aiml_job_completes_with_cost(client: Client) -> None:
    """An AI/ML job reports its USD cost and video URL."""
    result = client.submit(aiml_spec()).wait()
    assert result.provider == "aimlapi"
    assert result.model == AIML_MODEL
    assert result.cost is not None
    assert result.cost.unit == "USD"
    assert result.video_url.endswith(".mp4")


def test_keyword_fields_override_the_spec(sb: Sandbox, client: Client) -> None:
    """submit(spec, **fields) changes fields and re-validates."""
    client.submit(leo_spec(), duration=10)
    assert creates(sb)[0].json["duration"] == 10


def test_generate_submits_waits_and_downloads(client: Client, tmp_path: Path) -> None:
    """generate() runs the whole path and leaves the video on disk."""
    result = client.generate(leo_spec())
    assert result.path is not None
    assert result.path.parent == tmp_path / "videos"
    assert result.path.name.startswith("sandbox-")
    assert result.path.stat().st_size > 0


def test_sandbox_mark_on_jobs_and_results(client: Client) -> None:
    """Keyless/sandbox jobs and results say SANDBOX in their text."""
    job = client.submit(leo_spec())
    assert job.sandbox
    assert "[SANDBOX]" in str(job)
    result = job.wait()
    assert result.sandbox
    assert "SANDBOX" in str(result)
    assert "SANDBOX" in job._repr_mimebundle_()["text/plain"]


def test_keyless_client_uses_the_sandbox(tmp_path: Path) -> None:
    """No key anywhere: both providers run in the (shared) sandbox and say so."""
    client = Client(env_file=False, environ={}, download_dir=tmp_path)
    assert client.mode("leonardo") == client.mode("aimlapi") == "sandbox"
    assert repr(client) == "<kling_nb.Client leonardo=sandbox, aimlapi=sandbox>"
    assert client.submit(leo_spec()).sandbox


def test_retired_model_warns_only_when_live(tmp_path: Path) -> None:
    """Kling 2.1 Pro on Leonardo warns before a live submit, not in the sandbox."""
    spec = {"model": "leonardo/kling-2.1-pro", "prompt": "p", "start_frame": ASSET,
            "width": 1920, "height": 1080, "duration": 5}
    body = {"motionVideoGenerationJob": {"generationId": "g1"}}
    live = mock_client(lambda r: httpx.Response(200, json=body), tmp_path)
    with pytest.warns(RetiredModelWarning):
        live.submit(spec)
    sb = Sandbox()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_client(sb, tmp_path).submit({**spec, "start_frame": sb.add_image(png())})


# -- status paths -----------------------------------------------------------------------------
def _aiml_sequence(statuses: list[dict[str, Any]], tmp_path: Path,
                   **options: Any) -> tuple[Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(201, json={"id": "t1", "status": "queued"})
        return httpx.Response(200, json=statuses[min(len(seen) - 2, len(statuses) - 1)])

    return mock_client(handler, tmp_path, **options), seen


def test_pending_running_complete(tmp_path: Path) -> None:
    """queued -> generating -> completed maps to pending -> running -> complete."""
    statuses: list[dict[str, Any]] = [
        {"id": "t1", "status": "queued"}, {"id": "t1", "status": "generating"},
        {"id": "t1", "status": "completed", "video": {"url": "https://v/x.mp4"}}]
    client, _ = _aiml_sequence(statuses, tmp_path)
    job = client.submit(aiml_spec("https://i.example.com/a.png"))
    seen = [job.refresh(), job.refresh(), job.refresh()]
    assert seen == [Status.PENDING, Status.RUNNING, Status.COMPLETE]
    assert job.result is not None
    assert job.result.video_url == "https://v/x.mp4"
    assert not job.sandbox


def test_unknown_status_counts_as_pending(tmp_path: Path) -> None:
    """A status word nobody documented keeps the job pending, then it completes."""
    statuses: list[dict[str, Any]] = [
        {"id": "t1", "status": "warming-up"}, {"id": "t1", "status": "waiting"},
        {"id": "t1", "status": "completed", "video": {"url": "https://v/x.mp4"}}]
    client, seen = _aiml_sequence(statuses, tmp_path)
    job = client.submit(aiml_spec("https://i.example.com/a.png"))
    assert job.refresh() is Status.PENDING
    assert job.wait().video_url == "https://v/x.mp4"
    assert len(seen) == 4


def test_complete_without_video_url_keeps_polling(tmp_path: Path) -> None:
    """Leonardo COMPLETE with no motionMP4URL yet is not a result: polling goes on."""
    gen: dict[str, Any] = {"id": "g1", "status": "COMPLETE", "generated_images": []}
    done = {**gen, "generated_images": [{"id": "a1", "url": "https://c/p.jpg",
                                         "motionMP4URL": "https://c/v.mp4"}]}
    answers = [gen, gen, done]
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json={"motionVideoGenerationJob": {"generationId": "g1"}})
        calls.append(request.url.path)
        return httpx.Response(200, json={"generations_by_pk": answers[len(calls) - 1]})

    job = mock_client(handler, tmp_path).submit(leo_spec(ASSET))
    assert job.refresh() is Status.RUNNING
    result = job.wait()
    assert (result.video_url, result.poster_url, result.asset_id) == (
        "https://c/v.mp4", "https://c/p.jpg", "a1")
    assert calls == [V1 + "/generations/g1"] * 3


@pytest.mark.parametrize("spec", [leo_spec, aiml_spec])
def test_failed_job_says_why(spec: Any, sb: Sandbox, client: Client) -> None:
    """A job the provider fails raises JobFailedError with the reason and job id."""
    sb.faults.add("failed_job")
    job = client.submit(spec())
    with pytest.raises(JobFailedError) as caught:
        job.wait()
    text = str(caught.value)
    assert job.id in text
    assert job.status is Status.FAILED
    reason = "generation failed" if job.provider == "aimlapi" else "gives no reason"
    assert reason in text
    assert job.failure
    assert reason in job.failure


def test_aiml_failure_detail_list_is_readable(tmp_path: Path) -> None:
    """An AI/ML error with a detail list becomes one readable reason."""
    failed = {"id": "t1", "status": "error",
              "error": {"detail": [{"msg": "image too small"}, {"msg": "bad ratio"}]}}
    client, _ = _aiml_sequence([failed], tmp_path)
    with pytest.raises(JobFailedError, match="image too small; bad ratio"):
        client.submit(aiml_spec("https://i.example.com/a.png")).wait()


def test_status_of_a_missing_job_is_not_found(client: Client) -> None:
    """Reattaching an id the API does not know gives NotFoundError naming the id."""
    with pytest.raises(NotFoundError, match="nope-1"):
        client.job("leonardo", "nope-1").refresh()


# -- deadline and resume ----------------------------------------------------------------------
def _realistic(tmp_path: Path) -> tuple[Sandbox, Client, FakeClock]:
    clock = FakeClock()
    sb = Sandbox(timing="realistic", clock=clock)
    return sb, make_client(sb, tmp_path, clock=clock, sleep=clock.sleep), clock


def test_deadline_raises_timeout_with_resume_code(tmp_path: Path) -> None:
    """At the deadline JobTimeoutError names the job and how to resume; the job stays."""
    sb, client, clock = _realistic(tmp_path)
    job = client.submit(leo_spec())
    start = clock.now
    with pytest.raises(JobTimeoutError) as caught:
        job.wait(timeout=60)
    assert clock.now - start == pytest.approx(60)
    assert job.resume_code in str(caught.value)
    assert job.id in str(caught.value)
    assert caught.value.job_id == job.id
    assert sb.store.jobs[job.id] is not None


def test_resume_after_timeout_completes(tmp_path: Path) -> None:
    """client.job(provider, id).wait() picks a timed-out job up and finishes it."""
    _, client, _ = _realistic(tmp_path)
    job = client.submit(aiml_spec())
    with pytest.raises(JobTimeoutError):
        job.wait(timeout=30)
    again = client.job("aimlapi", job.id, model=job.model)
    result = again.wait()
    assert result.job_id == job.id
    assert result.video_url


def test_job_without_client_explains_itself() -> None:
    """A Job made by hand cannot poll, and says how to get an attached one."""
    from datetime import datetime, timezone

    from kling_nb import Job

    job = Job("g1", "leonardo", "leonardo/kling-3.0", False, datetime.now(timezone.utc))
    with pytest.raises(KlingError, match=r"client\.job"):
        job.refresh()


def test_job_rejects_unknown_provider(client: Client) -> None:
    """client.job names the valid providers."""
    with pytest.raises(ConfigError, match="leonardo, aimlapi"):
        client.job("runway", "x")


# -- many jobs ----------------------------------------------------------------------------------
def test_wait_all_multiplexes_ten_jobs_in_one_thread(sb: Sandbox, client: Client) -> None:
    """wait_all finishes 10 jobs without starting a thread; a failure is returned, not raised."""
    sb.faults.add("failed_job")
    jobs = [client.submit(aiml_spec() if i % 2 else leo_spec(sb.add_image(png())))
            for i in range(10)]
    threads = threading.active_count()
    started: list[threading.Thread] = []
    original = threading.Thread.start

    def spy(self: threading.Thread) -> None:
        started.append(self)
        original(self)

    threading.Thread.start = spy  # type: ignore[method-assign]
    try:
        results = client.wait_all(jobs)
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    assert threading.active_count() == threads
    assert started == []
    assert isinstance(results[0], JobFailedError)
    assert all(not isinstance(r, KlingError) for r in results[1:])
    assert [getattr(r, "job_id", None) for r in results[1:]] == [j.id for j in jobs[1:]]


def test_wait_all_interleaves_polls_by_due_time(tmp_path: Path) -> None:
    """wait_all polls each job on its own schedule on one clock, and times out per job."""
    sb, client, clock = _realistic(tmp_path)
    jobs = [client.submit(leo_spec(sb.add_image(png()))) for _ in range(3)]
    start = clock.now
    results = client.wait_all(jobs)
    assert all(r.video_url for r in results if not isinstance(r, KlingError))
    assert clock.now - start < 3 * 240
    late = client.submit(leo_spec(sb.add_image(png())))
    (outcome,) = client.wait_all([late], timeout=10)
    assert isinstance(outcome, JobTimeoutError)


# -- account, delete, find ------------------------------------------------------------------
def test_account_and_delete(sb: Sandbox, client: Client) -> None:
    """account() reads /me; delete() removes a Leonardo generation; AI/ML cannot be deleted."""
    assert client.account()["user"]["id"] == sb.user_id
    job = client.submit(leo_spec())
    client.delete(job)
    assert sb.requests[-1].method == "DELETE"
    with pytest.raises(NotFoundError):
        job.refresh()
    with pytest.raises(ConfigError, match="Leonardo"):
        client.delete(client.submit(aiml_spec()))


def test_wire_body_spec_is_accepted(sb: Sandbox, client: Client) -> None:
    """submit takes a provider body as JSON text, exactly as the docs show it."""
    asset = sb.add_image(png())
    body = {"prompt": "p", "imageId": asset, "imageType": "UPLOADED", "model": "KLING2_5",
            "duration": 5, "width": 1440, "height": 1440}
    client.submit(json.dumps(body)).wait()
    assert creates(sb)[0].json["model"] == "KLING2_5"


def test_upload_image_refuses_bad_bytes_with_an_image_error() -> None:
    """Bytes that are no PNG/JPEG/WebP give an ImageError, never a pydantic traceback."""
    client = Client(sandbox=True, journal=False)
    with pytest.raises(ImageError, match="not a PNG, JPEG or WebP"):
        client.upload_image(b"GIF89a....")


# -- several videos per job (quantity) ---------------------------------------------------------
def test_quantity_three_keeps_every_video_as_variants(sb: Sandbox, client: Client) -> None:
    """A job asked for 3 videos gives a result and 2 variants, each with its own ids and URLs."""
    result = client.submit(KlingO1(prompt="a fox in snow", quantity=3)).wait()
    assert len(result.variants) == 2
    videos = result.videos
    assert [v.index for v in videos] == [0, 1, 2]
    assert len({v.asset_id for v in videos}) == 3
    assert len({v.video_url for v in videos}) == 3
    assert len({v.poster_url for v in videos}) == 3
    assert {v.job_id for v in videos} == {result.job_id}
    assert result.cost is not None
    assert [v.cost for v in result.variants] == [None, None]
    assert result.variants[1].as_start_frame().id == result.variants[1].asset_id
    assert "3 videos" in str(result)


def test_download_takes_the_main_video_and_download_all_every_one(sb: Sandbox,
                                                                   client: Client) -> None:
    """download(result) fetches one file; download_all(result) three, under different names."""
    result = client.submit(KlingO1(prompt="a fox in snow", quantity=3)).wait()
    main = client.download(result)
    assert len(list(main.parent.glob("*.mp4"))) == 1
    paths = client.download_all(result)
    assert paths[0] == main
    assert len(set(paths)) == 3
    assert all(p.stat().st_size > 0 for p in paths)
    assert [v.path for v in result.videos] == paths
    assert len(list(main.parent.glob("*.mp4"))) == 3


def test_generate_downloads_every_paid_video(sb: Sandbox, client: Client) -> None:
    """generate() with quantity 2 downloads both videos (each is billed)."""
    result = client.generate(KlingO1(prompt="two takes", quantity=2), progress=False)
    assert [v.path is not None and v.path.exists() for v in result.videos] == [True, True]


# -- the journal must record a request before it is sent ------------------------------------
class _BrokenJournal(JobObserver):
    """A journal whose database cannot be written."""

    path = Path("/nowhere/journal.db")

    def intent(self, spec: Any, request: dict[str, Any]) -> str | None:
        raise sqlite3.OperationalError("database is locked")


def test_journal_failure_sends_nothing_and_says_how_to_turn_it_off(sb: Sandbox,
                                                                    tmp_path: Path) -> None:
    """A journal that cannot record the intent gives a KlingError naming file and the way out."""
    client = make_client(sb, tmp_path, journal=_BrokenJournal())
    with pytest.raises(KlingError) as caught:
        client.submit(v2_spec())
    error = caught.value
    assert isinstance(error, JournalError)
    assert isinstance(error, ConfigError)
    assert isinstance(error.__cause__, sqlite3.OperationalError)
    text = str(error)
    for words in ("not sent", "/nowhere/journal.db", "database is locked",
                  "KLING_NB_JOURNAL=off", "Client(journal=False)"):
        assert words in text
    assert creates(sb) == []


# -- reattaching: job ids ------------------------------------------------------------------
@pytest.mark.parametrize(("provider", "job_id"), [
    ("leonardo", "5f1c9a3e…"), ("aimlapi", "task…"), ("leonardo", "<id>"),
])
def test_job_ids_use_the_asset_id_placeholder_check(provider: str, job_id: str,
                                                    client: Client) -> None:
    """Job ids are checked like asset ids: a '…' ellipsis is a placeholder, not just a bad id."""
    with pytest.raises(ConfigError, match="placeholder"):
        client.job(provider, job_id)


@pytest.mark.parametrize("job_id", ["abc\n", "abc def", "a..b"])
def test_leonardo_job_ids_refuse_line_breaks_and_dots(job_id: str, client: Client) -> None:
    """A trailing line break, a space or '..' is no Leonardo job id."""
    with pytest.raises(ConfigError, match=r"not a Leonardo\.AI job id"):
        client.job("leonardo", job_id)


# -- recovery after an unknown outcome ------------------------------------------------------
def test_leonardo_recovery_ignores_other_jobs_in_the_window(sb: Sandbox, client: Client) -> None:
    """Only the job with the sent prompt, model and size is found; the listing asks for 50."""
    client.submit(v2_spec(prompt="another job"))
    client.submit(v2_spec(width=1080, height=1920))  # same prompt, other size
    sb.faults.add("drop_after", route="create")
    with pytest.warns(RecoveredJobWarning):
        job = client.submit(v2_spec())
    lost = list(sb.store.jobs)[-1]
    assert job.id == lost
    listing = [r for r in sb.requests if "/generations/user/" in r.path][-1]
    assert listing.query["limit"] == "50"


@pytest.mark.parametrize("with_journal", [True, False])
def test_recovery_never_takes_another_requests_job(sb: Sandbox, tmp_path: Path,
                                                   with_journal: bool) -> None:
    """Two identical requests within the window: the first job is another request's (the
    journal holds it; without one, the client remembers the jobs it made), so the lost one is
    matched to its own job only, and a request that made no job is "not created"."""
    journal = Journal(tmp_path / "j.db") if with_journal else None
    client = make_client(sb, tmp_path, journal=journal or False)
    first = client.submit(v2_spec())
    sb.faults.add("drop_after", route="create")
    with pytest.warns(RecoveredJobWarning):
        second = client.submit(v2_spec())
    assert second.id != first.id
    assert {first.id, second.id} == set(sb.store.jobs)
    if journal is not None:
        entry = journal.entry(second.id)
        assert entry.recovered
        assert entry.status == "pending"
        assert len(journal.history()) == 2
    sb.faults.add("server_error", route="create")
    with pytest.raises(NotCreatedError):
        client.submit(v2_spec())
    assert len(sb.store.jobs) == 2


def test_identical_requests_without_a_journal_stay_unknown(sb: Sandbox, client: Client,
                                                           tmp_path: Path) -> None:
    """Without a journal to tell them apart, two matching jobs (the other one sent by another
    client) are not guessed between: the outcome stays unknown, naming both, and nothing is
    sent again."""
    make_client(sb, tmp_path / "other").submit(v2_spec())
    sb.faults.add("drop_after", route="create")
    with pytest.raises(UnknownOutcomeError, match=r"2 jobs in .* match this request"):
        client.submit(v2_spec())
    assert len(creates(sb)) == 2


def test_listing_is_paged_back_to_the_send_time(sb: Sandbox, client: Client) -> None:
    """A job pushed off the first page of the listing by newer ones is still found."""
    sb.faults.add("drop_after", route="create")
    with pytest.raises(UnknownOutcomeError) as caught:
        make_client(sb, client.download_dir.parent,
                    retry=RetryPolicy(reconcile_grace=None)).submit(v2_spec(prompt="old one"))
    for n in range(55):
        client.submit(v2_spec(prompt=f"newer {n}"))
    sb.clock.sleep(5)
    found = client.reconcile(caught.value, grace=0)
    assert found.verdict == "found"
    assert found.job_ids == (next(iter(sb.store.jobs)),)
    offsets = [r.query["offset"] for r in sb.requests if "/generations/user/" in r.path]
    assert offsets == ["0", "50"]


def test_aiml_recovery_answers_empty_on_any_4xx(tmp_path: Path) -> None:
    """A 4xx to the external_task_id lookup (not documented) finds nothing, and proves
    nothing: the outcome stays unknown, never "not created"."""
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            raise httpx.ReadTimeout("lost", request=request)
        assert request.url.params["external_task_id"].startswith("kling-nb-")
        return httpx.Response(400, json={"message": "generation_id should not be empty",
                                         "statusCode": 400})

    client = mock_client(handler, tmp_path, retry=RetryPolicy(reconcile_grace=None))
    with pytest.raises(UnknownOutcomeError) as caught:
        client.submit(aiml_spec())
    assert client.find_submitted(caught.value) == []
    task = caught.value.sent["json"]["external_task_id"]
    hint = caught.value.hint or ""
    assert "best effort" in hint
    assert "dashboard" in hint
    assert task in hint
    with pytest.raises(UnknownOutcomeError, match="proves nothing") as still:
        mock_client(handler, tmp_path).submit(aiml_spec())
    assert not isinstance(still.value, NotCreatedError)
    assert "dashboard" in str(still.value)


def test_aiml_universal_rows_cannot_be_looked_for(sb: Sandbox, client: Client) -> None:
    """The universal endpoint takes no external_task_id and lists nothing: the outcome stays
    unknown (never "not created"), with where to look by hand."""
    sb.faults.add("drop_after", route="create")
    with pytest.raises(UnknownOutcomeError, match="cannot look for it") as caught:
        client.submit(parse_spec({"model": "aimlapi/kling-2.6-pro", "prompt": "a heron"}))
    assert "dashboard" in str(caught.value)
    assert len(sb.store.jobs) == 1  # it was created; only the lost answer hides it
