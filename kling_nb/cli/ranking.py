"""``kling-nb ranking``: blind-comparison rankings from the journal, as a table or JSON.

``kling-nb ranking --by prompt`` fits the journal's blind verdicts (``kn.review``) per prompt
(or ``job``, ``seed``, ``model``, ``duration``, ``mode``, ``tag``, any spec field, or several
joined by commas): score, bootstrap interval, comparisons and wins-ties-losses, live and
SANDBOX apart. ``--sweep ID`` or ``--tag TAG`` narrows the jobs; ``--live`` / ``--sandbox-only``
keep one kind; ``--json`` prints the rows.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from .jobs import EXIT_OK, _journal
from .models import UsageError


def add_parser(commands: Any) -> None:
    """Register ``ranking``."""
    rank = commands.add_parser("ranking", help="rankings from blind verdicts (kn.review)")
    rank.add_argument("--by", default="job", metavar="FIELD[,FIELD]",
                      help="group by job (default), prompt, seed, model, duration, mode, tag or "
                           "any spec field; several joined by commas")
    rank.add_argument("--sweep", help="only the jobs of this sweep id")
    rank.add_argument("--tag", help="only jobs with this tag")
    mode = rank.add_mutually_exclusive_group()
    mode.add_argument("--live", action="store_true", help="live verdicts only")
    mode.add_argument("--sandbox-only", action="store_true", help="sandbox verdicts only")
    rank.add_argument("--level", type=_level, default=0.95,
                      help="interval coverage (default 0.95)")
    rank.add_argument("--json", action="store_true", help="print JSON")


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        msg = f"{text!r} is not between 0 and 1 (0.95 is a 95% interval)"
        raise argparse.ArgumentTypeError(msg)
    return value


def ranking_command(args: argparse.Namespace, out: TextIO) -> int:
    """``kling-nb ranking --by FIELD``: the table (or JSON rows)."""
    names = [n.strip() for n in str(args.by).split(",") if n.strip()]
    mode = False if args.live else True if args.sandbox_only else None
    history = _journal().history(sweep=args.sweep, tag=args.tag, sandbox=mode)
    try:
        ranking = history.ranking(names or "job", level=args.level)
    except ValueError as exc:  # a field no job has
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(ranking.to_records(), indent=2, default=str), file=out)
        return EXIT_OK
    print(str(ranking), file=out)
    return EXIT_OK
