"""What an answer means: the API's own message and ids from every error shape, the right
``APIError`` for an error answer, and ``Retry-After``."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from kling_nb.core.errors import (
    APIError,
    AuthenticationError,
    ModerationError,
    NotFoundError,
    OutOfCreditsError,
    RateLimitedError,
    RejectedError,
    ServerError,
)
from kling_nb.specs.providers import PROVIDER_NAMES

SANDBOX_HEADER = "x-kling-nb-sandbox"


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


def api_message(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """The API's own message, error code and request id from any of the error shapes."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return (*_plain_message(response.text), _request_id(response, {}))
    if isinstance(body, list) and body and isinstance(body[0], dict):  # Leonardo v2
        first = body[0]
        ext = as_dict(first.get("extensions"))
        return as_text(first.get("message")), as_text(ext.get("code")), _request_id(response, {})
    if isinstance(body, dict):
        message = body.get("error") if "error" in body else body.get("message")
        if isinstance(message, dict):
            message = message.get("message") or json.dumps(message)
        if isinstance(message, list):  # validation errors listed one per field
            message = "; ".join(str(m) for m in message)
        code = body.get("code") or body.get("name")
        return as_text(message), as_text(code), _request_id(response, body)
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


def as_dict(value: object) -> dict[str, Any]:
    """``value`` when it is a dict, else an empty one (answers are not always what they say)."""
    return value if isinstance(value, dict) else {}


def as_text(value: object) -> str | None:
    """``value`` as text, None staying None."""
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
    task = as_dict(sent.get("json")).get("external_task_id")
    return (f"{hint} On the AI/ML API that lookup (by external_task_id) is a best effort the "
            "API may not support, so an empty answer proves nothing: also check the AI/ML "
            f"dashboard for a task with external_task_id {task!r}.")


_KEY_HINT = {
    "leonardo": "Check LEONARDO_API_KEY (Leonardo: User settings > API access).",
    "aimlapi": "Check AIMLAPI_API_KEY (AI/ML API: dashboard > keys).",
}
