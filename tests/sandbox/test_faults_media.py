"""Faults on demand, request recording, Range downloads and the rendered MP4s."""

from __future__ import annotations

import io

import av
import httpx
import pytest

from kling_nb.sandbox import SANDBOX_HEADER, Sandbox

from .helpers import AIML, AUTH, V1, V2, finish, png_bytes

I2V = V1 + "/generations-image-to-video"


def create(client: httpx.Client, sb: Sandbox) -> httpx.Response:
    """Send one valid Kling 2.5 create."""
    image = sb.add_image(png_bytes())
    return client.post(I2V, json={"prompt": "p", "imageId": image, "imageType": "UPLOADED",
                                  "model": "KLING2_5", "width": 1080, "height": 1920})


def video_url(client: httpx.Client, sb: Sandbox) -> str:
    """Create and finish a job; return its MP4 URL."""
    gid = create(client, sb).json()["motionVideoGenerationJob"]["generationId"]
    return str(finish(client, gid)["generated_images"][0]["motionMP4URL"])


def creates(sb: Sandbox) -> int:
    """How many create requests reached the sandbox."""
    return sum(r.path.endswith("image-to-video") for r in sb.requests)


def test_server_error_and_rate_limited(client: httpx.Client, sb: Sandbox) -> None:
    """server_error answers its status; rate_limited answers 429 with Retry-After."""
    sb.faults.add("server_error", route="create", status=502)
    sb.faults.add("rate_limited", route="create", retry_after=7)
    assert create(client, sb).status_code == 502
    limited = create(client, sb)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert create(client, sb).status_code == 200
    assert sb.served_429 == 1
    assert len(sb.store.jobs) == 1


def test_drop_before_creates_nothing_drop_after_creates(client: httpx.Client, sb: Sandbox) -> None:
    """drop_before: ConnectError, nothing recorded; drop_after: the job exists anyway."""
    sb.faults.add("drop_before", route="create")
    with pytest.raises(httpx.ConnectError):
        create(client, sb)
    assert creates(sb) == 0
    assert not sb.store.jobs
    sb.faults.add("drop_after", route="create")
    with pytest.raises(httpx.RemoteProtocolError):
        create(client, sb)
    assert creates(sb) == 1
    assert len(sb.store.jobs) == 1


def test_slow_uses_injected_sleep() -> None:
    """slow waits through the injectable sleep, not the wall clock."""
    slept: list[float] = []
    sb = Sandbox(sleep=slept.append)
    sb.faults.add("slow", route="other", delay=30)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        assert c.get(V1 + "/me").status_code == 200
    assert slept == [30]


def test_failed_job_moderation_out_of_credits(client: httpx.Client, sb: Sandbox) -> None:
    """failed_job ends FAILED; moderation is 403; out_of_credits is 402 (Leonardo)."""
    sb.faults.add("failed_job")
    gid = create(client, sb).json()["motionVideoGenerationJob"]["generationId"]
    gen = finish(client, gid)
    assert gen["status"] == "FAILED"
    assert gen["generated_images"] == []
    sb.faults.add("moderation")
    refused = create(client, sb)
    assert refused.status_code == 403
    assert refused.json()["code"] == "content-moderation"
    sb.faults.add("out_of_credits")
    broke = create(client, sb)
    assert broke.status_code == 402
    assert broke.json()["error"] == "not enough api tokens"


def test_failed_job_on_aiml_and_v2_error_list(client: httpx.Client, sb: Sandbox) -> None:
    """An AI/ML failed job reports status error; a v2 refusal is a JSON list."""
    sb.faults.add("failed_job")
    job = client.post(AIML, json={"model": "kling-video/v2.1/pro/image-to-video",
                                  "image_url": "https://e.com/a.png"}).json()
    for _ in range(2):
        got = client.get(AIML, params={"generation_id": job["id"]}).json()
    assert got["status"] == "error"
    assert got["error"]["message"]
    sb.faults.add("moderation")
    answer = client.post(V2 + "/generations", json={"model": "kling-3.0", "public": False,
                                                   "parameters": {"prompt": "x", "width": 1920,
                                                                  "height": 1080}})
    assert answer.status_code == 403
    assert answer.json()[0]["extensions"]["code"] == "content-moderation"


