"""The journal's read side and notes: history, costs, learned prices, sweeps; ratings,
tags and notes (kept in the sidecars too)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from kling_nb.specs.base import Spec
from kling_nb.specs.results import Cost, Status

from .blobs import load_images, store_images
from .costs import CostRow, CostTable
from .entries import OPEN, Entry
from .history import History
from .schema import dumps, epoch
from .sidecars import sidecar_data, write_sidecar
from .store import Store


class Queries(Store):
    """Questions to the journal, and the notes you add to its jobs."""

    # -- notes ---------------------------------------------------------------------------------
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
                min_rating: int | None = None, limit: int | None = None,
                sandbox: bool | None = None) -> History:
        """Past jobs, newest first, filtered by model, status, prompt text, date, tag...

        ``sandbox=False`` lists live jobs only, ``True`` sandbox jobs only (each sandbox row is
        marked SANDBOX either way).
        """
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        state = status.value if isinstance(status, Status) else status
        mark = None if sandbox is None else int(sandbox)
        for column, value in (("model", model), ("sweep_id", sweep), ("status", state),
                              ("sandbox", mark)):
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
                params.append(epoch(moment))
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
        """Reported costs per ``day`` (local date of submit), ``model`` or ``sweep``.

        Live jobs make the table and its ``total``; sandbox jobs (the emulator's made-up prices,
        never billed) are kept apart in ``table.sandbox``, marked, and never in a live total.
        """
        if by not in ("day", "model", "sweep"):
            msg = f"by: {by!r} is not one of day, model, sweep"
            raise ValueError(msg)
        rows = self._rows("SELECT model, sweep_id, submitted_at, cost_amount, cost_unit, "
                          "sandbox FROM jobs WHERE job_id IS NOT NULL AND submitted_at >= ? "
                          "ORDER BY submitted_at", (epoch(since) or 0.0,))
        groups: tuple[dict[str, CostRow], dict[str, CostRow]] = ({}, {})
        for row in rows:
            key = (datetime.fromtimestamp(row["submitted_at"]).date().isoformat()
                   if by == "day" else row["model"] if by == "model"
                   else row["sweep_id"] or "(no sweep)")
            groups[bool(row["sandbox"])].setdefault(key, CostRow(key)).add(
                Cost.parse(row["cost_amount"], row["cost_unit"]))
        live, sandbox = (list(g.values()) for g in groups)
        return CostTable(by, live, sandbox=CostTable(by, sandbox, is_sandbox=True))

    def typical_usd(self, model: str, duration: int | None, *,
                    sandbox: bool = False) -> tuple[Decimal, Decimal] | None:
        """Median and highest USD cost per video of this user's past live jobs of a model and
        length (``sandbox=True``: of the sandbox's jobs).

        A job that made several videos (``quantity``) counts its cost divided among them.
        """
        rows = self._rows("SELECT cost_amount, json_extract(spec, '$.quantity') AS quantity "
                          "FROM jobs WHERE model = ? AND duration IS ? AND cost_unit = 'USD' "
                          "AND job_id IS NOT NULL AND sandbox = ?",
                          (model, duration, int(sandbox)))
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
                          dumps(store_images(list(specs), self.images)), dumps(settings)))

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

    def finals_of(self, drafts: Sequence[str], model: str) -> History:
        """The jobs made on ``model`` from these drafts (by journal handle), oldest first."""
        if not drafts:
            return History(journal=self)
        marks = ",".join("?" * len(drafts))
        return self._select(f"WHERE draft_of IN ({marks}) AND model = ?", [*drafts, model],
                            "ORDER BY intent_at, rowid")

    # -- resume --------------------------------------------------------------------------------
