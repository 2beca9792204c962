"""The journal: a SQLite record of every submit, so no paid job is ever lost.

Every create request is written before it goes out (an *intent*), then again with the job id,
cost, status, result and local file as they become known. The database lives in the user's
data directory (``platformdirs``) unless a path is given or ``KLING_NB_JOURNAL`` names one
(``KLING_NB_JOURNAL=off`` turns the default journal off). WAL mode, a busy timeout, short
``BEGIN IMMEDIATE`` transactions and one connection per thread and process let several kernels
write at once. The schema is versioned (``PRAGMA user_version``) and migrated step by step.
API keys are never written: the journal only ever receives specs and request bodies.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ._config import is_loopback
from ._errors import (
    ConfigError,
    KlingError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    UnknownOutcomeError,
)
from ._history import (
    LOST,
    LOST_NOTE,
    OPEN,
    CostRow,
    CostTable,
    Entry,
    History,
    image_folder,
    load_images,
    sidecar_data,
    store_images,
    write_sidecar,
)
from ._observer import JobObserver, ObserverChain
from ._results import Cost, Result, Status
from ._spec import PROVIDER_NAMES

if TYPE_CHECKING:
    from ._client import Client, Job
    from ._spec import Spec

ENV_VARIABLE = "KLING_NB_JOURNAL"
OFF_VALUES = frozenset({"off", "0", "false", "no", "none", "disabled"})
BUSY_TIMEOUT_S = 30.0
RECENT_S = 3 * 86400.0
"""Completed jobs this recent with no local file are downloaded by ``resume`` (URLs expire)."""
SECRET_KEYS = frozenset({"authorization", "api_key", "apikey", "x-api-key", "headers", "key"})

Migration = Callable[[sqlite3.Connection], None]


# -- schema -------------------------------------------------------------------------------------
def _v1_jobs(conn: sqlite3.Connection) -> None:
    conn.execute("""CREATE TABLE jobs (
        handle TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL, job_id TEXT,
        status TEXT NOT NULL, spec TEXT, request TEXT, intent_at REAL, submitted_at REAL,
        finished_at REAL, cost_amount TEXT, cost_unit TEXT, error TEXT, video_url TEXT,
        poster_url TEXT, asset_id TEXT, path TEXT, sandbox INTEGER NOT NULL DEFAULT 0)""")
    conn.execute("CREATE UNIQUE INDEX jobs_by_id ON jobs(provider, job_id) "
                 "WHERE job_id IS NOT NULL")


def _v2_search_and_notes(conn: sqlite3.Connection) -> None:
    for column in ("prompt TEXT", "duration INTEGER", "seed INTEGER", "rating INTEGER",
                   "note TEXT", "external_task_id TEXT"):
        conn.execute(f"ALTER TABLE jobs ADD COLUMN {column}")
    conn.execute("CREATE TABLE tags (handle TEXT NOT NULL, tag TEXT NOT NULL, "
                 "PRIMARY KEY (handle, tag))")
    rows = conn.execute("SELECT handle, spec FROM jobs WHERE spec IS NOT NULL").fetchall()
    for handle, text in rows:
        spec = json.loads(text)
        conn.execute("UPDATE jobs SET prompt = ?, duration = ?, seed = ? WHERE handle = ?",
                     (spec.get("prompt"), spec.get("duration"), spec.get("seed"), handle))


def _v3_sweeps(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE sweeps (id TEXT PRIMARY KEY, name TEXT, created_at REAL NOT NULL,"
                 " specs TEXT NOT NULL, settings TEXT NOT NULL)")
    conn.execute("ALTER TABLE jobs ADD COLUMN sweep_id TEXT")
    conn.execute("ALTER TABLE jobs ADD COLUMN sweep_index INTEGER")
    conn.execute("CREATE INDEX jobs_by_sweep ON jobs(sweep_id, sweep_index)")
    conn.execute("CREATE INDEX jobs_by_time ON jobs(intent_at)")


MIGRATIONS: tuple[Migration, ...] = (_v1_jobs, _v2_search_and_notes, _v3_sweeps)
"""Step ``i`` takes the schema from version ``i`` to ``i + 1``; never edit a released step."""
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to ``target`` in one transaction; returns the version now."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            msg = (f"the journal's schema version {version} is newer than this kling_nb "
                   f"understands ({SCHEMA_VERSION}): upgrade kling_nb")
            raise ConfigError(msg)
        for step in MIGRATIONS[version:target]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {max(version, target)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(version, target)


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode with a busy timeout (autocommit; we open transactions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    _use_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once; the switch can report 'locked' at once, ignoring the busy timeout."""
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def default_path() -> Path | None:
    """The default journal: ``$KLING_NB_JOURNAL``, or the user data dir; None when off."""
    value = os.environ.get(ENV_VARIABLE, "").strip()
    if value.lower() in OFF_VALUES:
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return platformdirs.user_data_path("kling_nb", appauthor=False) / "journal.db"


