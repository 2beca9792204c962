"""Shared fixtures for the sandbox tests: a fresh sandbox and an authorised client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kling_nb.sandbox import Sandbox

from .helpers import AUTH


@pytest.fixture
def sb() -> Sandbox:
    """A fresh fast-timing sandbox."""
    return Sandbox()


@pytest.fixture
def client(sb: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client wired to the sandbox in-process, with a bearer key."""
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        yield c


