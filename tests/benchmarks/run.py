"""Run every benchmark and print one table: ``python -m tests.benchmarks.run``."""

from __future__ import annotations

import argparse
import sys
import time

from . import (
    bench_board,
    bench_download,
    bench_many_jobs,
    bench_metrics,
    bench_polling,
    bench_ranking,
    bench_render,
    bench_sheets,
    bench_startup,
)
from .common import Row, machine, table

SECTIONS = {
    "polling": bench_polling.benchmark,
    "many-jobs": bench_many_jobs.benchmark,
    "downloads": bench_download.benchmark,
    "sheets": bench_sheets.benchmark,
    "board": bench_board.benchmark,
    "start-up": bench_startup.imports,
    "forms": bench_startup.forms,
    "notebooks": bench_startup.notebooks,
    "render": bench_render.benchmark,
    "metrics": bench_metrics.benchmark,
    "ranking": bench_ranking.benchmark,
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections (all by default) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"some of: {', '.join(SECTIONS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    rows: list[Row] = []
    for name in args.sections or list(SECTIONS):
        started = time.perf_counter()
        rows += SECTIONS[name]()
        print(f"[{name}: {time.perf_counter() - started:.1f} s]", file=sys.stderr, flush=True)
    print(f"Machine: {machine()}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
