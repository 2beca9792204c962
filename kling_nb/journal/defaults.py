"""What a client uses when it is given no observer: the default journal (or sidecars only)."""

from __future__ import annotations

from kling_nb.client.observer import JobObserver
from kling_nb.core.warn import warn

from .journal import Journal
from .schema import default_path
from .sidecars import SidecarWriter


def default_observer() -> JobObserver:
    """The observer a client uses when none is given: the default journal.

    ``KLING_NB_JOURNAL`` names its file (or ``off``: then only video sidecars are written).
    A journal that cannot be opened is reported with a warning, never an error.
    """
    path = default_path()
    if path is None:
        return SidecarWriter()
    try:
        journal = Journal(path)
        journal.schema_version  # noqa: B018 - open it now, so a broken file shows here
    except Exception as exc:  # the client must work without its journal
        warn(f"kling_nb: the job journal at {path} cannot be used ({exc}); jobs are not "
             "journaled in this session", RuntimeWarning)
        return SidecarWriter()
    return journal
