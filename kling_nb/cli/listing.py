"""``kling-nb jobs`` and ``kling-nb show``: the journal's jobs as a table, or one job whole."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import Any, TextIO

from kling_nb.journal.entries import Entry

from .jobs import EXIT_OK, _journal, _what_next, job_cost
from .measured import measured, print_metrics


def jobs_command(args: argparse.Namespace, out: TextIO) -> int:
    """``kling-nb jobs``: handle, model, status, sandbox/live, cost, age, file."""
    mode = False if args.live else True if args.sandbox_only else None
    entries = _journal().history(limit=args.limit, status=args.status, sandbox=mode)
    if args.json:
        print(json.dumps([_facts(e) for e in entries], indent=2), file=out)
        return EXIT_OK
    if not entries:
        print("no jobs in the journal" + (" with these filters" if args.status or mode is not None
                                          else ""), file=out)
        return EXIT_OK
    rows = [("handle", "model", "status", "mode", "cost", "age", "file")]
    rows += [(e.short, e.model, e.status, "SANDBOX" if e.sandbox else "live",
              job_cost(e) or "-", _age(e), _file(e)) for e in entries]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1],
              file=out)
    return EXIT_OK


def show_command(args: argparse.Namespace, out: TextIO) -> int:
    """``kling-nb show HANDLE``: every fact, and what can be done next."""
    entry = _journal().entry(args.handle)
    if args.json:
        print(json.dumps({**_facts(entry, full=True), **measured(entry)}, indent=2), file=out)
        return EXIT_OK
    for name, value in _facts(entry, full=True).items():
        if value not in (None, "", [], {}):
            text = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
            print(f"{name + ':':<16}{text}", file=out)
    print_metrics(entry.metrics, out, full=True)
    print(f"{'next:':<16}{_what_next(entry)}", file=out)
    return EXIT_OK


def _facts(entry: Entry, *, full: bool = False) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "handle": entry.handle if full else entry.short, "model": entry.model,
        "status": entry.status, "mode": "sandbox" if entry.sandbox else "live",
        "cost": job_cost(entry) or None, "age": _age(entry),
        "file": str(entry.path) if entry.path else None, "job_id": entry.job_id,
        "prompt": entry.prompt}
    if full:
        facts.update({
            "provider": entry.provider, "sent": _iso(entry.intent_at),
            "submitted": _iso(entry.submitted_at), "finished": _iso(entry.finished_at),
            "video_url": entry.video_url, "recovered": entry.recovered, "error": entry.error,
            "rating": entry.rating, "tags": list(entry.tags), "note": entry.note,
            "sweep": entry.sweep_id, "spec": entry.spec_data})
    return facts


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _age(entry: Entry) -> str:
    when = entry.submitted_at or entry.intent_at
    if when is None:
        return "-"
    seconds = max((datetime.now(timezone.utc) - when).total_seconds(), 0.0)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


def _file(entry: Entry) -> str:
    if entry.path is None:
        return "-"
    return str(entry.path) if entry.path.exists() else f"{entry.path} (missing)"
