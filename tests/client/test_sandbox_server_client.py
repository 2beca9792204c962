"""Live mode against the loopback sandbox server: real sockets, real keys, sandbox detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from client_helpers import (
    KEY,
    aiml_spec,
    creates,
    instant_retries,
    leo_spec,
    png,
    server,
    shared_server,
    v2_spec,
)

from kling_nb import AuthenticationError, Client, RecoveredJobWarning, RetryPolicy
from kling_nb.sandbox import SandboxServer

__all__ = ["instant_retries", "server", "shared_server"]


def live_client(server: SandboxServer, tmp_path: Path, key: str = KEY) -> Client:
    """A keyed client pointed at ``server`` through the BASE_URL variables."""
    environ = {"LEONARDO_API_KEY": key, "AIMLAPI_API_KEY": key,
               "LEONARDO_BASE_URL": server.url, "AIMLAPI_BASE_URL": server.url}
    return Client(env_file=False, environ=environ, download_dir=tmp_path / "videos",
                  journal=False, retry=RetryPolicy(reconcile_grace=1.0))


def test_keyed_client_goes_live_and_recognises_the_sandbox(server: SandboxServer,
                                                           tmp_path: Path) -> None:
    """Live mode over HTTP; the sandbox header still marks the job and result as sandbox."""
    with live_client(server, tmp_path) as client:
        assert client.mode("leonardo") == client.mode("aimlapi") == "live"
        job = client.submit(leo_spec())
        assert job.sandbox
        assert "[SANDBOX]" in str(job)
        result = job.wait()
        assert result.sandbox
        assert result.video_url.startswith(server.url)
        path = client.download(result)
    assert path.name.startswith("sandbox-")
    assert path.stat().st_size > 1000
    upload = next(r for r in server.sandbox.requests if r.surface == "uploads")
    assert "authorization" not in upload.headers


@pytest.mark.parametrize("spec", [aiml_spec, v2_spec])
def test_other_rows_over_http(spec: object, server: SandboxServer, tmp_path: Path) -> None:
    """AI/ML and Leonardo v2 jobs run end to end over the socket."""
    with live_client(server, tmp_path) as client:
        result = client.submit(spec()).wait()  # type: ignore[operator]
        assert result.sandbox
        assert client.download(result).exists()


def test_reattached_job_is_marked_sandbox_by_status_header(server: SandboxServer,
                                                           tmp_path: Path) -> None:
    """client.job(...) learns from the status answer that the server is the sandbox."""
    with live_client(server, tmp_path) as client:
        job_id = client.submit(aiml_spec()).id
        again = client.job("aimlapi", job_id)
        assert not again.sandbox
        assert again.wait().sandbox
        assert again.sandbox


def test_wrong_key_is_refused_over_http(server: SandboxServer, tmp_path: Path) -> None:
    """The server's 401 becomes AuthenticationError."""
    with live_client(server, tmp_path, key="sk-WRONG-9") as client, \
            pytest.raises(AuthenticationError):
        client.account()


@pytest.mark.parametrize("spec", [leo_spec, aiml_spec])
def test_unknown_outcome_over_http_is_found(spec: object, server: SandboxServer,
                                            tmp_path: Path) -> None:
    """A create whose connection drops after sending is found again, over real HTTP, once
    the served sandbox's listing shows it (after its listing delay), and goes on."""
    server.sandbox.faults.add("drop_after", route="create")
    with live_client(server, tmp_path) as client:
        with pytest.warns(RecoveredJobWarning, match="goes on"):
            job = client.submit(spec())  # type: ignore[operator]
        assert len(creates(server.sandbox)) == 1
        assert [job.id] == list(server.sandbox.store.jobs)
        assert job.recovered
        assert job.wait().video_url


def test_truncated_download_resumes_over_http(server: SandboxServer, tmp_path: Path) -> None:
    """A socket closed mid-body is resumed with Range into a byte-identical file."""
    with live_client(server, tmp_path) as client:
        result = client.submit(leo_spec(server.sandbox.add_image(png()))).wait()
        server.sandbox.faults.add("truncate", keep=0.5)
        path = client.download(result)
        whole = client.driver.http.get(result.video_url).content
    ranges = [r.headers.get("range") for r in server.sandbox.requests if r.surface == "cdn"]
    assert path.read_bytes() == whole
    assert ranges[1] is not None
