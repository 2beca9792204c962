"""Sandbox prices are labelled as the sandbox's (made up where none is published), never as
money spent or "as the API reported it"."""

from __future__ import annotations

from decimal import Decimal

from kling_nb import Cost, Result
from kling_nb.specs.results import cost_text, price_is_published
from kling_nb.specs.views import result_html, result_text

PRICE = Cost(Decimal("0.57"))


def _result(model: str, *, sandbox: bool) -> Result:
    return Result(job_id="g1", provider="leonardo", model=model, cost=PRICE, sandbox=sandbox,
                  video_url="https://cdn.sandbox.kling-nb.invalid/v.mp4")


def test_published_and_unpublished_rows_are_told_apart() -> None:
    """A row with a published price (a figure or credits) is priced by it; others are not."""
    assert price_is_published("leonardo/kling-3.0")
    assert price_is_published("leonardo/kling-2.6")  # credits per job are published
    assert not price_is_published("leonardo/kling-3.0-turbo")
    assert not price_is_published("aimlapi/kling-3.0-pro")  # reported per job, never listed
    assert not price_is_published(None)


def test_cost_text_labels_sandbox_prices() -> None:
    """Live: the reported figure; sandbox: the price, labelled, made up where unpublished."""
    assert cost_text(PRICE, sandbox=False, model="leonardo/kling-3.0") == "$0.57"
    assert cost_text(PRICE, sandbox=True, model="leonardo/kling-3.0") == \
        "$0.57 (sandbox price, not billed)"
    assert cost_text(PRICE, sandbox=True, model="leonardo/kling-3.0-turbo") == \
        "$0.57 (made-up sandbox price: no price is published; not billed)"
    assert cost_text(None, sandbox=True) == ""


def test_a_sandbox_result_shows_a_labelled_price() -> None:
    """Text, str and HTML of a sandbox result name the price as the sandbox's, never as a
    cost the API reported; a live result keeps its reported cost."""
    sandbox = _result("leonardo/kling-3.0-turbo", sandbox=True)
    for text in (str(sandbox), result_text(sandbox), result_html(sandbox)):
        assert "made-up sandbox price" in text
        assert "as the API reported it" not in text
    assert "cost:" not in result_text(sandbox)
    live = _result("leonardo/kling-3.0", sandbox=False)
    assert "cost: $0.57" in result_text(live)
    assert "as the API reported it" in result_html(live)
    assert "sandbox price" not in result_text(live)
