"""A client's HTTP connections: one blocking pool, and one async pool per event loop."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

import httpx

from .http import AsyncDriver, RetryPolicy, SyncDriver
from .routing import Routing

if TYPE_CHECKING:
    import asyncio


class Connections:
    """The drivers a client sends through, created on first use."""

    def __init__(self, routing: Routing, *, timeout: float | httpx.Timeout,
                 retry: RetryPolicy, sleep: Callable[[float], None],
                 transport: httpx.BaseTransport | None,
                 async_transport: httpx.AsyncBaseTransport | None) -> None:
        self.routing, self.timeout, self.retry, self.sleep = routing, timeout, retry, sleep
        self.transport, self.async_transport = transport, async_transport
        self.sync: SyncDriver | None = None
        self.loops: dict[asyncio.AbstractEventLoop, _LoopDriver] = {}

    @property
    def driver(self) -> SyncDriver:
        """The blocking driver (created on first use)."""
        if self.sync is None:
            http = httpx.Client(transport=self.transport, mounts=self.routing.mounts(False),
                                timeout=self.timeout, follow_redirects=True)
            weakref.finalize(self, http.close)  # notebooks rarely close clients
            self.sync = SyncDriver(http, self.routing.keys(), self.retry, self.sleep)
        return self.sync

    @property
    def async_driver(self) -> AsyncDriver:
        """The async driver of the running event loop (connections belong to one loop).

        Each loop gets its own, closed when that loop shuts down (``asyncio.run`` ends, e.g.
        after each click of the widgets' thread mode); ``aclose`` closes them all.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        for other, held in list(self.loops.items()):
            if other is not loop and not other.is_running():
                held.retire()  # an idle loop (maybe never run again) or a closed one
            if held.closed or other.is_closed():
                self.loops.pop(other, None)
        current = self.loops.get(loop)
        if current is None:
            http = httpx.AsyncClient(transport=self.async_transport,
                                     mounts=self.routing.mounts(True), timeout=self.timeout,
                                     follow_redirects=True)
            current = self.loops[loop] = _LoopDriver(
                AsyncDriver(http, self.routing.keys(), self.retry), loop)
        return current.driver

    def close(self) -> None:
        """Close the blocking connections (they reopen on next use)."""
        if self.sync is not None:
            self.sync.http.close()
            self.sync = None

    async def aclose(self) -> None:
        """Close the async connections (those of other event loops too, as far as possible)."""
        import asyncio

        held, self.loops = self.loops, {}
        loop = asyncio.get_running_loop()
        for other, driver in held.items():
            if other is loop:
                await driver.aclose()
            else:
                driver.retire()


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
        import asyncio

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

