"""The journal's storage: its file, one connection per thread and process, transactions,
the labels submits are recorded with, and looking a job up by id or handle."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kling_nb.core.errors import ConfigError

from .blobs import image_folder
from .entries import Entry
from .history import History
from .schema import ENV_VARIABLE, connect, default_path, migrate


@dataclass(frozen=True)
class Labels:
    """What the journal adds to the next submits in this context (sweep id, index, tags)."""

    sweep: str | None = None
    index: int | None = None
    tags: tuple[str, ...] = ()
    draft_of: str | None = None
    """The handle of the draft the next submit re-renders (``promote``)."""


_LABELS: ContextVar[Labels | None] = ContextVar("kling_nb_journal_labels", default=None)




class Store:
    """A journal file and its connections (``Journal`` adds the hooks and the queries)."""

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
               tags: Sequence[str] = (), draft_of: str | None = None) -> Iterator[None]:
        """Submits inside this block are recorded with a sweep id and index, tags, and the
        draft they re-render."""
        token = _LABELS.set(Labels(sweep, index, tuple(tags), draft_of))
        try:
            yield
        finally:
            _LABELS.reset(token)

    # -- observer hooks ------------------------------------------------------------------------
    def _resolve(self, ident: str) -> str:
        """The handle of a job given by provider job id, handle, or a handle's first 4+
        characters (``kling-nb jobs`` shows 8)."""
        ident = ident.strip()
        rows = self._rows("SELECT handle FROM jobs WHERE job_id = ? OR handle = ? "
                          "ORDER BY job_id IS NULL", (ident, ident))
        if not rows and len(ident) >= 4 and all(c in "0123456789abcdef" for c in ident):
            rows = self._rows("SELECT handle FROM jobs WHERE substr(handle, 1, ?) = ? "
                              "LIMIT 3", (len(ident), ident))
            if len(rows) > 1:
                msg = (f"{ident!r} starts more than one job's handle "
                       f"({', '.join(r['handle'][:12] for r in rows)}...): give more of it")
                raise KeyError(msg)
        if not rows and len(ident) < 4:
            msg = (f"{ident!r} is too short to name a job: give 4 or more characters of its "
                   "handle (kling-nb jobs shows 8), or the provider's job id")
            raise KeyError(msg)
        if not rows:
            msg = f"the journal has no job {ident!r}"
            raise KeyError(msg)
        return str(rows[0]["handle"])

    # -- lookups -------------------------------------------------------------------------------
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
        measures: dict[str, dict[str, float | None]] = {h: {} for h in handles}
        for start in range(0, len(handles), 500):
            chunk = handles[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for t in self._rows(f"SELECT handle, tag FROM tags WHERE handle IN ({marks})",
                                chunk):
                tags[t["handle"]].append(t["tag"])
            for m in self._rows("SELECT handle, name, value FROM metrics WHERE handle IN "
                                f"({marks})", chunk):
                measures[m["handle"]][m["name"]] = m["value"]
        return History((Entry.from_row(r, tags[r["handle"]], self.images, measures[r["handle"]])
                        for r in rows), journal=self)


def _close_all(conns: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns:
            conn.close()
        conns.clear()
