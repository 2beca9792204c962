"""Where keys and hosts come from (arguments, the environment, a ``.env`` file), and which
keys, base URLs and job ids are usable before anything is sent."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from kling_nb.core.errors import ConfigError
from kling_nb.core.net import is_loopback
from kling_nb.specs.providers import KEY_VARIABLES, PROVIDER_NAMES, PROVIDER_URLS
from kling_nb.specs.refs import check_id

BASE_URL_VARIABLES = {"leonardo": "LEONARDO_BASE_URL", "aimlapi": "AIMLAPI_BASE_URL"}


class Secret:
    """An API key that never shows itself: not in repr, str, format or pickles."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value.strip()

    def reveal(self) -> str:
        """The key itself, for the authorization header only."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> tuple[object, ...]:
        msg = "API keys are not pickled"
        raise TypeError(msg)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class ProviderConfig:
    """How to reach one provider: its key (if any), base URL, and where they came from."""

    provider: str
    key: Secret | None
    base_url: str
    key_source: str | None = None

    @property
    def name(self) -> str:
        """The provider's display name."""
        return PROVIDER_NAMES[self.provider]


def read_env_file(path: str | os.PathLike[str] | None) -> dict[str, str]:
    """The variables of a ``.env`` file (the current folder's by default), without setting them."""
    from dotenv import dotenv_values, find_dotenv

    if path is None:
        found = find_dotenv(usecwd=True)
        if not found:
            return {}
        path = found
    if not Path(path).is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v}


def resolve(
    provider: str,
    *,
    key: str | None,
    base_url: str | None,
    environ: Mapping[str, str],
    env_file: Mapping[str, str],
) -> ProviderConfig:
    """A provider's key and base URL: argument first, then environment, then ``.env``."""
    variable = KEY_VARIABLES[provider]
    source = "argument" if key else None
    if not key:
        for where, values in (("environment", environ), (".env file", env_file)):
            if values.get(variable, "").strip():
                key, source = values[variable], f"{variable} ({where})"
                break
    if key:
        check_key(key, variable)
    url_var = BASE_URL_VARIABLES[provider]
    url = base_url or environ.get(url_var) or env_file.get(url_var) or PROVIDER_URLS[provider]
    label = f"{provider}_base_url" if base_url else url_var
    return ProviderConfig(provider, Secret(key) if key else None, check_base_url(url, label),
                          source)


def check_key(key: str, what: str) -> None:
    """Refuse a key an HTTP header cannot carry (the message never shows the key)."""
    value = key.strip()
    if not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        msg = (f"{what}: the API key contains spaces, line breaks or non-ASCII characters "
               "(a copy-paste slip?); it was not used")
        raise ConfigError(msg)


def check_base_url(url: str, what: str = "base URL") -> str:
    """Scheme, host and port only; https, or plain http on loopback."""
    parts = urlsplit(url.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        msg = f"{what}: {url!r} is not a URL like https://host[:port]"
        raise ConfigError(msg)
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        msg = (f"{what}: give scheme, host and port only (got {url!r}); kling_nb adds the "
               "documented paths itself")
        raise ConfigError(msg)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        msg = f"{what}: plain http is refused except on loopback (got {url!r}); use https"
        raise ConfigError(msg)
    return f"{parts.scheme}://{parts.netloc}"


def check_job_id(provider: str, job_id: object) -> None:
    """Refuse what cannot be a job id (a docs placeholder, a path, spaces) before sending.

    Placeholders and Leonardo's id alphabet are judged as for asset ids (``refs.check_id``).
    """
    text = job_id if isinstance(job_id, str) else ""
    name = PROVIDER_NAMES[provider]
    try:
        check_id(text)
        problem = None
    except PydanticCustomError as exc:
        problem = exc.type
    if text and problem == "placeholder":
        msg = (f"job id: {job_id!r} is a placeholder from the docs: put the real id there "
               "(job.id, as printed by submit)")
        raise ConfigError(msg)
    other_ok = bool(text) and text.isascii() and text.isprintable() and not any(
        c.isspace() for c in text)
    leonardo_ok = other_ok and problem is None and ".." not in text
    if not (leonardo_ok if provider == "leonardo" else other_ok):
        allowed = ("letters, digits, '-', '_', '.' and ':'" if provider == "leonardo"
                   else "printable characters without spaces")
        msg = f"job id: {job_id!r} is not a {name} job id (allowed: {allowed})"
        raise ConfigError(msg)
