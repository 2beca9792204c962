"""The journal on the command line: ``jobs`` and ``show``; what every command prints as a job
moves, and the next command after each way a command can end (``pickup`` holds ``resume``,
``download`` and ``resubmit``).

Every job is named by its journal handle (``kling-nb jobs`` prints its first 8 characters;
any 4+ do, as does the provider's job id); every non-zero exit ends with a ``next:`` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kling_nb.client.observer import JobObserver
from kling_nb.core.errors import (
    ClipError,
    ConfigError,
    DuplicateRiskError,
    ImageError,
    JobFailedError,
    JobTimeoutError,
    KlingError,
    NotCreatedError,
    SpecError,
    UnknownOutcomeError,
)
from kling_nb.journal.client import Client
from kling_nb.journal.entries import Entry
from kling_nb.journal.journal import Journal
from kling_nb.journal.schema import default_path
from kling_nb.specs.results import Result, cost_text
from kling_nb.specs.unchecked import is_unchecked

from .measured import print_sheet
from .models import UsageError

if TYPE_CHECKING:
    from .live import LiveLines

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT, EXIT_UNKNOWN, EXIT_NOT_CREATED = range(6)
EXIT_PIPE = 128 + 13  # SIGPIPE, as a shell reports a command whose reader went away
JOURNAL_OFF = ("the journal is off (KLING_NB_JOURNAL=off), so there are no jobs to name: "
               "unset KLING_NB_JOURNAL to keep a record of every job")
FIRST_JOB = "kling-nb generate --model MODEL --prompt TEXT   (the first job starts the journal)"


class NoJournalError(UsageError):
    """There is no journal to read (it is off, or no job was ever submitted)."""

    next_step = FIRST_JOB


class DownloadFailedError(Exception):
    """The job is done, but downloading its video failed: ``kling-nb download`` resumes it."""

    def __init__(self, error: KlingError) -> None:
        super().__init__(str(error))
        self.error = error
        self.provider = getattr(error, "provider", "")


# -- the next command, for every way a command can end ---------------------------------------
def next_command(error: BaseException, handle: str | None, model: str | None = None, *,
                 in_process: bool = False) -> str:
    """The exact command to run after ``error`` (``handle``: the job's journal handle;
    ``in_process``: the job ran in this process's own sandbox, which ends with it)."""
    short = handle[:8] if handle else None
    if in_process and short and isinstance(error, JobTimeoutError):
        return (f"kling-nb resubmit {short}   (this process's offline sandbox, and its job, "
                "end with it; --timeout longer, or a served sandbox, lets it finish)")
    if isinstance(error, NoJournalError):
        return error.next_step
    if isinstance(error, KeyError):
        return "kling-nb jobs   (the handles of the recent jobs)"
    if isinstance(error, DownloadFailedError) and short:
        return f"kling-nb download {short}   (resumes the download where it stopped)"
    if isinstance(error, JobTimeoutError):
        return (f"kling-nb download {short}   (waits for the job, which goes on, and downloads "
                "it)" if short else "kling-nb resume")
    if isinstance(error, UnknownOutcomeError):
        return ("kling-nb resume   (looks for the job again, then waits and downloads; "
                f"never resends it){_force(short)}")
    if isinstance(error, NotCreatedError):
        return (f"kling-nb resubmit {short}   (sends the same request again, on purpose)"
                if short else "the same kling-nb generate command (nothing was created)")
    if isinstance(error, JobFailedError):
        return (f"kling-nb resubmit {short}   (the same request again: a new job, billed "
                "again)" if short else "the same kling-nb generate command")
    if isinstance(error, DuplicateRiskError):
        return f"kling-nb show {short}" if short else "kling-nb jobs"
    if isinstance(error, (SpecError, ImageError, ClipError, UsageError)):
        return f"kling-nb models {model}   (its inputs and rules)" if model else "kling-nb models"
    if isinstance(error, ConfigError):
        return "kling-nb generate --sandbox ...   (to try it offline), or fix the key or URL"
    if short:
        return f"kling-nb show {short}   (what is known of the job, and what can be done)"
    return "kling-nb jobs   (the recent jobs, and their state)"


def _force(short: str | None) -> str:
    return (f"; once you know no job exists: kling-nb resubmit {short} --force"
            if short else "")


def fail(error: object, status: int, next_step: str) -> int:
    """Print the error and the next command on stderr; return ``status``."""
    print(f"error: {error}", file=sys.stderr)
    print(f"next:  {next_step}", file=sys.stderr, flush=True)
    return status


def status_of(error: BaseException) -> int:
    """The exit status for an error."""
    if isinstance(error, (UsageError, SpecError, ImageError, ClipError, ConfigError,
                          DuplicateRiskError, KeyError)):
        return EXIT_USAGE
    if isinstance(error, JobTimeoutError):
        return EXIT_TIMEOUT
    if isinstance(error, UnknownOutcomeError):
        return EXIT_UNKNOWN
    if isinstance(error, NotCreatedError):
        return EXIT_NOT_CREATED
    return EXIT_FAILED


# -- parsers ----------------------------------------------------------------------------------
def add_parsers(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the journal commands; ``common`` adds the wait/download options."""
    jobs = commands.add_parser("jobs", help="recent jobs from the journal")
    jobs.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    jobs.add_argument("--status", help="only jobs in this state (complete, failed, unknown...)")
    mode = jobs.add_mutually_exclusive_group()
    mode.add_argument("--live", action="store_true", help="live jobs only")
    mode.add_argument("--sandbox-only", action="store_true", help="sandbox jobs only")
    jobs.add_argument("--json", action="store_true", help="print JSON")
    show = commands.add_parser("show", help="one job: everything the journal knows")
    show.add_argument("handle", help="journal handle (4+ characters) or job id")
    show.add_argument("--json", action="store_true", help="print JSON")
    resume = commands.add_parser(
        "resume", help="look again for lost creates, wait for jobs in flight, download")
    common(resume)
    download = commands.add_parser("download", help="wait for one job and download its video")
    download.add_argument("handle", help="journal handle (4+ characters) or job id")
    common(download)
    again = commands.add_parser(
        "resubmit", help="send a past request again, on purpose (a new job, billed)")
    again.add_argument("handle", help="journal handle (4+ characters) or job id")
    again.add_argument("--force", action="store_true",
                       help="send it even though its job may exist (unknown outcome) or does")
    common(again)


# -- jobs, show ---------------------------------------------------------------------------------
def _journal() -> Journal:
    path = default_path()
    if path is None:
        raise NoJournalError(JOURNAL_OFF)
    if not path.exists():
        raise NoJournalError(f"no journal yet at {path}: it is written by the first job you submit")
    return Journal(path)


def _what_next(entry: Entry) -> str:
    short = entry.short
    if entry.unknown_outcome:
        return ("kling-nb resume   (looks for the job again; never resends it); once you "
                f"know no job exists: kling-nb resubmit {short} --force")
    if entry.saved is not None:
        return f"nothing: the video is at {entry.saved}"
    if entry.status == "complete":
        return f"kling-nb download {short}"
    if entry.status in ("pending", "running"):
        return f"kling-nb download {short}   (waits for it, then downloads)"
    if entry.status == "lost":
        return f"kling-nb resubmit {short}   (the sandbox that ran it is gone)"
    return f"kling-nb resubmit {short}   (sends the same request again, on purpose)"


def job_cost(job: Entry | Result | Any) -> str:
    """A job's cost; a sandbox job's price labelled as the sandbox's, never as money spent."""
    return cost_text(job.cost, sandbox=job.sandbox, model=job.model)


# -- resume, download, resubmit -----------------------------------------------------------------
class Printer(JobObserver):
    """What a command shows as its jobs move; remembers the journal handle of the submit.

    On a terminal, one live line per job (``live.LiveLines``: status, time against the
    expected time, download bytes and rate); otherwise (a pipe, CI) plain event lines, or
    none with ``events=False`` (``resume`` prints its own report). Used as a context
    manager: the live lines stop, and stay on screen, when the block ends.
    """

    def __init__(self, out: TextIO, label: Callable[[Any], str], *, events: bool = True) -> None:
        self.out, self.label, self.events = out, label, events
        self.handle: str | None = None
        self.last: str | None = None
        self.lines: LiveLines | None = None
        if _is_terminal(out):
            from .live import LiveLines  # rich, on a terminal only

            self.lines = LiveLines(out)

    def _say(self, text: str) -> None:
        if self.lines is not None:
            self.lines.say(text)
        elif self.events:
            print(text, file=self.out, flush=True)

    def done(self) -> None:
        """Stop the live lines (they stay on screen as last drawn)."""
        if self.lines is not None:
            self.lines.stop()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()

    def downloading(self, result: Result, received: int, total: int | None) -> None:
        if self.lines is not None:
            self.lines.downloading(result, received, total)

    def downloaded(self, result: Result, path: Path) -> None:
        if self.lines is not None:
            self.lines.downloaded(result)

    def submitted(self, handle: str | None, job: Any) -> None:
        self.handle = handle or self.handle
        label = self.label(job)
        mark = f" ({label})" if label else ""
        cost = f", {'price' if job.sandbox else 'cost'} {job_cost(job)}" if job.cost else ""
        short = f" [{handle[:8]}]" if handle else ""
        self._say(f"submitted {job.provider} job {job.id}{short}{cost}{mark}")
        if self.lines is not None:
            self.lines.status(job, handle)

    def recovered(self, handle: str | None, job: Any) -> None:
        self.handle = handle or self.handle
        short = f" [{handle[:8]}]" if handle else ""
        self._say(f"recovered {job.provider} job {job.id}{short}: {job.recovered}; it goes on")
        if self.lines is not None:
            self.lines.status(job, handle)

    def unknown(self, handle: str | None, error: KlingError) -> None:
        self.handle = handle or self.handle
        self._say("the create answer was lost: looking for the job (never sending it twice)")

    def not_created(self, handle: str | None, error: KlingError) -> None:
        self.handle = handle or self.handle

    def rejected(self, handle: str | None, error: KlingError) -> None:
        self.handle = handle or self.handle

    def status(self, job: Any) -> None:
        if self.lines is not None:
            self.lines.status(job, self.handle)
        elif job.status.value != self.last:
            self.last = job.status.value
            self._say(f"  {job.status.value} after {job.elapsed:.0f} s")


def _is_terminal(out: TextIO) -> bool:
    """Whether ``out`` is a terminal that can redraw a line (not a pipe, not TERM=dumb)."""
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def print_videos(result: Result, paths: list[Path], out: TextIO) -> None:
    """The video file(s), contact sheet, URL, cost and the SANDBOX note."""
    for index, video in enumerate(result.videos):
        path = paths[index] if index < len(paths) else "(not downloaded)"
        print(f"video: {path}", file=out)
        print_sheet(path, video.metrics, out)
        print(f"url:   {video.video_url}", file=out)
    print(("price: " if result.sandbox else "cost:  ") + (job_cost(result) or "not reported"),
          file=out)
    if result.sandbox:
        print("note:  SANDBOX video from the offline emulator, not made by Kling", file=out)
    if is_unchecked(result.model):
        print(f"note:  UNCHECKED: {result.model} is not in the catalogue; its body was sent "
              "as given", file=out)


IN_PROCESS_DOWNLOAD = (
    "note:  --no-download is not followed here: this process's offline sandbox, and every "
    "video it made, end with this command, so the video is saved now (nothing could fetch it "
    "later). A served sandbox (kling-nb sandbox) keeps its videos for a later download.")


def finish(client: Client, job: Any, args: argparse.Namespace, out: TextIO,
           printer: Printer | None = None) -> int:
    """Wait for ``job`` (``--timeout``), download it unless ``--no-download``, print it.

    A job of this process's own (in-process) sandbox is downloaded even with
    ``--no-download``, with a note: its sandbox ends with the command, and its video with it.
    """
    result = client.wait(job, timeout=args.timeout, progress=False)
    skip = args.no_download and not client.is_sandbox(job.provider)
    if args.no_download and not skip:
        print(IN_PROCESS_DOWNLOAD, file=sys.stderr, flush=True)
    try:
        paths = [] if skip else client.download_all(result)
    except KlingError as exc:
        raise DownloadFailedError(exc) from exc
    if printer is not None:
        printer.done()
    print_videos(result, paths, out)
    return EXIT_OK
