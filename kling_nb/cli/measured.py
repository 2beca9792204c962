"""Video metrics on the command line: ``kling-nb metrics`` measures downloaded videos (old
jobs, new scorers), ``show`` and ``generate`` print what was measured and flagged."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from kling_nb.journal.entries import Entry
from kling_nb.journal.journal import Journal
from kling_nb.media.metrics import LABELS, Metrics
from kling_nb.media.scorers import load_scorer
from kling_nb.media.sheets import existing


def add_parser(commands: Any) -> None:
    """Register ``kling-nb metrics``."""
    metrics = commands.add_parser(
        "metrics", help="measure downloaded videos: length, size, sound, motion, sharpness, "
                        "black and frozen frames, and your own scorers")
    metrics.add_argument("handles", nargs="*", metavar="HANDLE",
                         help="journal handle (4+ characters) or job id")
    metrics.add_argument("--all", action="store_true", help="every downloaded job")
    metrics.add_argument("--force", action="store_true",
                         help="measure again, even jobs that were measured")
    metrics.add_argument("--scorer", action="append", default=[],
                         metavar="MODULE:FUNCTION[=NAME]",
                         help="your own scorer: a function from a video file to numbers "
                              "(repeat for several)")
    metrics.add_argument("--json", action="store_true", help="print JSON")


def metrics_command(args: argparse.Namespace, out: TextIO, journal: Journal) -> int:
    """``kling-nb metrics HANDLE... | --all``: measure (where needed) and print; exit 1 when
    a named job has no video to measure."""
    from .jobs import EXIT_FAILED, EXIT_USAGE, fail  # jobs imports this module

    if bool(args.handles) == bool(args.all):
        return fail("name the jobs to measure, or give --all (not both)", EXIT_USAGE,
                    "kling-nb metrics --all   (or kling-nb metrics HANDLE ...)")
    for target in args.scorer:
        try:
            load_scorer(target)
        except ValueError as exc:
            return fail(str(exc), EXIT_USAGE, "kling-nb metrics --scorer mypackage.scores:clip "
                        "...   (a function from a video file to numbers)")
    report = journal.measure(*args.handles, force=args.force)
    if args.json:
        print(json.dumps([{"handle": m.entry.short, "note": m.note, **measured(m.entry)}
                          for m in report], indent=2), file=out)
    else:
        print(str(report), file=out)
    missing = [m.entry for m in report if m.metrics is None]
    if args.handles and missing:
        return fail(f"{len(missing)} job(s) have no downloaded video to measure", EXIT_FAILED,
                    f"kling-nb download {missing[0].short}")
    return 0


def measured(entry: Entry) -> dict[str, Any]:
    """The job's metrics and flags, for ``show --json`` (nothing when none were measured)."""
    metrics = entry.metrics
    if metrics is None:
        return {}
    return {"metrics": metrics.to_dict(), "flags": metrics.flags}


def print_metrics(metrics: Metrics | None, out: TextIO, *, full: bool = False) -> None:
    """``metrics:`` in one line (``full``: one line per measurement), then each flag."""
    if metrics is None:
        return
    print(f"{'metrics:':<16}{metrics.summary()}", file=out)
    if full:
        for name, text in metrics.rows():
            print(f"  {LABELS.get(name, name) + ':':<28}{text}", file=out)
    for flag in metrics.flags:
        print(f"{'flag:':<16}{flag}", file=out)


def print_sheet(path: Path | str, metrics: Metrics | None, out: TextIO) -> None:
    """After ``video:``, the contact sheet beside it and what was measured on it."""
    sheet = existing(path) if isinstance(path, Path) else None
    if sheet is not None:
        print(f"sheet: {sheet.path}", file=out)
    if metrics is not None:
        print(f"metrics: {metrics.summary()}", file=out)
        for flag in metrics.flags:
            print(f"flag:  {flag}", file=out)
