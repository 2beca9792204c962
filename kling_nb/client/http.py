"""Sending requests: which may be retried, and how; the drivers that run operations.

Operations (``operations``, ``account``) are generators that yield ``Call`` and ``Sleep``
steps; ``Stepper`` walks one, and the sync and async drivers only carry out its steps, so every
operation is written once for both. Status requests and downloads are retried (stamina:
exponential backoff, jitter, Retry-After) on 408, 429, 5xx and transport errors. A create
request is retried only when it provably never left (the connection was refused) or on 429
with ``Retry-After``: it costs money. Each retry is one friendly line (``retrylog``).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import httpx

from kling_nb.core.errors import APIError, NetworkError, UnknownOutcomeError
from kling_nb.specs.providers import PROVIDER_NAMES

from .answers import error_from_response, recovery_hint, retry_after
from .config import Secret
from .retrylog import retrying

T = TypeVar("T")
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Call:
    """One HTTP request of an operation."""

    provider: str
    method: str
    url: str
    kind: Literal["safe", "create", "lookup"] = "safe"
    """``create`` is retried only when it provably never left; ``lookup`` (looking for a job
    whose create answer was lost, itself repeated over a grace period) is retried briefly."""
    json: Any = None
    params: dict[str, str] | None = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    auth: bool = True
    job_id: str | None = None
    sent: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sleep:
    """Wait before the operation goes on (poll intervals)."""

    seconds: float


Step = Generator[Call | Sleep, Any, T]


GRACE_ENV = "KLING_NB_RECONCILE_GRACE"
DEFAULT_GRACE = 60.0
"""Seconds the client keeps looking for a job whose create answer was lost."""


def default_grace() -> float:
    """``$KLING_NB_RECONCILE_GRACE`` seconds if set (a number >= 0), else 60."""
    value = os.environ.get(GRACE_ENV, "").strip()
    try:
        grace = float(value) if value else DEFAULT_GRACE
    except ValueError:
        return DEFAULT_GRACE
    return grace if grace >= 0 else DEFAULT_GRACE


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry safe requests (status, uploads, downloads), and how long to look for
    a job whose create answer was lost (``reconcile_grace`` seconds; None: do not look, raise
    ``UnknownOutcomeError`` at once)."""

    attempts: int = 6
    timeout: float = 120.0
    wait_initial: float = 0.5
    wait_max: float = 30.0
    create_attempts: int = 3
    reconcile_grace: float | None = field(default_factory=default_grace)


class RetryableError(Exception):
    """Something worth another attempt of a safe request (a retry policy's own signal)."""


class RetryableStatusError(RetryableError):
    """An answer worth retrying (408, 429, 5xx); carries the response."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _safe_hook(exc: Exception) -> bool | float:
    """Safe requests (status, uploads, downloads): retry any ``RetryableError`` or transport
    error, after the server's ``Retry-After`` when it gives one."""
    if isinstance(exc, RetryableStatusError):
        return retry_after(exc.response) or True
    return isinstance(exc, (RetryableError, httpx.TransportError))


def _create_hook(exc: Exception) -> bool | float:
    if isinstance(exc, RetryableStatusError):
        wait = retry_after(exc.response)
        return False if wait is None else (wait or True)
    return isinstance(exc, NEVER_SENT)


def safe_retries(policy: RetryPolicy) -> Any:
    """The retry loop for a safe request (``for attempt in ...`` or ``async for``)."""
    import stamina  # on first use: it pulls in tenacity (and its tornado support)

    return stamina.retry_context(on=_safe_hook, attempts=policy.attempts,
                                 timeout=policy.timeout, wait_initial=policy.wait_initial,
                                 wait_max=policy.wait_max)


def create_retries(policy: RetryPolicy) -> Any:
    """The retry loop for a create request: only what provably did not start a job."""
    import stamina

    return stamina.retry_context(on=_create_hook, attempts=policy.create_attempts,
                                 timeout=policy.timeout, wait_initial=1.0,
                                 wait_max=policy.wait_max)


class Stepper(Generic[T]):
    """Walks one operation: ``next()`` gives its next step (None once it has returned);
    ``answer``/``failure`` is what the last ``Call`` gave back."""

    def __init__(self, op: Step[T]) -> None:
        self.op = op
        self.answer: Any = None
        self.failure: APIError | None = None
        self.value: T | None = None

    def next(self) -> Call | Sleep | None:
        """The operation's next step, after handing it the last answer or error."""
        answer, failure = self.answer, self.failure
        self.answer = self.failure = None
        try:
            return self.op.send(answer) if failure is None else self.op.throw(failure)
        except StopIteration as stop:
            self.value = stop.value
            return None


