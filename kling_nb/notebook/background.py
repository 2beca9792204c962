"""Background work for widgets: a coroutine on the kernel's loop, and a debouncer.

Waiting without freezing the kernel
-----------------------------------
Generate submits through the client and then waits in an **asyncio task on the kernel's own
event loop** (``asyncio.get_running_loop().create_task(...)``, started from the button's click
handler, which ipykernel runs inside that loop). The task awaits ``client.submit_async`` and
``client.wait_async`` and, while waiting, refreshes the progress line once a second. It only
ever *assigns widget traits* (``HTML.value``, ``Button.disabled``, ``Output.outputs``): those
are comm messages, which the front end applies whatever cell is running or not. It never uses
the ``Output`` context manager (``with out:``) and never prints: capturing that way depends on
the kernel's "current parent message", which a background task or thread does not own.

Why a task and not a thread, and why no ``with out:`` - what we checked:

* ipykernel 7 moved shell-message handling to a separate thread (subshells) and changed how
  output from other threads is routed: 7.0.0 broke widget updates and display from threads
  (jupyter-widgets/ipywidgets#4001, ipython/ipykernel#1450 and #1451; nutpie#248 lost its
  progress bar), and since 7.0.2 output printed from a thread only reaches the right cell if
  the thread calls ``get_ipython().set_parent(parent)`` itself (jupyter-widgets/ipywidgets#4020).
* ``with out:`` inside a coroutine after an ``await`` captures nothing or the wrong cell
  (jupyter-widgets/ipywidgets#3993, #2567, #2231); the ipywidgets docs' "Interacting with
  output widgets from background threads" recommends ``append_*``/``outputs`` instead.
* Tasks on the kernel loop: ipython/ipykernel#1510 (and ipywidgets#4012) report that on some
  7.x releases a task created in a cell only advanced when the next cell ran. We checked the
  installed ipykernel 7.4.0 with a real kernel (jupyter_client, a comm "click" message sent
  while idle): a task created from a click handler ran to completion while the kernel sat
  idle, its ``HTML.value`` updates arrived at once, and other cells ran while it was in
  flight. ipykernel 6.29 runs shell handlers on the same asyncio loop (tornado on asyncio),
  so the same code works there: CI runs the real-browser Generate test on ipykernel 6.29.5
  (``.ci/ipykernel6-check``) as well as on the newest 7.x. If a kernel ever stalls such a
  task, running any cell (or ``await form.task``) lets it go on; ``form.generate_async()``
  can also simply be awaited.

A cell that blocks the main thread (``time.sleep(60)``) pauses the polling until it ends; the
job itself runs on the server regardless. "Stop waiting" cancels only the local task: the job
keeps running and the form shows ``job.resume_code`` to pick it up later. Outside a running
event loop (a plain script) the task runs in a daemon thread with its own loop instead.
Tests inject ``runner=`` and drive ``generate_async()`` to completion in their own loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

_BACKGROUND: set[Any] = set()


class Background:
    """A coroutine running as an asyncio task, on the kernel's loop or in a thread's own loop."""

    def __init__(self, coro: Coroutine[Any, Any, Any]) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task[Any] | None = None
        self._ready = threading.Event()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.thread: threading.Thread | None = threading.Thread(
                target=self._run, args=(coro,), daemon=True, name="kling-nb-wait")
            self.thread.start()
            self._ready.wait(5)
            return
        self.thread = None
        self.loop = loop
        self.task = loop.create_task(coro)
        _BACKGROUND.add(self.task)  # asyncio keeps only weak references to tasks
        self.task.add_done_callback(_BACKGROUND.discard)
        self._ready.set()

    def _run(self, coro: Coroutine[Any, Any, Any]) -> None:
        async def main() -> Any:
            self.loop = asyncio.get_running_loop()
            self.task = asyncio.current_task()
            self._ready.set()
            return await coro

        asyncio.run(main())

    def cancel(self) -> None:
        """Stop the coroutine at its next ``await``."""
        if self.task is None or self.loop is None:
            return
        if self.thread is None:
            self.task.cancel()
        else:
            self.loop.call_soon_threadsafe(self.task.cancel)

    def done(self) -> bool:
        """Whether the coroutine has finished (or was cancelled)."""
        if self.thread is not None:
            return not self.thread.is_alive()
        return self.task is None or self.task.done()


Runner = Callable[[Coroutine[Any, Any, Any]], Any]


class Debouncer:
    """Calls ``callback`` once, ``delay`` seconds after the last of a burst of calls.

    ``delay <= 0`` calls at once. In a kernel the timer is ``loop.call_later`` on the running
    loop (widget callbacks run inside it); with no running loop the call happens at once.
    """

    def __init__(self, delay: float, callback: Callable[[], object]) -> None:
        self.delay = delay
        self.callback = callback
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        """Whether a call is scheduled and has not run yet."""
        return self._handle is not None

    def __call__(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self.delay <= 0:
            self.callback()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.callback()
            return
        self._handle = loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self.callback()

    def cancel(self) -> None:
        """Drop a scheduled call."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        """Run a scheduled call now."""
        if self._handle is not None:
            self._handle.cancel()
            self._fire()
