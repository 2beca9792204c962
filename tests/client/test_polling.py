"""When status requests go out: few early, denser near the expected finish, backing off late."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from client_helpers import FakeClock, instant_retries, leo_spec, make_client, png

from kling_nb import JobObserver, PollSchedule, Spec
from kling_nb.sandbox import Sandbox

__all__ = ["instant_retries"]


def _times(schedule: PollSchedule, until: float) -> list[float]:
    """The moments (seconds after submit) status requests go out, first one at 0."""
    moments, now = [0.0], 0.0
    while now < until:
        now += schedule.delay(now)
        moments.append(now)
    return moments


def test_few_requests_before_the_expected_range() -> None:
    """A 5 s video (typically 180-240 s) is asked about at most twice in its first 150 s."""
    times = _times(PollSchedule.for_duration(5), 600)
    assert len([t for t in times if t < 150]) <= 2


def test_denser_inside_the_expected_range_than_after() -> None:
    """Intervals inside 180-240 s are shorter than those long after it, and grow late."""
    schedule = PollSchedule.for_duration(5)
    inside = schedule.delay(200)
    late = [schedule.delay(t) for t in (300, 400, 600, 900)]
    assert schedule.min_interval <= inside <= 30
    assert all(inside <= d for d in late)
    assert late == sorted(late)
    assert late[-1] <= schedule.max_interval


def test_longer_videos_wait_longer() -> None:
    """The first poll of a 10 s video comes later than that of a 5 s one."""
    assert PollSchedule.for_duration(10).delay(0) > PollSchedule.for_duration(5).delay(0)


def test_default_deadline_is_generous() -> None:
    """The default wall-clock limit is at least three times the expected upper bound."""
    schedule = PollSchedule.for_duration(10)
    assert schedule.deadline() >= 3 * schedule.expected[1]
    assert PollSchedule.fast().deadline() == 120.0
    assert PollSchedule.fast().delay(0) < 0.1


def _submit_and_wait(tmp_path: Path, **options: Any) -> tuple[Sandbox, FakeClock, float]:
    clock = FakeClock()
    sb = Sandbox(timing="realistic", clock=clock)
    client = make_client(sb, tmp_path, clock=clock, sleep=clock.sleep, **options)
    start = clock.now
    client.submit(leo_spec(sb.add_image(png()))).wait()
    return sb, clock, clock.now - start


def test_realistic_job_is_polled_sparingly(tmp_path: Path) -> None:
    """Against realistic timing a 5 s job takes 3-4 minutes and about a dozen requests."""
    sb, clock, waited = _submit_and_wait(tmp_path)
    polls = [r for r in sb.requests if r.method == "GET"]
    assert 180 <= waited <= 240 + 40
    assert 3 <= len(polls) <= 20
    assert clock.sleeps[0] >= 150


def test_explicit_schedule_and_factory(tmp_path: Path) -> None:
    """poll= takes a schedule, or a function of (spec, duration) returning one."""
    fixed = PollSchedule((10.0, 20.0))
    seen: list[tuple[Spec | None, int]] = []

    def factory(spec: Spec | None, duration: int) -> PollSchedule:
        seen.append((spec, duration))
        return fixed

    sb = Sandbox(timing="realistic")
    for poll in (fixed, factory):
        client = make_client(sb, tmp_path, poll=poll)
        job = client.submit(leo_spec(sb.add_image(png()), duration=10))
        job.fast = False
        assert client.schedule(job) is fixed
    assert seen[0][1] == 10


def test_learned_timing_is_used(tmp_path: Path) -> None:
    """An observer that learned this model's pace sets the expected range."""
    class Learned(JobObserver):
        def expected_seconds(self, model: str, duration: int, *,
                             sandbox: bool = False) -> tuple[float, float] | None:
            return (100.0, 110.0)

    sb = Sandbox(timing="realistic")
    client = make_client(sb, tmp_path, journal=Learned())
    job = client.submit(leo_spec(sb.add_image(png())))
    assert client.schedule(job).expected == (100.0, 110.0)


def test_sandbox_fast_mode_polls_fast(tmp_path: Path) -> None:
    """Jobs in the sandbox's fast mode use the fast schedule."""
    sb = Sandbox()
    client = make_client(sb, tmp_path)
    job = client.submit(leo_spec(sb.add_image(png())))
    assert client.schedule(job) == PollSchedule.fast()


@pytest.mark.parametrize("timeout", [0.0, 45.0])
def test_deadline_is_wall_clock(timeout: float, tmp_path: Path) -> None:
    """wait(timeout) stops on the injected clock at the deadline, with a last look."""
    from kling_nb import JobTimeoutError

    clock = FakeClock()
    sb = Sandbox(timing="realistic", clock=clock)
    client = make_client(sb, tmp_path, clock=clock, sleep=clock.sleep)
    job = client.submit(leo_spec(sb.add_image(png())))
    start = clock.now
    with pytest.raises(JobTimeoutError):
        job.wait(timeout=timeout)
    assert clock.now - start == pytest.approx(timeout)


def test_a_job_picked_up_days_late_polls_at_the_longest_interval() -> None:
    """Far past the expected range the interval is the maximum (no overflow)."""
    schedule = PollSchedule((180.0, 240.0), min_interval=5.0, max_interval=60.0)
    assert schedule.delay(3 * 86400.0) == 60.0
    assert PollSchedule((0.0, 0.0), min_interval=0.05, max_interval=0.1).delay(1e6) == 0.1
