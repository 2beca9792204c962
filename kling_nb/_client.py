"""The client: upload images, submit jobs, wait for them and download the videos.

With no API key for a provider, the client uses the embedded sandbox for it (an offline
emulator that renders real MP4s) and marks every job and result as a sandbox one.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import os
import re
import threading
import time
import uuid
import warnings
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
from pydantic_core import PydanticCustomError

from . import _download
from . import _operations as ops
from ._catalogue import MODELS, parse_spec
from ._config import PROVIDERS, ProviderConfig, Secret, is_loopback, read_env_file, resolve
from ._errors import (
    ConfigError,
    ImageError,
    JobFailedError,
    JournalError,
    KlingError,
    NetworkError,
    UnknownOutcomeError,
)
from ._http import AsyncDriver, RetryPolicy, Sleep, Step, SyncDriver, provider_label
from ._imagecheck import check_image, warn_on_aspect
from ._images import ImageFile, ImageRef, _check_id
from ._observer import JobObserver, default_observer
from ._polling import PollSchedule
from ._results import Cost, Result, Status
from ._spec import KEY_VARIABLES, PROVIDER_NAMES, PROVIDER_URLS, Spec

DEFAULT_DOWNLOAD_DIR = Path("kling_videos")


class RetiredModelWarning(UserWarning):
    """A live request for a model its provider has retired."""


class ObserverWarning(UserWarning):
    """The job observer (e.g. the journal) failed; the job itself went on."""


_DEFAULT_SANDBOX: Any = None


def default_sandbox() -> Any:
    """The process-wide in-process sandbox every keyless client shares."""
    global _DEFAULT_SANDBOX
    if _DEFAULT_SANDBOX is None:
        from .sandbox import Sandbox

        _DEFAULT_SANDBOX = Sandbox()
    return _DEFAULT_SANDBOX


@dataclass(eq=False)
class Job:
    """A submitted generation: its id, status and (once done) result."""

    id: str
    provider: str
    model: str
    sandbox: bool
    submitted_at: datetime
    spec: Spec | None = None
    cost: Cost | None = None
    status: Status = Status.PENDING
    result: Result | None = None
    failure: str | None = None
    external_task_id: str | None = None
    client: Client | None = field(default=None, repr=False)
    fast: bool = field(default=False, repr=False)
    watchers: list[Callable[[], None]] = field(default_factory=list, repr=False)
    """Called after every status answer (e.g. a live line in the notebook)."""

    @property
    def done(self) -> bool:
        """Whether the job has ended."""
        return self.status.done

    @property
    def resume_code(self) -> str:
        """The line of Python that picks this job up again."""
        return f'client.job("{self.provider}", "{self.id}", model="{self.model}").wait()'

    @property
    def elapsed(self) -> float:
        """Seconds since the job was submitted."""
        clock = self.client.clock if self.client else time.time
        return max(clock() - self.submitted_at.timestamp(), 0.0)

    def observe(self, snap: ops.Snapshot) -> None:
        """Take in one status answer."""
        self.status = snap.status
        self.cost = self.cost or snap.cost
        self.sandbox = self.sandbox or snap.sandbox  # the server said it is the sandbox
        self.fast = self.fast or snap.sandbox_timing == "fast"
        if snap.status is Status.COMPLETE and self.result is None:
            self.result = ops.result_of(self, snap)
        if snap.status is Status.FAILED:
            self.failure = snap.failure
        for watcher in list(self.watchers):
            watcher()
        if self.client is not None:
            self.client.notify("status", self)
            if self.done:
                self.client.notify("finished", self)

    def _owner(self) -> Client:
        if self.client is None:
            msg = "this job is not attached to a client: use client.job(provider, id)"
            raise KlingError(msg)
        return self.client

    def refresh(self) -> Status:
        """Ask the API once for the job's status."""
        return self._owner().refresh(self)

    def wait(self, timeout: float | None = None, *, progress: bool = True) -> Result:
        """Block until the job is done; raises ``JobFailedError`` or ``JobTimeoutError``.

        In a notebook, ``progress`` shows a live status line while a long job runs.
        """
        return self._owner().wait(self, timeout=timeout, progress=progress)

    async def wait_async(self, timeout: float | None = None, *, progress: bool = True
                         ) -> Result:
        """Await the job without blocking the event loop (notebooks can ``await``)."""
        return await self._owner().wait_async(self, timeout=timeout, progress=progress)

    def __await__(self) -> Generator[Any, None, Result]:
        return self.wait_async().__await__()

    def download(self, directory: str | os.PathLike[str] | None = None) -> Path:
        """Wait if needed, then download the video; returns the local path.

        Only the main video: ``client.download_all(job.result)`` fetches every one.
        """
        result = self.result or self.wait()
        return self._owner().download(result, directory)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ._display import mimebundle

        return mimebundle(self, include, exclude)

    def __str__(self) -> str:
        mark = " [SANDBOX]" if self.sandbox else ""
        cost = f", {self.cost}" if self.cost else ""
        name = MODELS[self.model].name if self.model in MODELS else self.model
        return f"{name} job {self.id}: {self.status.value}{cost}{mark}"


