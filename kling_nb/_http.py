"""Sending requests: which may be retried, how, and what an error answer becomes.

Operations (``_operations``) are generators that yield ``Call`` and ``Sleep`` steps; the sync
and async drivers here carry them out, so every operation is written once for both.
Status requests and downloads are retried (stamina: exponential backoff, jitter, Retry-After)
on 408, 429, 5xx and transport errors. A create request is retried only when it provably never
left (the connection was refused) or on 429 with ``Retry-After``: it costs money.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar

import httpx
import stamina

from ._config import Secret
from ._errors import (
    APIError,
    AuthenticationError,
    ModerationError,
    NetworkError,
    NotFoundError,
    OutOfCreditsError,
    RateLimitedError,
    RejectedError,
    ServerError,
    UnknownOutcomeError,
)
from ._spec import PROVIDER_NAMES

T = TypeVar("T")
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
SANDBOX_HEADER = "x-kling-nb-sandbox"


@dataclass(frozen=True)
class Call:
    """One HTTP request of an operation."""

    provider: str
    method: str
    url: str
    kind: Literal["safe", "create"] = "safe"
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


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry safe requests (status, uploads, downloads)."""

    attempts: int = 6
    timeout: float = 120.0
    wait_initial: float = 0.5
    wait_max: float = 30.0
    create_attempts: int = 3


class RetryableError(Exception):
    """Something worth another attempt of a safe request (a retry policy's own signal)."""


class RetryableStatusError(RetryableError):
    """An answer worth retrying (408, 429, 5xx); carries the response."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (a number or an HTTP date), if usable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value)
    return None if seconds is None else min(max(seconds, 0.0), 300.0)


def _seconds_until(value: str) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (when - datetime.now(timezone.utc)).total_seconds()


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
    return stamina.retry_context(on=_safe_hook, attempts=policy.attempts,
                                 timeout=policy.timeout, wait_initial=policy.wait_initial,
                                 wait_max=policy.wait_max)


def create_retries(policy: RetryPolicy) -> Any:
    """The retry loop for a create request: only what provably did not start a job."""
    return stamina.retry_context(on=_create_hook, attempts=policy.create_attempts,
                                 timeout=policy.timeout, wait_initial=1.0,
                                 wait_max=policy.wait_max)


# -- error answers ----------------------------------------------------------------------------
def api_message(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """The API's own message, error code and request id from any of the error shapes."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return (*_plain_message(response.text), _request_id(response, {}))
    if isinstance(body, list) and body and isinstance(body[0], dict):  # Leonardo v2
        first = body[0]
        ext = _dict(first.get("extensions"))
        return _text(first.get("message")), _text(ext.get("code")), _request_id(response, {})
    if isinstance(body, dict):
        message = body.get("error") if "error" in body else body.get("message")
        if isinstance(message, dict):
            message = message.get("message") or json.dumps(message)
        if isinstance(message, list):  # validation errors listed one per field
            message = "; ".join(str(m) for m in message)
        code = body.get("code") or body.get("name")
        return _text(message), _text(code), _request_id(response, body)
    return None, None, _request_id(response, {})


def _plain_message(text: str) -> tuple[str | None, str | None]:
    """The message of a text or XML (S3) error body."""
    message = _XML_MESSAGE.search(text)
    code = _XML_CODE.search(text)
    if message is not None:
        return message.group(1).strip(), code.group(1).strip() if code else None
    return text.strip()[:300] or None, None


_XML_MESSAGE = re.compile(r"<Message>(.*?)</Message>", re.DOTALL)
_XML_CODE = re.compile(r"<Code>(.*?)</Code>", re.DOTALL)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _request_id(response: httpx.Response, body: dict[str, Any]) -> str | None:
    for name in ("x-request-id", "x-amzn-requestid", "cf-ray"):
        if name in response.headers:
            return response.headers[name]
    value = body.get("requestId")
    return str(value) if value else None


