"""Shared fixtures for the sandbox tests: a fresh sandbox and an authorised client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kling_nb.sandbox import Sandbox

from .helpers import AUTH


class Clock:
    """A clock the test moves by hand (``clock.now += s``)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sb() -> Sandbox:
    """A fresh fast-timing sandbox on a clock the test moves (``sb.clock.now += s``)."""
    return Sandbox(clock=Clock())


@pytest.fixture
def client(sb: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client wired to the sandbox in-process, with a bearer key."""
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        yield c