class Client:
    """Submit Kling jobs to Leonardo.AI and the AI/ML API - or to the offline sandbox.

    Keys come from the arguments, the environment (``LEONARDO_API_KEY``, ``AIMLAPI_API_KEY``)
    or a ``.env`` file; a provider without a key uses the sandbox. ``sandbox=True`` forces the
    sandbox for both (or pass a ``kling_nb.sandbox.Sandbox``). Hosts can be overridden with
    ``leonardo_base_url``/``aimlapi_base_url`` or ``LEONARDO_BASE_URL``/``AIMLAPI_BASE_URL``.
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
        poll: PollSchedule | Callable[[Spec | None, int], PollSchedule] | None = None,
        journal: JobObserver | bool | None = None,
    ) -> None:
        env = dict(os.environ if environ is None else environ)
        env_values = {} if env_file is False else read_env_file(
            None if env_file is True else env_file)
        keys = {"leonardo": leonardo_key, "aimlapi": aimlapi_key}
        urls = {"leonardo": leonardo_base_url, "aimlapi": aimlapi_base_url}
        self.configs: dict[str, ProviderConfig] = {
            p: resolve(p, key=keys[p], base_url=urls[p], environ=env, env_file=env_values)
            for p in PROVIDERS
        }
        self._sandbox = self._pick_sandbox(_sandbox_choice(sandbox, env))
        self.download_dir = Path(download_dir)
        self.timeout = timeout if timeout is not None else httpx.Timeout(30.0, connect=10.0)
        self.retry = retry or RetryPolicy()
        self.clock, self.sleep = clock, sleep
        self._poll = poll
        self.observer: JobObserver = (
            journal if isinstance(journal, JobObserver)
            else JobObserver() if journal is False else default_observer()
        )
        self._transport, self._async_transport = transport, async_transport
        self._sync: SyncDriver | None = None
        self._async: dict[asyncio.AbstractEventLoop, _LoopDriver] = {}

    # -- configuration ------------------------------------------------------------------------
    def _pick_sandbox(self, sandbox: bool | Any | None) -> dict[str, Any]:
        """Which providers run in the in-process sandbox, and which sandbox."""
        if sandbox is False:
            for config in self.configs.values():
                self._require_key(config)
            return {}
        if sandbox is True or sandbox is not None:
            chosen = default_sandbox() if sandbox is True else sandbox
            return dict.fromkeys(PROVIDERS, chosen)
        for config in self.configs.values():
            if not self._keyless(config):
                self._require_key(config)
        return {p: default_sandbox() for p, c in self.configs.items() if self._keyless(c)}

    @staticmethod
    def _keyless(config: ProviderConfig) -> bool:
        default = config.base_url == PROVIDER_URLS[config.provider]
        return config.key is None and default

    @staticmethod
    def _require_key(config: ProviderConfig) -> None:
        if config.key is None and not is_loopback(httpx.URL(config.base_url).host):
            variable = KEY_VARIABLES[config.provider]
            msg = (f"no API key for {config.name}: set {variable} (environment or .env), "
                   "pass it to Client(), or leave sandbox unset to use the sandbox")
            raise ConfigError(msg)

    def mode(self, provider: str) -> str:
        """``sandbox`` (in-process emulator) or ``live`` for a provider."""
        return "sandbox" if provider in self._sandbox else "live"

    def is_sandbox(self, provider: str) -> bool:
        """Whether a provider's jobs run in the in-process sandbox."""
        return provider in self._sandbox

    def base_url(self, provider: str) -> str:
        """The scheme, host and port requests for ``provider`` go to."""
        if provider in self._sandbox:
            from .sandbox import AIMLAPI_SANDBOX_URL, LEONARDO_SANDBOX_URL

            return LEONARDO_SANDBOX_URL if provider == "leonardo" else AIMLAPI_SANDBOX_URL
        return self.configs[provider].base_url

    def __repr__(self) -> str:
        parts = []
        for provider, config in self.configs.items():
            if provider in self._sandbox:
                parts.append(f"{provider}=sandbox")
            else:
                source = f"key from {config.key_source}" if config.key else "no key"
                parts.append(f"{provider}=live ({config.base_url}, {source})")
        return f"<kling_nb.Client {', '.join(parts)}>"

    def notify(self, hook: str, *args: Any) -> None:
        """Tell the observer; a failing observer warns but never loses a submitted job."""
        try:
            getattr(self.observer, hook)(*args)
        except Exception as exc:  # the job matters more than its record
            warnings.warn(f"the job observer failed in {hook}: {type(exc).__name__}: {exc}",
                          ObserverWarning, stacklevel=3)

    # -- HTTP ---------------------------------------------------------------------------------
    def _keys(self) -> dict[str, Secret | None]:
        keys: dict[str, Secret | None] = {}
        for provider, config in self.configs.items():
            key = config.key
            if key is None and (provider in self._sandbox or is_loopback(
                    httpx.URL(config.base_url).host)):
                key = Secret("sandbox")
            keys[provider] = key
        return keys

    def _mounts(self, async_: bool) -> dict[str, Any]:
        mounts: dict[str, Any] = {}
        for sandbox in {id(s): s for s in self._sandbox.values()}.values():
            from .sandbox import (
                AIMLAPI_SANDBOX_URL,
                CDN_SANDBOX_URL,
                LEONARDO_SANDBOX_URL,
                UPLOADS_SANDBOX_URL,
            )

            transport = sandbox.async_transport() if async_ else sandbox.transport()
            for url in (LEONARDO_SANDBOX_URL, AIMLAPI_SANDBOX_URL, CDN_SANDBOX_URL,
                        UPLOADS_SANDBOX_URL):
                mounts[url.replace("https://", "all://")] = transport
        return mounts

    @property
    def driver(self) -> SyncDriver:
        """The blocking driver (created on first use)."""
        if self._sync is None:
            http = httpx.Client(transport=self._transport, mounts=self._mounts(False),
                                timeout=self.timeout, follow_redirects=True)
            weakref.finalize(self, http.close)  # notebooks rarely close clients
            self._sync = SyncDriver(http, self._keys(), self.retry, self.sleep)
        return self._sync

    @property
    def async_driver(self) -> AsyncDriver:
        """The async driver of the running event loop (connections belong to one loop).

        Each loop gets its own, closed when that loop shuts down (``asyncio.run`` ends, e.g.
        after each click of the widgets' thread mode); ``aclose`` closes them all.
        """
        loop = asyncio.get_running_loop()
        for other, held in list(self._async.items()):
            if other is not loop and not other.is_running():
                held.retire()  # an idle loop (maybe never run again) or a closed one
            if held.closed or other.is_closed():
                self._async.pop(other, None)
        current = self._async.get(loop)
        if current is None:
            http = httpx.AsyncClient(transport=self._async_transport,
                                     mounts=self._mounts(True), timeout=self.timeout,
                                     follow_redirects=True)
            current = self._async[loop] = _LoopDriver(
                AsyncDriver(http, self._keys(), self.retry), loop)
        return current.driver

    def close(self) -> None:
        """Close the connections (the client can still be used: they reopen)."""
        if self._sync is not None:
            self._sync.http.close()
            self._sync = None

    async def aclose(self) -> None:
        """Close the async connections (those of other event loops too, as far as possible)."""
        held, self._async = self._async, {}
        loop = asyncio.get_running_loop()
        for other, driver in held.items():
            if other is loop:
                await driver.aclose()
            else:
                driver.retire()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
        self.close()

    # -- images -------------------------------------------------------------------------------
    def upload_image(self, image: Any, *, provider: str = "leonardo") -> ImageRef:
        """Upload a local file, bytes, PIL image or https URL to Leonardo; returns its ref."""
        from pydantic import ValidationError

        from ._images import coerce_image

        try:
            ref = coerce_image(image)
        except ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors())
            raise ImageError(f"cannot upload this image: {reason}") from None
        if isinstance(ref, ImageRef):
            return ref
        return self.driver.run(self._upload_op(ref, None, provider))

    def _upload_op(self, image: ImageFile, size: tuple[int | None, int | None] | None,
                   provider: str, name: str | None = None) -> Step[ImageRef]:
        data = yield from self._image_bytes(image, provider)
        info = check_image(data, _label(image, name))
        if size:
            warn_on_aspect(info, size[0], size[1], image.label)
        return (yield from ops.upload(self.base_url("leonardo"), data, info.extension, info.mime))

    def _image_bytes(self, image: ImageFile, provider: str) -> Step[bytes]:
        if image.url is not None:
            return (yield from ops.fetch_image(image.url, provider))
        try:
            return image.read()
        except OSError as exc:
            msg = f"cannot read {image.label}: {exc.strerror or exc}"
            raise ImageError(msg) from None

    def _prepare(self, spec: Spec) -> Step[Spec]:
        """Upload (Leonardo) or encode (AI/ML) the spec's local images; set a task id."""
        changes: dict[str, Any] = {}
        size = (getattr(spec, "width", None), getattr(spec, "height", None))
        self._check_local_images(spec)
        for name, value in spec.values().items():
            if isinstance(value, ImageFile):
                changes[name] = yield from self._resolve(spec, value, size, name)
            elif isinstance(value, list) and any(isinstance(v, ImageFile) for v in value):
                resolved = []
                for item in value:
                    is_file = isinstance(item, ImageFile)
                    resolved.append((yield from self._resolve(spec, item, None, name))
                                    if is_file else item)
                changes[name] = resolved
        if spec.provider == "aimlapi" and getattr(spec, "external_task_id", "") is None:
            changes["external_task_id"] = f"kling-nb-{uuid.uuid4()}"
        return spec.replace(**changes) if changes else spec

    def _check_local_images(self, spec: Spec) -> None:
        """Check every local image before the first upload: a bad second image sends nothing."""
        for name, value in spec.values().items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, ImageFile) and item.url is None:
                    try:
                        data = item.read()
                    except OSError as exc:
                        msg = f"cannot read {_label(item, name)}: {exc.strerror or exc}"
                        raise ImageError(msg) from None
                    check_image(data, _label(item, name))

    def _resolve(self, spec: Spec, image: ImageFile, size: tuple[int | None, int | None] | None,
                 name: str) -> Step[Any]:
        if spec.provider == "leonardo":
            return (yield from self._upload_op(image, size, "leonardo", name))
        if image.url is not None:
            return image.url
        data = yield from self._image_bytes(image, spec.provider)
        info = check_image(data, _label(image, name))
        if size:
            warn_on_aspect(info, size[0], size[1], image.label)
        return ImageFile(data=data)

    # -- submit ---------------------------------------------------------------------------------
    def _spec(self, spec: Spec | Mapping[str, Any] | str, fields: dict[str, Any]) -> Spec:
        parsed = parse_spec(spec)
        return parsed.replace(**fields) if fields else parsed

    def _warn_retired(self, spec: Spec) -> None:
        row = MODELS[spec.key]
        if row.retired and not self.is_sandbox(spec.provider):
            warnings.warn(row.notice or "", RetiredModelWarning, stacklevel=4)

    def _submit_op(self, spec: Spec) -> Step[Job]:
        self._warn_retired(spec)
        ready = yield from self._prepare(spec)
        base = self.base_url(spec.provider)
        handle = self._intent(ready, ready.to_request(base).to_dict())
        try:
            created = yield from ops.create(ready, base)
        except UnknownOutcomeError as exc:
            self.notify("unknown", handle, exc)
            raise
        except KlingError as exc:
            self.notify("rejected", handle, exc)
            raise
        job = self._job_from(ready, created)
        self.notify("submitted", handle, job)
        return job

    def _intent(self, spec: Spec, request: dict[str, Any]) -> str | None:
        """Record the request before it goes out; a request that cannot be recorded is not sent.

        (A job the journal never heard of could not be found again after a crash.)
        """
        try:
            return self.observer.intent(spec, request)
        except Exception as exc:
            chain = [self.observer, *getattr(self.observer, "observers", ())]
            path = next((o.path for o in chain if getattr(o, "path", None)), None)
            where = f"the job journal ({path})" if path else "the job observer"
            msg = (f"{where} could not record the {spec.display_name} request, so it was "
                   f"not sent: no job was created and nothing was billed "
                   f"({type(exc).__name__}: {exc}). Fix or free the journal file, or turn the "
                   "journal off with KLING_NB_JOURNAL=off (environment) or "
                   "Client(journal=False)")
            raise JournalError(msg) from exc

    def _job_from(self, spec: Spec, created: ops.Created) -> Job:
        sandbox = self.is_sandbox(spec.provider) or created.sandbox
        fast = created.sandbox_timing == "fast" or (
            self.is_sandbox(spec.provider) and self._sandbox[spec.provider].timing == "fast")
        return Job(id=created.job_id, provider=spec.provider, model=spec.key, sandbox=sandbox,
                   submitted_at=datetime.fromtimestamp(self.clock(), timezone.utc), spec=spec,
                   cost=created.cost, external_task_id=getattr(spec, "external_task_id", None),
                   client=self, fast=fast)

    def submit(self, spec: Spec | Mapping[str, Any] | str, **fields: Any) -> Job:
        """Validate, upload local images, and send exactly one create request."""
        return self.driver.run(self._submit_op(self._spec(spec, fields)))

    async def submit_async(self, spec: Spec | Mapping[str, Any] | str, **fields: Any) -> Job:
        """``submit`` without blocking the event loop."""
        return await self.async_driver.run(self._submit_op(self._spec(spec, fields)))

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

    # -- wait -----------------------------------------------------------------------------------
    def schedule(self, job: Job) -> PollSchedule:
        """The poll schedule for a job (fast in the sandbox's fast mode)."""
        if job.fast:
            return PollSchedule.fast()
        duration = int(getattr(job.spec, "duration", 5) or 5)
        if isinstance(self._poll, PollSchedule):
            return self._poll
        if self._poll is not None:
            return self._poll(job.spec, duration)
        learned = self.observer.expected_seconds(job.model, duration)
        return PollSchedule.learned(learned) if learned else PollSchedule.for_duration(duration)

    def _plan(self, job: Job, timeout: float | None) -> ops.WaitPlan:
        schedule = self.schedule(job)
        return ops.WaitPlan(schedule, schedule.deadline() if timeout is None else timeout,
                            self.clock)

    def _finish(self, job: Job) -> Result:
        if job.status is Status.FAILED:
            raise JobFailedError(f"the job failed: {job.failure}",
                                 provider=provider_label(job.provider, sandbox=job.sandbox),
                                 job_id=job.id)
        assert job.result is not None
        return job.result

    def refresh(self, job: Job) -> Status:
        """One status request for ``job``."""
        job.observe(self.driver.run(ops.status(job.provider, self.base_url(job.provider),
                                               job.id)))
        return job.status

    def wait(self, job: Job, *, timeout: float | None = None, progress: bool = True) -> Result:
        """Poll ``job`` on its schedule until it ends or ``timeout`` seconds pass."""
        if not job.done:
            with _live_line(job, progress):
                self.driver.run(ops.wait(job, self.base_url(job.provider),
                                         self._plan(job, timeout)))
        return self._finish(job)

    async def wait_async(self, job: Job, *, timeout: float | None = None,
                         progress: bool = True) -> Result:
        """``wait`` without blocking the event loop."""
        if not job.done:
            op = ops.wait(job, self.base_url(job.provider), self._plan(job, timeout))
            with _live_line(job, progress):
                await self.async_driver.run(op)
        return self._finish(job)

    def wait_all(self, jobs: Sequence[Job], *, timeout: float | None = None
                 ) -> list[Result | KlingError]:
        """Wait for many jobs in this thread, each on its own schedule; errors are returned."""
        return _Multiplexer(self, jobs, timeout).run()

    async def wait_all_async(self, jobs: Sequence[Job], *, timeout: float | None = None
                             ) -> list[Result | KlingError]:
        """Wait for many jobs on the event loop (no thread per job); errors are returned."""
        async def one(job: Job) -> Result | KlingError:
            try:
                return await self.wait_async(job, timeout=timeout)
            except KlingError as exc:
                return exc

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    # -- reattach, recover ----------------------------------------------------------------------
    def job(self, provider: str, job_id: str, *, model: str | None = None,
            spec: Spec | None = None, submitted_at: datetime | None = None) -> Job:
        """Reattach a job by provider and id (also one submitted outside kling_nb)."""
        if provider not in PROVIDERS:
            msg = f"provider: {provider!r} is not one of {', '.join(PROVIDERS)}"
            raise ConfigError(msg)
        check_job_id(provider, job_id)
        key = model or (spec.key if spec else _default_model(provider))
        sandbox = self.is_sandbox(provider)
        fast = sandbox and self._sandbox[provider].timing == "fast"
        stamp = submitted_at or datetime.fromtimestamp(self.clock(), timezone.utc)
        return Job(id=job_id, provider=provider, model=key, sandbox=sandbox, submitted_at=stamp,
                   spec=spec, client=self, fast=fast)

    def find_submitted(self, error: UnknownOutcomeError) -> list[Job]:
        """After an unknown outcome: the jobs that match what was sent (empty if none).

        Leonardo.AI: the account's latest generations whose time, prompt, model and size match
        the request. AI/ML API: the task with the request's ``external_task_id`` - a best
        effort, since the API documents lookups by ``generation_id`` only and may not support
        it (an empty list then proves nothing): also look in the AI/ML dashboard for a task
        with that external_task_id (``error.sent["json"]["external_task_id"]``).
        """
        sent = error.sent
        row = MODELS.get(str(sent.get("model")))
        provider = row.provider if row else "leonardo"
        try:
            spec: Spec | None = parse_spec(sent.get("json") or {})
        except KlingError:
            spec = None
        base = self.base_url(provider)
        if provider == "aimlapi":
            task = (sent.get("json") or {}).get("external_task_id")
            ids = self.driver.run(ops.find_aiml(base, task)) if task else []
        else:
            ids = self.driver.run(ops.find_leonardo(base, sent))
        return [self.job(provider, i, model=sent.get("model"), spec=spec) for i in ids]

    def account(self) -> dict[str, Any]:
        """Leonardo's ``/me``: user, ``apiConcurrencySlots`` and token balances."""
        return self.driver.run(ops.me(self.base_url("leonardo")))

    def delete(self, job: Job) -> None:
        """Delete a Leonardo generation (``DELETE /generations/{id}``)."""
        if job.provider != "leonardo":
            msg = "only Leonardo generations can be deleted through the API"
            raise ConfigError(msg)
        self.driver.run(ops.delete(self.base_url("leonardo"), job.id))

    # -- download -------------------------------------------------------------------------------
    def _destination(self, result: Result, directory: str | os.PathLike[str] | None) -> Path:
        folder = Path(directory) if directory is not None else self.download_dir
        prefix = "sandbox-" if result.sandbox else ""
        slug = re.sub(r"[^a-z0-9.]+", "-", result.model.split("/")[-1].lower())
        number = f"-{result.index + 1}" if result.index else ""
        return folder / f"{prefix}{slug}-{result.job_id}{number}.mp4"

    def download(self, result: Result, directory: str | os.PathLike[str] | None = None) -> Path:
        """Stream the video to ``directory`` (default ``kling_videos/``); returns the path.

        Only this result's own video: a job that made several (``quantity``) lists the others
        in ``result.variants``; ``download_all(result)`` fetches every one.
        """
        dest = self._destination(result, directory)
        if result.path != dest or not dest.exists():
            try:
                _download.download(self.driver.http, result.video_url, dest, result.provider,
                                   self.retry)
            except Exception as exc:
                raise _download_error(result, exc) from None
        result.path = dest
        self._downloaded(result, dest)
        return dest

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

    def _downloaded(self, result: Result, dest: Path) -> None:
        """Tell the observer about the job's main video (the journal keeps one path per job)."""
        if result.index == 0:
            self.notify("downloaded", result, dest)

    async def download_async(self, result: Result,
                             directory: str | os.PathLike[str] | None = None) -> Path:
        """``download`` without blocking the event loop."""
        dest = self._destination(result, directory)
        if result.path != dest or not dest.exists():
            try:
                await _download.download_async(self.async_driver.http, result.video_url, dest,
                                               result.provider, self.retry)
            except Exception as exc:
                raise _download_error(result, exc) from None
        result.path = dest
        self._downloaded(result, dest)
        return dest