# -- drivers ----------------------------------------------------------------------------------
class _Driver:
    """What both drivers share: building requests and judging answers."""

    def __init__(self, keys: dict[str, Secret | None], policy: RetryPolicy) -> None:
        self._keys = keys
        self.policy = policy

    def build(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        headers = {"accept": "application/json"}
        key = self._keys.get(call.provider)
        if call.auth and key is not None:
            headers["authorization"] = f"Bearer {key.reveal()}"
        return http.build_request(call.method, call.url, json=call.json, params=call.params,
                                  data=call.data, files=call.files, headers=headers)

    def retry_context(self, kind: str) -> Any:
        if kind == "lookup":
            return safe_retries(dataclasses.replace(self.policy, attempts=2, timeout=15.0))
        return (create_retries if kind == "create" else safe_retries)(self.policy)

    @staticmethod
    def judge(call: Call, response: httpx.Response) -> httpx.Response:
        """Raise for answers worth retrying under this call's policy."""
        status = response.status_code
        if call.kind == "create":
            if status == 429 and retry_after(response) is not None:
                raise RetryableStatusError(response)
        elif status in RETRY_STATUSES:
            raise RetryableStatusError(response)
        return response

    @staticmethod
    def give_up(call: Call, exc: Exception) -> Exception:
        """The error to raise once retries are exhausted (or not allowed)."""
        if isinstance(exc, RetryableStatusError):
            return error_from_response(call.provider, exc.response, job_id=call.job_id)
        name = PROVIDER_NAMES.get(call.provider, call.provider)
        if call.kind == "create" and not isinstance(exc, NEVER_SENT):
            return UnknownOutcomeError(
                f"the create request was sent but no answer came back ({type(exc).__name__}); "
                "a job may have started and may be billed",
                provider=name, sent=call.sent, hint=recovery_hint(call.provider, call.sent),
            )
        what = "nothing was sent" if isinstance(exc, NEVER_SENT) else "the request failed"
        return NetworkError(f"could not reach {name}: {type(exc).__name__} ({what})",
                            provider=name, job_id=call.job_id)


class SyncDriver(_Driver):
    """Runs operations with a blocking httpx client."""

    def __init__(self, http: httpx.Client, keys: dict[str, Secret | None], policy: RetryPolicy,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(keys, policy)
        self.http = http
        self.sleep = sleep

    def send(self, call: Call) -> httpx.Response:
        """One call, retried as its kind allows."""
        request = self.build(self.http, call)
        try:
            with retrying(call.provider):
                for attempt in self.retry_context(call.kind):
                    with attempt:
                        return self.judge(call, self.http.send(request))
        except (RetryableStatusError, httpx.TransportError) as exc:
            raise self.give_up(call, exc) from None
        raise AssertionError  # pragma: no cover - the loop always returns or raises

    def carry_out(self, stepper: Stepper[Any], call: Call) -> None:
        """Send one call of an operation; its answer or error goes back to the operation."""
        try:
            stepper.answer = self.send(call)
        except APIError as exc:
            stepper.failure = exc

    def run(self, op: Step[T]) -> T:
        """Carry out an operation to its result."""
        stepper = Stepper(op)
        while (step := stepper.next()) is not None:
            if isinstance(step, Sleep):
                self.sleep(step.seconds)
            else:
                self.carry_out(stepper, step)
        return stepper.value  # type: ignore[return-value]


class AsyncDriver(_Driver):
    """Runs operations with an async httpx client: many jobs, one thread."""

    def __init__(self, http: httpx.AsyncClient, keys: dict[str, Secret | None],
                 policy: RetryPolicy) -> None:
        super().__init__(keys, policy)
        self.http = http

    async def send(self, call: Call) -> httpx.Response:
        """One call, retried as its kind allows."""
        request = self.build(self.http, call)
        try:
            with retrying(call.provider):
                async for attempt in self.retry_context(call.kind):
                    with attempt:
                        return self.judge(call, await self.http.send(request))
        except (RetryableStatusError, httpx.TransportError) as exc:
            raise self.give_up(call, exc) from None
        raise AssertionError  # pragma: no cover

    async def run(self, op: Step[T]) -> T:
        """Carry out an operation to its result."""
        import asyncio

        stepper = Stepper(op)
        while (step := stepper.next()) is not None:
            if isinstance(step, Sleep):
                await asyncio.sleep(step.seconds)
                continue
            try:
                stepper.answer = await self.send(step)
            except APIError as exc:
                stepper.failure = exc
        return stepper.value  # type: ignore[return-value]
