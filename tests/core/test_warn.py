"""kling_nb's warnings point at the user's line, however deep inside the library they start."""

from __future__ import annotations

import warnings
from pathlib import Path

import httpx
import pytest
from client_helpers import mock_client

from kling_nb import RetiredModelWarning
from kling_nb.core.warn import warn

RETIRED = {"model": "leonardo/kling-2.1-pro", "prompt": "p",
           "start_frame": "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01", "width": 1920,
           "height": 1080, "duration": 5}


def test_retired_model_warning_points_at_the_submit_call(tmp_path: Path) -> None:
    """RetiredModelWarning names this file and the line of client.submit, not kling_nb's."""
    body = {"motionVideoGenerationJob": {"generationId": "g1"}}
    live = mock_client(lambda r: httpx.Response(200, json=body), tmp_path)
    line = _line_after() + 1
    with pytest.warns(RetiredModelWarning) as caught:
        live.submit(RETIRED)
    assert Path(caught[0].filename) == Path(__file__)
    assert caught[0].lineno == line


def test_warn_from_user_code_points_at_its_caller() -> None:
    """Called from outside kling_nb, warn() names its direct caller's line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        warn("plain", UserWarning)
    assert (Path(caught[0].filename), caught[0].lineno) == (Path(__file__), line)


def _line_after() -> int:
    """The line number after the caller's line."""
    import sys

    return sys._getframe(1).f_lineno + 1
