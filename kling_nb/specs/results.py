"""What the APIs give back, in one vocabulary: job status, cost and finished videos."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from kling_nb.core.errors import ConfigError, MediaError
from kling_nb.core.html import Renders, bundle, esc, pretty
from kling_nb.media.metrics import Metrics
from kling_nb.media.sheets import FRAMES, ContactSheet, contact_sheet

from .providers import PROVIDER_NAMES
from .refs import ImageRef, VideoRef

CostUnit = Literal["USD", "CREDITS"]


class Status(str, Enum):
    """One status vocabulary over both providers; unknown statuses count as pending."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"

    @property
    def done(self) -> bool:
        """Whether the job has ended (complete or failed)."""
        return self in (Status.COMPLETE, Status.FAILED)

    @classmethod
    def from_wire(cls, value: object) -> Status:
        """Leonardo's PENDING/COMPLETE/FAILED or AI/ML's queued/generating/completed/error."""
        text = str(value or "").strip().lower()
        if text in {"complete", "completed", "succeeded", "success"}:
            return cls.COMPLETE
        if text in {"failed", "error", "failure"}:
            return cls.FAILED
        if text in {"generating", "active", "processing", "running"}:
            return cls.RUNNING
        return cls.PENDING


@dataclass(frozen=True, order=True)
class Cost:
    """What a job cost, as the API reported it."""

    amount: Decimal
    unit: CostUnit = "USD"

    @classmethod
    def parse(cls, amount: object, unit: object = "USD") -> Cost | None:
        """A cost from the API's amount (number or string) and unit (DOLLARS/USD/CREDITS)."""
        if amount is None or isinstance(amount, bool):
            return None
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            return None
        text = str(unit or "USD").upper()
        return cls(value, "USD" if text in {"USD", "DOLLARS", "DOLLAR"} else "CREDITS")

    def __str__(self) -> str:
        if self.unit == "USD":
            return f"${self.amount:.2f}" if self.amount >= Decimal("0.01") else f"${self.amount}"
        return f"{self.amount.normalize():f} credits"

    def __add__(self, other: Cost) -> Cost:
        if other.unit != self.unit:
            msg = f"cannot add {other.unit} to {self.unit}"
            raise ValueError(msg)
        return Cost(self.amount + other.amount, self.unit)


SANDBOX_PRICE = "sandbox price, not billed"
MADE_UP_PRICE = "made-up sandbox price: no price is published; not billed"
UNPUBLISHED = "not published"
"""How a row's ``price_note`` starts when no price is published (or it is empty)."""


def price_is_published(model: str | None) -> bool:
    """Whether a price for ``model`` (a row key or wire name) is published anywhere, so the
    sandbox charges that figure rather than one it made up."""
    from .catalogue import MODELS

    row = MODELS.find(model) if model else None
    if row is None:
        return False
    spec, note = row.spec, row.spec.price_note
    return bool(spec.usd_per_job or spec.usd_per_second or spec.credits_per_job) or (
        bool(note) and not note.startswith(UNPUBLISHED))


def sandbox_price_note(model: str | None) -> str:
    """What a sandbox job's price is: the published figure, or one the sandbox made up."""
    return SANDBOX_PRICE if price_is_published(model) else MADE_UP_PRICE


def cost_text(cost: Cost | None, *, sandbox: bool, model: str | None = None) -> str:
    """A job's cost as a person should read it: a live job's figure as the provider reported
    it; a sandbox job's price labelled as the sandbox's (made up where no price is published)
    and not billed, never as money spent. Empty when there is none."""
    if cost is None:
        return ""
    return f"{cost} ({sandbox_price_note(model)})" if sandbox else str(cost)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 timestamp from an API (``...Z`` included), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


