"""Where keys and hosts come from (arguments, the environment, a ``.env`` file), and which
keys, base URLs and job ids are usable before anything is sent."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
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


ARGUMENT, ENVIRONMENT = "argument", "environment"
"""Where a key or base URL came from, besides a ``.env`` file (named by its path)."""


@dataclass(frozen=True)
class ProviderConfig:
    """How to reach one provider: its key (if any), base URL, and where they came from.

    ``key_from`` and ``url_from`` name the place (``argument``, ``environment`` or the
    ``.env`` file's path; ``url_from`` is None for the provider's own host): a key is only
    sent to another host when both came from the same place, or the URL from an argument.
    """

    provider: str
    key: Secret | None
    base_url: str
    key_source: str | None = None
    key_from: str | None = None
    url_from: str | None = None

    @property
    def name(self) -> str:
        """The provider's display name."""
        return PROVIDER_NAMES[self.provider]

    @property
    def default_host(self) -> bool:
        """Whether requests go to the provider's own host."""
        return self.base_url == PROVIDER_URLS[self.provider]

    @property
    def url_source(self) -> str:
        """Where the base URL came from, for a person: ``LEONARDO_BASE_URL in the environment``."""
        if self.url_from is None:
            return "the provider's own host"
        if self.url_from == ARGUMENT:
            return f"the {self.provider}_base_url argument"
        return f"{BASE_URL_VARIABLES[self.provider]} in {_place(self.url_from)}"

    def check_host(self) -> None:
        """Refuse to send the key to a host named anywhere but beside it (or by the caller)."""
        if self.key is None or self.url_from in (None, ARGUMENT, self.key_from):
            return
        variable = BASE_URL_VARIABLES[self.provider]
        argument = f"pass {self.provider}_base_url= to Client()"
        fix = (f"{argument} beside the key" if self.key_from == ARGUMENT else
               f"set {variable} in {_place(self.key_from)} too (beside the key), or {argument}")
        msg = (f"{self.url_source} names {self.base_url}, but the {self.name} key comes from "
               f"{self.key_source}: a key is only sent to its provider's own host "
               f"({PROVIDER_URLS[self.provider]}) or to a host named in the same place as the "
               f"key. Nothing was sent. To use {self.base_url}, {fix}.")
        raise ConfigError(msg)


def _place(where: str | None) -> str:
    return f"the {where}" if where == ENVIRONMENT else str(where)


@dataclass(frozen=True)
class EnvFile:
    """A ``.env`` file's variables, and the file they came from (None: no file)."""

    path: Path | None = None
    values: Mapping[str, str] = field(default_factory=dict)


def load_env_file(path: str | os.PathLike[str] | None) -> EnvFile:
    """The variables of a ``.env`` file, without setting them: ``path``, or the current
    folder's ``.env`` (never one in a folder above: it may belong to someone else)."""
    from dotenv import dotenv_values

    chosen = Path(path) if path is not None else Path.cwd() / ".env"
    if not chosen.is_file():
        return EnvFile()
    values = {k: v for k, v in dotenv_values(chosen).items() if v}
    return EnvFile(chosen.resolve(), values)


def read_env_file(path: str | os.PathLike[str] | None) -> dict[str, str]:
    """The variables of a ``.env`` file (the current folder's by default), without setting them."""
    return dict(load_env_file(path).values)


def resolve(
    provider: str,
    *,
    key: str | None,
    base_url: str | None,
    environ: Mapping[str, str],
    env_file: Mapping[str, str] | EnvFile,
) -> ProviderConfig:
    """A provider's key and base URL: argument first, then environment, then ``.env``."""
    dotenv = env_file if isinstance(env_file, EnvFile) else EnvFile(None, env_file)
    file_place = str(dotenv.path) if dotenv.path else ".env file"
    places = ((ENVIRONMENT, environ), (file_place, dotenv.values))
    variable = KEY_VARIABLES[provider]
    key_from = ARGUMENT if key else None
    if not key:
        for where, values in places:
            if values.get(variable, "").strip():
                key, key_from = values[variable], where
                break
    if key:
        check_key(key, variable)
    url_var = BASE_URL_VARIABLES[provider]
    url, url_from = (base_url, ARGUMENT) if base_url else next(
        ((values[url_var], where) for where, values in places if values.get(url_var)),
        (PROVIDER_URLS[provider], None))
    label = f"{provider}_base_url" if base_url else url_var
    if url_from not in (None, ARGUMENT, ENVIRONMENT):
        label = f"{url_var} in {url_from}"
    checked = check_base_url(url, label)
    if checked == PROVIDER_URLS[provider]:
        url_from = None
    source = (None if key_from is None else f"the {provider}_key argument"
              if key_from == ARGUMENT else f"{variable} ({key_from})")
    return ProviderConfig(provider, Secret(key) if key else None, checked, source,
                          key_from, url_from)


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
