"""Network facts that need no HTTP library: is a host this machine, or the sandbox?"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (localhost, 127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_is_loopback(url: str) -> bool:
    """Whether a base URL's host is this machine."""
    return is_loopback(urlsplit(url).hostname)


SANDBOX_DOMAIN = "sandbox.kling-nb.invalid"
"""The in-process sandbox's hosts end in this (``.invalid``: no network can ever reach them)."""
SANDBOX_PATH = "/_sandbox/"
"""The served sandbox (``kling-nb sandbox``) keeps its CDN and uploads under this path."""


def url_is_sandbox(url: object) -> bool:
    """Whether a URL can only belong to the sandbox: an in-process sandbox host, or the CDN and
    upload paths of a served sandbox. (A served sandbox's API URLs look like any loopback
    host: only its answers' ``x-kling-nb-sandbox`` header tells.)"""
    if not isinstance(url, str) or not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (host == SANDBOX_DOMAIN or host.endswith("." + SANDBOX_DOMAIN)
            or parts.path.startswith(SANDBOX_PATH))
