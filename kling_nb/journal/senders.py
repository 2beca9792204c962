"""Which process sent a create request, and whether it still runs.

Every intent records its sender: the host name, the process id and the process's start time
(a process id is reused once its process ends; the start time tells the new one apart). A
create request whose answer never came is only worth waiting for while its sender runs: once
the sender is gone, nothing can still be waiting for that answer, so the job is looked for at
once. psutil (imported on first use) reads process start times on every platform.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import lru_cache

START_TOLERANCE_S = 1.0
"""Start times read twice may differ by clock ticks; a reused process id starts much later."""


@dataclass(frozen=True)
class Sender:
    """The process that sent a create request: host, process id and start time."""

    host: str
    pid: int
    started: float | None

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}"


def this_process() -> Sender:
    """The process running now."""
    return _sender(os.getpid())


@lru_cache(maxsize=4)  # keyed by pid: a forked child asks again
def _sender(pid: int) -> Sender:
    return Sender(socket.gethostname(), pid, _started(pid))


def _started(pid: int) -> float | None:
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.Error, OSError):
        return None


def running(sender: Sender) -> bool | None:
    """Whether ``sender`` still runs: True, False, or None when this process cannot tell (it
    ran on another host, or its start time was not recorded)."""
    if sender.host != socket.gethostname() or sender.started is None:
        return None
    import psutil

    try:
        process = psutil.Process(sender.pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        started = float(process.create_time())
    except psutil.NoSuchProcess:
        return False
    except (psutil.Error, OSError):
        return None
    return abs(started - sender.started) <= START_TOLERANCE_S
