"""Tutorials run "live" against a keyed loopback sandbox server, recording what they send.

A tutorial run this way goes through the same code as a live run (keys from the environment,
real HTTP), and the server keeps every request and every job it made, so the tests can check
what running the tutorial live would send and cost: no key anywhere, no placeholder host in a
request, and a first cell that states the live cost and time (``kn.live_cost`` of the jobs,
taken step by step: jobs that ran at the same time form one step).

``python -m tests.tutorial_runs [--write] NN_x.ipynb ...`` (from the repository root) prints
each tutorial's banner, as computed, and with ``--write`` puts it into the tutorial's first
cell (``.ci/execute-notebooks`` does so for the tutorials it re-runs).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
from nbclient import NotebookClient

import kling_nb as kn
from kling_nb.sandbox import RecordedRequest, SandboxServer, serve
from kling_nb.specs.livecost import LiveCost, LiveJob

KEY = "sk-LEAK-TEST-91b2"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CELL_TIMEOUT_S = 60
BANNER = re.compile(r"^> \*\*Running it live:\*\*.*$", re.MULTILINE)
URL = re.compile(r"\b(?:https?|wss?|ftp)://[^\s\"'<>)]+", re.IGNORECASE)


@dataclass
class TutorialRun:
    """A tutorial run against the keyed server: the executed notebook and what it sent."""

    name: str
    notebook: Any
    folder: Path
    requests: list[RecordedRequest]
    jobs: list[Any] = field(default_factory=list)
    """The sandbox jobs it made, in the order they were created (``kling_nb.sandbox._jobs``)."""
    seconds: float = 0.0

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Error outputs of the executed notebook."""
        return [o for c in self.notebook.cells for o in c.get("outputs", [])
                if o.get("output_type") == "error"]

    def live_cost(self) -> LiveCost:
        """What the jobs would cost and take live: jobs whose runs overlapped are one step."""
        steps: list[list[LiveJob]] = []
        reach = -math.inf
        for job in sorted(self.jobs, key=lambda j: j.start):
            row = kn.MODELS.find(job.order.model)
            assert row is not None, job.order.model
            live = LiveJob(row.key, job.order.seconds, job.order.quantity, job.order.short_side)
            end = job.end if job.end != math.inf else job.start  # never waited for
            if steps and job.start <= reach:
                steps[-1].append(live)
                reach = max(reach, end)
            else:
                steps.append([live])
                reach = end
        return LiveCost.of(steps)

    def urls(self) -> Iterator[tuple[str, str]]:
        """Every URL in a request body sent to an API (not an upload): (path, URL)."""
        for request in self.requests:
            if request.surface in ("leonardo", "aimlapi") and request.json is not None:
                for text in _strings(request.json):
                    for url in URL.findall(text):
                        yield request.path, url


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def server() -> SandboxServer:
    """A loopback sandbox that accepts only KEY (use as a context manager)."""
    return serve(key=KEY, balance=1e9, listing_delay=0.2)


def files_holding(folder: Path, key: str) -> list[str]:
    """Files under ``folder`` whose bytes hold ``key`` (text or UTF-16, as SQLite may)."""
    needles = (key.encode(), key.encode("utf-16-le"))
    return [str(p) for p in folder.rglob("*") if p.is_file()
            and any(n in p.read_bytes() for n in needles)]


def host_of(url: str) -> str:
    """The host of a URL, lower-case."""
    return (urlsplit(url).hostname or "").lower()


def run_live(name: str, keyed: SandboxServer, folder: Path) -> TutorialRun:
    """Run tutorial ``name`` (a copy, in ``folder``) against ``keyed`` with keys set."""
    work = folder / "notebooks"
    shutil.copytree(NOTEBOOKS, work, ignore=shutil.ignore_patterns("kling_videos", "*.db*"))
    environ = {**os.environ, "LEONARDO_API_KEY": KEY, "AIMLAPI_API_KEY": KEY,
               "LEONARDO_BASE_URL": keyed.url, "AIMLAPI_BASE_URL": keyed.url,
               "KLING_NB_JOURNAL": str(folder / "journal.db")}
    environ.pop("KLING_NB_SANDBOX", None)
    sandbox = keyed.sandbox
    before_requests, before_jobs = len(sandbox.requests), set(sandbox.store.jobs)
    notebook = nbformat.read(work / name, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}},
                   allow_errors=True).execute(env=environ)
    seconds = time.perf_counter() - started
    nbformat.write(notebook, work / f"executed-{name}")
    jobs = [job for job_id, job in sandbox.store.jobs.items() if job_id not in before_jobs]
    return TutorialRun(name, notebook, folder, list(sandbox.requests[before_requests:]), jobs,
                       seconds)


def banner_in(path: Path) -> str | None:
    """The live-cost banner line of a tutorial's first cell, if it has one."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = BANNER.search("".join(cells[0]["source"])) if cells else None
    return found.group(0) if found else None


def write_banner(path: Path, banner: str) -> bool:
    """Put ``banner`` into the tutorial's first cell, in place of the one there (or last);
    False (nothing written) when the first cell is not Markdown."""
    notebook = nbformat.read(path, as_version=4)
    if not notebook.cells or notebook.cells[0].cell_type != "markdown":
        return False
    cell = notebook.cells[0]
    if BANNER.search(cell.source):
        cell.source = BANNER.sub(lambda _: banner, cell.source)
    else:
        cell.source = cell.source.rstrip() + "\n\n" + banner
    nbformat.write(notebook, path)
    return True


def main(arguments: list[str]) -> int:
    """Print (and with --write store) each named tutorial's live-cost banner."""
    write = "--write" in arguments
    names = [Path(a).name for a in arguments if a != "--write"] or sorted(
        p.name for p in NOTEBOOKS.glob("[0-9]*.ipynb"))
    failed = 0
    with server() as keyed:
        for name in names:
            with tempfile.TemporaryDirectory() as scratch:
                run = run_live(name, keyed, Path(scratch))
                if run.errors:
                    failed += 1
                    print(f"{name}: failed live, banner left as it was: "
                          f"{[e.get('ename') for e in run.errors]}", file=sys.stderr)
                    continue
                banner = run.live_cost().banner
            if write and not write_banner(NOTEBOOKS / name, banner):
                print(f"{name}: its first cell is not Markdown: no banner written")
                continue
            print(f"{name}: {banner}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
