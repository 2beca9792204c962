"""Sidecars: a JSON file beside each downloaded video, enough to reproduce or remix it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kling_nb.client.jobs import Job
from kling_nb.client.observer import JobObserver
from kling_nb.media.metrics import CHECKS, Metrics
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import parse_spec
from kling_nb.specs.results import Cost, Result, parse_time

from .asked import asked_of
from .blobs import has_images, load_images
from .entries import Entry, iso

SIDECAR_VERSION = 1

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
        **_measured(entry, result),
    }


def _measured(entry: Entry, result: Result | None) -> dict[str, Any]:
    """The video's metrics and flags (and the draft it re-rendered), when there are any."""
    metrics = entry.metrics or (result.metrics if result is not None else None)
    found: dict[str, Any] = {"draft_of": entry.draft_of} if entry.draft_of else {}
    if metrics is not None:
        found.update(metrics=metrics.to_dict(), flags=metrics.flags)
    return found


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
        folder = self.data.get("images")
        return parse_spec(load_images(self.data["spec"], Path(folder) if folder else None))

    @property
    def job_id(self) -> str | None:
        """The provider's job id."""
        return self.data.get("job_id")

    @property
    def sandbox(self) -> bool:
        """Whether the video came from the sandbox (the offline emulator), not from Kling."""
        return bool(self.data.get("sandbox"))

    @property
    def cost(self) -> Cost | None:
        """What the job cost, as reported."""
        cost = self.data.get("cost") or {}
        return Cost.parse(cost.get("amount"), cost.get("unit"))

    @property
    def result(self) -> Result:
        """The video as a ``Result`` (its file is the video beside the sidecar, if there)."""
        data = {k: v for k, v in self.data.items()
                if k not in ("cost", "submitted_at", "finished_at", "spec", "metrics", "flags")}
        video = self.path.with_name(self.path.name.removesuffix(".json"))
        return Result.from_facts(
            SimpleNamespace(**data), SimpleNamespace(**(self.data.get("spec") or {})),
            cost=self.cost, video_url=data.get("video_url") or "",
            submitted_at=parse_time(self.data.get("submitted_at")),
            completed_at=parse_time(self.data.get("finished_at")),
            path=video if video.exists() else None, metrics=self.metrics,
        )

    @property
    def metrics(self) -> Metrics | None:
        """What was measured on the video (and scored), checked against what was asked."""
        values = {k: v for k, v in (self.data.get("metrics") or {}).items() if k not in CHECKS}
        if not values:
            return None
        return Metrics(values, asked_of(str(self.data.get("model") or ""), self.data.get("spec")))

    def remix(self, **changes: Any) -> Spec:
        """The same spec with some fields changed, ready to submit."""
        return self.spec.replace(**changes)


def load_sidecar(path: str | os.PathLike[str]) -> Sidecar:
    """Read a video's sidecar (give the video's path or the ``.json`` itself)."""
    target = sidecar_path(path)
    return Sidecar(target, json.loads(target.read_text(encoding="utf-8")))


class SidecarWriter(JobObserver):
    """Without a journal: still write each downloaded video's JSON sidecar."""

    def __init__(self) -> None:
        self.jobs: dict[tuple[str, str], Job] = {}

    def submitted(self, handle: str | None, job: Job) -> None:
        self.jobs[(job.provider, job.id)] = job

    def status(self, job: Job) -> None:
        self.jobs[(job.provider, job.id)] = job

    def downloaded(self, result: Result, path: Path) -> None:
        job = self.jobs.get((result.provider, result.job_id))
        entry = Entry.from_result(result, spec=job.spec if job is not None else None,
                                  external_task_id=job.external_task_id if job else None)
        if entry.metrics is not None:
            result.metrics = entry.metrics  # checked against the spec: length, size, sound
        write_sidecar(path, sidecar_data(entry, result))
