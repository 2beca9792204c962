"""``kling_nb.Client``: the HTTP client, reporting to the default journal unless told not to.

The client layer knows no journal; this is where the two are put together, so that
``kn.Client()`` never loses a paid job without anyone having to ask for a journal.
"""

from __future__ import annotations

from typing import Any

from kling_nb.client.client import Client as _HTTPClient
from kling_nb.client.observer import JobObserver
from kling_nb.core.html import bundle


class Client(_HTTPClient):
    __doc__ = _HTTPClient.__doc__

    def default_observer(self) -> JobObserver:
        """The default journal (``KLING_NB_JOURNAL``), or sidecars only when it is off."""
        from .defaults import default_observer  # opens SQLite only when a client is made

        return default_observer()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Sandbox or live per provider, how to go live, where videos and the journal are."""
        from .clientview import client_bundle

        shown = client_bundle(self)
        return bundle(shown["text/plain"], shown["text/html"], include, exclude)
