"""The client: upload images, submit jobs, wait for them and download the videos.

With no API key for a provider, the client uses the embedded sandbox for it (an offline
emulator that renders real MP4s) and marks every job and result as a sandbox one.

``Client`` is a small facade: ``routing`` (live or sandbox, keys, mounts), ``connections``
(the HTTP drivers), ``images`` (local images checked, uploaded or inlined), ``submitter`` (one
create request per spec, and the job of a lost answer looked for) and ``scheduler`` (poll
schedules and waits) do the work.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from kling_nb.core.errors import ConfigError, KlingError, UnknownOutcomeError
from kling_nb.core.warn import warn
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS, parse_spec
from kling_nb.specs.providers import PROVIDERS

from .config import EnvFile, ProviderConfig, check_job_id, load_env_file, resolve
from .connections import Connections
from .http import AsyncDriver, RetryPolicy, SyncDriver
from .images import ImagePreparation, as_image
from .observer import JobObserver
from .routing import Routing, sandbox_choice

if TYPE_CHECKING:  # the parts that wait, download and recover load on first use
    from kling_nb.specs.refs import ImageRef
    from kling_nb.specs.results import Result, Status

    from .download import Downloads
    from .jobs import Job
    from .polling import PollSchedule
    from .reconcile import Reconciled
    from .scheduling import PollOption, Scheduler
    from .submitting import Submitter

__all__ = ["Client", "ObserverWarning"]

DEFAULT_DOWNLOAD_DIR = Path("kling_videos")


class ObserverWarning(UserWarning):
    """The job observer (e.g. the journal) failed; the job itself went on."""


class Client:
    """Submit Kling jobs to Leonardo.AI and the AI/ML API - or to the offline sandbox.

    Keys come from the arguments, the environment (``LEONARDO_API_KEY``, ``AIMLAPI_API_KEY``)
    or a ``.env`` file (the current folder's, or ``env_file=path``; never one in a folder
    above); a provider without a key uses the sandbox. ``sandbox=True`` forces the sandbox for
    both (or pass a ``kling_nb.sandbox.Sandbox``). Hosts can be overridden with
    ``leonardo_base_url``/``aimlapi_base_url`` or ``LEONARDO_BASE_URL``/``AIMLAPI_BASE_URL``;
    a key is only sent to such a host when it was named in the same place as the key (the
    same environment, the same ``.env`` file) or as an argument, and the host is shown once
    (``HostWarning``) when the client is made.

    Input images are checked before anything is sent, against Kling's documented limits too
    (at least 300 px on each side, aspect 1:2.5 to 2.5:1, at most 10 MB); the hosts may resize
    images first, so ``image_limits=False`` sends images outside those limits on purpose.
    """

    def __init__(
        self,
        *,
        leonardo_key: str | None = None,
        aimlapi_key: str | None = None,
        leonardo_base_url: str | None = None,
        aimlapi_base_url: str | None = None,
        sandbox: bool | Any | None = None,
        env_file: str | os.PathLike[str] | bool | None = None,
        environ: Mapping[str, str] | None = None,
        download_dir: str | os.PathLike[str] = DEFAULT_DOWNLOAD_DIR,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        poll: PollOption = None,
        journal: JobObserver | bool | None = None,
        image_limits: bool = True,
    ) -> None:
        env = dict(os.environ if environ is None else environ)
        env_values = EnvFile() if env_file is False else load_env_file(
            None if env_file is True else env_file)
        keys = {"leonardo": leonardo_key, "aimlapi": aimlapi_key}
        urls = {"leonardo": leonardo_base_url, "aimlapi": aimlapi_base_url}
        configs: dict[str, ProviderConfig] = {
            p: resolve(p, key=keys[p], base_url=urls[p], environ=env, env_file=env_values)
            for p in PROVIDERS
        }
        self.routing = Routing(configs, sandbox_choice(sandbox, env))
        self.download_dir = Path(download_dir)
        self.timeout = timeout if timeout is not None else httpx.Timeout(30.0, connect=10.0)
        self.retry = retry or RetryPolicy()
        self.clock, self.sleep = clock, sleep
        self.observer: JobObserver = (
            journal if isinstance(journal, JobObserver)
            else JobObserver() if journal is False else self.default_observer()
        )
        self.connections = Connections(self.routing, timeout=self.timeout, retry=self.retry,
                                       sleep=sleep, transport=transport,
                                       async_transport=async_transport)
        self.images = ImagePreparation(self.base_url, limits=image_limits)
        self._poll = poll

    # The parts below are made (and their modules loaded) on first use: a client that is
    # only made, or only submits, does not pay for waiting, downloading and recovering.
    @cached_property
    def downloads(self) -> Downloads:
        """Streams videos to disk, resuming interrupted downloads."""
        from .download import Downloads

        return Downloads(self.connections, self.retry, self.download_dir, notify=self.notify)

    @cached_property
    def scheduler(self) -> Scheduler:
        """Poll schedules and waits."""
        from .scheduling import Scheduler

        return Scheduler(self, self._poll)

    @cached_property
    def submitter(self) -> Submitter:
        """One create request per spec; the job of a lost answer looked for."""
        from .submitting import Submitter

        return Submitter(self)

    def default_observer(self) -> JobObserver:
        """The observer used when ``journal`` is not given (``kn.Client``: the journal)."""
        return JobObserver()

    # -- routing --------------------------------------------------------------------------
    @property
    def configs(self) -> dict[str, ProviderConfig]:
        """Each provider's key (hidden), base URL and where they came from."""
        return self.routing.configs

    def mode(self, provider: str) -> str:
        """``sandbox`` (in-process emulator) or ``live`` for a provider."""
        return "sandbox" if self.routing.is_sandbox(provider) else "live"

    def is_sandbox(self, provider: str) -> bool:
        """Whether a provider's jobs run in the in-process sandbox."""
        return self.routing.is_sandbox(provider)

    @property
    def image_limits(self) -> bool:
        """Whether input images are held to Kling's documented limits before sending."""
        return self.images.limits

    def base_url(self, provider: str) -> str:
        """The scheme, host and port requests for ``provider`` go to."""
        return self.routing.base_url(provider)

    def __repr__(self) -> str:
        return f"<kling_nb.Client {self.routing.describe()}>"

    def notify(self, hook: str, *args: Any) -> None:
        """Tell the observer; a failing observer warns but never loses a submitted job."""
        try:
            getattr(self.observer, hook)(*args)
        except Exception as exc:  # the job matters more than its record
            warn(f"the job observer failed in {hook}: {type(exc).__name__}: {exc}",
                 ObserverWarning)

    # -- connections ----------------------------------------------------------------------
    @property
    def driver(self) -> SyncDriver:
        """The blocking driver (created on first use)."""
        return self.connections.driver

    @property
    def async_driver(self) -> AsyncDriver:
        """The async driver of the running event loop."""
        return self.connections.async_driver

    def close(self) -> None:
        """Close the connections (the client can still be used: they reopen)."""
        self.connections.close()

    async def aclose(self) -> None:
        """Close the async connections (those of other event loops too, as far as possible)."""
        await self.connections.aclose()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
        self.close()

    # -- images ---------------------------------------------------------------------------
    def upload_image(self, image: Any, *, provider: str = "leonardo") -> ImageRef:
        """Upload a local file, bytes, PIL image or https URL to Leonardo; returns its ref."""
        from kling_nb.specs.refs import ImageRef

        ref = as_image(image)
        if isinstance(ref, ImageRef):
            return ref
        return self.driver.run(self.images.upload(ref, None, provider))

    def image_for_body(self, image: Any, *, provider: str = "leonardo") -> ImageRef | str:
        """A local file, bytes, PIL image or URL as a body sent unchecked needs it, checked
        first: on Leonardo uploaded (an ``ImageRef``: its ``id`` and ``type`` go in the body),
        on the AI/ML API a ``data:`` URI (an https URL as given)."""
        if provider not in PROVIDERS:
            msg = f"provider: {provider!r} is not one of {', '.join(PROVIDERS)}"
            raise ConfigError(msg)
        return self.driver.run(self.images.for_body(as_image(image), provider))

    # -- submit ---------------------------------------------------------------------------
    def reconcile(self, error: UnknownOutcomeError, *, grace: float | None = None) -> Reconciled:
        """Look for the job of a create request whose answer was lost (``error.sent``).

        Looks a few times over ``grace`` seconds (default: the retry policy's, 60 s); the
        verdict is ``found`` (with its id), ``not_created`` or ``unknown`` (with the reason).
        Nothing is ever sent again: ``settle(error, verdict)`` turns it into a job or an error.
        """
        return self.submitter.reconcile(error, grace)

    def settle(self, error: UnknownOutcomeError, found: Reconciled, *,
               spec: Spec | None = None) -> Job:
        """The job a reconciled create started, or the error that says why there is none.

        ``found``: the job (marked ``recovered``), reported to the observer as recovered.
        ``not_created``: raises ``NotCreatedError`` (the observer marks it so). ``unknown``:
        raises ``error`` again, saying why it is still unknown.
        """
        return self.submitter.settle(error, found, spec)

    def recovered_job(self, error: UnknownOutcomeError, found: Reconciled,
                      spec: Spec | None = None) -> Job:
        """The job ``found`` names for a lost create (``error.sent``), marked ``recovered``."""
        return self.submitter.recovered_job(error, found, spec)

    @staticmethod
    def _spec(spec: Spec | Mapping[str, Any] | str, fields: dict[str, Any]) -> Spec:
        parsed = parse_spec(spec)
        return parsed.replace(**fields) if fields else parsed

    def submit(self, spec: Spec | Mapping[str, Any] | str, **fields: Any) -> Job:
        """Validate, upload local images, and send exactly one create request."""
        return self.driver.run(self.submitter.submit_op(self._spec(spec, fields)))

    async def submit_async(self, spec: Spec | Mapping[str, Any] | str, **fields: Any) -> Job:
        """``submit`` without blocking the event loop."""
        return await self.async_driver.run(
            self.submitter.submit_op(self._spec(spec, fields)))

    def generate(self, spec: Spec | Mapping[str, Any] | str, *, timeout: float | None = None,
                 download: bool = True, progress: bool = True, **fields: Any) -> Result:
        """Submit, wait, and (by default) download: one call from spec to video(s).

        With ``quantity`` > 1 every video is downloaded (see ``Result.variants``).

        In a notebook, ``progress`` shows a live status line while a long job runs.
        """
        result = self.submit(spec, **fields).wait(timeout, progress=progress)
        if download:
            self.download_all(result)
        return result

    async def generate_async(self, spec: Spec | Mapping[str, Any] | str, *,
                             timeout: float | None = None, download: bool = True,
                             progress: bool = True, **fields: Any) -> Result:
        """``generate`` without blocking the event loop."""
        job = await self.submit_async(spec, **fields)
        result = await job.wait_async(timeout, progress=progress)
        if download:
            await self.download_all_async(result)
        return result

    # -- wait -----------------------------------------------------------------------------
    def schedule(self, job: Job) -> PollSchedule:
        """The poll schedule for a job (fast in the sandbox's fast mode)."""
        return self.scheduler.schedule(job)

    def refresh(self, job: Job) -> Status:
        """One status request for ``job``."""
        return self.scheduler.refresh(job)

    def wait(self, job: Job, *, timeout: float | None = None, progress: bool = True) -> Result:
        """Poll ``job`` on its schedule until it ends or ``timeout`` seconds pass."""
        return self.scheduler.wait(job, timeout, progress)

    async def wait_async(self, job: Job, *, timeout: float | None = None,
                         progress: bool = True) -> Result:
        """``wait`` without blocking the event loop."""
        return await self.scheduler.wait_async(job, timeout, progress)

    def wait_all(self, jobs: Sequence[Job], *, timeout: float | None = None
                 ) -> list[Result | KlingError]:
        """Wait for many jobs in this thread, each on its own schedule; errors are returned."""
        return self.scheduler.wait_all(jobs, timeout)

    async def wait_all_async(self, jobs: Sequence[Job], *, timeout: float | None = None
                             ) -> list[Result | KlingError]:
        """Wait for many jobs on the event loop (no thread per job); errors are returned."""
        return await self.scheduler.wait_all_async(jobs, timeout)

    # -- reattach, recover ----------------------------------------------------------------
    def job(self, provider: str, job_id: str, *, model: str | None = None,
            spec: Spec | None = None, submitted_at: datetime | None = None) -> Job:
        """Reattach a job by provider and id (also one submitted outside kling_nb)."""
        if provider not in PROVIDERS:
            msg = f"provider: {provider!r} is not one of {', '.join(PROVIDERS)}"
            raise ConfigError(msg)
        from .jobs import Job

        check_job_id(provider, job_id)
        key = model or (spec.key if spec else _default_model(provider))
        sandbox = self.is_sandbox(provider)
        stamp = submitted_at or datetime.fromtimestamp(self.clock(), timezone.utc)
        return Job(id=job_id, provider=provider, model=key, sandbox=sandbox, submitted_at=stamp,
                   spec=spec, client=self, fast=self.routing.fast(provider))

    def find_submitted(self, error: UnknownOutcomeError) -> list[Job]:
        """After an unknown outcome: the jobs that match what was sent (empty if none).

        Leonardo.AI: the account's latest generations whose time, prompt, model and size match
        the request. AI/ML API: the task with the request's ``external_task_id`` - a best
        effort, since the API documents lookups by ``generation_id`` only and may not support
        it (an empty list then proves nothing): also look in the AI/ML dashboard for a task
        with that external_task_id (``error.sent["json"]["external_task_id"]``).
        """
        return self.submitter.find_submitted(error)

    def account(self) -> dict[str, Any]:
        """Leonardo's ``/me``: user, ``apiConcurrencySlots`` and token balances."""
        from . import account

        return self.driver.run(account.me(self.base_url("leonardo")))

    def delete(self, job: Job) -> None:
        """Delete a Leonardo generation (``DELETE /generations/{id}``)."""
        if job.provider != "leonardo":
            msg = "only Leonardo generations can be deleted through the API"
            raise ConfigError(msg)
        from . import account

        self.driver.run(account.delete(self.base_url("leonardo"), job.id))

    # -- download -------------------------------------------------------------------------
    def download(self, result: Result, directory: str | os.PathLike[str] | None = None) -> Path:
        """Stream the video to ``directory`` (default ``kling_videos/``); returns the path.

        Only this result's own video: a job that made several (``quantity``) lists the others
        in ``result.variants``; ``download_all(result)`` fetches every one.
        """
        return self._downloaded(result, self.downloads.fetch(result, directory))

    async def download_async(self, result: Result,
                             directory: str | os.PathLike[str] | None = None) -> Path:
        """``download`` without blocking the event loop."""
        return self._downloaded(result, await self.downloads.fetch_async(result, directory))

    def download_all(self, result: Result,
                     directory: str | os.PathLike[str] | None = None) -> list[Path]:
        """Download every video of the job: ``result`` first, then ``result.variants``.

        Each video gets its own file (variants end in ``-2``, ``-3``, ...); returns the paths.
        """
        return [self.download(video, directory) for video in result.videos]

    async def download_all_async(self, result: Result,
                                 directory: str | os.PathLike[str] | None = None) -> list[Path]:
        """``download_all`` without blocking the event loop."""
        return [await self.download_async(video, directory) for video in result.videos]

    def _downloaded(self, result: Result, dest: Path) -> Path:
        """Note the file; tell the observer about the job's main video (one path per job)."""
        result.path = dest
        if result.index == 0:
            self.notify("downloaded", result, dest)
        return dest


def _default_model(provider: str) -> str:
    return next(k for k, row in MODELS.items() if row.provider == provider and not row.retired)

