"""Plug the sandbox into httpx in-process: sync and async transports for its four hosts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from ._http import Dropped, Request, Response, Surface

if TYPE_CHECKING:
    from ._app import Sandbox

CHUNK = 64 * 1024
_HOSTS: dict[str, Surface] = {
    "leonardo.sandbox.kling-nb.invalid": "leonardo",
    "aimlapi.sandbox.kling-nb.invalid": "aimlapi",
    "cdn.sandbox.kling-nb.invalid": "cdn",
    "uploads.sandbox.kling-nb.invalid": "uploads",
}


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body streamed in chunks; a cut body raises like a peer hanging up."""

    def __init__(self, data: bytes, cut_at: int | None, request: httpx.Request) -> None:
        self._data, self._cut, self._request = data, cut_at, request

    def _chunks(self) -> Iterator[bytes]:
        end = len(self._data) if self._cut is None else self._cut
        for offset in range(0, end, CHUNK):
            yield self._data[offset:min(offset + CHUNK, end)]
        if self._cut is not None:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body "
                "(sandbox truncate fault)", request=self._request)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


def _to_sandbox(request: httpx.Request, body: bytes) -> Request:
    from ._app import IN_PROCESS

    surface = _HOSTS.get(request.url.host)
    if surface is None:
        raise httpx.ConnectError(
            f"the sandbox transport only answers *.sandbox.kling-nb.invalid, not "
            f"{request.url.host!r}", request=request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    query = dict(request.url.params.items())
    return Request(request.method, surface, request.url.path, query, headers, body, IN_PROCESS)


def _to_httpx(response: Response, request: httpx.Request) -> httpx.Response:
    return httpx.Response(response.status, headers=response.headers,
                          stream=_Body(response.body, response.cut_at, request),
                          request=request)


def _dropped(exc: Dropped, request: httpx.Request) -> httpx.TransportError:
    if exc.before:
        return httpx.ConnectError(str(exc), request=request)
    return httpx.RemoteProtocolError(
        "Server disconnected without sending a response (sandbox drop fault)", request=request)


class SandboxTransport(httpx.BaseTransport):
    """Synchronous in-process transport; safe to share between threads."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the sandbox."""
        req = _to_sandbox(request, request.read())
        try:
            return _to_httpx(self._sandbox.handle(req), request)
        except Dropped as exc:
            raise _dropped(exc, request) from None


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """Asynchronous in-process transport; the work runs in a worker thread (asyncio)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the sandbox without blocking the event loop."""
        req = _to_sandbox(request, await request.aread())
        try:
            response = await asyncio.to_thread(self._sandbox.handle, req)
        except Dropped as exc:
            raise _dropped(exc, request) from None
        return _to_httpx(response, request)
