"""A fault-injecting proxy: an httpx transport in front of another (e.g. the sandbox's).

Faults injected *before* forwarding never reach the server behind it; faults injected
*after* forwarding hit a request the server has handled (a job may exist) whose answer is then
lost or replaced. ``forwarded`` counts what reached the server, per route, so a test can say
honestly how many create requests the server saw.

Kinds (each with a seeded probability per request, see ``FaultProxy(rates=...)``):

``refused``          before: ``httpx.ConnectError`` (provably never sent)
``lost_request``     before: ``httpx.WriteError`` (never arrived, but the client cannot know)
``gateway_error``    before: a 502 from the proxy itself
``rate_limited``     before: 429 with ``Retry-After: 1``
``upstream_timeout`` after:  the server answered; the proxy says 504 instead
``dropped``          after:  the server answered; the connection drops (RemoteProtocolError)
``truncated``        after (downloads only): full Content-Length, part of the body, hang-up
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator, Mapping

import httpx

BEFORE = ("refused", "lost_request", "gateway_error", "rate_limited")
AFTER = ("upstream_timeout", "dropped", "truncated")
KINDS = BEFORE + AFTER
CREATE_PATHS = ("/api/rest/v1/generations-image-to-video", "/api/rest/v2/generations",
                "/v2/generate/video/kling/generation")


def route_of(request: httpx.Request) -> str:
    """``create``, ``status``, ``download``, ``upload`` or ``other``."""
    path, method = request.url.path, request.method
    if method == "POST" and path.endswith(CREATE_PATHS):
        return "create"
    if "/videos/" in path and method in ("GET", "HEAD"):
        return "download"
    if method == "GET" and (path.endswith("/v2/generate/video/kling/generation")
                            and "generation_id" in request.url.params):
        return "status"
    if method == "GET" and "/generations/" in path and "/generations/user/" not in path:
        return "status"
    if request.url.host.startswith("uploads.") or "/_sandbox/s3" in path:
        return "upload"
    return "other"


class _Cut(httpx.SyncByteStream):
    """A body that stops after ``keep`` bytes, like a peer hanging up."""

    def __init__(self, data: bytes, keep: int, request: httpx.Request) -> None:
        self.data, self.keep, self.request = data, keep, request

    def __iter__(self) -> Iterator[bytes]:
        if self.keep:
            yield self.data[:self.keep]
        raise httpx.RemoteProtocolError("proxy fault: body truncated", request=self.request)


class FaultProxy(httpx.BaseTransport):
    """Forward to ``inner``, injecting faults at seeded random with the given rates."""

    def __init__(self, inner: httpx.BaseTransport, rates: Mapping[str, float], *,
                 seed: int = 0, routes: tuple[str, ...] | None = None,
                 kind_routes: Mapping[str, tuple[str, ...]] | None = None) -> None:
        unknown = set(rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; expected {KINDS}")
        self.inner, self.rates = inner, dict(rates)
        self.routes = routes
        """Only requests of these routes get faults (None: every route)."""
        self.kind_routes = dict(kind_routes or {})
        """Per kind, the routes it strikes (a kind not named: every route in ``routes``)."""
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected: Counter[tuple[str, str]] = Counter()
        self.forwarded: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()

    def _roll(self, route: str, kinds: tuple[str, ...]) -> str | None:
        if self.routes is not None and route not in self.routes:
            return None
        with self._lock:
            for kind in kinds:
                if kind == "truncated" and route != "download":
                    continue
                if route not in self.kind_routes.get(kind, (route,)):
                    continue
                if self._rng.random() < self.rates.get(kind, 0.0):
                    self.injected[(kind, route)] += 1
                    return kind
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Inject a fault before forwarding, forward, or inject one after."""
        route = route_of(request)
        with self._lock:
            self.seen[route] += 1
        before = self._roll(route, BEFORE)
        if before == "refused":
            raise httpx.ConnectError("proxy fault: connection refused", request=request)
        if before == "lost_request":
            raise httpx.WriteError("proxy fault: connection reset while sending",
                                   request=request)
        if before == "gateway_error":
            return httpx.Response(502, json={"error": "proxy fault: bad gateway"},
                                  request=request)
        if before == "rate_limited":
            return httpx.Response(429, json={"error": "proxy fault: too many requests"},
                                  headers={"retry-after": "1"}, request=request)
        request.read()
        response = self.inner.handle_request(request)
        with self._lock:
            self.forwarded[route] += 1
        after = self._roll(route, AFTER)
        if after is None:
            return response
        body = response.read()
        response.close()
        if after == "dropped":
            raise httpx.RemoteProtocolError("proxy fault: server disconnected without a "
                                            "response", request=request)
        if after == "upstream_timeout":
            return httpx.Response(504, json={"error": "proxy fault: upstream timed out"},
                                  request=request)
        if response.status_code not in (200, 206) or len(body) < 2:
            return httpx.Response(response.status_code, headers=response.headers,
                                  content=body, request=request)
        with self._lock:
            keep = self._rng.randrange(0, len(body))
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Cut(body, keep, request), request=request)

    def close(self) -> None:
        """Close the transport behind the proxy."""
        self.inner.close()
