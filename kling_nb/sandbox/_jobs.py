"""Store the sandbox's assets and jobs and decide, on an injectable clock, how far each job got.

Timing ``fast``: a job is pending for its first ``fast_polls`` status requests and done on the
next one, whatever the clock says. Timing ``realistic``: a job runs for a seeded duration inside
the documented 36-48 s per second of video (3-4 min for 5 s, 6-8 min for 10 s, api-notes §4) on
the injected clock; Leonardo jobs beyond ``slots`` running at once wait in a FIFO queue first.

Within that documented band each model has its own typical pace (its entry's ``pace``, seconds
of work per second of video) and jobs vary around it by a few percent: the documented range
spans all the models, while one user's jobs of one model cluster - which is what learned timing
exploits.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from . import _registry
from ._entry import DEFAULT_PACE
from ._media import Rendered
from ._wire import Order, Ref, VideoInfo

Timing = Literal["fast", "realistic"]
State = Literal["queued", "running", "complete", "failed"]
INFINITY = float("inf")
PACE_SPREAD = 0.04


@dataclass
class Image:
    """An image the sandbox knows: an init image (UPLOADED) or a generated one (GENERATED)."""

    id: str
    kind: str
    created: float
    extension: str = "png"
    data: bytes | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Video:
    """One generated video (``generated_images[i]``), rendered lazily and cached."""

    id: str
    job_id: str
    index: int
    rendered: Rendered | None = None


@dataclass
class Job:
    """A generation job; ``start``/``end`` are on the clock (realistic) or a tick count (fast)."""

    id: str
    provider: str
    order: Order
    created: float
    seed: int
    cost: float
    width: int
    height: int
    fail: bool
    start: float
    end: float
    videos: list[str] = field(default_factory=list)
    polls: int = 0


class Store:
    """Assets and jobs of one sandbox account (not thread-safe; the sandbox locks around it)."""

    def __init__(self, *, clock: Callable[[], float], seed: int, timing: Timing,
                 fast_polls: int, slots: int) -> None:
        if timing not in ("fast", "realistic"):
            raise ValueError("timing must be 'fast' or 'realistic'")
        self.clock, self.timing, self.fast_polls, self.slots = clock, timing, fast_polls, slots
        self.rng = random.Random(seed)
        self.images: dict[str, Image] = {}
        self.jobs: dict[str, Job] = {}
        self.videos: dict[str, Video] = {}
        self._history: list[Job] = []
        self._tick = 0

    def new_id(self) -> str:
        """A fresh random UUID4, like the real APIs' ids: unique across runs and processes.

        (Seeded ids would repeat in every new process, and a journal or download folder
        shared between runs would mix up different jobs with the same id.)
        """
        return str(uuid.uuid4())

    def add_image(self, kind: str, *, data: bytes | None = None, extension: str = "png") -> Image:
        """Register an image asset and return it."""
        image = Image(self.new_id(), kind, self.clock(), extension, data)
        self.images[image.id] = image
        return image

    def usable_image(self, ref: Ref) -> Image | None:
        """The image behind a ``{id, type}`` reference, if it has that type and has bytes."""
        image = self.images.get(ref.id)
        if image is not None and image.kind == ref.type and image.data is not None:
            return image
        return None

    def has_image(self, ref: Ref) -> bool:
        """True when ``ref`` names an uploaded/seeded image, or a completed generated video."""
        if self.usable_image(ref) is not None:
            return True
        return ref.type == "GENERATED" and self.complete_video(ref.id) is not None

    def video_info(self, video_id: str) -> VideoInfo | None:
        """Size, length and sound of a completed generated video, None if there is none."""
        found = self.complete_video(video_id)
        if found is None:
            return None
        job = found[0]
        return VideoInfo(job.width, job.height, job.order.seconds, job.order.audio)

    def image_data(self, image_id: str) -> bytes | None:
        """The bytes of an uploaded or seeded image, None if unknown or not uploaded yet."""
        image = self.images.get(image_id)
        return image.data if image is not None else None

    def add_job(self, provider: str, order: Order, size: tuple[int, int], *, cost: float,
                fail: bool, job_id: str | None = None) -> Job:
        """Create a job, schedule it and reserve ids for its ``quantity`` videos."""
        now = self.clock()
        start, end = self._schedule(provider, now, order)
        seed = order.seed if order.seed is not None else self.rng.randrange(2**31)
        job = Job(job_id or self.new_id(), provider, order, now, seed, cost, size[0], size[1],
                  fail, start, end)
        for index in range(order.quantity):
            video = Video(self.new_id(), job.id, index)
            self.videos[video.id] = video
            job.videos.append(video.id)
        self.jobs[job.id] = job
        self._history.append(job)
        return job

    def _schedule(self, provider: str, now: float, order: Order) -> tuple[float, float]:
        if self.timing == "fast":
            self._tick += 1
            return float(self._tick), INFINITY
        entry = _registry.entry_of(order.model)
        pace = entry.pace if entry is not None else DEFAULT_PACE
        duration = min(max(self.rng.gauss(pace, pace * PACE_SPREAD), 36.0), 48.0) * order.seconds
        busy = sorted(j.end for j in self._history if j.provider == provider and j.end > now)
        start = now
        if provider == "leonardo" and len(busy) >= self.slots:
            start = busy[len(busy) - self.slots]
        return start, start + duration

    def state(self, job: Job, *, poll: bool) -> State:
        """Where ``job`` stands now; a status request (``poll``) advances fast-mode jobs."""
        if self.timing == "realistic":
            now = self.clock()
            if now < job.start:
                return "queued"
            return "running" if now < job.end else _ended(job)
        if job.end != INFINITY:
            return _ended(job)
        if not poll:
            return "queued" if job.polls == 0 else "running"
        if job.polls >= self.fast_polls:
            self._finish_fast(job)
            return _ended(job)
        job.polls += 1
        return "queued" if job.polls == 1 and self.fast_polls > 1 else "running"

    def _finish_fast(self, job: Job) -> None:
        self._tick += 1
        job.end = float(self._tick)

    def complete_video(self, video_id: str) -> tuple[Job, Video] | None:
        """The video and its job when that job completed successfully (not failed)."""
        video = self.videos.get(video_id)
        job = self.jobs.get(video.job_id) if video else None
        if video is None or job is None or self.state(job, poll=False) != "complete":
            return None
        return job, video

    def peak_running(self, provider: str = "leonardo") -> int:
        """Most jobs of ``provider`` that were running at the same time so far."""
        jobs = [j for j in self._history if j.provider == provider]
        events = sorted([(j.start, 1) for j in jobs] + [(j.end, -1) for j in jobs])
        running = peak = 0
        for _, delta in events:
            running += delta
            peak = max(peak, running)
        return peak

    def delete(self, job_id: str) -> bool:
        """Forget a job (its schedule still counts for the peak); False if unknown."""
        job = self.jobs.pop(job_id, None)
        if job is None:
            return False
        for video_id in job.videos:
            self.videos.pop(video_id, None)
        return True


def _ended(job: Job) -> State:
    return "failed" if job.fail else "complete"
