"""A separate process for the fault-tolerance tests, killed with SIGKILL at chosen moments.

The journal path comes from ``KLING_NB_JOURNAL``; the sandbox server and key from
``LEONARDO_BASE_URL``/``AIMLAPI_BASE_URL`` and ``LEONARDO_API_KEY``/``AIMLAPI_API_KEY``::

    python fault_worker.py submit DIR          # submit 6 jobs, print SUBMITTED ids, wait
    python fault_worker.py resume-slowly DIR   # resume; the first download stalls half-way
                                               # and prints PART <path of the .part file>
    python fault_worker.py resume DIR          # resume everything, print a JSON report
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from PIL import Image

import kling_nb as kn
from kling_nb.journal.journal import Journal

FAST = kn.PollSchedule((0.0, 0.0), min_interval=0.05, max_interval=0.1)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (40, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def specs() -> list[kn.Spec]:
    """Six jobs on every route: Leonardo v2 and v1 (with an upload), AI/ML; 5 s and 10 s."""
    return [
        kn.Kling30(prompt="killed worker: v2 short", duration=5, width=1920, height=1080),
        kn.Kling25Turbo(prompt="killed worker: v1 short", duration=5, start_frame=_png()),
        kn.parse_spec({"model": "aimlapi/kling-2.1-pro", "prompt": "killed worker: aiml short",
                       "start_frame": _png(), "duration": 5}),
        kn.Kling30(prompt="killed worker: v2 long", duration=10, width=1920, height=1080),
        kn.Kling25Turbo(prompt="killed worker: v1 long", duration=10, start_frame=_png()),
        kn.parse_spec({"model": "aimlapi/kling-2.1-pro", "prompt": "killed worker: aiml long",
                       "start_frame": _png(), "duration": 10}),
    ]


class _Stall(httpx.SyncByteStream):
    """Half the video, then a stall (the test kills the process during it)."""

    def __init__(self, body: bytes, folder: Path) -> None:
        self.body, self.folder = body, folder

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[:len(self.body) // 2]
        parts = sorted(self.folder.glob("*.part"))
        print(f"PART {parts[0] if parts else ''}", flush=True)
        time.sleep(120)
        yield self.body[len(self.body) // 2:]


class SlowDownloads(httpx.BaseTransport):
    """A real HTTP transport whose video downloads stall half-way."""

    def __init__(self, folder: Path) -> None:
        self.inner, self.folder = httpx.HTTPTransport(), folder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward; stall video bodies."""
        response = self.inner.handle_request(request)
        if "/videos/" not in request.url.path or response.status_code not in (200, 206):
            return response
        body = response.read()
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Stall(body, self.folder), request=request)


def _client(journal: Journal, folder: Path, slow: bool = False) -> kn.Client:
    transport = SlowDownloads(folder) if slow else None
    return kn.Client(journal=journal, download_dir=folder, poll=FAST, env_file=False,
                     transport=transport)


def main(argv: list[str]) -> None:
    """Dispatch on the first argument."""
    mode, folder = argv[0], Path(argv[1])
    journal = Journal()
    if mode == "submit":
        client = _client(journal, folder)
        jobs = [client.submit(spec) for spec in specs()]
        print("SUBMITTED " + " ".join(job.id for job in jobs), flush=True)
        client.wait_all(jobs)
        print("WAITED", flush=True)  # the test kills us before this
    elif mode == "resume-slowly":
        journal.resume(_client(journal, folder, slow=True), timeout=1.0)
        print("RESUMED", flush=True)  # the test kills us before this
    else:
        report = journal.resume(_client(journal, folder))
        print(json.dumps({"results": [r.job_id for r in report],
                          "paths": [str(r.path) for r in report],
                          "errors": [f"{job}: {e}" for job, e in report.errors],
                          "unknown": len(report.unknown)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