def test_probabilistic_faults_are_seeded() -> None:
    """set_rate draws faults from the seeded RNG: same seed, same outcomes."""
    outcomes = []
    for _ in range(2):
        sb = Sandbox(seed=3)
        sb.faults.set_rate("server_error", 0.5, route="other")
        with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
            outcomes.append([c.get(V1 + "/me").status_code for _ in range(20)])
    assert outcomes[0] == outcomes[1]
    assert {200, 503} == set(outcomes[0])


def test_requests_recorded_without_authorization(client: httpx.Client, sb: Sandbox) -> None:
    """Every received request is recorded with its JSON body and no authorization value."""
    create(client, sb)
    record = sb.requests[-1]
    assert record.method == "POST"
    assert record.json["model"] == "KLING2_5"
    assert "authorization" not in record.headers


def test_every_response_has_sandbox_header(client: httpx.Client, sb: Sandbox) -> None:
    """Successes, errors and 404s all carry x-kling-nb-sandbox: true."""
    for answer in (client.get(V1 + "/me"), client.get(V1 + "/nope"), create(client, sb),
                   client.post(I2V, json={"x": 1})):
        assert answer.headers[SANDBOX_HEADER] == "true"


def test_range_and_truncate(client: httpx.Client, sb: Sandbox) -> None:
    """Range gives 206 with Content-Range; truncate sends fewer bytes then hangs up."""
    url = video_url(client, sb)
    full = client.get(url)
    assert full.headers["accept-ranges"] == "bytes"
    size = int(full.headers["content-length"])
    part = client.get(url, headers={"range": "bytes=100-"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-{size - 1}/{size}"
    assert full.content[100:] == part.content
    assert client.get(url, headers={"range": f"bytes={size}-"}).status_code == 416
    sb.faults.add("truncate", keep=0.25)
    received = bytearray()

    def drain() -> None:
        with client.stream("GET", url) as stream:
            for chunk in stream.iter_bytes():
                received.extend(chunk)

    with pytest.raises(httpx.RemoteProtocolError):
        drain()
    assert 0 < len(received) < size


@pytest.mark.parametrize(("model", "params", "audio", "ratio"), [
    ("kling-3.0", {"duration": 3, "width": 720, "height": 1280, "mode": "RESOLUTION_720",
                   "motion_has_audio": True}, True, 9 / 16),
    ("kling-video-o-1", {"duration": 5, "width": 1440, "height": 1440}, False, 1.0),
])
def test_mp4_is_real_h264(client: httpx.Client, model: str, params: dict[str, object],
                          audio: bool, ratio: float) -> None:
    """The MP4 opens with PyAV: h264, requested duration and aspect, audio iff asked."""
    body = {"model": model, "public": False, "parameters": {"prompt": "x", **params}}
    gid = client.post(V2 + "/generations", json=body).json()["generate"]["generationId"]
    data = client.get(finish(client, gid)["generated_images"][0]["motionMP4URL"]).content
    with av.open(io.BytesIO(data)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert container.duration / 1e6 == pytest.approx(params["duration"], abs=0.15)
        assert video.width / video.height == pytest.approx(ratio, rel=0.05)
        assert bool(container.streams.audio) is audio
        assert "sandbox" in container.metadata["comment"]


def test_async_transport_and_reset(sb: Sandbox) -> None:
    """The async transport answers; reset forgets jobs and requests."""
    import asyncio

    async def go() -> int:
        async with httpx.AsyncClient(transport=sb.async_transport(), headers=AUTH) as c:
            return (await c.get(V1 + "/me")).status_code

    assert asyncio.run(go()) == 200
    sb.reset()
    assert sb.requests == []


def test_rate_limits_per_create_endpoint() -> None:
    """With rate_limits on, the 101st create within a minute is 429 with Retry-After."""
    now = [0.0]
    sb = Sandbox(rate_limits=True, clock=lambda: now[0], balance=1000)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        codes = [create(c, sb).status_code for _ in range(101)]
        assert codes[:100] == [200] * 100
        assert codes[100] == 429
        now[0] = 61.0
        assert create(c, sb).status_code == 200