@dataclass
class Result(Renders):
    """A finished video: where it is, what it cost, and the ids to build on it.

    A Leonardo job asked for several videos (``quantity``) gives one result for the first video
    and lists the others in ``variants``: each has its own ``asset_id``, ``video_url`` and
    ``poster_url``, the same ``job_id``, and no ``cost`` (the job's cost is on the main result).
    ``client.download(result)`` fetches the main video only; ``client.download_all(result)``
    fetches every one.
    """

    job_id: str
    provider: str
    model: str
    video_url: str
    poster_url: str | None = None
    asset_id: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    seed: int | None = None
    prompt: str | None = None
    cost: Cost | None = None
    sandbox: bool = False
    submitted_at: datetime | None = None
    completed_at: datetime | None = None
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    variants: list[Result] = field(default_factory=list, repr=False)
    """The job's other videos (Leonardo ``quantity`` > 1), in the order the API lists them."""
    index: int = 0
    """Which of the job's videos this is: 0 for the main one, 1, 2, ... for the variants."""
    metrics: Metrics | None = field(default=None, repr=False, compare=False)
    """What was measured on the downloaded file (length, size, sound, motion, ...), checked
    against what was asked; None until it is downloaded."""

    @property
    def videos(self) -> list[Result]:
        """Every video of the job: this result, then its variants."""
        return [self, *self.variants]

    @property
    def elapsed(self) -> float | None:
        """Seconds from submit to the moment the result was seen, when both are known."""
        if self.submitted_at is None or self.completed_at is None:
            return None
        return (self.completed_at - self.submitted_at).total_seconds()

    @property
    def size(self) -> str | None:
        """``WIDTHxHEIGHT`` when known."""
        return f"{self.width}x{self.height}" if self.width and self.height else None

    @classmethod
    def from_facts(cls, *sources: object, **given: Any) -> Result:
        """A result from keyword facts, else the same-named attributes of ``sources`` (first
        non-None wins): one converter for an operation's snapshot, a journal entry and a
        sidecar, which all name their facts as ``Result`` does."""
        facts: dict[str, Any] = {}
        for name in RESULT_FACTS:
            value = given.get(name)
            for source in sources:
                if value is not None:
                    break
                value = getattr(source, name, None)
            if value is not None:
                facts[name] = value
        facts.update({k: v for k, v in given.items() if k not in RESULT_FACTS})
        return cls(**facts)

    def _text_view(self) -> str:
        from .views import result_text

        return result_text(self)

    def _html_view(self) -> str:
        from .views import result_html

        return result_html(self)

    def __str__(self) -> str:
        mark = " [SANDBOX video: not made by Kling]" if self.sandbox else ""
        facts = [self.size, f"{self.duration} s" if self.duration else None,
                 f"seed {self.seed}" if self.seed is not None else None,
                 cost_text(self.cost, sandbox=self.sandbox, model=self.model) or None,
                 f"{len(self.variants) + 1} videos (see .variants)" if self.variants else None]
        where = str(self.path) if self.path else self.video_url
        shown = ", ".join(f for f in facts if f)
        return f"{self.model} result {self.job_id} ({shown}): {where}{mark}"

    def contact_sheet(self, frames: int = FRAMES) -> ContactSheet:
        """A strip of ``frames`` frames (first, ..., last) of the downloaded video, saved as
        ``<video>.sheet.jpg`` beside it and made again only when the video is newer."""
        if self.path is None:
            msg = f"job {self.job_id} is not downloaded yet: run client.download(result) first"
            raise MediaError(msg)
        return contact_sheet(self.path, frames)

    def as_start_frame(self) -> ImageRef:
        """This result as a GENERATED image reference (a start frame or image reference)."""
        return ImageRef(id=self._asset("a start frame"), type="GENERATED")

    def as_video_reference(self) -> VideoRef:
        """This result as the video to edit (``video_reference_base``)."""
        return VideoRef(id=self._asset("a video reference"), seconds=self.duration,
                        width=self.width, height=self.height)

    def _asset(self, use: str) -> str:
        if not self.asset_id:
            name = PROVIDER_NAMES.get(self.provider, self.provider)
            way = ("save a frame of the downloaded video (result.path) as a PNG or JPEG and "
                   "upload it with client.upload_image(...)" if use == "a start frame" else
                   "only a video generated on Leonardo.AI can be referenced: generate it there")
            msg = (f"{name} gives no reusable asset id for job {self.job_id}, so this result "
                   f"cannot be used as {use}: {way}")
            raise ConfigError(msg)
        return self.asset_id


RESULT_FACTS = tuple(f.name for f in dataclasses.fields(Result)
                     if f.name not in ("raw", "variants", "index", "metrics"))
"""The facts a result is made of, as every source of results names them."""


class ResultList(list[Result]):
    """A list of results that shows itself as a grid of players in a notebook."""

    def __init__(self, results: Iterable[Result] = ()) -> None:
        super().__init__(results)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return results_bundle(self, str(list(self)), include, exclude)

    def __str__(self) -> str:
        from .views import results_text

        return results_text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(self, printer)


def results_bundle(results: list[Result], empty: str, include: Any = None,
                   exclude: Any = None) -> dict[str, str]:
    """The MIME bundle of results side by side (``empty`` as text when there are none)."""
    from .views import results_html, results_text

    if not results:
        return bundle(empty, f"<pre>{esc(empty)}</pre>", include, exclude)
    return bundle(results_text(results), results_html(results), include, exclude)
