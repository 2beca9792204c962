"""Past jobs as notebook objects: journal entries, history tables, cost tables and sidecars."""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from ._images import sniff_image_format
from ._results import Cost, Result, Status, loadable
from ._spec import Spec

SIDECAR_VERSION = 1
DONE = ("complete", "failed")
OPEN = ("submitting", "unknown", "pending", "running")
RETRYABLE = ("rate_limited", "not_sent")
"""Refused creates that started no job and may simply be sent again later (429, unreachable)."""
LOST = "lost"
"""A sandbox job its sandbox no longer knows (the process that ran it is gone)."""
LOST_NOTE = "sandbox jobs do not survive a restart of the process that ran them"
IMAGE_REF = "kling-nb-image:sha256:"
"""How journal rows and sidecars name image data stored once in the image folder."""
MIN_STORED = 256
"""Image data shorter than this (in base64 characters) stays inline."""
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}


# -- image data stored once ---------------------------------------------------------------------
def image_folder(journal_path: Path) -> Path:
    """Where a journal keeps image data, content-addressed: ``<journal>.images/`` beside it."""
    return journal_path.with_name(journal_path.name + ".images")


URLSAFE = ";urlsafe"
"""Marks a reference whose data was URL-safe base64 (as pydantic writes bytes)."""


def _decode(text: str) -> bytes | None:
    payload = text.split(",", 1)[1] if text.startswith("data:") else text
    altchars = b"-_" if ("-" in payload or "_" in payload) else None
    try:
        data = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=altchars,
                                validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if sniff_image_format(data) else None


