"""One journaled job as the journal knows it, and the statuses a job goes through."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kling_nb.core.errors import KlingError, MediaError
from kling_nb.core.html import short
from kling_nb.media.metrics import Metrics
from kling_nb.media.sheets import FRAMES, ContactSheet, contact_sheet
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import parse_spec
from kling_nb.specs.results import RESULT_FACTS, Cost, Result, Status, cost_text

from .asked import asked_of
from .blobs import load_images
from .senders import Sender

DONE = ("complete", "failed")
OPEN = ("submitting", "unknown", "pending", "running")
RETRYABLE = ("rate_limited", "not_sent")
"""Refused creates that started no job and may simply be sent again later (429, unreachable)."""
NOT_CREATED = "not_created"
"""A create whose answer was lost, and the provider's listing shows no job for it."""
LOST = "lost"
"""A sandbox job its sandbox no longer knows (the process that ran it is gone) and whose video
was never saved: nothing of it can be fetched. A job whose file is on disk is never lost."""
LOST_NOTE = "sandbox jobs do not survive a restart of the process that ran them"


def _sender(row: Any) -> Sender | None:
    if row["sender_host"] is None or row["sender_pid"] is None:
        return None
    return Sender(row["sender_host"], int(row["sender_pid"]), row["sender_started"])


def stamp(value: float | None) -> datetime | None:
    """Epoch seconds from the journal as an aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, timezone.utc)


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO-8601 text, or None."""
    return None if value is None else value.isoformat()


