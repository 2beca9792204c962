"""Serve the sandbox over real HTTP on the loopback interface (stdlib ThreadingHTTPServer).

Paths: Leonardo under ``/api/rest/v1`` and ``/api/rest/v2``, the AI/ML API under ``/v2/...``,
the presigned upload target under ``/_sandbox/s3/`` and the CDN under ``/_sandbox/cdn/``.
"""

from __future__ import annotations

import argparse
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._app import LISTING_DELAY, Sandbox
from ._http import Dropped, Origins, Request, Response, Surface

LOOPBACK = ("127.0.0.1", "localhost")
_PREFIXES: tuple[tuple[str, Surface], ...] = (
    ("/_sandbox/cdn", "cdn"), ("/_sandbox/s3", "uploads"),
)


def _surface(path: str) -> tuple[Surface, str]:
    for prefix, surface in _PREFIXES:
        if path.startswith(prefix + "/"):
            return surface, path[len(prefix):]
    if path.startswith(("/v2/generate/", "/v2/video/")):
        return "aimlapi", path
    return "leonardo", path


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: Sandbox
    origins: Origins


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out apart: no 40 ms delayed-ACK stall
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the sandbox records requests itself."""

    def _request(self) -> Request:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        surface, path = _surface(parts.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        return Request(self.command, surface, path, dict(parse_qsl(parts.query)), headers, body,
                       self.server.origins)

    def _serve(self) -> None:
        try:
            response = self.server.sandbox.handle(self._request())
        except Dropped:
            self.close_connection = True
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        headers = dict(response.headers)
        headers.setdefault("content-length", str(len(response.body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        body = response.body
        if response.cut_at is not None:
            body, self.close_connection = body[:response.cut_at], True
        self.wfile.write(body)
        self.wfile.flush()


class SandboxServer:
    """A sandbox reachable over HTTP at ``url`` (loopback only)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, key: str | None = None,
                 **sandbox_options: Any) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the sandbox only binds to loopback ({', '.join(LOOPBACK)})")
        self.sandbox = Sandbox(key=key, **sandbox_options)
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self.sandbox
        url = self.url
        self._httpd.origins = Origins(url, url, url + "/_sandbox/cdn", url + "/_sandbox/s3")
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._httpd.server_address[0])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8765`` (use it as LEONARDO_BASE_URL host)."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a background daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=lambda: self._httpd.serve_forever(poll_interval=0.05),
                name="kling-nb-sandbox", daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop``/KeyboardInterrupt."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve(host: str = "127.0.0.1", port: int = 0, *, key: str | None = None,
          **sandbox_options: Any) -> SandboxServer:
    """Create a loopback sandbox server (call ``start()`` or use it as a context manager)."""
    return SandboxServer(host, port, key=key, **sandbox_options)


def main(argv: list[str] | None = None) -> int:
    """``kling-nb sandbox --port N [--key K] [--timing fast|realistic]
    [--accept-unknown-models]``."""
    parser = argparse.ArgumentParser(prog="kling-nb sandbox",
                                     description="Run the offline Kling API sandbox.")
    parser.add_argument("--host", default="127.0.0.1", choices=LOOPBACK)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--key", default=None, help="accept only this API key")
    parser.add_argument("--timing", choices=("fast", "realistic"), default="fast")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--listing-delay", type=float, default=LISTING_DELAY,
                        help="seconds before a new job shows in the account's listings")
    parser.add_argument("--accept-unknown-models", action="store_true",
                        help="serve a model id the sandbox does not know as a generic video "
                             "model (by default it is refused, as the live APIs do)")
    args = parser.parse_args(argv)
    server = serve(args.host, args.port, key=args.key, timing=args.timing, seed=args.seed,
                   listing_delay=args.listing_delay,
                   accept_unknown_models=args.accept_unknown_models)
    print(f"kling_nb sandbox listening on {server.url}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
