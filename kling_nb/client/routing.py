"""Where each provider's requests go: live (with its key) or the embedded sandbox.

With no API key for a provider (and its default host), the provider runs in the in-process
sandbox; ``KLING_NB_SANDBOX=1`` forces the sandbox for both. Keys never leave ``Secret``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import ConfigError
from kling_nb.core.net import url_is_loopback
from kling_nb.core.warn import warn
from kling_nb.specs.providers import KEY_VARIABLES, PROVIDER_URLS, PROVIDERS

from .config import ProviderConfig, Secret

if TYPE_CHECKING:
    from kling_nb.sandbox import Sandbox

SANDBOX_VARIABLE = "KLING_NB_SANDBOX"
_DEFAULT_SANDBOX: Sandbox | None = None


def default_sandbox() -> Sandbox:
    """The process-wide in-process sandbox every keyless client shares."""
    global _DEFAULT_SANDBOX
    if _DEFAULT_SANDBOX is None:
        from kling_nb.sandbox import Sandbox  # on first use: it loads the video encoder

        _DEFAULT_SANDBOX = Sandbox()
    return _DEFAULT_SANDBOX


def sandbox_choice(sandbox: bool | Any | None, env: Mapping[str, str]) -> bool | Any | None:
    """``KLING_NB_SANDBOX=1`` forces the sandbox (Binder, demos) unless the caller chose."""
    if sandbox is None and env.get(SANDBOX_VARIABLE, "").strip().lower() in {"1", "true", "yes"}:
        return True
    return sandbox


class HostWarning(UserWarning):
    """Requests for a provider go to a host other than its own (a proxy, the sandbox server)."""


class Routing:
    """Which providers run in the sandbox (and which one), keys and base URLs.

    A provider that goes live to a host other than its own is refused when its key and that
    host were not named in the same place (``ProviderConfig.check_host``), and shown once.
    """

    def __init__(self, configs: dict[str, ProviderConfig], sandbox: bool | Any | None) -> None:
        self.configs = configs
        self.sandboxes: dict[str, Any] = self._pick(sandbox)
        for provider, config in configs.items():
            if provider not in self.sandboxes:
                config.check_host()
        for provider, config in configs.items():
            if provider not in self.sandboxes and not config.default_host:
                warn(f"{config.name} requests go to {config.base_url}, not to "
                     f"{PROVIDER_URLS[provider]} (named by {config.url_source})", HostWarning)

    def _pick(self, sandbox: bool | Any | None) -> dict[str, Any]:
        if sandbox is False:
            for config in self.configs.values():
                _require_key(config)
            return {}
        if sandbox is not None:
            chosen = default_sandbox() if sandbox is True else sandbox
            return dict.fromkeys(PROVIDERS, chosen)
        for config in self.configs.values():
            if not _keyless(config):
                _require_key(config)
        return {p: default_sandbox() for p, c in self.configs.items() if _keyless(c)}

    def is_sandbox(self, provider: str) -> bool:
        """Whether a provider's jobs run in the in-process sandbox."""
        return provider in self.sandboxes

    def fast(self, provider: str) -> bool:
        """Whether the provider's in-process sandbox ends jobs at their next status request."""
        sandbox = self.sandboxes.get(provider)
        return sandbox is not None and sandbox.timing == "fast"

    def base_url(self, provider: str) -> str:
        """The scheme, host and port requests for ``provider`` go to."""
        if provider in self.sandboxes:
            from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, LEONARDO_SANDBOX_URL

            return LEONARDO_SANDBOX_URL if provider == "leonardo" else AIMLAPI_SANDBOX_URL
        return self.configs[provider].base_url

    def keys(self) -> dict[str, Secret | None]:
        """Each provider's key for the authorization header (a dummy for the sandbox)."""
        keys: dict[str, Secret | None] = {}
        for provider, config in self.configs.items():
            key = config.key
            if key is None and (provider in self.sandboxes or url_is_loopback(config.base_url)):
                key = Secret("sandbox")
            keys[provider] = key
        return keys

    def mounts(self, async_: bool) -> dict[str, Any]:
        """httpx mounts sending the sandbox hosts to their in-process transports."""
        from kling_nb.sandbox import (
            AIMLAPI_SANDBOX_URL,
            CDN_SANDBOX_URL,
            LEONARDO_SANDBOX_URL,
            UPLOADS_SANDBOX_URL,
        )

        mounts: dict[str, Any] = {}
        for sandbox in {id(s): s for s in self.sandboxes.values()}.values():
            transport = sandbox.async_transport() if async_ else sandbox.transport()
            for url in (LEONARDO_SANDBOX_URL, AIMLAPI_SANDBOX_URL, CDN_SANDBOX_URL,
                        UPLOADS_SANDBOX_URL):
                mounts[url.replace("https://", "all://")] = transport
        return mounts

    def describe(self) -> str:
        """``leonardo=sandbox, aimlapi=live (host, key from ...)`` for the client's repr."""
        parts = []
        for provider, config in self.configs.items():
            if provider in self.sandboxes:
                parts.append(f"{provider}=sandbox")
            else:
                source = f"key from {config.key_source}" if config.key else "no key"
                parts.append(f"{provider}=live ({config.base_url}, {source})")
        return ", ".join(parts)


def _keyless(config: ProviderConfig) -> bool:
    return config.key is None and config.base_url == PROVIDER_URLS[config.provider]


def _require_key(config: ProviderConfig) -> None:
    if config.key is None and not url_is_loopback(config.base_url):
        variable = KEY_VARIABLES[config.provider]
        msg = (f"no API key for {config.name}: set {variable} (environment or .env), "
               "pass it to Client(), or leave sandbox unset to use the sandbox")
        raise ConfigError(msg)