def scrub(value: Any) -> Any:
    """A copy of a request with anything that could hold a credential removed."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _epoch(value: datetime | date | str | float | None) -> float | None:
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day).astimezone()
    return (value if value.tzinfo else value.astimezone()).timestamp()


@dataclass(frozen=True)
class Labels:
    """What the journal adds to the next submits in this context (sweep id, index, tags)."""

    sweep: str | None = None
    index: int | None = None
    tags: tuple[str, ...] = ()


_LABELS: ContextVar[Labels | None] = ContextVar("kling_nb_journal_labels", default=None)


# -- the journal --------------------------------------------------------------------------------
class Journal(JobObserver):
    """Every job you submit, in a SQLite file: resume, history, notes, costs, learned timing.

    ``Journal()`` opens the default file (``$KLING_NB_JOURNAL`` or the user data directory);
    ``Journal(path)`` a file of your choice. Pass it to ``Client(journal=...)``; a client
    without one uses the default journal.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 clock: Callable[[], float] = time.time, min_samples: int = 5,
                 sidecars: bool = True) -> None:
        chosen = Path(path).expanduser() if path is not None else default_path()
        if chosen is None:
            msg = f"the default journal is turned off ({ENV_VARIABLE}=off): pass a path"
            raise ConfigError(msg)
        self.path = chosen
        self.images = image_folder(chosen)
        """Image data of specs and requests, stored once by content (``<sha256>.<ext>``)."""
        self.clock, self.min_samples, self.sidecars = clock, min_samples, sidecars
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._finalizer = weakref.finalize(self, _close_all, self._all, self._lock)

    def __repr__(self) -> str:
        return f"<kling_nb.Journal {self.path}>"

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

    # -- connections ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = connect(self.path)
            migrate(conn)
            self._local.conn, self._local.pid = conn, os.getpid()
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, params).fetchall()

    @property
    def schema_version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        return int(self._rows("PRAGMA user_version")[0][0])

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``ok`` when it is sound."""
        return str(self._rows("PRAGMA integrity_check")[0][0])

    def close(self) -> None:
        """Close every connection this journal opened (it reopens on next use)."""
        _close_all(self._all, self._lock)
        self._local = threading.local()

    # -- labels --------------------------------------------------------------------------------
    @contextmanager
    def labels(self, *, sweep: str | None = None, index: int | None = None,
               tags: Sequence[str] = ()) -> Iterator[None]:
        """Submits inside this block are recorded with a sweep id and index, and tags."""
        token = _LABELS.set(Labels(sweep, index, tuple(tags)))
        try:
            yield
        finally:
            _LABELS.reset(token)

    # -- observer hooks ------------------------------------------------------------------------
    def intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        handle = uuid.uuid4().hex
        labels = _LABELS.get() or Labels()
        data = spec.to_dict()
        stored, sent = store_images(data, self.images), store_images(scrub(request), self.images)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO jobs (handle, provider, model, status, spec, request, intent_at, "
                "prompt, duration, seed, external_task_id, sweep_id, sweep_index) "
                "VALUES (?, ?, ?, 'submitting', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (handle, spec.provider, spec.key, _dumps(stored), _dumps(sent), self.clock(),
                 data.get("prompt"), data.get("duration"), data.get("seed"),
                 data.get("external_task_id"), labels.sweep, labels.index))
            conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)",
                             [(handle, t) for t in labels.tags])
        return handle

    def submitted(self, handle: str | None, job: Job) -> None:
        if handle is None:
            self.track(job)
            return
        with self._write() as conn:
            conn.execute(
                "UPDATE jobs SET job_id = ?, status = ?, submitted_at = ?, sandbox = ?, "
                "external_task_id = COALESCE(?, external_task_id) WHERE handle = ?",
                (job.id, job.status.value, job.submitted_at.timestamp(), int(job.sandbox),
                 job.external_task_id, handle))
            self._set_cost(conn, handle, job.cost)

    def unknown(self, handle: str | None, error: KlingError) -> None:
        sent = store_images(scrub(getattr(error, "sent", None) or {}), self.images)
        self._end_submit(handle, "unknown", str(error), sent)

    def rejected(self, handle: str | None, error: KlingError) -> None:
        """A refused create: no job. 429 and "never left" are kept apart: they may be resent."""
        status = ("rate_limited" if isinstance(error, RateLimitedError)
                  else "not_sent" if isinstance(error, NetworkError) else "rejected")
        self._end_submit(handle, status, str(error), {})

    def lost(self, ident: str, note: str = LOST_NOTE) -> None:
        """Mark a job its (sandbox) server no longer knows: ended, never polled again."""
        handle = self._resolve(ident)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ?, error = ?, finished_at = COALESCE("
                         "finished_at, ?) WHERE handle = ?", (LOST, note, self.clock(), handle))

    def _end_submit(self, handle: str | None, status: str, error: str,
                    sent: dict[str, Any]) -> None:
        if handle is None:
            return
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ?, error = ?, finished_at = ? "
                         "WHERE handle = ?", (status, error, self.clock(), handle))
            if sent:
                conn.execute("UPDATE jobs SET request = ? WHERE handle = ?",
                             (_dumps(sent), handle))

    def status(self, job: Job) -> None:
        handle = self._handle_for(job)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = ? WHERE handle = ? AND status NOT IN "
                         "('complete', 'failed')", (job.status.value, handle))
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
            self._set_cost(conn, handle, job.cost or (result.cost if result else None))

    def downloaded(self, result: Result, path: Path) -> None:
        rows = self._rows("SELECT handle FROM jobs WHERE provider = ? AND job_id = ?",
                          (result.provider, result.job_id))
        if not rows:
            return
        handle = rows[0]["handle"]
        with self._write() as conn:
            conn.execute("UPDATE jobs SET path = ? WHERE handle = ?",
                         (str(Path(path).resolve()), handle))
        if self.sidecars:
            write_sidecar(path, sidecar_data(self._entry(handle), result))

    def expected_seconds(self, model: str, duration: int) -> tuple[float, float] | None:
        rows = self._rows(
            "SELECT finished_at - submitted_at AS took FROM jobs WHERE model = ? AND "
            "duration = ? AND status = 'complete' AND submitted_at IS NOT NULL AND "
            "finished_at > submitted_at ORDER BY finished_at DESC LIMIT 200", (model, duration))
        took = sorted(float(r["took"]) for r in rows)
        if len(took) < self.min_samples:
            return None
        return percentile(took, 0.10), percentile(took, 0.90)

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
                             "sandbox = ? WHERE handle = ?",
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
             _dumps(stored) if data else None, job.submitted_at.timestamp(), int(job.sandbox),
             data.get("prompt"), data.get("duration"), data.get("seed"), job.external_task_id))

    def dismiss(self, ident: str, note: str = "no job was found for this request") -> None:
        """Close an unknown-outcome intent once you have checked no job exists."""
        handle = self._resolve(ident)
        with self._write() as conn:
            conn.execute("UPDATE jobs SET status = 'dismissed', error = ? WHERE handle = ? "
                         "AND job_id IS NULL", (note, handle))

    # -- notes ---------------------------------------------------------------------------------
    def _resolve(self, ident: str) -> str:
        rows = self._rows("SELECT handle FROM jobs WHERE job_id = ? OR handle = ? "
                          "ORDER BY job_id IS NULL", (ident, ident))
        if not rows:
            msg = f"the journal has no job {ident!r}"
            raise KeyError(msg)
        return str(rows[0]["handle"])

    def rate(self, job_id: str, stars: int) -> None:
        """Rate a result from 1 to 5 stars."""
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            msg = f"stars: {stars!r} is not a whole number from 1 to 5"
            raise ValueError(msg)
        self._update_note(job_id, "rating", stars)

    def annotate(self, job_id: str, note: str) -> None:
        """Attach a free-text note to a job (replaces the previous one)."""
        self._update_note(job_id, "note", note)

    def tag(self, job_id: str, *tags: str) -> None:
        """Add tags to a job."""
        handle = self._resolve(job_id)
        with self._write() as conn:
            conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)",
                             [(handle, t.strip()) for t in tags if t.strip()])
        self._refresh_sidecar(handle)

    def untag(self, job_id: str, tag: str) -> None:
        """Remove one tag from a job."""
        handle = self._resolve(job_id)
        with self._write() as conn:
            conn.execute("DELETE FROM tags WHERE handle = ? AND tag = ?", (handle, tag))
        self._refresh_sidecar(handle)

    def _update_note(self, job_id: str, column: str, value: Any) -> None:
        handle = self._resolve(job_id)
        with self._write() as conn:
            conn.execute(f"UPDATE jobs SET {column} = ? WHERE handle = ?", (value, handle))
        self._refresh_sidecar(handle)

    def _refresh_sidecar(self, handle: str) -> None:
        entry = self._entry(handle)
        if self.sidecars and entry.path is not None and entry.path.exists():
            write_sidecar(entry.path, sidecar_data(entry))

    # -- queries -------------------------------------------------------------------------------
    def _entry(self, handle: str) -> Entry:
        found = self._select("WHERE jobs.handle = ?", [handle])
        if not found:
            msg = f"the journal has no job {handle!r}"
            raise KeyError(msg)
        return found[0]

    def _select(self, where: str, params: Sequence[Any], tail: str = "") -> History:
        rows = self._rows(f"SELECT * FROM jobs {where} {tail}", params)
        handles = [r["handle"] for r in rows]
        tags: dict[str, list[str]] = {h: [] for h in handles}
        for start in range(0, len(handles), 500):
            chunk = handles[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for t in self._rows(f"SELECT handle, tag FROM tags WHERE handle IN ({marks})",
                                chunk):
                tags[t["handle"]].append(t["tag"])
        return History(Entry.from_row(r, tags[r["handle"]], self.images) for r in rows)

    def entry(self, job_id: str) -> Entry:
        """One job by provider job id (or journal handle)."""
        return self._entry(self._resolve(job_id))

    def spec(self, job_id: str) -> Spec:
        """The spec a past job was made from: ``journal.spec(id).replace(prompt=...)``."""
        return self.entry(job_id).to_spec()

    def history(self, *, model: str | None = None, status: str | Status | None = None,
                prompt: str | None = None, tag: str | None = None,
                since: datetime | date | str | None = None,
                until: datetime | date | str | None = None, sweep: str | None = None,
                min_rating: int | None = None, limit: int | None = None) -> History:
        """Past jobs, newest first, filtered by model, status, prompt text, date, tag..."""
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        state = status.value if isinstance(status, Status) else status
        for column, value in (("model", model), ("sweep_id", sweep), ("status", state)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if prompt:
            clauses.append("instr(lower(COALESCE(prompt, '')), lower(?)) > 0")
            params.append(prompt)
        if tag:
            clauses.append("handle IN (SELECT handle FROM tags WHERE tag = ?)")
            params.append(tag)
        for op, moment in ((">=", since), ("<", until)):
            if moment is not None:
                clauses.append(f"COALESCE(submitted_at, intent_at) {op} ?")
                params.append(_epoch(moment))
        if min_rating is not None:
            clauses.append("rating >= ?")
            params.append(min_rating)
        tail = "ORDER BY COALESCE(submitted_at, intent_at) DESC, rowid DESC"
        tail += f" LIMIT {int(limit)}" if limit is not None else ""
        return self._select("WHERE " + " AND ".join(clauses), params, tail)

    def unfinished(self, *, sweep: str | None = None) -> History:
        """Jobs not known to have ended, oldest first: in flight, or of unknown outcome."""
        marks = ",".join("?" * len(OPEN))
        where, params = f"WHERE status IN ({marks})", list(OPEN)
        if sweep is not None:
            where, params = where + " AND sweep_id = ?", [*params, sweep]
        return self._select(where, params, "ORDER BY intent_at, rowid")

    def costs(self, by: str = "day", *, since: datetime | date | str | None = None) -> CostTable:
        """Reported costs per ``day`` (local date of submit), ``model`` or ``sweep``."""
        if by not in ("day", "model", "sweep"):
            msg = f"by: {by!r} is not one of day, model, sweep"
            raise ValueError(msg)
        rows = self._rows("SELECT model, sweep_id, submitted_at, cost_amount, cost_unit FROM "
                          "jobs WHERE job_id IS NOT NULL AND submitted_at >= ? "
                          "ORDER BY submitted_at", (_epoch(since) or 0.0,))
        table: dict[str, CostRow] = {}
        for row in rows:
            key = (datetime.fromtimestamp(row["submitted_at"]).date().isoformat()
                   if by == "day" else row["model"] if by == "model"
                   else row["sweep_id"] or "(no sweep)")
            table.setdefault(key, CostRow(key)).add(
                Cost.parse(row["cost_amount"], row["cost_unit"]))
        return CostTable(by, list(table.values()))

    def typical_usd(self, model: str, duration: int | None) -> tuple[Decimal, Decimal] | None:
        """Median and highest USD cost per video of this user's past jobs of a model and length.

        A job that made several videos (``quantity``) counts its cost divided among them.
        """
        rows = self._rows("SELECT cost_amount, json_extract(spec, '$.quantity') AS quantity "
                          "FROM jobs WHERE model = ? AND duration IS ? AND cost_unit = 'USD' "
                          "AND job_id IS NOT NULL", (model, duration))
        amounts = sorted(Decimal(r["cost_amount"]) / max(int(r["quantity"] or 1), 1)
                         for r in rows)
        if not amounts:
            return None
        return amounts[len(amounts) // 2], amounts[-1]

    # -- sweeps --------------------------------------------------------------------------------
    def record_sweep(self, sweep_id: str, name: str | None, specs: Sequence[dict[str, Any]],
                     settings: dict[str, Any]) -> None:
        """Store a sweep's plan so it can be resumed after a restart (first write wins)."""
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO sweeps VALUES (?, ?, ?, ?, ?)",
                         (sweep_id, name, self.clock(),
                          _dumps(store_images(list(specs), self.images)), _dumps(settings)))

    def load_sweep(self, sweep_id: str) -> tuple[str | None, list[dict[str, Any]], dict[str, Any]]:
        """A recorded sweep's name, specs and settings."""
        rows = self._rows("SELECT * FROM sweeps WHERE id = ?", (sweep_id,))
        if not rows:
            msg = f"the journal has no sweep {sweep_id!r}"
            raise KeyError(msg)
        specs = load_images(json.loads(rows[0]["specs"]), self.images)
        return rows[0]["name"], specs, json.loads(rows[0]["settings"])

    def sweeps(self) -> list[dict[str, Any]]:
        """Every recorded sweep: id, name, when, and how many jobs it plans."""
        rows = self._rows("SELECT id, name, created_at, specs FROM sweeps ORDER BY created_at")
        return [{"id": r["id"], "name": r["name"], "created_at": datetime.fromtimestamp(
            r["created_at"], timezone.utc), "jobs": len(json.loads(r["specs"]))} for r in rows]

    def sweep_entries(self, sweep_id: str) -> dict[int, Entry]:
        """The latest journal entry for each index of a sweep."""
        found = self._select("WHERE sweep_id = ? AND status NOT IN ('dismissed')",
                             [sweep_id], "ORDER BY intent_at, rowid")
        return {e.sweep_index: e for e in found if e.sweep_index is not None}

    # -- resume --------------------------------------------------------------------------------
    def find_submitted(self, client: Client, ident: str) -> list[Job]:
        """For an unknown-outcome intent: the provider's jobs that match what was sent."""
        entry = self.entry(ident)
        sent = {**(entry.request or {}), "model": entry.model}
        sent.setdefault("sent_at", entry.intent_at.isoformat() if entry.intent_at else None)
        error = UnknownOutcomeError("unknown outcome (from the journal)", sent=sent,
                                    provider=PROVIDER_NAMES.get(entry.provider, entry.provider))
        return client.find_submitted(error)

    def resume(self, client: Client, *, sweep: str | None = None, download: bool = True,
               timeout: float | None = None) -> Resumed:
        """Pick up every unfinished job (wait, download); with ``sweep``, finish that sweep.

        Jobs run where this client does not send their requests (sandbox jobs with a live
        client, or the reverse) are left alone and listed in ``skipped``. A sandbox job its
        sandbox no longer knows (the process that ran it is gone) is marked ``lost``.

        A sweep that halted at an unknown outcome stays halted (it waits for its jobs in
        flight, and sends nothing new) until you resolve the unknown job: look for it with
        ``journal.find_submitted(client, handle)``, then ``journal.track(job, handle=handle)``
        if it exists or ``journal.dismiss(handle)`` if not, and resume again.
        """
        if sweep is not None:
            from ._sweep import Sweep

            swept = Sweep.load(self, sweep)
            run = swept.run(client, journal=self, download=download, timeout=timeout)
            unknown = [e for e in self.sweep_entries(sweep).values() if e.unknown_outcome]
            return Resumed(run.results, errors=run.errors, unknown=unknown,
                           skipped=swept.mismatched, halted=swept.halted)
        return resume_jobs(self, client, download=download, timeout=timeout)


