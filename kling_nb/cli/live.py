"""The live lines on a terminal: one per job, redrawn in place while the command waits.

Each line shows the job's status, the time since submit against the time its poll schedule
expects (the same schedule the client polls on), and while its video downloads, the bytes so
far and the rate. rich draws it; it is imported only here, and only when the output is a
terminal, so neither ``import kling_nb`` nor a piped command pays for it. Other output (the
command's own lines, retries and notes on stderr) is printed above the live lines.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from rich.console import Console, Group, RenderableType
from rich.filesize import decimal
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from kling_nb.client.jobs import expected_text
from kling_nb.core.html import duration_text
from kling_nb.specs.results import Result

REFRESH_PER_SECOND = 4


@dataclass
class Line:
    """What one job's live line shows."""

    name: str
    status: str
    job: Any
    expected: tuple[float, float] | None
    took: float | None = None
    """Seconds from submit to the end, once the job ended (the line stops counting)."""
    received: int = 0
    total: int | None = None
    download_from: tuple[float, int] | None = None
    """When this download started, and the bytes already on disk then (a resumed file)."""
    saved_at: float | None = None
    """When the video was on disk (the rate stops there)."""
    spinner: Spinner = field(default_factory=lambda: Spinner("dots"))
    """Turns while the job runs or downloads (one per line: it keeps its own start time)."""

    @property
    def going(self) -> bool:
        """Whether the job still runs or its video is still downloading."""
        return self.took is None or (self.download_from is not None and self.saved_at is None)

    def rate(self, now: float) -> float:
        """Bytes per second from the start of the download to now (or to its end)."""
        if self.download_from is None:
            return 0.0
        started, offset = self.download_from
        end = self.saved_at if self.saved_at is not None else now
        return (self.received - offset) / max(end - started, 1e-3)

    def text(self, now: float) -> str:
        """``running 1:05, usually ready 3:00-4:00 after submit`` or the download's bytes."""
        if self.download_from is not None:
            size, rate = decimal(self.received), decimal(int(self.rate(now)))
            if self.saved_at is not None:
                return f"{self.status}, saved {size} ({rate}/s)"
            of = f" of {decimal(self.total)}" if self.total else ""
            return f"downloading {size}{of}, {rate}/s"
        elapsed = self.took if self.took is not None else self.job.elapsed
        band = expected_text(self.expected, elapsed)
        return f"{self.status} {duration_text(elapsed)}" + (f", {band}" if band else "")


class LiveLines:
    """One live line per job on a terminal (``rich.live.Live``), started with the first job."""

    def __init__(self, out: TextIO) -> None:
        self.console = Console(file=out)
        self.lines: dict[tuple[str, str], Line] = {}
        self.lock = threading.Lock()
        self.live = Live(get_renderable=self.render, console=self.console,
                         refresh_per_second=REFRESH_PER_SECOND, redirect_stdout=False,
                         redirect_stderr=True)
        self.running = False

    def say(self, text: str) -> None:
        """A line of the command's own, printed above the live lines."""
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def status(self, job: Any, handle: str | None = None) -> None:
        """A job's status changed (or the job is new): its line shows it."""
        key = (job.provider, job.id)
        with self.lock:
            line = self.lines.get(key)
            if line is None:
                ident = handle[:8] if handle else job.id[:8]
                line = self.lines[key] = Line(f"{job.model} {ident}", job.status.value, job,
                                              job.expected)
            line.status = job.status.value
            if job.done and line.took is None:
                line.took = job.elapsed
        self._show()

    def downloading(self, result: Result, received: int, total: int | None) -> None:
        """Bytes of a job's (main) video arrived."""
        if result.index:
            return
        with self.lock:
            line = self.lines.get((result.provider, result.job_id))
            if line is None:
                return
            if line.download_from is None:
                line.download_from = (time.monotonic(), received)
            line.received, line.total = received, total

    def downloaded(self, result: Result) -> None:
        """A job's video is on disk: its line says how much, and how fast."""
        with self.lock:
            line = self.lines.get((result.provider, result.job_id))
            if line is not None and line.download_from is not None:
                line.saved_at = time.monotonic()
        self._show()

    def _show(self) -> None:
        if not self.running:
            self.live.start()
            self.running = True
        self.live.refresh()

    def render(self) -> RenderableType:
        """Every job's line, one terminal row each (a spinner beside those still going)."""
        now = time.monotonic()
        shown: list[RenderableType] = []
        with self.lock:
            for line in self.lines.values():
                frame = line.spinner.render(now) if line.going else None  # its frame alone
                mark = frame if isinstance(frame, Text) else Text(" ")
                shown.append(Text.assemble(mark, " ", (line.name, "bold"), " ", line.text(now),
                                           no_wrap=True, overflow="ellipsis"))
        return Group(*shown)

    def stop(self) -> None:
        """Draw the lines a last time and leave them on screen."""
        if self.running:
            self.live.stop()
            self.running = False
