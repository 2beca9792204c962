"""Route each sandbox request to its handler, around auth, faults, limits and recording."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from . import _aimlapi as aiml
from . import _leonardo as leo
from . import _storage as storage
from ._faults import DROP_AFTER, DROP_BEFORE, RATE_LIMITED, SERVER_ERROR, SLOW, Faults
from ._http import SANDBOX_HEADER, Dropped, ErrorStyle, Origins, Request, Response, Surface, error
from ._jobs import Store, Timing
from ._limits import CREATE_PER_MINUTE, OVERALL_PER_MINUTE, RateLimits
from ._wire import WireError

LEONARDO_SANDBOX_URL = "https://leonardo.sandbox.kling-nb.invalid"
AIMLAPI_SANDBOX_URL = "https://aimlapi.sandbox.kling-nb.invalid"
CDN_SANDBOX_URL = "https://cdn.sandbox.kling-nb.invalid"
UPLOADS_SANDBOX_URL = "https://uploads.sandbox.kling-nb.invalid"
IN_PROCESS = Origins(LEONARDO_SANDBOX_URL, AIMLAPI_SANDBOX_URL, CDN_SANDBOX_URL,
                     UPLOADS_SANDBOX_URL)

Handler = Callable[["Sandbox", Request, "re.Match[str]"], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint: where it lives, which fault route it is, how its errors look."""

    surface: Surface
    methods: tuple[str, ...]
    pattern: re.Pattern[str]
    kind: str
    style: ErrorStyle
    handler: Handler


@dataclass(frozen=True)
class RecordedRequest:
    """A request that reached the sandbox; headers exclude ``authorization``."""

    method: str
    surface: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any


def _route(surface: Surface, methods: str, pattern: str, kind: str, style: ErrorStyle,
           handler: Handler) -> Route:
    return Route(surface, tuple(methods.split()), re.compile(pattern + r"\Z"), kind, style,
                 handler)


_V1 = "/api/rest/v1"
ROUTES = (
    _route("leonardo", "POST", _V1 + "/generations-image-to-video", "create", "v1",
           leo.create_v1),
    _route("leonardo", "POST", _V1 + "/generations-text-to-video", "create", "v1",
           leo.create_v1_text),
    _route("leonardo", "POST", "/api/rest/v2/generations", "create", "v2", leo.create_v2),
    _route("leonardo", "GET", _V1 + "/generations/user/(?P<user>[^/]+)", "other", "v1",
           leo.list_generations),
    _route("leonardo", "GET", _V1 + "/generations/(?P<id>[^/]+)", "status", "v1",
           leo.get_generation),
    _route("leonardo", "DELETE", _V1 + "/generations/(?P<id>[^/]+)", "other", "v1",
           leo.delete_generation),
    _route("leonardo", "GET", _V1 + "/me", "other", "v1", leo.me),
    _route("leonardo", "POST", _V1 + "/init-image", "other", "v1", leo.init_image),
    _route("leonardo", "GET", _V1 + "/init-image/(?P<id>[^/]+)", "other", "v1",
           leo.get_init_image),
    _route("aimlapi", "POST", "/v2/generate/video/kling/generation", "create", "aiml",
           aiml.create),
    _route("aimlapi", "GET", "/v2/generate/video/kling/generation", "status", "aiml",
           aiml.status),
    _route("aimlapi", "POST", "/v2/video/generations", "create", "aiml", aiml.create_universal),
    _route("aimlapi", "GET", "/v2/video/generations", "status", "aiml", aiml.status_universal),
    _route("uploads", "POST", "/.*", "upload", "s3", storage.upload),
    _route("cdn", "GET HEAD", r"/(?P<folder>videos|posters|images)/(?P<id>[^/.]+)\.(?P<ext>\w+)",
           "download", "cdn", storage.download),
)
_STYLE: dict[str, ErrorStyle] = {"leonardo": "v1", "aimlapi": "aiml", "uploads": "s3", "cdn": "cdn"}


LISTING_DELAY = 1.0
"""Seconds (on the sandbox's clock) before a new job shows in the account's listings: Leonardo's
``generations/user`` and the AI/ML lookup by ``external_task_id``. Its status by id answers at
once. A listing that lags a little behind the create is what a client reconciling a lost create
answer must allow for."""


