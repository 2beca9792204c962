"""The exception tree: every error kling_nb raises derives from ``KlingError``.

::

    KlingError
    ├── SpecError                  a request spec breaks a model's rules (nothing was sent)
    ├── ImageError                 an input image is missing, empty, too large or not PNG/JPEG/WebP
    ├── ConfigError                a key, base URL or option is unusable (nothing was sent)
    │   └── JournalError           the journal could not record a submit, so it was not sent
    ├── UnresolvedImageError       a spec still holds a local image: a client must upload it first
    ├── MediaError                 a local video is missing or unreadable (no contact sheet)
    ├── ClipError                  an input sound clip or video is missing, damaged or empty
    ├── DuplicateRiskError         a resubmit that could pay for a job twice (nothing was sent)
    └── APIError                   the provider answered with an error, or did not answer
        ├── AuthenticationError    401: the key is missing, wrong or revoked
        ├── OutOfCreditsError      the account cannot pay for the job
        ├── RateLimitedError       429: too many requests or jobs at once
        ├── ModerationError        the prompt or an image was refused by content moderation
        ├── RejectedError          the API refused the request (4xx), with its own message
        ├── NotFoundError          404: no such job or asset
        ├── ServerError            5xx on a request that is safe to repeat
        ├── NetworkError           the provider could not be reached (after retries)
        ├── UnknownOutcomeError    a create request was sent but its outcome is unknown
        ├── NotCreatedError        a create's answer was lost and the provider shows no job
        ├── JobFailedError         the job ran and failed
        └── JobTimeoutError        the wait deadline passed; the job is still on the server

Each ``APIError`` names the provider, the HTTP status, the API's own message and request id,
and the job id where there is one. No error ever carries an API key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class KlingError(Exception):
    """Root of every error kling_nb raises."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: the field(s), what was given, what is allowed."""

    fields: tuple[str, ...]
    message: str
    given: Any = None
    allowed: str | None = None
    wire: tuple[str, ...] = ()
    """The same fields as the provider's body spells them, where that differs."""
    rule: str | None = None
    """The name of the rule that found the problem, where it has one."""
    inferred: str | None = None
    """Why the rule is only inferred (no vendor page states it); None: it is documented."""

    @property
    def field(self) -> str:
        """The field name(s) as one label, e.g. ``width x height``."""
        label = " x ".join(self.fields) if self.fields else "request"
        return f"{label} ({' x '.join(self.wire)})" if self.wire else label

    @property
    def sentence(self) -> str:
        """The message naming its field: ``prompt is required.``, ``seed: 'x' is not ...``."""
        label = " and ".join(self.fields) if self.fields else "the request"
        return (f"{label} {self.message}" if self.message.startswith("is ")
                else f"{label}: {self.message}")

    def __str__(self) -> str:
        joiner = " " if self.message.startswith("is ") else ": "
        text = f"{self.field}{joiner}{self.message}"
        if self.allowed and self.allowed not in self.message:
            text += f" Allowed: {self.allowed}."
        if self.inferred:
            text += f" [inferred rule: {self.inferred}]"
        return text


class SpecError(KlingError, ValueError):
    """A request spec breaks its model's rules; raised before anything is sent."""

    def __init__(self, model: str, problems: list[Problem]) -> None:
        self.model = model
        self.problems = problems
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.model}: {count} {noun} in the request (nothing was sent):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    @property
    def fields(self) -> list[str]:
        """Every field named by a problem, in order, without repeats."""
        seen: dict[str, None] = {}
        for problem in self.problems:
            seen.update(dict.fromkeys(problem.fields))
        return list(seen)


class ImageError(KlingError, ValueError):
    """An input image cannot be used: missing, empty, too large, or not PNG/JPEG/WebP."""


class ConfigError(KlingError, ValueError):
    """A key, base URL or option is unusable; nothing was sent."""


