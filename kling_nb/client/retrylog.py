"""What a retry says: one friendly line (``retrying in 2 s: 503 from Leonardo.AI``), never
stamina's raw ``retry_scheduled`` records.

stamina tells its hooks about every scheduled retry, process-wide (its stdlib ``logging`` hook,
or structlog's when structlog is installed, print raw records to stderr). kling_nb's requests
are retried inside ``retrying(provider)``: the hooks stamina had stay silent for them, and
kling_nb's own hook turns each retry into one line for the reporter in effect - the
``kling_nb.retries`` logger at INFO by default (silent unless you configure logging), or the
callback ``report_retries`` sets (``kling-nb generate -v`` prints them on stderr). Retries of
your own stamina-decorated code still reach your hooks as before.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from .answers import provider_label

Reporter = Callable[[str], None]
LOGGER = logging.getLogger("kling_nb.retries")

_RETRYING: ContextVar[str | None] = ContextVar("kling_nb_retrying", default=None)
_REPORTER: ContextVar[Reporter | None] = ContextVar("kling_nb_retry_reporter", default=None)


@contextlib.contextmanager
def retrying(provider: str) -> Iterator[None]:
    """kling_nb's requests to ``provider`` are being retried in this block (of this context)."""
    _install()
    token = _RETRYING.set(provider)
    try:
        yield
    finally:
        _RETRYING.reset(token)


@contextlib.contextmanager
def report_retries(reporter: Reporter | None) -> Iterator[None]:
    """Send each retry line to ``reporter`` in this block (None: the ``kling_nb.retries``
    logger)."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def retry_line(provider: str, wait: float, cause: BaseException) -> str:
    """``retrying in 2 s: 503 from Leonardo.AI``."""
    seconds = f"{wait:.0f}" if wait >= 1 or wait == 0 else f"{wait:.1f}"
    response = getattr(cause, "response", None)
    name = provider_label(provider, response)
    what = (f"{response.status_code} from {name}" if response is not None
            else f"{type(cause).__name__} talking to {name}")
    return f"retrying in {seconds} s: {what}"


class _Quiet:
    """One of stamina's hooks, silent for kling_nb's own retries."""

    def __init__(self, hook: Any) -> None:
        self.hook = hook

    def __call__(self, details: Any) -> Any:
        return None if _RETRYING.get() is not None else self.hook(details)


class _Friendly:
    """kling_nb's hook: one line per retry of kling_nb's requests."""

    def __call__(self, details: Any) -> None:
        provider = _RETRYING.get()
        if provider is None:
            return
        line = retry_line(provider, details.wait_for, details.caused_by)
        reporter = _REPORTER.get()
        if reporter is None:
            LOGGER.info(line)
        else:
            reporter(line)


def _install() -> None:
    """Put kling_nb's hook in stamina's (again, if someone set new hooks since)."""
    from stamina.instrumentation import get_on_retry_hooks, set_on_retry_hooks

    hooks = get_on_retry_hooks()
    if any(isinstance(hook, _Friendly) for hook in hooks):
        return
    set_on_retry_hooks([*(_Quiet(hook) for hook in hooks), _Friendly()])