def mismatch(entry: Entry, client: Client) -> str | None:
    """Why ``client`` cannot pick up the job of ``entry`` (None when it can).

    A sandbox job only exists in a sandbox, a live job only at the provider: their ids mean
    nothing to the other. A loopback host (a served sandbox, a local proxy) may be either.
    """
    here = client.is_sandbox(entry.provider)
    if entry.sandbox == here or (not here and is_loopback(
            httpx.URL(client.base_url(entry.provider)).host)):
        return None
    ran = "in the sandbox" if entry.sandbox else "live"
    now = "the sandbox" if here else "the live API"
    return (f"the job ran {ran}, and this client sends "
            f"{PROVIDER_NAMES.get(entry.provider, entry.provider)} requests to {now}")


def resume_jobs(journal: Journal, client: Client, *, download: bool = True,
                timeout: float | None = None) -> Resumed:
    """Wait for (and download) every journaled job still in flight or not downloaded."""
    open_jobs = journal.unfinished()
    unknown = [e for e in open_jobs if e.unknown_outcome]
    todo = [e for e in open_jobs if e.job_id is not None]
    if download:
        recent = datetime.fromtimestamp(journal.clock() - RECENT_S, timezone.utc)
        todo += [e for e in journal.history(status="complete", since=recent)
                 if e.path is None or not e.path.exists()]
    report = Resumed(unknown=unknown)
    for entry in list(todo):
        reason = mismatch(entry, client)
        if reason is not None:
            report.skipped.append((entry, reason))
            todo.remove(entry)
    jobs = [_reattach(client, e) for e in todo]
    outcomes = client.wait_all(jobs, timeout=timeout) if jobs else []
    for entry, job, outcome in zip(todo, jobs, outcomes, strict=True):
        if isinstance(outcome, Result):
            if download:
                _download(client, outcome, report, job)
            report.append(outcome)
        elif entry.sandbox and isinstance(outcome, NotFoundError):
            journal.lost(entry.handle)
            report.lost.append(entry)
        else:
            report.errors.append((job.id, outcome))
    return report