def provider_label(provider: str, response: httpx.Response | None = None, *,
                   sandbox: bool = False) -> str:
    """The provider's display name; ``... (SANDBOX)`` when the sandbox gave the answer."""
    name = PROVIDER_NAMES.get(provider, provider)
    if sandbox or (response is not None and response.headers.get(SANDBOX_HEADER) == "true"):
        return f"{name} (SANDBOX)"
    return name


def error_from_response(
    provider: str, response: httpx.Response, *, job_id: str | None = None, action: str = ""
) -> APIError:
    """The right ``APIError`` for an error answer, naming provider, status, message, ids."""
    message, code, request_id = api_message(response)
    status = response.status_code
    lowered = f"{message or ''} {code or ''}".lower()
    details: dict[str, Any] = {"provider": provider_label(provider, response),
                               "status": status, "api_message": message,
                               "request_id": request_id, "job_id": job_id}
    what = f"{action} failed" if action else "request failed"
    if status == 401:
        return AuthenticationError(f"{what}: the API key was refused", **details,
                                   hint=_KEY_HINT.get(provider))
    if "moderation" in lowered or "nsfw" in lowered or "safety" in lowered:
        return ModerationError(f"{what}: refused by content moderation", **details,
                               hint="Rephrase the prompt or use another image.")
    money_words = any(w in lowered for w in ("credit", "tokens", "balance"))
    if status == 402 or (money_words and status in (400, 403)) or (
        provider == "aimlapi" and status == 403
    ):
        return OutOfCreditsError(f"{what}: the account is out of credits", **details)
    if status == 429:
        return RateLimitedError(f"{what}: rate limited", retry_after=retry_after(response),
                                **details)
    if status == 404:
        return NotFoundError(f"{what}: not found", **details)
    if status >= 500:
        return ServerError(f"{what}: the server failed", **details)
    return RejectedError(f"{what}: the API rejected the request", **details)


def recovery_hint(provider: str, sent: dict[str, Any]) -> str:
    """What to do after a create request with an unknown outcome (never: resubmit blindly)."""
    hint = "Do not resubmit blindly: look for the job with client.find_submitted(error)."
    if provider != "aimlapi":
        return hint
    task = _dict(sent.get("json")).get("external_task_id")
    return (f"{hint} On the AI/ML API that lookup (by external_task_id) is a best effort the "
            "API may not support, so an empty answer proves nothing: also check the AI/ML "
            f"dashboard for a task with external_task_id {task!r}.")


_KEY_HINT = {
    "leonardo": "Check LEONARDO_API_KEY (Leonardo: User settings > API access).",
    "aimlapi": "Check AIMLAPI_API_KEY (AI/ML API: dashboard > keys).",
}


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
            for attempt in self.retry_context(call.kind):
                with attempt:
                    return self.judge(call, self.http.send(request))
        except (RetryableStatusError, httpx.TransportError) as exc:
            raise self.give_up(call, exc) from None
        raise AssertionError  # pragma: no cover - the loop always returns or raises

    def run(self, op: Step[T]) -> T:
        """Carry out an operation to its result."""
        answer: Any = None
        failure: APIError | None = None
        try:
            while True:
                step = op.send(answer) if failure is None else op.throw(failure)
                answer, failure = None, None
                if isinstance(step, Sleep):
                    self.sleep(step.seconds)
                    continue
                try:
                    answer = self.send(step)
                except APIError as exc:
                    failure = exc
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


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
            async for attempt in self.retry_context(call.kind):
                with attempt:
                    return self.judge(call, await self.http.send(request))
        except (RetryableStatusError, httpx.TransportError) as exc:
            raise self.give_up(call, exc) from None
        raise AssertionError  # pragma: no cover

    async def run(self, op: Step[T]) -> T:
        """Carry out an operation to its result."""
        answer: Any = None
        failure: APIError | None = None
        try:
            while True:
                step = op.send(answer) if failure is None else op.throw(failure)
                answer, failure = None, None
                if isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                    continue
                try:
                    answer = await self.send(step)
                except APIError as exc:
                    failure = exc
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