class JournalError(ConfigError):
    """The job journal could not record a create request, so it was not sent (no job, no cost)."""


class UnresolvedImageError(KlingError, ValueError):
    """A spec still holds a local image or URL where the API needs an uploaded asset id."""


class MediaError(KlingError, ValueError):
    """A local video is missing or cannot be read, so no contact sheet can be made of it."""


class ClipError(KlingError, ValueError):
    """An input sound clip or reference video cannot be used: missing, empty, damaged, or
    without the sound or picture it is given for (nothing was sent)."""


class DuplicateRiskError(KlingError):
    """A resubmit refused because the job may exist already (nothing was sent).

    The journal resends a request on purpose only when no job came of it (not created,
    rejected, failed, dismissed); ``force=True`` (``--force``) sends it anyway.
    """


class APIError(KlingError):
    """The provider answered with an error, or did not answer."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status: int | None = None,
        api_message: str | None = None,
        request_id: str | None = None,
        job_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.provider = provider
        self.status = status
        self.api_message = api_message
        self.request_id = request_id
        self.job_id = job_id
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        parts = [f"[{self.provider}] {self.args[0]}"]
        details = [
            f"HTTP {self.status}" if self.status is not None else None,
            f"API says: {self.api_message!r}" if self.api_message else None,
            f"request id {self.request_id}" if self.request_id else None,
            f"job id {self.job_id}" if self.job_id else None,
        ]
        shown = [d for d in details if d]
        if shown:
            parts.append("(" + "; ".join(shown) + ")")
        if self.hint:
            parts.append(f"\n{self.hint}")
        return " ".join(parts[:2]) + "".join(parts[2:])


class AuthenticationError(APIError):
    """401: the API key is missing, wrong or revoked."""


class OutOfCreditsError(APIError):
    """The account cannot pay for the job."""


class RateLimitedError(APIError):
    """429: too many requests or jobs at once."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class ModerationError(APIError):
    """The prompt or an image was refused by the provider's content moderation."""


class RejectedError(APIError):
    """The API refused the request (a 4xx), with its own message."""


class NotFoundError(APIError):
    """404: no such job or asset."""


class ServerError(APIError):
    """A 5xx answer to a request that is safe to repeat, after the retries ran out."""


class NetworkError(APIError):
    """The provider could not be reached, after the retries a request allows."""


class UnknownOutcomeError(APIError):
    """A create request was sent but its outcome is unknown: it may have started a paid job.

    The client has already looked for the job (``reconciled`` says how, and why that did not
    settle it). ``sent`` holds the request as sent (method, URL and body; never the key);
    ``handle`` is its journal handle, when a journal recorded it. Do not simply submit again:
    ``kling-nb resume`` (or ``journal.reconcile(client)``) looks again later.
    """

    def __init__(self, message: str, *, sent: dict[str, Any], handle: str | None = None,
                 reconciled: Any = None, **kw: Any) -> None:
        self.sent = sent
        self.handle = handle
        self.reconciled = reconciled
        super().__init__(message, **kw)


class NotCreatedError(APIError):
    """A create request's answer was lost, and the provider shows no job for it.

    The client looked for the job over a grace period in Leonardo's listing of the account's
    recent generations and found none: nothing was created and nothing is billed, as far as
    that listing shows. (The AI/ML lookup by ``external_task_id`` is not in the AI/ML docs, so
    finding nothing there leaves the outcome unknown instead.) It is never sent again on its
    own: resubmit on purpose (``kling-nb resubmit HANDLE``, or ``client.submit(spec)``).
    """

    def __init__(self, message: str, *, sent: dict[str, Any], handle: str | None = None,
                 **kw: Any) -> None:
        self.sent = sent
        self.handle = handle
        super().__init__(message, **kw)


class JobFailedError(APIError):
    """The job ran and ended in failure."""


class JobTimeoutError(APIError):
    """The wait deadline passed; the job goes on running on the server."""
