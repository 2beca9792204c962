"""Video metrics in the journal: stored as each video is downloaded, and measured again on
demand for old jobs or new scorers (``journal.measure``, ``kling-nb metrics``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kling_nb.core.errors import MediaError
from kling_nb.core.html import esc, pretty
from kling_nb.media.metrics import BUILTIN, Metrics, measure_video
from kling_nb.media.scorers import registered

from .entries import Entry
from .sidecars import sidecar_data, write_sidecar
from .store import Store


def store_metrics(conn: sqlite3.Connection, handle: str, values: Mapping[str, float | None],
                  now: float) -> None:
    """Keep ``values`` as the job's metrics (a name measured again replaces its old value)."""
    conn.executemany("INSERT OR REPLACE INTO metrics (handle, name, value, measured_at) "
                     "VALUES (?, ?, ?, ?)",
                     [(handle, name, value, now) for name, value in values.items()])


def complete(entry: Entry, scorers: bool) -> bool:
    """Whether the job holds every built-in metric (and every registered scorer's number)."""
    names = set(entry.measures)
    if not names.issuperset(BUILTIN):
        return False
    return not scorers or all(n in names or any(k.startswith(f"{n}.") for k in names)
                              for n in registered())


@dataclass
class Measurement:
    """One job measured (or why not): its entry, metrics and what happened."""

    entry: Entry
    metrics: Metrics | None
    note: str
    """``measured``, ``already measured``, or why it could not be."""

    def __str__(self) -> str:
        head = f"{self.entry.short} {self.note}"
        if self.metrics is None:
            return head
        flags = "".join(f"\n  ! {flag}" for flag in self.metrics.flags)
        return f"{head}: {self.metrics.summary()}{flags}"


class Measured(list[Measurement]):
    """What ``journal.measure`` did, job by job."""

    @property
    def measured(self) -> list[Measurement]:
        """The jobs measured this time."""
        return [m for m in self if m.note == "measured"]

    def __str__(self) -> str:
        if not self:
            return "no downloaded video to measure"
        head = f"{len(self.measured)} of {len(self)} video(s) measured"
        return "\n".join([head, *(str(m) for m in self)])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        rows = "".join(
            f"<tr><td><code>{esc(m.entry.short)}</code></td><td>{esc(m.note)}</td>"
            f"<td>{esc(m.metrics.summary() if m.metrics else '')}</td>"
            f"<td>{esc('; '.join(m.metrics.flags) if m.metrics else '')}</td></tr>"
            for m in self)
        return {"text/plain": str(self),
                "text/html": "<table class='kling-nb-measured'><thead><tr><th>job</th><th>"
                             "what happened</th><th>metrics</th><th>flags</th></tr></thead>"
                             f"<tbody>{rows}</tbody></table>"}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(self, printer)


class Measures(Store):
    """Measuring the journal's downloaded videos again."""

    def measure(self, *jobs: str | Entry, force: bool = False,
                scorers: bool = True) -> Measured:
        """Measure downloaded videos (length, size, sound, motion, ...) and run your scorers
        on them; the numbers are kept in the journal and the videos' sidecars.

        ``jobs``: handles, job ids or entries (``journal.measure(*history)``); none means
        every downloaded job. A job that already holds every metric (and every registered
        scorer's number) is left as it is unless ``force``. ``scorers=False`` measures the
        built-in metrics only.
        """
        if jobs:
            entries = [self._entry(j.handle if isinstance(j, Entry) else self._resolve(j))
                       for j in jobs]
        else:
            entries = list(self._select("WHERE path IS NOT NULL", [],
                                        "ORDER BY COALESCE(submitted_at, intent_at), rowid"))
        return Measured(self._measure_one(e, force, scorers) for e in entries)

    def _measure_one(self, entry: Entry, force: bool, scorers: bool) -> Measurement:
        if entry.path is None:
            return Measurement(entry, entry.metrics, "no downloaded video")
        if not entry.path.is_file():
            return Measurement(entry, entry.metrics, f"the file is missing: {entry.path}")
        if not force and complete(entry, scorers):
            return Measurement(entry, entry.metrics, "already measured")
        try:
            metrics = measure_video(entry.path, scorers=scorers)
        except MediaError as exc:
            return Measurement(entry, entry.metrics, f"not measured: {exc}")
        with self._write() as conn:
            store_metrics(conn, entry.handle, metrics.numbers, self.clock())
        entry = self._entry(entry.handle)
        if self.sidecars:
            write_sidecar(entry.path, sidecar_data(entry))  # type: ignore[arg-type]
        return Measurement(entry, entry.metrics, "measured")
