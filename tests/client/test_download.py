"""Downloads: streamed to a .part file, length-checked, renamed into place, resumed with Range."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from client_helpers import aiml_spec, client, instant_retries, leo_spec, make_client, sb

from kling_nb import Client, JobObserver, NetworkError, NotFoundError, Result, RetryPolicy
from kling_nb.client.download import download, file_safe_id
from kling_nb.media import metrics
from kling_nb.sandbox import FaultKind, Sandbox

__all__ = ["client", "instant_retries", "sb"]
VIDEO = bytes(range(256)) * 4096  # 1 MiB of known bytes
URL = "https://cdn.example.com/videos/v1.mp4"


def _full(sb: Sandbox, url: str) -> bytes:
    with httpx.Client(transport=sb.transport()) as http:
        return http.get(url).content


def _ranges(sb: Sandbox) -> list[str | None]:
    return [r.headers.get("range") for r in sb.requests if r.surface == "cdn"]


def test_download_writes_the_whole_video(sb: Sandbox, client: Client, tmp_path: Path) -> None:
    """The file is byte-identical to the served video and no .part is left."""
    result = client.submit(leo_spec()).wait()
    path = client.download(result)
    assert _ranges(sb) == [None]
    assert path.read_bytes() == _full(sb, result.video_url)
    assert result.path == path
    assert not list(path.parent.glob("*.part"))


def test_download_twice_reuses_the_file(sb: Sandbox, client: Client) -> None:
    """A second download of the same result does not fetch again."""
    result = client.submit(aiml_spec()).wait()
    assert client.download(result) == client.download(result)
    assert len(_ranges(sb)) == 1


def test_a_video_on_disk_is_measured_once(sb: Sandbox, client: Client,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Downloading the same result again neither fetches nor decodes the video again."""
    calls: list[Path] = []
    measure = metrics.quietly

    def counted(path: Path, asked: metrics.Asked) -> object:
        calls.append(path)
        return measure(path, asked)

    monkeypatch.setattr(metrics, "quietly", counted)
    result = client.submit(aiml_spec()).wait()
    for _ in range(3):
        client.download(result)
    assert len(calls) == 1
    assert result.metrics is not None


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_download_resumes_with_range(keep: float, sb: Sandbox,
                                               client: Client) -> None:
    """A cut-off transfer resumes from the bytes on disk; the result is byte-identical."""
    result = client.submit(leo_spec()).wait()
    sb.faults.add("truncate", keep=keep)
    path = client.download(result)
    ranges = _ranges(sb)
    full = _full(sb, result.video_url)
    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(full).digest()
    assert ranges[0] is None
    assert ranges[1] == f"bytes={int(len(full) * keep)}-"
    assert not list(path.parent.glob("*.part"))


def test_interrupted_download_keeps_the_part_and_resumes_later(sb: Sandbox,
                                                               tmp_path: Path) -> None:
    """When every attempt is cut short, nothing is renamed into place; the next call resumes."""
    client = make_client(sb, tmp_path, retry=RetryPolicy(attempts=2))
    result = client.submit(leo_spec()).wait()
    sb.faults.add("truncate", keep=0.3, times=2)
    with pytest.raises(NetworkError, match="partial file is kept") as caught:
        client.download(result)
    assert caught.value.job_id == result.job_id
    dest = client.downloads.destination(result, None)
    part = dest.with_name(dest.name + ".part")
    assert not dest.exists()
    assert part.exists()
    assert part.stat().st_size > 0
    kept = part.stat().st_size
    path = client.download(result)
    assert _ranges(sb)[-1] == f"bytes={kept}-"
    assert path.read_bytes() == _full(sb, result.video_url)
    assert not part.exists()


def test_download_faults_are_retried(sb: Sandbox, client: Client) -> None:
    """5xx, 429, drops and slow answers on the CDN are retried."""
    result = client.submit(leo_spec()).wait()
    kinds: tuple[FaultKind, ...] = ("server_error", "rate_limited", "drop_before", "drop_after",
                                    "slow")
    for kind in kinds:
        sb.faults.add(kind, route="download", delay=0.0)
    assert client.download(result).read_bytes() == _full(sb, result.video_url)


def _serve(handler: httpx.MockTransport, tmp_path: Path, attempts: int = 4) -> Path:
    dest = tmp_path / "out" / "v.mp4"
    with httpx.Client(transport=handler) as http:
        return download(http, URL, dest, "leonardo", RetryPolicy(attempts=attempts))


