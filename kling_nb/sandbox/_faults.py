"""Hold the faults injected on demand (queued or probabilistic) and hand them out per request."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, replace
from typing import Literal, get_args

FaultKind = Literal[
    "server_error", "rate_limited", "drop_before", "drop_after", "slow", "truncate",
    "failed_job", "moderation", "out_of_credits",
]
Route = Literal["create", "status", "download", "upload", "other", "any"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
ROUTES: tuple[str, ...] = get_args(Route)
SERVER_ERROR: FaultKind = "server_error"
RATE_LIMITED: FaultKind = "rate_limited"
DROP_BEFORE: FaultKind = "drop_before"
DROP_AFTER: FaultKind = "drop_after"
SLOW: FaultKind = "slow"
TRUNCATE: FaultKind = "truncate"
FAILED_JOB: FaultKind = "failed_job"
MODERATION: FaultKind = "moderation"
OUT_OF_CREDITS: FaultKind = "out_of_credits"
_ONLY_ON = {TRUNCATE: "download", FAILED_JOB: "create", MODERATION: "create",
            OUT_OF_CREDITS: "create"}


@dataclass(frozen=True)
class Fault:
    """One fault: its kind, the route it hits and its options.

    ``status`` is the HTTP status of a ``server_error`` (default 503); ``retry_after`` the
    seconds in a ``rate_limited`` answer's Retry-After; ``delay`` the seconds a ``slow``
    answer waits (through the sandbox's injectable sleep); ``keep`` the fraction of the body a
    ``truncate`` download sends before closing.
    """

    kind: FaultKind
    route: Route = "any"
    times: int = 1
    status: int = 503
    retry_after: int = 1
    delay: float = 1.0
    keep: float = 0.5

    def hits(self, route: str, kinds: tuple[str, ...]) -> bool:
        """True when this fault applies to a request on ``route`` checking ``kinds``."""
        return self.kind in kinds and self.route in ("any", route)


class Faults:
    """Faults on demand: ``add`` queues a fault for the next ``times`` matching requests;
    ``set_rate`` makes a kind happen at random (seeded) with a probability per request."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self._rates: list[tuple[float, Fault]] = []
        self._rng = random.Random(seed)
        self.served: dict[str, int] = {}

    def add(self, kind: FaultKind, *, route: Route = "any", times: int = 1,
            status: int = 503, retry_after: int = 1, delay: float = 1.0,
            keep: float = 0.5) -> Fault:
        """Queue ``kind`` for the next ``times`` requests on ``route``; returns the fault."""
        fault = _checked(Fault(kind, route, times, status, retry_after, delay, keep))
        with self._lock:
            self._queue.append(fault)
        return fault

    def set_rate(self, kind: FaultKind, rate: float, *, route: Route = "any",
                 status: int = 503, retry_after: int = 1, delay: float = 1.0,
                 keep: float = 0.5) -> None:
        """Make ``kind`` strike each matching request with probability ``rate`` (seeded)."""
        fault = _checked(Fault(kind, route, 1, status, retry_after, delay, keep))
        with self._lock:
            self._rates = [(r, f) for r, f in self._rates if (f.kind, f.route) != (kind, route)]
            if rate > 0:
                self._rates.append((rate, fault))

    def clear(self) -> None:
        """Forget every queued fault and every rate."""
        with self._lock:
            self._queue.clear()
            self._rates.clear()

    @property
    def pending(self) -> list[Fault]:
        """The queued faults not yet used up."""
        with self._lock:
            return list(self._queue)

    def take(self, route: str, *kinds: str) -> Fault | None:
        """Use up and return the first fault of ``kinds`` for ``route``, else None."""
        with self._lock:
            fault = self._take_queued(route, kinds) or self._roll(route, kinds)
            if fault is not None:
                self.served[fault.kind] = self.served.get(fault.kind, 0) + 1
            return fault

    def _take_queued(self, route: str, kinds: tuple[str, ...]) -> Fault | None:
        for index, fault in enumerate(self._queue):
            if fault.hits(route, kinds):
                if fault.times <= 1:
                    del self._queue[index]
                else:
                    self._queue[index] = replace(fault, times=fault.times - 1)
                return fault
        return None

    def _roll(self, route: str, kinds: tuple[str, ...]) -> Fault | None:
        for rate, fault in self._rates:
            if fault.hits(route, kinds) and self._rng.random() < rate:
                return fault
        return None


def _checked(fault: Fault) -> Fault:
    if fault.kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {FAULT_KINDS}")
    if fault.route not in ROUTES:
        raise ValueError(f"unknown route {fault.route!r}; expected one of {ROUTES}")
    only = _ONLY_ON.get(fault.kind)
    if only is not None and fault.route not in ("any", only):
        raise ValueError(f"fault {fault.kind!r} only applies to route {only!r}")
    if fault.times < 1:
        raise ValueError("times must be at least 1")
    return fault