SANDBOX_VARIABLE = "KLING_NB_SANDBOX"


def _sandbox_choice(sandbox: bool | Any | None, env: Mapping[str, str]) -> bool | Any | None:
    """``KLING_NB_SANDBOX=1`` forces the sandbox (Binder, demos) unless the caller chose."""
    if sandbox is None and env.get(SANDBOX_VARIABLE, "").strip().lower() in {"1", "true", "yes"}:
        return True
    return sandbox


def _label(image: ImageFile, name: str | None) -> str:
    """How an image is named in messages: the spec field and the file, URL or bytes."""
    return f"{name}: {image.label}" if name else image.label


def check_job_id(provider: str, job_id: object) -> None:
    """Refuse what cannot be a job id (a docs placeholder, a path, spaces) before sending.

    Placeholders and Leonardo's id alphabet are judged as for asset ids (``_images._check_id``).
    """
    text = job_id if isinstance(job_id, str) else ""
    name = PROVIDER_NAMES[provider]
    try:
        _check_id(text)
        problem = None
    except PydanticCustomError as exc:
        problem = exc.type
    if text and problem == "placeholder":
        msg = (f"job id: {job_id!r} is a placeholder from the docs: put the real id there "
               "(job.id, as printed by submit)")
        raise ConfigError(msg)
    other_ok = bool(text) and text.isascii() and text.isprintable() and not any(
        c.isspace() for c in text)
    leonardo_ok = other_ok and problem is None and ".." not in text
    if not (leonardo_ok if provider == "leonardo" else other_ok):
        allowed = ("letters, digits, '-', '_', '.' and ':'" if provider == "leonardo"
                   else "printable characters without spaces")
        msg = f"job id: {job_id!r} is not a {name} job id (allowed: {allowed})"
        raise ConfigError(msg)


