"""Transport-neutral request/response types and the vendors' error bodies."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

SANDBOX_HEADER = "x-kling-nb-sandbox"
Surface = Literal["leonardo", "aimlapi", "cdn", "uploads"]
ErrorStyle = Literal["v1", "v2", "aiml", "s3", "cdn"]


@dataclass(frozen=True)
class Origins:
    """Base URLs the sandbox is reached at (in-process hosts or one loopback server)."""

    leonardo: str
    aimlapi: str
    cdn: str
    uploads: str


@dataclass(frozen=True)
class Request:
    """One request as received: ``headers`` keys are lower-case."""

    method: str
    surface: Surface
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    origins: Origins

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.body or b"null")


@dataclass
class Response:
    """An answer; ``cut_at`` set means: announce the full length, send that many bytes, hang up."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut_at: int | None = None

    def __post_init__(self) -> None:
        self.headers[SANDBOX_HEADER] = "true"


class Dropped(Exception):  # noqa: N818 - it is a signal, not an error
    """The connection is dropped: ``before`` the request arrived, or after it was handled."""

    def __init__(self, *, before: bool) -> None:
        super().__init__("sandbox fault: connection dropped " + ("before" if before else "after"))
        self.before = before


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer."""
    merged = {"content-type": "application/json", **(headers or {})}
    return Response(status, json.dumps(payload).encode(), merged)


def iso(seconds: float) -> str:
    """An ISO-8601 UTC timestamp like Leonardo's ``createdAt``."""
    stamp = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error(style: ErrorStyle, status: int, message: str, *, code: str = "error",
          path: str = "$", headers: dict[str, str] | None = None, at: float = 0.0) -> Response:
    """An error in the shape the given API uses (api-notes §6)."""
    if style == "v1":
        return json_response(status, {"error": message, "path": path, "code": code}, headers)
    if style == "v2":
        details = {"path": path}
        item = {"message": message, "extensions": {"code": code, "details": details}}
        return json_response(status, [item], headers)
    if style == "aiml":
        body = {"message": message, "path": path, "requestId": str(uuid.uuid4()),
                "statusCode": status, "timestamp": iso(at)}
        return json_response(status, body, headers)
    if style == "s3":
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
               f"<Message>{message}</Message></Error>")
        xml_headers = {"content-type": "application/xml", **(headers or {})}
        return Response(status, xml.encode(), xml_headers)
    return Response(status, message.encode(), {"content-type": "text/plain", **(headers or {})})
