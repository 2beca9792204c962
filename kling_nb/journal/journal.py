"""The journal: a SQLite record of every submit, so no paid job is ever lost.

Every create request is written before it goes out (an *intent*), then again with the job id,
cost, status, result and local file as they become known. The database lives in the user's
data directory (``platformdirs``) unless a path is given or ``KLING_NB_JOURNAL`` names one
(``KLING_NB_JOURNAL=off`` turns the default journal off). WAL mode, a busy timeout, short
``BEGIN IMMEDIATE`` transactions and one connection per thread and process let several kernels
write at once. API keys are never written: the journal only ever receives specs and request
bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.client.observer import ObserverChain
from kling_nb.core.errors import UnknownOutcomeError
from kling_nb.specs.providers import PROVIDER_NAMES

from .hooks import Hooks
from .measures import Measures
from .queries import Queries
from .reconcile import Reconciliation, check_resend, reconcile_entries
from .verdicts import Verdicts

if TYPE_CHECKING:
    from kling_nb.client.client import Client
    from kling_nb.client.jobs import Job
    from kling_nb.runs.resume import Resumed


class Journal(Hooks, Queries, Measures, Verdicts):
    """Every job you submit, in a SQLite file: resume, history, notes, costs, learned timing,
    what was measured on each video, and blind verdicts (``judge``, ``verdicts``).

    ``Journal()`` opens the default file (``$KLING_NB_JOURNAL`` or the user data directory);
    ``Journal(path)`` a file of your choice. Pass it to ``Client(journal=...)``; a client
    without one uses the default journal.
    """

    @staticmethod
    def of(client: Client) -> Journal | None:
        """The journal a client reports to, if any (also inside an observer chain)."""
        found = [client.observer]
        while found:
            observer = found.pop(0)
            if isinstance(observer, Journal):
                return observer
            if isinstance(observer, ObserverChain):
                found.extend(observer.observers)
        return None

    def find_submitted(self, client: Client, ident: str) -> list[Job]:
        """For an unknown-outcome intent: the provider's jobs that match what was sent."""
        entry = self.entry(ident)
        sent = {**(entry.request or {}), "model": entry.model}
        sent.setdefault("sent_at", entry.intent_at.isoformat() if entry.intent_at else None)
        error = UnknownOutcomeError("unknown outcome (from the journal)", sent=sent,
                                    provider=PROVIDER_NAMES.get(entry.provider, entry.provider))
        return client.find_submitted(error)

    def reconcile(self, client: Client, ident: str | None = None, *,
                  grace: float | None = None) -> list[Reconciliation]:
        """Look again for the jobs of create requests whose answer was lost.

        Every unknown outcome this client can look for (or only ``ident``: a handle, its first
        characters, or a job id): found, the job is linked to its request and goes on (wait
        and download it with ``resume``); not there, the request ends as ``not_created``
        (nothing billed; ``resubmit`` sends it again on purpose); otherwise it stays unknown,
        with the reason. Never sends a create request.
        """
        entries = [self.entry(ident)] if ident else [e for e in self.unfinished()
                                                      if e.unknown_outcome]
        return reconcile_entries(self, client, entries, grace=grace)

    def resubmit(self, client: Client, ident: str, *, force: bool = False) -> Job:
        """Send a past request again, on purpose: a new job (and a new bill).

        Only when no job came of it (not created, rejected, failed, dismissed, lost); a
        request whose job may exist (unknown outcome) or exists raises
        ``DuplicateRiskError`` unless ``force=True``. The new job keeps the old one's sweep
        place and tags, plus the tag ``resubmit-of:<handle>``.
        """
        entry = self.entry(ident)
        check_resend(entry, force)
        spec = entry.to_spec()
        with self.labels(sweep=entry.sweep_id, index=entry.sweep_index,
                         tags=(*entry.tags, f"resubmit-of:{entry.short}"),
                         draft_of=entry.draft_of):
            return client.submit(spec)

    def resume(self, client: Client, *, sweep: str | None = None, download: bool = True,
               timeout: float | None = None) -> Resumed:
        """Pick up every unfinished job (wait, download); with ``sweep``, finish that sweep.

        Jobs run where this client does not send their requests (sandbox jobs with a live
        client, or the reverse) are left alone and listed in ``skipped``. A sandbox job its
        sandbox no longer knows (the process that ran it is gone), with no file of its video
        saved, is marked ``lost``; a job whose video is on disk and whole is never fetched
        again (and is complete again if an older version marked it lost).

        A sweep that halted at an unknown outcome stays halted (it waits for its jobs in
        flight, and sends nothing new) until you resolve the unknown job: look for it with
        ``journal.find_submitted(client, handle)``, then ``journal.track(job, handle=handle)``
        if it exists or ``journal.dismiss(handle)`` if not, and resume again.
        """
        # The one call up the layers: resuming lives with the sweeps (``kling_nb.runs``),
        # above the journal; this method only keeps ``journal.resume(client)`` working.
        from kling_nb.runs.resume import resume

        return resume(self, client, sweep=sweep, download=download, timeout=timeout)
