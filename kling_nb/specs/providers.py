"""The two providers: names, default hosts, key variables; and the request a spec sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Provider = Literal["leonardo", "aimlapi"]
PROVIDERS: tuple[Provider, ...] = ("leonardo", "aimlapi")
PROVIDER_URLS: dict[str, str] = {
    "leonardo": "https://cloud.leonardo.ai",
    "aimlapi": "https://api.aimlapi.com",
}
KEY_VARIABLES: dict[str, str] = {"leonardo": "LEONARDO_API_KEY", "aimlapi": "AIMLAPI_API_KEY"}
PROVIDER_NAMES: dict[str, str] = {"leonardo": "Leonardo.AI", "aimlapi": "AI/ML API"}


@dataclass(frozen=True)
class WireRequest:
    """The exact HTTP request a provider expects (the key is never part of it)."""

    method: str
    url: str
    json: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    provider: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy: method, URL and body (for journals and error reports)."""
        return {"method": self.method, "url": self.url, "json": self.json}