def _download(client: Client, result: Result, report: Resumed, job: Job) -> None:
    try:
        client.download(result)
    except KlingError as exc:
        report.errors.append((job.id, exc))


def _reattach(client: Client, entry: Entry) -> Job:
    assert entry.job_id is not None
    job = client.job(entry.provider, entry.job_id, model=entry.model, spec=entry.spec,
                     submitted_at=entry.submitted_at)
    job.cost = entry.cost  # reported at submit; status answers do not repeat it
    return job


class Resumed(list[Result]):
    """The results ``resume`` brought back, with the errors and unknown outcomes beside them.

    ``skipped`` lists jobs this client cannot pick up (sandbox vs live) with the reason;
    ``lost`` the sandbox jobs their sandbox no longer knows; ``halted`` why a sweep sends
    nothing new (an unknown outcome to resolve first).
    """

    def __init__(self, results: Sequence[Result] = (), *,
                 errors: Sequence[tuple[str, KlingError]] = (),
                 unknown: Sequence[Entry] = (),
                 skipped: Sequence[tuple[Entry, str]] = (),
                 lost: Sequence[Entry] = (), halted: str | None = None) -> None:
        super().__init__(results)
        self.errors: list[tuple[str, KlingError]] = list(errors)
        self.unknown: list[Entry] = list(unknown)
        self.skipped: list[tuple[Entry, str]] = list(skipped)
        self.lost: list[Entry] = list(lost)
        self.halted = halted

    def __str__(self) -> str:
        lines = [f"resumed {len(self)} result(s), {len(self.errors)} error(s), "
                 f"{len(self.unknown)} unknown outcome(s)"
                 + (f", {len(self.skipped)} skipped" if self.skipped else "")
                 + (f", {len(self.lost)} lost" if self.lost else "")]
        if self.halted:
            lines.append(f"  HALTED: {self.halted}")
        lines += [f"  {r}" for r in self]
        lines += [f"  {job_id}: {exc}" for job_id, exc in self.errors]
        lines += [f"  {e.check_hint()}" for e in self.unknown]
        lines += [f"  skipped {e.job_id}: {reason}" for e, reason in self.skipped]
        lines += [f"  lost {e.job_id}: {LOST_NOTE}" for e in self.lost]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ._display import mimebundle

        return mimebundle(self, include, exclude)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0-1) of sorted ``values``, linearly interpolated."""
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _close_all(conns: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns:
            conn.close()
        conns.clear()