class Sandbox:
    """An offline emulator of the Leonardo.AI and AI/ML APIs for Kling video models."""

    def __init__(self, *, key: str | None = None, timing: Timing = "fast", fast_polls: int = 1,
                 seed: int = 0, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None, balance: float = 100.0,
                 slots: int = 10, rate_limits: bool = False,
                 listing_delay: float = LISTING_DELAY,
                 accept_unknown_models: bool = False) -> None:
        self._options = {"timing": timing, "fast_polls": fast_polls, "seed": seed,
                         "balance": balance, "slots": slots}
        self.accept_unknown_models = accept_unknown_models
        """Serve a model id no entry names as a generic video model (else refuse it, as the
        live APIs do): see ``kling_nb.sandbox._generic``."""
        self.key, self.rate_limits_enabled = key, rate_limits
        self.listing_delay = float(listing_delay)
        self.clock = clock or time.time
        self.sleep = sleep or time.sleep
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget every asset, job, recorded request, fault and counter; refill the balance."""
        opts = self._options
        with self._lock:
            self.store = Store(clock=self.clock, seed=int(opts["seed"]),
                               timing=opts["timing"],  # type: ignore[arg-type]
                               fast_polls=int(opts["fast_polls"]), slots=int(opts["slots"]))
            self.faults = Faults(seed=int(opts["seed"]))
            self.limits = RateLimits(self.clock)
            self.balance = float(opts["balance"])
            self.requests: list[RecordedRequest] = []
            self.status_counts: dict[int, int] = {}
            self.user_id = self.store.new_id()
            self.username = "sandbox-user"

    def listed(self, created: float) -> bool:
        """Whether a job created at ``created`` shows in listings yet (``listing_delay``)."""
        return self.clock() - created >= self.listing_delay

    @property
    def timing(self) -> str:
        """``fast`` (jobs end on their second status request) or ``realistic``."""
        return str(self._options["timing"])

    @property
    def slots(self) -> int:
        """Leonardo ``apiConcurrencySlots``: jobs that may run at once (realistic timing)."""
        return int(self._options["slots"])

    @property
    def served_429(self) -> int:
        """How many 429 answers the sandbox has given."""
        return self.status_counts.get(429, 0)

    def peak_running(self, provider: str = "leonardo") -> int:
        """Most jobs of ``provider`` ("leonardo" or "aiml") that ran at the same time."""
        with self._lock:
            return self.store.peak_running(provider)

    def add_image(self, image_bytes: bytes, *, kind: str = "UPLOADED") -> str:
        """Seed an image asset (``UPLOADED`` init image or ``GENERATED`` image); returns its id."""
        if kind not in ("UPLOADED", "GENERATED"):
            raise ValueError("kind must be 'UPLOADED' or 'GENERATED'")
        extension = storage.extension_of(image_bytes)
        with self._lock:
            return self.store.add_image(kind, data=image_bytes, extension=extension).id

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering the four in-process sandbox hosts."""
        from ._transport import SandboxTransport

        return SandboxTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An async httpx transport answering the four in-process sandbox hosts."""
        from ._transport import AsyncSandboxTransport

        return AsyncSandboxTransport(self)

    def handle(self, req: Request) -> Response:
        """Answer one request; raises ``Dropped`` for a connection-drop fault."""
        route, match = _find(req)
        kind = route.kind if route else "other"
        if self.faults.take(kind, DROP_BEFORE):
            raise Dropped(before=True)
        self._record(req)
        response = self._early(req, kind, route) or self._answer(req, route, match)
        response.headers[SANDBOX_HEADER + "-timing"] = self.timing
        with self._lock:
            self.status_counts[response.status] = self.status_counts.get(response.status, 0) + 1
        if self.faults.take(kind, DROP_AFTER):
            raise Dropped(before=False)
        return response

    def _record(self, req: Request) -> None:
        try:
            body = req.json() if "json" in req.headers.get("content-type", "") else None
        except ValueError:
            body = None
        headers = {k: v for k, v in req.headers.items() if k != "authorization"}
        with self._lock:
            self.requests.append(RecordedRequest(req.method, req.surface, req.path,
                                                 dict(req.query), headers, body))

    def _early(self, req: Request, kind: str, route: Route | None) -> Response | None:
        style: ErrorStyle = route.style if route else _STYLE[req.surface]
        slow = self.faults.take(kind, SLOW)
        if slow is not None:
            self.sleep(slow.delay)
        fault = self.faults.take(kind, RATE_LIMITED, SERVER_ERROR)
        if fault is not None and fault.kind == RATE_LIMITED:
            return self._too_many(req, style, fault.retry_after)
        if fault is not None:
            return error(style, fault.status, "sandbox fault: server error", code="unexpected",
                         path=req.path, at=self.clock())
        return self._limited(req, kind, style)

    def _limited(self, req: Request, kind: str, style: ErrorStyle) -> Response | None:
        if not self.rate_limits_enabled or req.surface != "leonardo":
            return None
        keys = {"all": OVERALL_PER_MINUTE}
        if kind == "create":
            keys[req.path] = CREATE_PER_MINUTE
        with self._lock:
            wait = self.limits.check(keys)
        return None if wait is None else self._too_many(req, style, wait)

    def _too_many(self, req: Request, style: ErrorStyle, wait: int) -> Response:
        return error(style, 429, "Too Many Requests: rate limit exceeded", code="rate-limited",
                     path=req.path, headers={"retry-after": str(wait)}, at=self.clock())

    def _answer(self, req: Request, route: Route | None, match: re.Match[str] | None) -> Response:
        if route is None or match is None:
            return error(_STYLE[req.surface], 404, f"no such endpoint: {req.method} {req.path}",
                         code="not-found", path=req.path, at=self.clock())
        denied = self._auth(req, route.style)
        if denied is not None:
            return denied
        try:
            with self._lock:
                return route.handler(self, req, match)
        except WireError as exc:
            path = req.path if route.style == "aiml" else exc.path
            return error(route.style, exc.status, exc.message, code=exc.code, path=path,
                         at=self.clock())

    def _auth(self, req: Request, style: ErrorStyle) -> Response | None:
        if req.surface not in ("leonardo", "aimlapi"):
            return None
        scheme, _, token = req.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token and (self.key is None or token == self.key):
            return None
        return error(style, 401, "Invalid authentication credentials", code="invalid-jwt",
                     path=req.path if style == "aiml" else "$", at=self.clock())


def _find(req: Request) -> tuple[Route | None, re.Match[str] | None]:
    for route in ROUTES:
        if route.surface != req.surface or req.method not in route.methods:
            continue
        match = route.pattern.match(req.path)
        if match is not None:
            return route, match
    return None, None