def store_images(value: Any, folder: Path) -> Any:
    """A copy of ``value`` with image data (base64 or data URLs) stored once in ``folder``.

    Each image becomes ``"kling-nb-image:sha256:<hex>"``; ``load_images`` turns it back.
    """
    if isinstance(value, dict):
        return {k: store_images(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [store_images(v, folder) for v in value]
    if not isinstance(value, str) or len(value) < MIN_STORED or value.startswith(("http", "/")):
        return value
    data = _decode(value)
    if data is None:
        return value
    digest = hashlib.sha256(data).hexdigest()
    fmt = sniff_image_format(data) or "png"
    target = folder / f"{digest}.{_EXTENSIONS[fmt]}"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    mark = f"data:image/{fmt};" if value.startswith("data:") else ""
    urlsafe = URLSAFE if ("-" in value or "_" in value) and not mark else ""
    return f"{mark}{IMAGE_REF}{digest}{urlsafe}"


def load_images(value: Any, folder: Path | None) -> Any:
    """A copy of ``value`` with every stored-image reference replaced by its data again."""
    if isinstance(value, dict):
        return {k: load_images(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [load_images(v, folder) for v in value]
    if not isinstance(value, str) or IMAGE_REF not in value:
        return value
    mark, _, digest = value.partition(IMAGE_REF)
    digest, urlsafe, _ = digest.partition(URLSAFE)
    found = [p for p in (folder.glob(f"{digest}.*") if folder is not None else [])
             if p.suffix.lstrip(".") in _EXTENSIONS.values()]
    if not found:
        msg = (f"the image {value} is not in {folder}: the journal's image folder was moved "
               "or deleted")
        raise LookupError(msg)
    data = found[0].read_bytes()
    encoded = (base64.urlsafe_b64encode(data) if urlsafe else base64.b64encode(data)).decode()
    return f"{mark[:-1]};base64,{encoded}" if mark else encoded


def has_images(value: Any) -> bool:
    """Whether ``value`` holds a stored-image reference."""
    return IMAGE_REF in json.dumps(value, default=str)


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
    images: Path | None = field(default=None, repr=False, compare=False)
    """The journal's image folder, where ``kling-nb-image:`` references in the spec point."""

    @classmethod
    def from_row(cls, row: Any, tags: Iterable[str] = (), images: Path | None = None) -> Entry:
        """An entry from a ``jobs`` row (and its tags, and the journal's image folder)."""
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
            images=images,
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
    def elapsed(self) -> float | None:
        """Seconds from submit to the end, when both are known."""
        if self.submitted_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.submitted_at).total_seconds()

    def to_spec(self) -> Spec:
        """The validated spec this job was made from (``.replace(...)`` it to remix)."""
        from ._catalogue import parse_spec

        if self.spec_data is None:
            msg = f"the journal has no spec for job {self.job_id or self.handle}"
            raise LookupError(msg)
        return parse_spec(load_images(self.spec_data, self.images))

    @property
    def spec(self) -> Spec | None:
        """The validated spec, or None when the journal has none (or it no longer parses)."""
        from ._errors import KlingError

        try:
            return self.to_spec()
        except (LookupError, KlingError):
            return None

    @property
    def result(self) -> Result | None:
        """The finished video as a ``Result``, when the job completed."""
        if self.status != Status.COMPLETE.value or not (self.job_id and self.video_url):
            return None
        size = (self.spec_data or {})
        return Result(
            job_id=self.job_id, provider=self.provider, model=self.model,
            video_url=self.video_url, poster_url=self.poster_url, asset_id=self.asset_id,
            width=size.get("width"), height=size.get("height"), duration=self.duration,
            seed=self.seed, prompt=self.prompt, cost=self.cost, sandbox=self.sandbox,
            submitted_at=self.submitted_at, completed_at=self.finished_at, path=self.path,
        )

    def check_hint(self) -> str:
        """For an unknown outcome: what was sent, when, and how to look for the job."""
        sent = self.request or {}
        when = iso(self.intent_at) or "an unknown time"
        return (f"unknown outcome: {sent.get('method', 'POST')} {sent.get('url', '?')} was sent "
                f"at {when} and no job id came back; a paid job may exist. It is NOT resubmitted. "
                f"Look for it with journal.find_submitted(client, {self.handle!r}) (or on the "
                f"provider's site); then journal.track(job, handle={self.handle!r}) if found, "
                f"or journal.dismiss({self.handle!r}) if not.")

    def __str__(self) -> str:
        ident = self.job_id or f"(no job id, handle {self.handle})"
        cost = f", {self.cost}" if self.cost else ""
        prompt = f": {_short(self.prompt, 60)!r}" if self.prompt else ""
        return f"{self.model} {ident} {self.status}{cost}{prompt}"


def _short(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- history ------------------------------------------------------------------------------------
class History(list[Entry]):
    """A list of journal entries with a notebook view and ``to_pandas()``."""

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per entry (cost as float, times as datetimes)."""
        return [_record(e) for e in self]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of the entries (needs pandas installed)."""
        return _pandas().DataFrame(self.to_records())

    def __str__(self) -> str:
        if not self:
            return "no jobs"
        return "\n".join(str(e) for e in self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        rows = "".join(_html_row(e) for e in self)
        head = "".join(f"<th>{h}</th>" for h in
                       ("", "prompt", "parameters", "status", "cost", "notes", "links"))
        table = (f"<table class='kling-nb-history'><thead><tr>{head}</tr></thead>"
                 f"<tbody>{rows}</tbody></table>" if self else "<p>no jobs</p>")
        return {"text/plain": str(self), "text/html": table}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        msg = "to_pandas() needs pandas: pip install pandas"
        raise ImportError(msg) from None


def _record(entry: Entry) -> dict[str, Any]:
    return {
        "job_id": entry.job_id, "handle": entry.handle, "provider": entry.provider,
        "model": entry.model, "status": entry.status, "prompt": entry.prompt,
        "duration": entry.duration, "seed": entry.seed,
        "cost": float(entry.cost.amount) if entry.cost else None,
        "cost_unit": entry.cost.unit if entry.cost else None,
        "submitted_at": entry.submitted_at, "finished_at": entry.finished_at,
        "elapsed": entry.elapsed, "rating": entry.rating, "tags": ",".join(entry.tags),
        "note": entry.note, "sweep_id": entry.sweep_id, "video_url": entry.video_url,
        "path": str(entry.path) if entry.path else None, "sandbox": entry.sandbox,
    }


def thumbnail(poster_url: str | None, path: Path | None, width: int = 160) -> str:
    """An ``<img>`` of the poster or a ``<video>`` of the local file (never inline base64)."""
    if loadable(poster_url):
        return f"<img src='{escape(poster_url or '')}' width='{width}' loading='lazy'/>"
    if path is not None:
        src = escape(_local_src(path))
        return f"<video src='{src}' width='{width}' preload='metadata' muted controls></video>"
    return ""


def _local_src(path: Path) -> str:
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.as_uri()


def _parameters(entry: Entry) -> str:
    spec = dict(entry.spec_data or {})
    for name in ("prompt", "model"):
        spec.pop(name, None)
    shown = ", ".join(f"{k}={v}" for k, v in spec.items() if not isinstance(v, (dict, list)))
    return f"{escape(entry.model)}<br/><small>{escape(_short(shown, 200))}</small>"


def _links(entry: Entry) -> str:
    links = []
    if loadable(entry.video_url):
        links.append(f"<a href='{escape(entry.video_url or '')}' target='_blank'>video</a>")
    if entry.path is not None:
        links.append(f"<a href='{escape(_local_src(entry.path))}' target='_blank'>file</a>")
    ident = escape(entry.job_id or entry.handle)
    return "<br/>".join([*links, f"<code>{ident}</code>"])


def _notes(entry: Entry) -> str:
    stars = "★" * (entry.rating or 0)
    tags = " ".join(f"<code>#{escape(t)}</code>" for t in entry.tags)
    note = escape(entry.note or "")
    return "<br/>".join(p for p in (stars, tags, note) if p)


SANDBOX_TAG = ("<span title='offline emulator: not a video made by Kling' style='background:"
               "#fff3cd;color:#664d03;border:1px solid #ffecb5;padding:0 4px;font-size:85%;"
               "font-weight:bold'>SANDBOX</span>")
"""The mark on every sandbox row and card: a sandbox video is never passed off as real."""


def _html_row(entry: Entry) -> str:
    status = escape(entry.status) + (f"<br/><small>{escape(_short(entry.error, 160))}</small>"
                                     if entry.error else "")
    if entry.sandbox:
        status += f"<br/>{SANDBOX_TAG}"
    cells = (thumbnail(entry.poster_url, entry.path), escape(_short(entry.prompt, 300)),
             _parameters(entry), status, escape(str(entry.cost or "")), _notes(entry),
             _links(entry))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


# -- costs --------------------------------------------------------------------------------------
@dataclass
class CostRow:
    """What a group of jobs cost, as the APIs reported it."""

    key: str
    jobs: int = 0
    usd: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)
    unpriced: int = 0
    """Jobs in the group whose cost no API reported."""

    def add(self, cost: Cost | None) -> None:
        """Count one job and its cost."""
        self.jobs += 1
        if cost is None:
            self.unpriced += 1
        elif cost.unit == "USD":
            self.usd += cost.amount
        else:
            self.credits += cost.amount


@dataclass
class CostTable:
    """Costs grouped by day, model or sweep, with a total row."""

    by: str
    rows: list[CostRow] = field(default_factory=list)

    @property
    def total(self) -> CostRow:
        """Every group together."""
        total = CostRow("total")
        for row in self.rows:
            total.jobs += row.jobs
            total.usd += row.usd
            total.credits += row.credits
            total.unpriced += row.unpriced
        return total

    def __getitem__(self, key: str) -> CostRow:
        return next(r for r in self.rows if r.key == key)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per group (needs pandas installed)."""
        return _pandas().DataFrame([{self.by: r.key, "jobs": r.jobs, "usd": float(r.usd),
                              "credits": float(r.credits), "unpriced": r.unpriced}
                             for r in self.rows])

    def __str__(self) -> str:
        lines = [f"{self.by:<24} {'jobs':>5} {'USD':>10} {'credits':>10} {'unpriced':>8}"]
        for row in [*self.rows, self.total]:
            lines.append(f"{row.key:<24} {row.jobs:>5} {row.usd:>10.2f} "
                         f"{row.credits.normalize():>10f} {row.unpriced:>8}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        head = "".join(f"<th>{h}</th>" for h in (self.by, "jobs", "USD", "credits", "unpriced"))
        body = "".join(
            f"<tr><td>{escape(r.key)}</td><td>{r.jobs}</td><td>${r.usd:.2f}</td>"
            f"<td>{r.credits.normalize():f}</td><td>{r.unpriced}</td></tr>"
            for r in [*self.rows, self.total])
        return {"text/plain": str(self),
                "text/html": f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"}


# -- sidecars -----------------------------------------------------------------------------------
def sidecar_path(video: str | os.PathLike[str]) -> Path:
    """Where a video's sidecar lives: ``<video>.json`` beside it."""
    path = Path(video)
    return path if path.suffix == ".json" else path.with_name(path.name + ".json")


def sidecar_data(entry: Entry, result: Result | None = None) -> dict[str, Any]:
    """Everything needed to reproduce a video: spec, ids, cost, timings and notes.

    Image data in the spec stays a ``kling-nb-image:`` reference; ``images`` names the
    journal's folder that holds it, so ``Sidecar.remix`` still works.
    """
    cost = entry.cost or (result.cost if result else None)
    return {
        "kling_nb_sidecar": SIDECAR_VERSION,
        "spec": entry.spec_data, "model": entry.model, "provider": entry.provider,
        "job_id": entry.job_id, "asset_id": entry.asset_id or (result and result.asset_id),
        "external_task_id": entry.external_task_id, "video_url": entry.video_url,
        "poster_url": entry.poster_url, "seed": entry.seed if entry.seed is not None else (
            result.seed if result else None),
        "cost": {"amount": str(cost.amount), "unit": cost.unit} if cost else None,
        "submitted_at": iso(entry.submitted_at), "finished_at": iso(entry.finished_at),
        "elapsed_seconds": entry.elapsed, "sandbox": entry.sandbox, "sweep_id": entry.sweep_id,
        "rating": entry.rating, "tags": list(entry.tags), "note": entry.note,
        **({"images": str(entry.images)} if entry.images and has_images(entry.spec_data) else {}),
    }


def write_sidecar(video: str | os.PathLike[str], data: Mapping[str, Any]) -> Path:
    """Write ``data`` as the video's JSON sidecar (atomically); returns its path."""
    target = sidecar_path(video)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n",
                         encoding="utf-8")
    temporary.replace(target)
    return target


@dataclass(frozen=True)
class Sidecar:
    """A video's sidecar: its spec (to re-run or remix), ids, cost and timings."""

    path: Path
    data: dict[str, Any]

    @property
    def spec(self) -> Spec:
        """The validated spec the video was made from."""
        from ._catalogue import parse_spec

        folder = self.data.get("images")
        return parse_spec(load_images(self.data["spec"], Path(folder) if folder else None))

    @property
    def job_id(self) -> str | None:
        """The provider's job id."""
        return self.data.get("job_id")

    @property
    def cost(self) -> Cost | None:
        """What the job cost, as reported."""
        cost = self.data.get("cost") or {}
        return Cost.parse(cost.get("amount"), cost.get("unit"))

    def remix(self, **changes: Any) -> Spec:
        """The same spec with some fields changed, ready to submit."""
        return self.spec.replace(**changes)


def load_sidecar(path: str | os.PathLike[str]) -> Sidecar:
    """Read a video's sidecar (give the video's path or the ``.json`` itself)."""
    target = sidecar_path(path)
    return Sidecar(target, json.loads(target.read_text(encoding="utf-8")))


def differing(specs: Sequence[Mapping[str, Any]]) -> list[str]:
    """The spec fields whose values are not the same in every spec."""
    names = sorted({k for s in specs for k in s})
    return [n for n in names if len({json.dumps(s.get(n), sort_keys=True) for s in specs}) > 1]
