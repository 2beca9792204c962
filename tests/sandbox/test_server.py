"""The sandbox over real HTTP on loopback: routes, uploads, downloads, drops, CLI parsing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from kling_nb.sandbox import SANDBOX_HEADER, SandboxServer, serve

from .helpers import png_bytes


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """A started loopback server accepting only key k."""
    with serve(key="k") as srv:
        yield srv


def test_binds_loopback_only(server: SandboxServer) -> None:
    """The server listens on 127.0.0.1 and refuses other hosts."""
    assert server.host == "127.0.0.1"
    with pytest.raises(ValueError, match="loopback"):
        serve("0.0.0.0")


def test_full_flow_over_http(server: SandboxServer) -> None:
    """Upload, create, poll, download with Range over a real socket; key enforced."""
    with httpx.Client(base_url=server.url, headers={"authorization": "Bearer k"}) as c:
        assert c.get("/api/rest/v1/me", headers={"authorization": "Bearer x"}).status_code == 401
        info = c.post("/api/rest/v1/init-image", json={"extension": "png"}).json()
        info = info["uploadInitImage"]
        assert info["url"].startswith(server.url + "/_sandbox/s3")
        up = httpx.post(info["url"], data=json.loads(info["fields"]),
                        files={"file": png_bytes()})
        assert up.status_code == 204
        body = {"prompt": "p", "imageId": info["id"], "imageType": "UPLOADED",
                "model": "KLING2_5", "duration": 5, "width": 1440, "height": 1440}
        created = c.post("/api/rest/v1/generations-image-to-video", json=body)
        assert created.headers[SANDBOX_HEADER] == "true"
        gid = created.json()["motionVideoGenerationJob"]["generationId"]
        for _ in range(2):
            gen = c.get(f"/api/rest/v1/generations/{gid}").json()["generations_by_pk"]
        url = gen["generated_images"][0]["motionMP4URL"]
        assert url.startswith(server.url + "/_sandbox/cdn/videos/")
        part = c.get(url, headers={"range": "bytes=0-99"})
        assert part.status_code == 206
        assert len(part.content) == 100


def test_drop_and_truncate_close_the_socket(server: SandboxServer) -> None:
    """drop_after closes without an answer; truncate closes mid-body."""
    server.sandbox.faults.add("drop_after", route="other")
    with httpx.Client(base_url=server.url, headers={"authorization": "Bearer k"}) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/api/rest/v1/me")
        gen_image = server.sandbox.add_image(png_bytes(), kind="GENERATED")
        server.sandbox.faults.add("truncate")
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(f"/_sandbox/cdn/images/{gen_image}.png")
        assert c.post("/v2/generate/video/kling/generation", json={}).status_code == 400


def test_main_rejects_bad_arguments() -> None:
    """main() parses the CLI options (a non-loopback host is refused)."""
    from kling_nb.sandbox._server import main

    with pytest.raises(SystemExit):
        main(["--host", "0.0.0.0"])