def _bytes(status: int, data: bytes = b"", **headers: str) -> httpx.Response:
    """A streamed answer, as a real transport gives (``content=`` would be pre-read)."""
    headers.setdefault("content-length", str(len(data)))
    return httpx.Response(status, stream=httpx.ByteStream(data), headers=headers)


def _ranged(request: httpx.Request, data: bytes = VIDEO) -> httpx.Response:
    wanted = request.headers.get("range")
    if wanted is None:
        return _bytes(200, data)
    start = int(wanted.removeprefix("bytes=").rstrip("-"))
    if start >= len(data):
        return _bytes(416, b"", **{"content-range": f"bytes */{len(data)}"})
    return _bytes(206, data[start:],
                  **{"content-range": f"bytes {start}-{len(data) - 1}/{len(data)}"})


def test_short_body_fails_the_length_check(tmp_path: Path) -> None:
    """A body shorter than Content-Length is never renamed into place."""
    def short(request: httpx.Request) -> httpx.Response:
        return _bytes(200, VIDEO[:1000], **{"content-length": str(len(VIDEO))})

    with pytest.raises(Exception, match=f"got 1000 of {len(VIDEO)} bytes"):
        _serve(httpx.MockTransport(short), tmp_path, attempts=1)
    assert not (tmp_path / "out" / "v.mp4").exists()


def test_short_body_then_resume_completes(tmp_path: Path) -> None:
    """After a short body the next attempt asks for the rest and completes the file."""
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("range"))
        if len(seen) == 1:
            return _bytes(200, VIDEO[:5000], **{"content-length": str(len(VIDEO))})
        return _ranged(request)

    assert _serve(httpx.MockTransport(handler), tmp_path).read_bytes() == VIDEO
    assert seen == [None, "bytes=5000-"]


def test_complete_part_file_and_416_finishes(tmp_path: Path) -> None:
    """A 416 saying the total equals the part file's size completes it without refetching."""
    part = tmp_path / "out" / "v.mp4.part"
    part.parent.mkdir()
    part.write_bytes(VIDEO)
    path = _serve(httpx.MockTransport(_ranged), tmp_path)
    assert path.read_bytes() == VIDEO
    assert not part.exists()


def test_oversized_part_file_and_416_restarts(tmp_path: Path) -> None:
    """A part file that does not fit the server's video is discarded and fetched again."""
    part = tmp_path / "out" / "v.mp4.part"
    part.parent.mkdir()
    part.write_bytes(VIDEO + b"junk")
    assert _serve(httpx.MockTransport(_ranged), tmp_path).read_bytes() == VIDEO


def test_server_ignoring_range_restarts_the_file(tmp_path: Path) -> None:
    """A 200 answer to a Range request rewrites the part file from the start."""
    part = tmp_path / "out" / "v.mp4.part"
    part.parent.mkdir()
    part.write_bytes(b"stale bytes")
    path = _serve(httpx.MockTransport(lambda r: _bytes(200, VIDEO)), tmp_path)
    assert path.read_bytes() == VIDEO


def test_wrong_content_range_is_not_appended(tmp_path: Path) -> None:
    """A 206 for another range than asked restarts instead of corrupting the file."""
    part = tmp_path / "out" / "v.mp4.part"
    part.parent.mkdir()
    part.write_bytes(VIDEO[:100])
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("range"))
        if len(seen) == 1:
            return _bytes(206, VIDEO[:50], **{"content-range": f"bytes 0-49/{len(VIDEO)}"})
        return _ranged(request)

    assert _serve(httpx.MockTransport(handler), tmp_path).read_bytes() == VIDEO
    assert seen == ["bytes=100-", None]


def test_empty_body_is_an_error(tmp_path: Path) -> None:
    """An empty 200 answer never becomes an empty video file."""
    with pytest.raises(Exception, match="empty"):
        _serve(httpx.MockTransport(lambda r: _bytes(200)), tmp_path, attempts=1)
    assert not (tmp_path / "out" / "v.mp4").exists()


