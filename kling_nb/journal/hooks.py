"""The journal's write side: the client's observer hooks, tracking and dismissing jobs.

Every create request is written before it goes out (an *intent*), then again with the job id,
cost, status, result and local file as they become known. API keys are never written: the
journal only ever receives specs and request bodies (``scrub`` removes anything key-like).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_nb.client.observer import JobObserver
from kling_nb.core.errors import KlingError, NetworkError, RateLimitedError
from kling_nb.core.net import url_is_sandbox
from kling_nb.specs.base import Spec
from kling_nb.specs.results import Cost, Result

from .blobs import store_images
from .entries import LOST, LOST_NOTE, NOT_CREATED, Entry
from .measures import store_metrics
from .schema import dumps, scrub
from .senders import this_process
from .sidecars import sidecar_data, write_sidecar
from .store import _LABELS, Labels, Store

if TYPE_CHECKING:
    from kling_nb.client.jobs import Job


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0-1) of sorted ``values``, linearly interpolated."""
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _size(path: Path) -> int | None:
    try:
        return Path(path).stat().st_size
    except OSError:
        return None


class Hooks(Store, JobObserver):
    """What the journal records as jobs move (the ``JobObserver`` hooks)."""

    def intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        """Record a create request before it is sent, with the process sending it; a request
        to a sandbox host is marked sandbox already (a served sandbox is recognised when it
        answers: ``submitted``)."""
        handle = uuid.uuid4().hex
        labels = _LABELS.get() or Labels()
        data = spec.to_dict()
        stored, sent = store_images(data, self.images), store_images(scrub(request), self.images)
        sender = this_process()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO jobs (handle, provider, model, status, spec, request, intent_at, "
                "prompt, duration, seed, external_task_id, sweep_id, sweep_index, sandbox, "
                "sender_host, sender_pid, sender_started) "
                "VALUES (?, ?, ?, 'submitting', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (handle, spec.provider, spec.key, dumps(stored), dumps(sent), self.clock(),
                 data.get("prompt"), data.get("duration"), data.get("seed"),
                 data.get("external_task_id"), labels.sweep, labels.index,
                 int(url_is_sandbox(request.get("url"))), sender.host, sender.pid,
                 sender.started))
            conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)",
                             [(handle, t) for t in labels.tags])
            if labels.draft_of is not None:
                conn.execute("UPDATE jobs SET draft_of = ? WHERE handle = ?",
                             (labels.draft_of, handle))
        return handle

    def submitted(self, handle: str | None, job: Job) -> None:
        if handle is None:
            self.track(job)
            return
        with self._write() as conn:
            conn.execute(
                "UPDATE jobs SET job_id = ?, status = ?, submitted_at = ?, "
                "sandbox = MAX(sandbox, ?), external_task_id = COALESCE(?, external_task_id) "
                "WHERE handle = ?",
                (job.id, job.status.value, job.submitted_at.timestamp(), int(job.sandbox),
                 job.external_task_id, handle))
            self._set_cost(conn, handle, job.cost)

    def unknown(self, handle: str | None, error: KlingError) -> None:
        sent = store_images(scrub(getattr(error, "sent", None) or {}), self.images)
        self._end_submit(handle, "unknown", str(error), sent)

    def recovered(self, handle: str | None, job: Job) -> None:
        """A lost create answer, and the job was found: linked to its intent, marked how."""
        entry = self.track(job, handle=handle)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET recovered = ? WHERE handle = ?",
                         (job.recovered or "found after the create answer was lost",
                          entry.handle))

    def not_created(self, handle: str | None, error: KlingError) -> None:
        """A lost create answer, and the provider shows no job: ended, nothing billed."""
        self._end_submit(handle, NOT_CREATED, str(error), {})

    def still_unknown(self, handle: str, reason: str) -> None:
        """Looked for again and still not settled: an unknown outcome, with the reason."""
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = 'unknown', error = ? WHERE handle = ? "
                         "AND job_id IS NULL", (reason, handle))

    def claimed(self, provider: str, job_id: str) -> bool:
        """Whether the journal already holds this job (another request's)."""
        return bool(self._rows("SELECT 1 FROM jobs WHERE provider = ? AND job_id = ?",
                               (provider, job_id)))

    def rejected(self, handle: str | None, error: KlingError) -> None:
        """A refused create: no job. 429 and "never left" are kept apart: they may be resent."""
        status = ("rate_limited" if isinstance(error, RateLimitedError)
                  else "not_sent" if isinstance(error, NetworkError) else "rejected")
        self._end_submit(handle, status, str(error), {})

    def lost(self, ident: str, note: str = LOST_NOTE) -> bool:
        """Mark a job its (sandbox) server no longer knows, and whose video was never saved:
        ended, never polled again. A job with a file on disk is left as it is (its video is
        not lost): returns whether the job was marked."""
        handle = self._resolve(ident)
        path = self._entry(handle).path
        if path is not None and path.exists():
            return False
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ?, error = ?, finished_at = COALESCE("
                         "finished_at, ?) WHERE handle = ?", (LOST, note, self.clock(), handle))
        return True

    def on_disk(self, ident: str) -> None:
        """A job marked lost whose video is on disk and whole after all (older versions marked
        such a job lost when its sandbox was gone): complete again."""
        handle = self._resolve(ident)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = 'complete', error = NULL WHERE handle = ? "
                         "AND status = ?", (handle, LOST))

    def _end_submit(self, handle: str | None, status: str, error: str,
                    sent: dict[str, Any]) -> None:
        if handle is None:
            return
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ?, error = ?, finished_at = ? "
                         "WHERE handle = ?", (status, error, self.clock(), handle))
            if sent:
                conn.execute("UPDATE jobs SET request = ? WHERE handle = ?",
                             (dumps(sent), handle))

    def status(self, job: Job) -> None:
        handle = self._handle_for(job)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ? WHERE handle = ? AND status NOT IN "
                         "('complete', 'failed')", (job.status.value, handle))
            self._mark(conn, handle, job)
            self._set_cost(conn, handle, job.cost)

    def finished(self, job: Job) -> None:
        handle = self._handle_for(job)
        now = job.client.clock() if job.client is not None else self.clock()
        result = job.result
        with self._write() as conn:
            conn.execute(
                "UPDATE jobs SET status = ?, finished_at = COALESCE(finished_at, ?), error = ? "
                "WHERE handle = ?", (job.status.value, now, job.failure, handle))
            if result is not None:
                conn.execute(
                    "UPDATE jobs SET video_url = ?, poster_url = ?, asset_id = ?, "
                    "seed = COALESCE(?, seed) WHERE handle = ?",
                    (result.video_url, result.poster_url, result.asset_id, result.seed, handle))
            self._mark(conn, handle, job)
            self._set_cost(conn, handle, job.cost or (result.cost if result else None))

    def downloaded(self, result: Result, path: Path) -> None:
        rows = self._rows("SELECT handle FROM jobs WHERE provider = ? AND job_id = ?",
                          (result.provider, result.job_id))
        if not rows:
            return
        handle = rows[0]["handle"]
        with self._write() as conn:
            conn.execute("UPDATE jobs SET path = ?, size = ? WHERE handle = ?",
                         (str(Path(path).resolve()), _size(path), handle))
            if result.metrics is not None:
                store_metrics(conn, handle, result.metrics.numbers, self.clock())
        entry = self._entry(handle)
        if result.metrics is not None and entry.metrics is not None:
            result.metrics = entry.metrics  # checked against the spec: length, size, sound
        if self.sidecars:
            write_sidecar(path, sidecar_data(entry, result))

    def expected_seconds(self, model: str, duration: int, *,
                         sandbox: bool = False) -> tuple[float, float] | None:
        """The p10-p90 of how long past jobs of this model and length took: live jobs for a
        live job, sandbox jobs for a sandbox one (they finish in moments)."""
        rows = self._rows(
            "SELECT finished_at - submitted_at AS took FROM jobs WHERE model = ? AND "
            "duration = ? AND sandbox = ? AND status = 'complete' AND submitted_at IS NOT NULL "
            "AND finished_at > submitted_at ORDER BY finished_at DESC LIMIT 200",
            (model, duration, int(sandbox)))
        took = sorted(float(r["took"]) for r in rows)
        if len(took) < self.min_samples:
            return None
        return percentile(took, 0.10), percentile(took, 0.90)

    @staticmethod
    def _mark(conn: sqlite3.Connection, handle: str, job: Job) -> None:
        """A job the sandbox answered for is a sandbox job (once marked, always)."""
        if job.sandbox:
            conn.execute("UPDATE jobs SET sandbox = 1 WHERE handle = ?", (handle,))

    @staticmethod
    def _set_cost(conn: sqlite3.Connection, handle: str, cost: Cost | None) -> None:
        if cost is not None:
            conn.execute("UPDATE jobs SET cost_amount = ?, cost_unit = ? WHERE handle = ?",
                         (str(cost.amount), cost.unit, handle))

    def _handle_for(self, job: Job) -> str:
        rows = self._rows("SELECT handle FROM jobs WHERE provider = ? AND job_id = ?",
                          (job.provider, job.id))
        return str(rows[0]["handle"]) if rows else self.track(job).handle

    # -- tracking ------------------------------------------------------------------------------
    def track(self, job: Job, *, handle: str | None = None, tags: Sequence[str] = ()) -> Entry:
        """Record a job (e.g. one reattached with ``client.job``, or submitted elsewhere).

        With ``handle``, the job is linked to that unknown-outcome intent instead.
        """
        existing = self._rows("SELECT handle FROM jobs WHERE provider = ? AND job_id = ?",
                              (job.provider, job.id))
        with self._write() as conn:
            if existing:
                handle = existing[0]["handle"]
            elif handle is not None:
                conn.execute("UPDATE jobs SET job_id = ?, status = ?, error = NULL, "
                             "finished_at = NULL, submitted_at = COALESCE(submitted_at, ?), "
                             "sandbox = MAX(sandbox, ?) WHERE handle = ?",
                             (job.id, job.status.value, job.submitted_at.timestamp(),
                              int(job.sandbox), handle))
            else:
                handle = uuid.uuid4().hex
                self._insert_tracked(conn, handle, job)
            self._set_cost(conn, handle, job.cost)
            conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)",
                             [(handle, t) for t in tags])
        return self._entry(handle)

    def _insert_tracked(self, conn: sqlite3.Connection, handle: str, job: Job) -> None:
        data = job.spec.to_dict() if job.spec is not None else {}
        stored = store_images(data, self.images)
        conn.execute(
            "INSERT INTO jobs (handle, provider, model, job_id, status, spec, submitted_at, "
            "sandbox, prompt, duration, seed, external_task_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (handle, job.provider, job.model, job.id, job.status.value,
             dumps(stored) if data else None, job.submitted_at.timestamp(), int(job.sandbox),
             data.get("prompt"), data.get("duration"), data.get("seed"), job.external_task_id))

    def dismiss(self, ident: str, note: str = "no job was found for this request") -> None:
        """Close an unknown-outcome intent once you have checked no job exists."""
        handle = self._resolve(ident)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = 'dismissed', error = ? WHERE handle = ? "
                         "AND job_id IS NULL", (note, handle))

    # -- notes ---------------------------------------------------------------------------------
