"""Picking journaled jobs up again on the command line: ``resume``, ``download``, ``resubmit``.

A job whose video is on disk and whole is never fetched again, and never marked lost: only a
sandbox job its sandbox no longer knows, with no file saved, is lost. ``resume`` ends with one
summary line that counts what it just printed.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from kling_nb.core.errors import JobTimeoutError, NotFoundError
from kling_nb.journal.client import Client
from kling_nb.journal.entries import LOST, LOST_NOTE, Entry
from kling_nb.journal.journal import Journal
from kling_nb.runs.resume import Resumed

from .jobs import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_UNKNOWN,
    JOURNAL_OFF,
    NoJournalError,
    Printer,
    fail,
    finish,
)
from .measured import print_sheet
from .models import UsageError


def download_command(client: Client, args: argparse.Namespace, out: TextIO,
                     printer: Printer) -> int:
    """``kling-nb download HANDLE``: say so when the video is on disk and whole; otherwise
    wait for the job if it is not done, then download it."""
    journal = _journal_of(client)
    entry = journal.entry(args.handle)
    printer.handle = entry.handle
    if entry.saved is not None:
        return _already_saved(journal, entry, out)
    if entry.job_id is None:
        raise UsageError(f"job {entry.short} has no job id ({entry.status}): "
                         + ("its create answer was lost" if entry.unknown_outcome
                            else "no job was made"))
    job = client.job(entry.provider, entry.job_id, model=entry.model, spec=entry.spec,
                     submitted_at=entry.submitted_at)
    job.cost = entry.cost
    try:
        return finish(client, job, args, out, printer)
    except NotFoundError:
        if not (entry.sandbox and client.is_sandbox(entry.provider)):
            raise
        if journal.lost(entry.handle):
            why = f"and no file of its video is on disk: {LOST_NOTE}"
        else:
            why = (f"and the file at {entry.path} is not the whole video that was saved "
                   f"({entry.size} bytes): {LOST_NOTE}")
        return fail(f"sandbox job {entry.job_id} is gone, {why}", EXIT_FAILED,
                    f"kling-nb resubmit {entry.short}   (the same request, in this sandbox)")


def _already_saved(journal: Journal, entry: Entry, out: TextIO) -> int:
    """The video is on disk, whole: nothing is sent (a job once marked lost is complete)."""
    assert entry.saved is not None
    if entry.status == LOST:
        journal.on_disk(entry.handle)
    size = f"{entry.saved.stat().st_size:,} bytes"
    print(f"already downloaded: job {entry.job_id} [{entry.short}] is on disk, whole "
          f"({size}); nothing was sent", file=out)
    print(f"video: {entry.saved}", file=out)
    print_sheet(entry.saved, entry.metrics, out)
    return EXIT_OK


def resubmit_command(client: Client, args: argparse.Namespace, out: TextIO,
                     printer: Printer) -> int:
    """``kling-nb resubmit HANDLE [--force]``: the same request again, on purpose."""
    journal = _journal_of(client)
    printer.handle = journal.entry(args.handle).handle
    job = journal.resubmit(client, args.handle, force=args.force)
    return finish(client, job, args, out, printer)


def resume_command(client: Client, args: argparse.Namespace, out: TextIO,
                   printer: Printer | None = None) -> int:
    """``kling-nb resume``: look again for lost creates, wait for the rest, download."""
    journal = _journal_of(client)
    report = journal.resume(client, download=not args.no_download, timeout=args.timeout)
    if printer is not None:
        printer.done()
    for looked in report.reconciled:
        print(f"looked for {looked}", file=out)
    for result in report:
        shown = f"saved at {result.path}" if result.path else result.video_url
        mark = " [SANDBOX]" if result.sandbox else ""
        print(f"done {result.job_id}: {shown}{mark}", file=out)
    for entry, reason in report.skipped:
        print(f"skipped {entry.short}: {reason}", file=out)
    for entry in report.lost:
        print(f"lost {entry.short}: {LOST_NOTE}, and no file of its video is on disk",
              file=out)
    waiting = [job_id for job_id, exc in report.errors if isinstance(exc, JobTimeoutError)]
    failed = [(job_id, exc) for job_id, exc in report.errors
              if not isinstance(exc, JobTimeoutError)]
    for job_id, exc in failed:
        print(f"failed {job_id}: {exc}", file=out)
    for entry in report.unknown:
        why = report.not_looked.get(entry.handle) or entry.error or "its create answer was lost"
        print(f"unknown {entry.short}: {why}", file=out)
    print(summary(report, len(waiting)), file=out)
    if report.unknown:
        short = report.unknown[0].short
        return fail(f"{len(report.unknown)} create request(s) still of unknown outcome",
                    EXIT_UNKNOWN, "kling-nb resume   (later: listings catch up); once you "
                    f"know no job exists: kling-nb resubmit {short} --force")
    if waiting:
        return fail(f"{len(waiting)} job(s) still running when --timeout passed", EXIT_TIMEOUT,
                    "kling-nb resume")
    if failed:
        handle = _handle_of(journal, failed[0][0])
        return fail(f"{len(failed)} job(s) failed or could not be downloaded", EXIT_FAILED,
                    f"kling-nb show {handle}" if handle else "kling-nb jobs")
    return EXIT_OK


def summary(report: Resumed, waiting: int) -> str:
    """One line counting everything resume printed (never "nothing" when it printed a job)."""
    settled = sum(1 for r in report.reconciled if r.verdict == "not_created")
    parts = [(len(report), "done"), (settled, "not created (nothing billed)"),
             (len(report.lost), "lost (no file on disk)"),
             (len(report.skipped), "skipped (run where this client does not send)"),
             (waiting, "still running"), (len(report.errors) - waiting, "failed"),
             (len(report.unknown), "of unknown outcome")]
    counted = [f"{count} {what}" for count, what in parts if count]
    if not counted:
        return "nothing to resume: no job in the journal is in flight or waiting for its download"
    return "resume: " + ", ".join(counted)


def _handle_of(journal: Journal, job_id: str) -> str | None:
    try:
        return journal.entry(job_id).short
    except KeyError:
        return None


def _journal_of(client: Client) -> Journal:
    journal = Journal.of(client)
    if journal is None:
        raise NoJournalError(JOURNAL_OFF)
    return journal
