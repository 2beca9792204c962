"""Which process sent a create, and whether it still runs: alive, gone, reused id, elsewhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from kling_nb.journal.senders import Sender, running, this_process


def test_this_process_runs() -> None:
    """The process running now is recorded with its host, id and start time, and runs."""
    me = this_process()
    assert me.pid == os.getpid()
    assert me.started is not None
    assert running(me) is True
    assert str(me) == f"process {me.pid} on {me.host}"


def test_a_killed_process_no_longer_runs() -> None:
    """A killed child no longer runs: first as a zombie nobody reaped, then reaped."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    me = this_process()
    import psutil

    sender = Sender(me.host, child.pid, psutil.Process(child.pid).create_time())
    assert running(sender) is True
    child.send_signal(signal.SIGKILL)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped: a zombie
    assert psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE
    assert running(sender) is False
    child.wait(10)
    assert running(sender) is False


def test_a_reused_process_id_is_another_process() -> None:
    """The same id with another start time is a new process: the sender is gone."""
    me = this_process()
    assert me.started is not None
    assert running(Sender(me.host, me.pid, me.started - 3600)) is False


def test_a_sender_on_another_host_cannot_be_checked() -> None:
    """A process on another host, or one recorded without a start time: cannot tell."""
    me = this_process()
    assert running(Sender(me.host + "-elsewhere", me.pid, me.started)) is None
    assert running(Sender(me.host, me.pid, None)) is None