def test_missing_video_is_not_found_without_retry(tmp_path: Path) -> None:
    """A 404 from the CDN is raised at once as NotFoundError."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, text="Not Found")

    with pytest.raises(NotFoundError):
        _serve(httpx.MockTransport(handler), tmp_path)
    assert len(seen) == 1


def test_download_sends_no_authorization(sb: Sandbox, tmp_path: Path) -> None:
    """The CDN never sees the API key."""
    client = make_client(sb, tmp_path)
    client.download(client.submit(leo_spec()).wait())
    assert all("authorization" not in r.headers for r in sb.requests if r.surface == "cdn")


class _CutStream(httpx.SyncByteStream):
    """Sends ``pieces`` pieces of 1000 bytes, then hangs up."""

    def __init__(self, pieces: int) -> None:
        self.pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        for index in range(self.pieces):
            yield VIDEO[index * 1000:(index + 1) * 1000]
        raise httpx.RemoteProtocolError("peer closed connection")


def test_every_received_byte_is_kept_when_cut(tmp_path: Path) -> None:
    """Bytes are written as they arrive: a cut after 3 kB leaves exactly 3 kB in the .part."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_CutStream(3),
                              headers={"content-length": str(len(VIDEO))})

    with pytest.raises(httpx.RemoteProtocolError):
        _serve(httpx.MockTransport(handler), tmp_path, attempts=1)
    assert (tmp_path / "out" / "v.mp4.part").read_bytes() == VIDEO[:3000]
    assert not (tmp_path / "out" / "v.mp4").exists()


def test_async_download_resumes(sb: Sandbox, tmp_path: Path) -> None:
    """download_async resumes a truncated transfer just like the blocking one."""
    client = make_client(sb, tmp_path)

    async def go() -> Path:
        async with client:
            result = await (await client.submit_async(leo_spec()))
            sb.faults.add("truncate", keep=0.4)
            return await client.download_async(result)

    path = asyncio.run(go())
    ranges = _ranges(sb)
    video = next(r for r in sb.requests if r.surface == "cdn").path
    assert path.read_bytes() == _full(sb, "https://cdn.sandbox.kling-nb.invalid" + video)
    assert ranges[0] is None
    assert ranges[1] is not None
    assert not list(path.parent.glob("*.part"))


def test_both_downloads_share_the_http_retry_loop(sb: Sandbox, client: Client,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """download and download_async retry through _http.safe_retries, like status requests."""
    from kling_nb.client import download as _download
    from kling_nb.client import http as _http

    used: list[int] = []
    original = _http.safe_retries

    def counting(policy: RetryPolicy) -> object:
        used.append(policy.attempts)
        return original(policy)

    monkeypatch.setattr(_download, "safe_retries", counting)
    result = client.submit(aiml_spec()).wait()
    sb.faults.add("server_error", route="download")
    client.download(result, client.download_dir / "sync")
    sb.faults.add("server_error", route="download")
    asyncio.run(client.download_async(result, client.download_dir / "async"))
    assert used == [client.retry.attempts] * 2
    assert not hasattr(_download, "_RetryError")
    assert not hasattr(_download, "_hook")


@pytest.mark.parametrize(("job_id", "name"), [
    ("17e63120-07df-4788-9e85-9254a4547a69:klingai/video-o1-reference-to-video",
     "17e63120-07df-4788-9e85-9254a4547a69"),
    ("V1StGXR8_Z5jdHi6B-myT", "V1StGXR8_Z5jdHi6B-myT"),
    ("12345", "12345"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_job_ids_become_safe_file_names(job_id: str, name: str) -> None:
    """AI/ML ids hold ':' and '/': the file name keeps the unique part, in one folder."""
    assert file_safe_id(job_id) == name


class _Progress(JobObserver):
    """Records every ``downloading`` report: (bytes on disk, total)."""

    def __init__(self) -> None:
        self.reports: list[tuple[int, int | None]] = []

    def downloading(self, result: Result, received: int, total: int | None) -> None:
        self.reports.append((received, total))


@pytest.mark.parametrize("asynchronous", [False, True])
def test_the_observer_hears_how_far_a_download_is(asynchronous: bool, sb: Sandbox,
                                                  tmp_path: Path) -> None:
    """A download cut at half reports from 0 up to the cut, then resumes reporting from the
    bytes on disk up to the whole size, which each report announces."""
    progress = _Progress()
    client = make_client(sb, tmp_path, journal=progress)
    result = client.submit(leo_spec()).wait()
    sb.faults.add("truncate", keep=0.5)
    path = (asyncio.run(client.download_async(result)) if asynchronous
            else client.download(result))
    size = path.stat().st_size
    received = [got for got, _ in progress.reports]
    assert {total for _, total in progress.reports} == {size}
    assert received[0] == 0
    assert received[-1] == size
    resumed = received.index(size // 2, 1)  # the cut, then the resume starts there
    assert received[resumed + 1] == size // 2
    assert received[:resumed + 1] == sorted(received[:resumed + 1])
    assert received[resumed + 1:] == sorted(received[resumed + 1:])