@dataclass
class Entry:
    """One job as the journal knows it: what was sent, what came back, and your notes."""

    handle: str
    provider: str
    model: str
    status: str
    job_id: str | None = None
    spec_data: dict[str, Any] | None = None
    """The spec as ``Spec.to_dict()`` gave it (``spec`` is the validated spec)."""
    request: dict[str, Any] | None = None
    intent_at: datetime | None = None
    submitted_at: datetime | None = None
    finished_at: datetime | None = None
    cost: Cost | None = None
    error: str | None = None
    video_url: str | None = None
    poster_url: str | None = None
    asset_id: str | None = None
    path: Path | None = None
    sandbox: bool = False
    prompt: str | None = None
    duration: int | None = None
    seed: int | None = None
    rating: int | None = None
    note: str | None = None
    external_task_id: str | None = None
    sweep_id: str | None = None
    sweep_index: int | None = None
    tags: tuple[str, ...] = ()
    recovered: str | None = None
    """How the job was found after its create answer was lost (None: the answer arrived)."""
    size: int | None = None
    """The downloaded file's size in bytes when it was saved (None: not recorded)."""
    sender: Sender | None = None
    """The process that sent the create request (None: not recorded, or not sent here)."""
    draft_of: str | None = None
    """The handle of the draft this job re-rendered (``promote``), if it is a final."""
    measures: dict[str, float | None] = field(default_factory=dict, repr=False)
    """What the journal holds measured on the video and scored by your scorers, by name
    (``metrics`` checks it against what was asked)."""
    images: Path | None = field(default=None, repr=False, compare=False)
    """The journal's image folder, where ``kling-nb-image:`` references in the spec point."""

    @classmethod
    def from_row(cls, row: Any, tags: Iterable[str] = (), images: Path | None = None,
                 measures: dict[str, float | None] | None = None) -> Entry:
        """An entry from a ``jobs`` row (and its tags, the journal's image folder, and what
        was measured on its video)."""
        def loads(name: str) -> Any:
            return json.loads(row[name]) if row[name] else None

        return cls(
            handle=row["handle"], provider=row["provider"], model=row["model"],
            status=row["status"], job_id=row["job_id"], spec_data=loads("spec"),
            request=loads("request"), intent_at=stamp(row["intent_at"]),
            submitted_at=stamp(row["submitted_at"]), finished_at=stamp(row["finished_at"]),
            cost=Cost.parse(row["cost_amount"], row["cost_unit"]), error=row["error"],
            video_url=row["video_url"], poster_url=row["poster_url"], asset_id=row["asset_id"],
            path=Path(row["path"]) if row["path"] else None, sandbox=bool(row["sandbox"]),
            prompt=row["prompt"], duration=row["duration"], seed=row["seed"],
            rating=row["rating"], note=row["note"], external_task_id=row["external_task_id"],
            sweep_id=row["sweep_id"], sweep_index=row["sweep_index"], tags=tuple(sorted(tags)),
            recovered=row["recovered"], size=row["size"], sender=_sender(row),
            draft_of=row["draft_of"], measures=dict(measures or {}), images=images,
        )

    @property
    def done(self) -> bool:
        """Whether the job ended (complete or failed)."""
        return self.status in DONE

    @property
    def unknown_outcome(self) -> bool:
        """A create request went out and no job id ever came back: a job may exist."""
        return self.job_id is None and self.status in ("submitting", "unknown")

    @property
    def saved(self) -> Path | None:
        """The downloaded video, when it is on disk and whole (the size it was saved with);
        None when there is no file, or it is shorter or longer than when it was saved."""
        if self.path is None:
            return None
        try:
            size = self.path.stat().st_size if self.path.is_file() else None
        except OSError:
            return None
        if not size or (self.size is not None and size != self.size):
            return None
        return self.path

    @property
    def metrics(self) -> Metrics | None:
        """The video's metrics (measured on the file, your scorers' numbers), checked against
        what the request asked; None when nothing was measured (``journal.measure(...)``)."""
        if not self.measures:
            return None
        return Metrics(self.measures, asked_of(self.model, self.spec_data))

    @property
    def elapsed(self) -> float | None:
        """Seconds from submit to the end, when both are known."""
        if self.submitted_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.submitted_at).total_seconds()

    def contact_sheet(self, frames: int = FRAMES) -> ContactSheet:
        """A strip of frames of the job's downloaded video (``<video>.sheet.jpg``, cached)."""
        if self.path is None:
            msg = f"job {self.job_id or self.handle} has no downloaded video"
            raise MediaError(msg)
        return contact_sheet(self.path, frames)

    def to_spec(self) -> Spec:
        """The validated spec this job was made from (``.replace(...)`` it to remix)."""
        if self.spec_data is None:
            msg = f"the journal has no spec for job {self.job_id or self.handle}"
            raise LookupError(msg)
        return parse_spec(load_images(self.spec_data, self.images))

    @property
    def spec(self) -> Spec | None:
        """The validated spec, or None when the journal has none (or it no longer parses)."""
        try:
            return self.to_spec()
        except (LookupError, KlingError):
            return None

    @property
    def result(self) -> Result | None:
        """The finished video as a ``Result``, when the job completed."""
        if self.status != Status.COMPLETE.value or not (self.job_id and self.video_url):
            return None
        size = self.spec_data or {}
        return Result.from_facts(self, width=size.get("width"), height=size.get("height"),
                                 completed_at=self.finished_at, metrics=self.metrics)

    @classmethod
    def from_result(cls, result: Result, *, spec: Spec | None = None,
                    external_task_id: str | None = None) -> Entry:
        """What a journal would hold for a finished result (for a sidecar without journal)."""
        names = {f.name for f in dataclasses.fields(cls)}
        facts = {name: getattr(result, name) for name in RESULT_FACTS if name in names}
        measures = dict(result.metrics.numbers) if result.metrics is not None else {}
        return cls(handle="", status="complete", spec_data=spec.to_dict() if spec else None,
                   finished_at=result.completed_at, external_task_id=external_task_id,
                   measures=measures, **facts)

    @property
    def short(self) -> str:
        """The handle's first 8 characters: enough for ``kling-nb show``/``download``/..."""
        return self.handle[:8]

    def check_hint(self) -> str:
        """For an unknown outcome: what was sent, when, and how to look for the job."""
        sent = self.request or {}
        when = iso(self.intent_at) or "an unknown time"
        why = f" ({self.error})" if self.error else ""
        return (f"unknown outcome: {sent.get('method', 'POST')} {sent.get('url', '?')} was sent "
                f"at {when} and no job id came back{why}; a paid job may exist. It is NOT "
                f"resubmitted. kling-nb resume (or journal.reconcile(client)) looks for it "
                f"again; once you know no job exists, kling-nb resubmit {self.short} --force "
                "sends it again.")

    def __str__(self) -> str:
        ident = self.job_id or f"(no job id, handle {self.handle})"
        cost = cost_text(self.cost, sandbox=self.sandbox, model=self.model)
        cost = f", {cost}" if cost else ""
        prompt = f": {short(self.prompt, 60)!r}" if self.prompt else ""
        mark = " [SANDBOX]" if self.sandbox else ""
        return f"{self.model} {ident} {self.status}{cost}{mark}{prompt}"

