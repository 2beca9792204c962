"""Shared helpers for the client tests: images, specs, a fake clock and sandbox-backed clients."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from PIL import Image

from kling_nb import Client, Kling25Turbo, Kling30, Spec, parse_spec
from kling_nb.sandbox import Sandbox, SandboxServer, serve

KEY = "sk-LEAK-TEST-1234"
AIML_MODEL = "aimlapi/kling-2.1-pro"


def png(size: tuple[int, int] = (640, 360), fmt: str = "PNG") -> bytes:
    """A small real image of ``size`` in ``fmt``."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format=fmt)
    return buffer.getvalue()


def leo_spec(start: Any = None, **fields: Any) -> Spec:
    """A valid Kling 2.5 Turbo spec (1920x1080, 5 s); the start frame defaults to PNG bytes."""
    values: dict[str, Any] = {"prompt": "a red kite over a beach", "duration": 5,
                              "width": 1920, "height": 1080,
                              "start_frame": png() if start is None else start}
    values.update(fields)
    return Kling25Turbo(**values)


def v2_spec(**fields: Any) -> Spec:
    """A valid Kling 3.0 spec (Leonardo v2)."""
    values: dict[str, Any] = {"prompt": "waves at dusk", "duration": 5, "width": 1920,
                              "height": 1080}
    values.update(fields)
    return Kling30(**values)


def aiml_spec(image: Any = None, **fields: Any) -> Spec:
    """A valid AI/ML Kling 2.1 Pro spec; the image defaults to PNG bytes."""
    values: dict[str, Any] = {"model": AIML_MODEL, "prompt": "a lighthouse in fog",
                              "start_frame": png() if image is None else image}
    values.update(fields)
    return parse_spec(values)


class FakeClock:
    """A clock that only moves when something sleeps on it."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Advance the clock instead of sleeping."""
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(sb: Sandbox, tmp_path: Path, **options: Any) -> Client:
    """A client running both providers in ``sb`` with no environment, .env or real sleeps.

    On a sandbox with a ``FakeClock``, the client sleeps on that clock (the time moves as it
    waits, so the sandbox's listing delay passes while the client looks for a lost job).
    """
    settings: dict[str, Any] = {"sandbox": sb, "env_file": False, "environ": {},
                                "download_dir": tmp_path / "videos", "sleep": lambda s: None,
                                "journal": False}
    if isinstance(sb.clock, FakeClock):
        settings.update(clock=sb.clock, sleep=sb.clock.sleep)
    settings.update(options)
    return Client(**settings)


def creates(sb: Sandbox) -> list[Any]:
    """The create requests that reached the sandbox."""
    paths = ("/api/rest/v1/generations-image-to-video", "/api/rest/v2/generations",
             "/v2/generate/video/kling/generation")
    return [r for r in sb.requests if r.method == "POST" and r.path in paths]


def mock_client(handler: Callable[[httpx.Request], httpx.Response], tmp_path: Path,
                **options: Any) -> Client:
    """A live client (keys set) whose requests all go to ``handler``."""
    settings: dict[str, Any] = {"leonardo_key": KEY, "aimlapi_key": KEY, "env_file": False,
                                "environ": {}, "download_dir": tmp_path / "videos",
                                "transport": httpx.MockTransport(handler),
                                "sleep": lambda s: None, "journal": False}
    settings.update(options)
    return Client(**settings)


@pytest.fixture(autouse=True)
def instant_retries() -> Iterator[None]:
    """stamina retries without waiting; attempts as the policy sets them."""
    stamina.set_testing(True, attempts=100, cap=True)
    yield
    stamina.set_testing(False)


@pytest.fixture
def sb() -> Sandbox:
    """A fresh fast-timing sandbox on a fake clock (clients made for it sleep on it)."""
    return Sandbox(clock=FakeClock())


@pytest.fixture
def client(sb: Sandbox, tmp_path: Path) -> Iterator[Client]:
    """A client on ``sb`` that downloads into ``tmp_path/videos``."""
    with make_client(sb, tmp_path) as made:
        yield made


@pytest.fixture(scope="module")
def shared_server() -> Iterator[SandboxServer]:
    """One loopback sandbox server per test module, accepting only KEY (stopping one is slow)."""
    with serve(key=KEY, listing_delay=0.2) as srv:
        yield srv


@pytest.fixture
def server(shared_server: SandboxServer) -> SandboxServer:
    """The module's loopback server with a fresh sandbox state."""
    shared_server.sandbox.reset()
    return shared_server


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny, valid PNG that declares ``width`` x ``height`` pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\0" * ((width + 7) // 8 + 1) * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))
