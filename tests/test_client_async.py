"""The async side: await submit, await a job, wait for many jobs on one event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from client_helpers import aiml_spec, instant_retries, leo_spec, make_client, png

from kling_nb import JobFailedError, KlingError, Result, UnknownOutcomeError
from kling_nb.sandbox import Sandbox

__all__ = ["instant_retries"]


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
    """An async create whose answer is lost raises UnknownOutcomeError; one job exists."""
    sb = Sandbox()
    client = make_client(sb, tmp_path)
    sb.faults.add("drop_after", route="create")

    async def go() -> UnknownOutcomeError:
        with pytest.raises(UnknownOutcomeError) as caught:
            await client.submit_async(leo_spec())
        return caught.value

    error = asyncio.run(go())
    assert [j.id for j in client.find_submitted(error)] == list(sb.store.jobs)


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
