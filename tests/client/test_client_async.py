"""The async side: await submit, await a job, wait for many jobs on one event loop."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from pathlib import Path

import pytest
from client_helpers import (
    KEY,
    aiml_spec,
    instant_retries,
    leo_spec,
    make_client,
    png,
    server,
    shared_server,
)

from kling_nb import JobFailedError, KlingError, RecoveredJobWarning, Result, RetryPolicy
from kling_nb.sandbox import Sandbox, SandboxServer

__all__ = ["instant_retries", "server", "shared_server"]


def test_await_submit_and_job(tmp_path: Path) -> None:
    """await client.submit_async(...) then await job gives the result."""
    sb = Sandbox()
    client = make_client(sb, tmp_path)

    async def go() -> Result:
        async with client:
            job = await client.submit_async(leo_spec())
            return await job

    result = asyncio.run(go())
    assert result.video_url
    assert result.sandbox


def test_generate_async_downloads(tmp_path: Path) -> None:
    """generate_async submits, waits and downloads without blocking the loop."""
    client = make_client(Sandbox(), tmp_path)
    result = asyncio.run(client.generate_async(aiml_spec()))
    assert result.path is not None
    assert result.path.stat().st_size > 0


def test_wait_all_async_ten_jobs(tmp_path: Path) -> None:
    """wait_all_async finishes 10 jobs; a failed one comes back as its error."""
    sb = Sandbox()
    client = make_client(sb, tmp_path)

    async def go() -> list[Result | KlingError]:
        sb.faults.add("failed_job")
        jobs = [await client.submit_async(aiml_spec() if i % 2 else leo_spec(sb.add_image(png())))
                for i in range(10)]
        return await client.wait_all_async(jobs)

    results = asyncio.run(go())
    assert isinstance(results[0], JobFailedError)
    assert all(isinstance(r, Result) for r in results[1:])


def test_async_status_faults_are_retried(tmp_path: Path) -> None:
    """The async driver retries status 5xx and drops like the blocking one."""
    sb = Sandbox()
    client = make_client(sb, tmp_path)

    async def go() -> Result:
        job = await client.submit_async(aiml_spec())
        sb.faults.add("server_error", route="status")
        sb.faults.add("drop_after", route="status")
        return await job.wait_async()

    assert asyncio.run(go()).video_url


def test_async_unknown_outcome_is_found(tmp_path: Path) -> None:
    """An async create whose answer is lost is looked for on the event loop (awaiting the
    listing's delay) and recovered: one job, which goes on."""
    sb = Sandbox(listing_delay=0.2)
    client = make_client(sb, tmp_path, retry=RetryPolicy(reconcile_grace=1.0))
    sb.faults.add("drop_after", route="create")

    async def go() -> Result:
        with pytest.warns(RecoveredJobWarning):
            job = await client.submit_async(leo_spec())
        assert job.recovered
        return await job.wait_async()

    assert asyncio.run(go()).job_id == next(iter(sb.store.jobs))
    assert len(sb.store.jobs) == 1


def test_client_survives_a_second_event_loop(tmp_path: Path) -> None:
    """Two asyncio.run calls on one client each get working connections."""
    client = make_client(Sandbox(), tmp_path)
    job = asyncio.run(client.submit_async(aiml_spec()))
    assert asyncio.run(job.wait_async()).video_url


def test_await_does_not_block_the_loop(tmp_path: Path) -> None:
    """While a job is awaited, other coroutines keep running on the same loop."""
    client = make_client(Sandbox(fast_polls=3), tmp_path)
    ticks: list[int] = []

    async def ticker() -> None:
        for i in range(3):
            ticks.append(i)
            await asyncio.sleep(0)

    async def go() -> None:
        job = await client.submit_async(leo_spec())
        await asyncio.gather(job.wait_async(), ticker())

    before = threading.active_count()
    asyncio.run(go())
    assert ticks == [0, 1, 2]
    assert threading.active_count() <= before + 8  # at most asyncio's worker pool


def test_event_loop_changes_leave_no_unclosed_connections(tmp_path: Path,
                                                          server: SandboxServer) -> None:
    """Two asyncio.run calls over real sockets close each loop's connections: no ResourceWarning."""
    client = make_client(server.sandbox, tmp_path, sandbox=None, leonardo_key=KEY,
                         aimlapi_key=KEY, leonardo_base_url=server.url,
                         aimlapi_base_url=server.url)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        job = asyncio.run(client.submit_async(aiml_spec()))
        assert asyncio.run(job.wait_async(progress=False)).video_url
        gc.collect()
    unclosed = [str(w.message) for w in caught if "unclosed" in str(w.message)]
    assert unclosed == []


def test_a_driver_left_on_an_idle_loop_is_closed_then_reopens(tmp_path: Path,
                                                               server: SandboxServer) -> None:
    """Another loop taking over closes an idle loop's connections; that loop can still submit."""
    client = make_client(server.sandbox, tmp_path, sandbox=None, leonardo_key=KEY,
                         aimlapi_key=KEY, leonardo_base_url=server.url,
                         aimlapi_base_url=server.url)
    loop = asyncio.new_event_loop()
    try:
        job = loop.run_until_complete(client.submit_async(aiml_spec()))
        first = client.connections.loops[loop].driver.http
        assert asyncio.run(job.wait_async(progress=False)).video_url
        assert first.is_closed
        again = loop.run_until_complete(client.submit_async(aiml_spec()))
        assert again.id != job.id
        loop.run_until_complete(client.aclose())
        assert client.connections.loops == {}
    finally:
        loop.close()
