"""The fault-injecting proxy as a loopback HTTP server, for processes that make their own
client (the command line): ``LEONARDO_BASE_URL`` / ``AIMLAPI_BASE_URL`` point at it. URLs of
the upstream in JSON answers (videos, upload targets) are rewritten to the proxy's, so
downloads and uploads pass through it too.

Each request is forwarded to the upstream server through a ``FaultProxy``; the faults it
raises become what a client sees on the wire: a connection closed with no answer (refused,
reset, dropped), an error answer, or a body cut short after full headers.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx
from fault_proxy import FaultProxy

HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


class FaultServer:
    """``FaultProxy`` in front of ``upstream`` (a base URL), served on a loopback port."""

    def __init__(self, upstream: str, proxy_factory: type[FaultProxy] = FaultProxy,
                 **proxy_options: object) -> None:
        self.upstream = upstream.rstrip("/")
        self.proxy = proxy_factory(httpx.HTTPTransport(), **proxy_options)  # type: ignore[arg-type]
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread: threading.Thread | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                request = httpx.Request(self.command, server.upstream + self.path,
                                        headers=headers, content=body)
                try:
                    response = server.proxy.handle_request(request)
                except httpx.TransportError:
                    self.close_connection = True  # no answer at all
                    return
                chunks: list[bytes] = []
                try:
                    for chunk in response.stream:  # type: ignore[union-attr]
                        chunks.append(chunk)
                    total = None
                except httpx.RemoteProtocolError:  # cut short: full headers, part of the body
                    total = int(response.headers.get("content-length") or 0)
                finally:
                    response.close()  # the upstream connection goes back to the pool
                data = b"".join(chunks)
                if "json" in response.headers.get("content-type", "") and total is None:
                    # the served sandbox names its own origin in video and upload URLs: those
                    # come through the proxy too
                    data = data.replace(server.upstream.encode(), server.url.encode())
                if self.command == "HEAD":
                    total = int(response.headers.get("content-length") or 0)
                self._send(response.status_code, response.headers, data,
                           len(data) if total is None else max(total, len(data)))

            def _send(self, status: int, headers: httpx.Headers, data: bytes,
                      total: int) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in HOP and key.lower() not in ("date", "server"):
                        self.send_header(key, value)
                self.send_header("content-length", str(total))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                if len(data) < total and self.command != "HEAD":
                    self.close_connection = True

            do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = _any  # noqa: N815

        return Handler

    def start(self) -> FaultServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self.proxy.close()  # its pooled connections to the upstream

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

