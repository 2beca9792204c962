"""``kling_nb.Client``: the HTTP client, reporting to the default journal unless told not to.

The client layer knows no journal; this is where the two are put together, so that
``kn.Client()`` never loses a paid job without anyone having to ask for a journal.
"""

from __future__ import annotations

from kling_nb.client.client import Client as _HTTPClient
from kling_nb.client.observer import JobObserver


class Client(_HTTPClient):
    __doc__ = _HTTPClient.__doc__

    def default_observer(self) -> JobObserver:
        """The default journal (``KLING_NB_JOURNAL``), or sidecars only when it is off."""
        from .defaults import default_observer  # opens SQLite only when a client is made

        return default_observer()
