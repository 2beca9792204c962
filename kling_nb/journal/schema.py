"""The journal's SQLite file: schema and migrations, connections in WAL mode, where it lives.

The schema is versioned (``PRAGMA user_version``) and migrated step by step. WAL mode, a busy
timeout and short ``BEGIN IMMEDIATE`` transactions let several kernels write at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kling_nb.core.errors import ConfigError
from kling_nb.core.net import url_is_sandbox

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


def _v4_sandbox_mark(conn: sqlite3.Connection) -> None:
    """Every row says whether it ran in the sandbox; older rows get the mark from what they hold.

    Rows that got a job id were already marked from the job; intents that never got one (and
    rows tracked from a served sandbox) were left live. Evidence, any one of which marks a row
    as sandbox: the request went to a sandbox host, the video or poster URL is a sandbox one,
    or the downloaded file is named ``sandbox-...`` (the sidecar beside it was written from the
    same row, so it holds nothing more). A row with no such evidence stays live: it is counted
    in live costs and live timing, so no spending is ever hidden.
    """
    conn.create_function("kling_nb_is_sandbox_url", 1, url_is_sandbox, deterministic=True)
    conn.execute(
        "UPDATE jobs SET sandbox = 1 WHERE sandbox = 0 AND ("
        "kling_nb_is_sandbox_url(CASE WHEN json_valid(request) THEN json_extract(request, '$.url') "
        "END) OR "
        "kling_nb_is_sandbox_url(video_url) OR kling_nb_is_sandbox_url(poster_url) OR "
        "replace(path, '\\', '/') LIKE '%/sandbox-%')")
    conn.execute("CREATE INDEX jobs_by_timing ON jobs(model, duration, sandbox, status)")


def _v5_recovered(conn: sqlite3.Connection) -> None:
    """How a job was found after its create answer was lost (NULL: the answer arrived)."""
    conn.execute("ALTER TABLE jobs ADD COLUMN recovered TEXT")


def _v6_file_size(conn: sqlite3.Connection) -> None:
    """The size of the downloaded file when it was renamed into place (NULL: not recorded), so
    a file that is there can be told whole."""
    conn.execute("ALTER TABLE jobs ADD COLUMN size INTEGER")


def _v7_sender(conn: sqlite3.Connection) -> None:
    """Which process sent each create request: host, process id and its start time (a
    process id is reused; the start time tells the new process apart). NULL: not recorded."""
    for column in ("sender_host TEXT", "sender_pid INTEGER", "sender_started REAL"):
        conn.execute(f"ALTER TABLE jobs ADD COLUMN {column}")


def _v8_metrics_and_drafts(conn: sqlite3.Connection) -> None:
    """What was measured on each downloaded video, and your scorers' numbers: one row per job
    and name (NULL: measured, no value, e.g. the loudness of a silent video). And which draft
    a final was re-rendered from (``promote``): the draft's handle."""
    conn.execute("CREATE TABLE metrics (handle TEXT NOT NULL, name TEXT NOT NULL, value REAL, "
                 "measured_at REAL NOT NULL, PRIMARY KEY (handle, name))")
    conn.execute("ALTER TABLE jobs ADD COLUMN draft_of TEXT")
    conn.execute("CREATE INDEX jobs_by_draft ON jobs(draft_of) WHERE draft_of IS NOT NULL")


def _v9_verdicts(conn: sqlite3.Connection) -> None:
    """Blind pairwise verdicts: which of two videos (journal handles) was better, or a tie, or
    skipped; one row per vote, deleted by undo. ``sandbox`` is the two jobs' mark (a live and a
    sandbox video are never compared); ``session`` groups one review's votes."""
    conn.execute("""CREATE TABLE verdicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, session TEXT NOT NULL,
        left_handle TEXT NOT NULL, right_handle TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('left', 'right', 'tie', 'skip')),
        sandbox INTEGER NOT NULL DEFAULT 0, decided_at REAL NOT NULL, seconds REAL)""")
    conn.execute("CREATE INDEX verdicts_by_left ON verdicts(left_handle)")
    conn.execute("CREATE INDEX verdicts_by_right ON verdicts(right_handle)")


MIGRATIONS: tuple[Migration, ...] = (_v1_jobs, _v2_search_and_notes, _v3_sweeps,
                                     _v4_sandbox_mark, _v5_recovered, _v6_file_size,
                                     _v7_sender, _v8_metrics_and_drafts, _v9_verdicts)
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


def dumps(value: Any) -> str:
    """Stable JSON text for a column."""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def epoch(value: datetime | date | str | float | None) -> float | None:
    """A moment as epoch seconds (a date means its local midnight)."""
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day).astimezone()
    return (value if value.tzinfo else value.astimezone()).timestamp()
