"""A process killed while its create request is out: the request is held at a served sandbox
until the sender is dead, then the job is created (its answer goes nowhere)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from kling_nb.sandbox import SLOW, SandboxServer

WORKER = Path(__file__).resolve().parent / "journal_worker.py"


class HeldCreates:
    """The sandbox's sleep for a ``slow`` create: says the request arrived, then holds it."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()

    def __call__(self, seconds: float) -> None:
        self.arrived.set()
        self.release.wait(60)


def worker_env(server: SandboxServer, key: str, journal: Path) -> dict[str, str]:
    """The worker's environment: the served sandbox and its key, named together."""
    return {**os.environ, "KLING_NB_JOURNAL": str(journal), "LEONARDO_BASE_URL": server.url,
            "LEONARDO_API_KEY": key, "PYTHONPATH": str(WORKER.parents[1])}


def crash_during_create(server: SandboxServer, held: HeldCreates, env: dict[str, str],
                        folder: Path) -> int:
    """Start a worker that submits one Kling 3.0 job, SIGKILL it while the sandbox holds its
    create request, then let the sandbox create the job; returns the dead worker's pid."""
    server.sandbox.faults.add(SLOW, route="create", delay=1.0)
    worker = subprocess.Popen([sys.executable, str(WORKER), "submit", "1", str(folder)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    arrived = held.arrived.wait(60)
    worker.send_signal(signal.SIGKILL)
    _, err = worker.communicate(timeout=10)
    assert arrived, f"the create request never arrived: {err}"
    assert worker.returncode == -signal.SIGKILL, err
    held.release.set()
    return worker.pid
