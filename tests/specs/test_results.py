"""The common vocabulary: statuses, costs, timestamps and finished results."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kling_nb import ConfigError, Cost, KlingError, Result, Status

ASSET = "00000000-0000-4000-8000-0000000000a1"


@pytest.mark.parametrize(("wire", "status"), [
    ("PENDING", Status.PENDING), ("queued", Status.PENDING), ("waiting", Status.PENDING),
    ("something-new", Status.PENDING), (None, Status.PENDING), ("", Status.PENDING),
    ("generating", Status.RUNNING), ("active", Status.RUNNING), ("processing", Status.RUNNING),
    ("COMPLETE", Status.COMPLETE), ("completed", Status.COMPLETE),
    ("FAILED", Status.FAILED), ("error", Status.FAILED),
])
def test_status_from_wire(wire: object, status: Status) -> None:
    """Both providers' words map onto one vocabulary; unknown words are pending."""
    assert Status.from_wire(wire) is status


def test_done_statuses() -> None:
    """Only complete and failed are done."""
    assert [s for s in Status if s.done] == [Status.COMPLETE, Status.FAILED]


@pytest.mark.parametrize(("amount", "unit", "text"), [
    ("0.35", "DOLLARS", "$0.35"), (1.23, "USD", "$1.23"), ("0.004", "USD", "$0.004"),
    (350, "CREDITS", "350 credits"), ("12.50", "credits", "12.5 credits"),
])
def test_cost_parse_and_text(amount: object, unit: str, text: str) -> None:
    """Costs come in as numbers or strings, in dollars or credits, and print plainly."""
    cost = Cost.parse(amount, unit)
    assert cost is not None
    assert str(cost) == text


@pytest.mark.parametrize("amount", [None, True, "n/a"])
def test_cost_parse_rejects_junk(amount: object) -> None:
    """Missing, boolean or non-numeric amounts give no cost."""
    assert Cost.parse(amount) is None


def test_costs_add_within_a_unit() -> None:
    """Costs of one unit add up; mixing units is refused."""
    assert Cost(Decimal("0.35")) + Cost(Decimal("0.70")) == Cost(Decimal("1.05"))
    with pytest.raises(ValueError, match="cannot add"):
        Cost(Decimal(1)) + Cost(Decimal(1), "CREDITS")


def test_result_reuse_timings_and_text() -> None:
    """A result gives GENERATED refs, its elapsed time, size, and a SANDBOX mark."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    result = Result(job_id="g1", provider="leonardo", model="leonardo/kling-3.0",
                    video_url="https://c/v.mp4", asset_id=ASSET,
                    width=1920, height=1080,
                    duration=5, cost=Cost(Decimal("0.57")), sandbox=True, submitted_at=start,
                    completed_at=start + timedelta(seconds=200))
    assert result.as_start_frame().to_wire() == {"id": ASSET, "type": "GENERATED"}
    assert result.as_video_reference().to_wire() == {"id": ASSET, "type": "GENERATED"}
    assert result.elapsed == 200.0
    assert result.size == "1920x1080"
    text = str(result)
    assert "SANDBOX" in text
    assert "$0.57" in text
    assert "https://c/v.mp4" in text


def test_result_without_asset_cannot_be_reused() -> None:
    """An AI/ML result has no asset id and says so when asked for a reference."""
    result = Result(job_id="t1", provider="aimlapi", model="m", video_url="https://v")
    with pytest.raises(ValueError, match="no reusable asset id"):
        result.as_start_frame()
    assert result.elapsed is None
    assert "SANDBOX" not in str(result)


@pytest.mark.parametrize("method", ["as_start_frame", "as_video_reference"])
def test_aiml_result_reuse_is_a_kling_error_with_a_way_forward(method: str) -> None:
    """Asking an AI/ML result for a reference gives a ConfigError naming the provider."""
    result = Result(job_id="t1", provider="aimlapi", model="m", video_url="https://v")
    with pytest.raises(ConfigError) as caught:
        getattr(result, method)()
    text = str(caught.value)
    assert isinstance(caught.value, KlingError)
    assert "AI/ML API" in text
    assert "t1" in text
    assert ("client.upload_image" if method == "as_start_frame" else "Leonardo.AI") in text


def test_variants_are_listed_after_the_main_video() -> None:
    """result.videos is the result, then its variants; a result alone is one video."""
    main = Result(job_id="g", provider="leonardo", model="m", video_url="https://v/1")
    assert main.videos == [main]
    other = Result(job_id="g", provider="leonardo", model="m", video_url="https://v/2", index=1)
    main.variants = [other]
    assert main.videos == [main, other]
