"""Downloads: streamed in constant memory, resumed, length-checked, renamed into place.

Bytes are written as the transport delivers them (no re-chunking buffer), so a transfer cut
short keeps every byte that arrived and the next attempt asks only for the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx

from kling_nb.core.errors import KlingError, NetworkError
from kling_nb.media import metrics
from kling_nb.media.sheets import quietly
from kling_nb.specs.results import Result

from .answers import error_from_response, provider_label
from .http import RETRY_STATUSES, RetryableError, RetryableStatusError, RetryPolicy, safe_retries

if TYPE_CHECKING:
    from .connections import Connections

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_UNSATISFIED = re.compile(r"bytes \*/(\d+)")


class _IncompleteError(RetryableError):
    """The body ended before the announced length: resume from where it stopped."""


@dataclass
class _Target:
    """The ``.part`` file a download writes into, and what the server says it should hold."""

    dest: Path
    provider: str

    @property
    def part(self) -> Path:
        return self.dest.with_name(self.dest.name + ".part")

    def offset(self) -> int:
        return self.part.stat().st_size if self.part.exists() else 0

    def headers(self) -> dict[str, str]:
        offset = self.offset()
        return {"range": f"bytes={offset}-", "accept-encoding": "identity"} if offset else {
            "accept-encoding": "identity"}

    def open(self, response: httpx.Response) -> tuple[IO[bytes] | None, int | None]:
        """Check the answer and open the part file to append to (or restart it).

        Returns no file when a 416 says the part file already holds the whole video.
        """
        status = response.status_code
        if status in RETRY_STATUSES:
            raise RetryableStatusError(response)
        if status == 416:
            return None, self._unsatisfiable(response)
        if response.is_error:
            raise error_from_response(self.provider, response, action="downloading the video")
        if status == 206:
            return self._append(response)
        length = response.headers.get("content-length")
        return self.part.open("wb"), int(length) if length and length.isdigit() else None

    def _append(self, response: httpx.Response) -> tuple[IO[bytes], int | None]:
        """A 206 continues the part file only when it starts exactly where the file ends."""
        match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
        if match is None or int(match.group(1)) != self.offset():
            self.part.unlink(missing_ok=True)
            raise _IncompleteError("the server sent another range than asked: restarting")
        return self.part.open("ab"), None if match.group(3) == "*" else int(match.group(3))

    def _unsatisfiable(self, response: httpx.Response) -> int:
        """416: the part file is complete (its size is the total), or it is wrong: restart."""
        match = _UNSATISFIED.fullmatch(response.headers.get("content-range", "").strip())
        offset = self.offset()
        if match is not None and offset and int(match.group(1)) == offset:
            return offset
        self.part.unlink(missing_ok=True)
        raise _IncompleteError("the partial file does not match the server's: restarting")

    def finish(self, total: int | None) -> Path:
        """Check the length, then rename into place (atomic on one file system)."""
        size = self.offset()
        if total is not None and size != total:
            raise _IncompleteError(f"got {size} of {total} bytes")
        if size == 0:
            raise _IncompleteError("the server sent an empty file")
        os.replace(self.part, self.dest)
        return self.dest


Progress = Callable[[int, "int | None"], None]
"""Told the bytes on disk so far and the whole size (None: not announced) when a download
starts (or resumes) and after every chunk."""


def download(http: httpx.Client, url: str, dest: Path, provider: str,
             policy: RetryPolicy, progress: Progress | None = None) -> Path:
    """Stream ``url`` to ``dest``; resumes with Range after an interruption."""
    target = _Target(dest, provider)
    dest.parent.mkdir(parents=True, exist_ok=True)

    for retry in safe_retries(policy):
        with retry:
            with http.stream("GET", url, headers=target.headers()) as response:
                file, total = target.open(response)
                if file is not None:
                    with file:
                        got = file.tell()
                        if progress is not None:
                            progress(got, total)
                        for chunk in response.iter_raw():
                            file.write(chunk)
                            if progress is not None:
                                got += len(chunk)
                                progress(got, total)
            return target.finish(total)
    raise AssertionError  # pragma: no cover - the loop always returns or raises


async def download_async(http: httpx.AsyncClient, url: str, dest: Path, provider: str,
                         policy: RetryPolicy, progress: Progress | None = None) -> Path:
    """The async twin of ``download``: same file handling, awaited reads."""
    target = _Target(dest, provider)
    dest.parent.mkdir(parents=True, exist_ok=True)
    async for retry in safe_retries(policy):
        with retry:
            async with http.stream("GET", url, headers=target.headers()) as response:
                file, total = target.open(response)
                if file is not None:
                    with file:
                        got = file.tell()
                        if progress is not None:
                            progress(got, total)
                        async for chunk in response.aiter_raw():
                            file.write(chunk)
                            if progress is not None:
                                got += len(chunk)
                                progress(got, total)
            return target.finish(total)
    raise AssertionError  # pragma: no cover


def file_safe_id(job_id: str) -> str:
    """A job id fit for a file name on every OS: an AI/ML id's ``:<model>`` tail dropped
    (``<uuid>:klingai/video-...``), anything but letters, digits, ``.``, ``_``, ``-`` as ``-``."""
    head = job_id.split(":", 1)[0] or job_id
    return re.sub(r"[^A-Za-z0-9._-]+", "-", head).strip("-.") or "job"


class Downloads:
    """Where a client's videos go, and fetching them through its connections.

    Each video gets its contact sheet beside it (``<video>.sheet.jpg``) unless ``sheets`` is
    False, and is measured (``result.metrics``: length, size, sound, motion, ... and the
    scorers registered to run on download) unless ``metrics`` is False; a file that is no
    readable video simply gets neither.
    """

    def __init__(self, connections: Connections, retry: RetryPolicy, folder: Path,
                 sheets: bool = True, notify: Callable[..., None] | None = None,
                 metrics: bool = True) -> None:
        self.connections, self.retry, self.folder = connections, retry, folder
        self.sheets, self.metrics = sheets, metrics
        self.notify = notify
        """Told ``("downloading", result, bytes so far, total)`` as each chunk is written."""

    def _progress(self, result: Result) -> Progress | None:
        notify = self.notify
        if notify is None:
            return None
        return lambda got, total: notify("downloading", result, got, total)

    def destination(self, result: Result, directory: str | os.PathLike[str] | None) -> Path:
        """``<folder>/[sandbox-]<model>-<job id>[-<n>].mp4``."""
        folder = Path(directory) if directory is not None else self.folder
        prefix = "sandbox-" if result.sandbox else ""
        slug = re.sub(r"[^a-z0-9.]+", "-", result.model.split("/")[-1].lower()).strip("-")
        number = f"-{result.index + 1}" if result.index else ""
        return folder / f"{prefix}{slug}-{file_safe_id(result.job_id)}{number}.mp4"

    def fetch(self, result: Result, directory: str | os.PathLike[str] | None) -> Path:
        """The video on disk (downloaded unless it already is)."""
        dest = self.destination(result, directory)
        written = result.path != dest or not dest.exists()
        if written:
            try:
                download(self.connections.driver.http, result.video_url, dest, result.provider,
                         self.retry, self._progress(result))
            except Exception as exc:
                raise _download_error(result, exc) from None
        if self.sheets:
            quietly(dest)
        if self._measure(result, written):
            result.metrics = metrics.quietly(dest, asked_of(result))
        return dest

    def _measure(self, result: Result, written: bool) -> bool:
        """Whether to measure the video: once per file written (a video already on disk and
        measured is not decoded again)."""
        return self.metrics and (written or result.metrics is None)

    async def fetch_async(self, result: Result, directory: str | os.PathLike[str] | None
                          ) -> Path:
        """``fetch`` without blocking the event loop."""
        dest = self.destination(result, directory)
        written = result.path != dest or not dest.exists()
        if written:
            try:
                await download_async(self.connections.async_driver.http, result.video_url,
                                     dest, result.provider, self.retry, self._progress(result))
            except Exception as exc:
                raise _download_error(result, exc) from None
        import asyncio  # not at import time: a first import of kling_nb skips asyncio

        if self.sheets:
            await asyncio.to_thread(quietly, dest)
        if self._measure(result, written):
            result.metrics = await asyncio.to_thread(metrics.quietly, dest, asked_of(result))
        return dest


def asked_of(result: Result) -> metrics.Asked:
    """What a result says was asked: its length and size (the journal adds the sound)."""
    size = (result.width, result.height) if result.width and result.height else None
    return metrics.Asked(seconds=result.duration, size=size)


def _download_error(result: Result, exc: Exception) -> KlingError:
    if isinstance(exc, KlingError):
        return exc
    name = provider_label(result.provider, sandbox=result.sandbox)
    return NetworkError(f"downloading the video failed after retries ({exc}); the partial file "
                        "is kept and the next download resumes it",
                        provider=name, job_id=result.job_id)