def _default_model(provider: str) -> str:
    return next(k for k, row in MODELS.items() if row.provider == provider and not row.retired)


@contextlib.contextmanager
def _live_line(job: Job, enabled: bool) -> Iterator[None]:
    """In a notebook, one live status line while a job that takes minutes is waited for.

    Not for the sandbox's fast mode: those jobs end at the next status request.
    """
    from ._display import live_display

    refresh = live_display(job) if enabled and not job.fast else None
    if refresh is None:
        yield
        return
    job.watchers.append(refresh)
    try:
        yield
    finally:
        job.watchers.remove(refresh)
        refresh(force=True)


def _download_error(result: Result, exc: Exception) -> KlingError:
    if isinstance(exc, KlingError):
        return exc
    name = provider_label(result.provider, sandbox=result.sandbox)
    return NetworkError(f"downloading the video failed after retries ({exc}); the partial file "
                        "is kept and the next download resumes it",
                        provider=name, job_id=result.job_id)


class _LoopDriver:
    """An async driver and the event loop its connections belong to.

    An httpx connection pool can only be closed on its own loop. So the driver closes itself
    when that loop shuts down: a started async generator is registered with the loop, and
    ``loop.shutdown_asyncgens()`` (run by ``asyncio.run`` before it closes the loop) finishes
    it, which closes the pool while the loop still runs.
    """

    def __init__(self, driver: AsyncDriver, loop: asyncio.AbstractEventLoop) -> None:
        self.driver, self.loop = driver, loop
        self.closed = False
        self._guard = self._close_at_shutdown()
        # Start the generator now (it suspends at once): the running loop's first-iteration
        # hook adds it to the generators that loop finishes when it shuts down.
        with contextlib.suppress(StopIteration):
            self._guard.asend(None).send(None)

    async def _close_at_shutdown(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connections (on ``self.loop``)."""
        if not self.closed:
            self.closed = True
            await self.driver.http.aclose()

    def retire(self) -> None:
        """Close from outside the driver's loop, as far as that loop allows.

        A loop running in another thread closes the pool itself; an idle loop is run just for
        that (in a helper thread, since this one may be running a loop). A closed loop closed
        the pool when it shut down (``asyncio.run``), or - closed without shutting down its
        async generators - can run nothing any more: the OS frees those sockets.
        """
        if self.closed or self.loop.is_closed():
            return
        if self.loop.is_running():
            asyncio.run_coroutine_threadsafe(self.aclose(), self.loop)
            return
        def close_there() -> None:
            with contextlib.suppress(RuntimeError):  # the loop was started meanwhile
                self.loop.run_until_complete(self.aclose())

        helper = threading.Thread(target=close_there, name="kling-nb-close", daemon=True)
        helper.start()
        helper.join(timeout=5.0)


class _Multiplexer:
    """Waits for many jobs in one thread: each job's next poll is due at its own time."""

    def __init__(self, client: Client, jobs: Sequence[Job], timeout: float | None) -> None:
        self.client, self.jobs, self.timeout = client, list(jobs), timeout
        self.results: dict[int, Result | KlingError] = {}
        """Each job's outcome by its index; every job gets one (its wait ends or raises)."""

    def run(self) -> list[Result | KlingError]:
        queue: list[tuple[float, int, Any]] = []
        for index, job in enumerate(self.jobs):
            op = ops.wait(job, self.client.base_url(job.provider),
                          self.client._plan(job, self.timeout))
            self._advance(queue, index, op, None)
        while queue:
            due, index, op = heapq.heappop(queue)
            pause = due - self.client.clock()
            if pause > 0:
                self.client.sleep(pause)
            self._advance(queue, index, op, None)
        return [self.results[index] for index in range(len(self.jobs))]

    def _advance(self, queue: list[tuple[float, int, Any]], index: int, op: Any,
                 answer: Any) -> None:
        job = self.jobs[index]
        try:
            step = op.send(answer)
            while not isinstance(step, Sleep):
                step = op.send(self.client.driver.send(step))
            heapq.heappush(queue, (self.client.clock() + step.seconds, index, op))
        except StopIteration:
            try:
                self.results[index] = self.client._finish(job)
            except KlingError as exc:
                self.results[index] = exc
        except KlingError as exc:
            self.results[index] = exc

