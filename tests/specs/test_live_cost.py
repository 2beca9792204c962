"""kn.live_cost: published prices per job (USD or credits), unpublished rows named and never
priced at $0, retired rows refused for free, and the wait of steps one after another."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import pytest

import kling_nb as kn
from kling_nb.specs.livecost import LiveCost, LiveJob

ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def test_published_prices_add_up_per_length_and_per_video() -> None:
    """Each job is its row's published figure for its length; USD and credits apart."""
    cost = kn.live_cost(kn.Kling25Turbo(prompt="a", duration=10),
                        kn.Kling30(prompt="b", mode="RESOLUTION_720", size="1280x720",
                                   duration=3),
                        kn.Kling26(prompt="c", duration=5))
    assert cost.usd == Decimal("0.70") + Decimal("0.57")
    assert cost.credits == Decimal(604)
    assert not cost.unpriced
    assert str(cost).startswith("3 jobs: $1.27 at published third-party prices (unofficial) "
                                "and 604 Leonardo API credits (Leonardo's published price);")
    many = LiveCost.of([[LiveJob("leonardo/kling-2.5-turbo", 5, videos=2)]])
    assert many.usd == Decimal("0.70")


def test_a_row_with_no_published_price_is_named_never_priced_at_zero() -> None:
    """Jobs on rows without a published price are counted by row, not added as $0."""
    cost = kn.live_cost([kn.KlingO3(prompt="a"), kn.KlingO3(prompt="b")],
                        kn.Kling30TurboStandardAIML(prompt="c", duration=3))
    assert cost.usd == 0
    assert cost.unpriced == {"Kling O3": 2, "Kling 3.0 Turbo Standard": 1}
    assert "$0" not in str(cost)
    assert str(cost).startswith("3 jobs: no published price (Kling O3: 2, Kling 3.0 Turbo "
                                "Standard: 1; the provider reports it after each job);")
    mixed = kn.live_cost(kn.Kling25Turbo(prompt="a"), kn.KlingO3(prompt="b"))
    assert "$0.35 at published third-party prices (unofficial), plus 1 whose price is not " \
        "published (Kling O3: 1;" in str(mixed)


def test_a_retired_row_is_refused_at_no_charge_and_no_wait() -> None:
    """Live, a retired row's create is refused (no job is made): nothing to pay or wait for;
    no jobs at all read as such."""
    cost = kn.live_cost(kn.Kling21Pro(prompt="a", start_frame=ID))
    assert cost.usd == 0
    assert cost.minutes == (0, 0)
    assert "1 refused (Kling 2.1 Pro (Leonardo.AI): retired, so no job is made)" in str(cost)
    assert str(kn.live_cost()) == "no jobs: nothing is billed, no waiting"


def test_the_wait_adds_up_steps_and_takes_each_steps_longest_job() -> None:
    """Jobs sent together wait as long as the longest of them; steps add up (36-48 s per
    second of video); an edit whose length follows its source counts as 5 s."""
    five = kn.Kling25Turbo(prompt="a", duration=5)
    ten = kn.Kling25Turbo(prompt="b", duration=10)
    assert kn.live_cost(five).minutes == (3, 4)
    assert kn.live_cost([five, ten]).minutes == (6, 8)
    assert kn.live_cost(five, ten).minutes == (9, 12)
    assert LiveJob("aimlapi/kling-o1-edit").wait() == (180.0, 240.0)


def test_a_sweep_is_one_step_and_anything_else_is_refused() -> None:
    """A sweep (anything with ``specs``) is sent together; a non-spec is a TypeError."""
    sweep = kn.Sweep(kn.Kling30(prompt="x", mode="RESOLUTION_720", size="1280x720",
                                duration=3), seeds=[1, 2, 3])
    assert kn.live_cost(sweep).usd == Decimal("1.71")
    assert kn.live_cost(sweep).minutes == (1, 3)
    with pytest.raises(TypeError, match="not a spec"):
        kn.live_cost(["leonardo/kling-3.0"])


def test_the_banner_is_markdown_a_notebook_shows_as_written() -> None:
    """The banner escapes $ (Jupyter's Markdown would start LaTeX at a bare one) and says the
    sandbox is free; the object shows itself as text and HTML."""
    cost = kn.live_cost(kn.Kling25Turbo(prompt="a"), kn.Kling25Turbo(prompt="b"))
    assert cost.banner == ("> **Running it live:** 2 jobs: \\$0.70 at published third-party "
                           "prices (unofficial); about 6-8 min of waiting. In the sandbox (no "
                           "API key) it is free.")
    shown = cost._repr_mimebundle_()
    assert shown["text/plain"].startswith("live: 2 jobs")
    assert "kling-nb-live-cost" in shown["text/html"]


def test_catalogue_prices_say_what_is_published_and_for_what() -> None:
    """A row's cheapest published job, its published figure by length (the next longer one
    listed for a length without its own), and a figure that names no tier is said to hold for
    every tier."""
    assert kn.MODELS["leonardo/kling-2.5-turbo"].cheapest == "$0.35 for 5 s"
    assert kn.MODELS["leonardo/kling-2.6"].cheapest == "604 credits for 5 s"
    assert kn.MODELS["leonardo/kling-o3"].cheapest == "not published"
    assert kn.MODELS["leonardo/kling-2.6"].published(10) == (1208.0, "CREDITS")
    assert kn.MODELS["leonardo/kling-2.5-turbo"].published(7) == (0.70, "USD")
    assert kn.MODELS["aimlapi/kling-3.0-pro"].published(5) is None
    assert "one figure for every tier and with or without sound" in kn.MODELS[
        "leonardo/kling-3.0"].price
    assert "tier" not in kn.MODELS["leonardo/kling-2.5-turbo"].price


def test_a_price_per_second_by_tier_is_taken_at_each_jobs_tier() -> None:
    """A row priced per second by tier is priced at the job's own tier (its mode or size); a
    tier not known (a size that follows an input) at the highest; its cheapest job is the
    lowest tier's shortest."""
    from kling_nb.specs.prices import published, rule_text, tier_of

    class PerTier(kn.Kling30):
        usd_per_job: ClassVar[Mapping[int, float]] = {}
        usd_per_second: ClassVar[Mapping[int, float]] = {720: 0.1, 1080: 0.2}

    assert published(PerTier, 5, 720) == (0.5, "USD")
    assert published(PerTier, 5, 1080) == (1.0, "USD")
    assert published(PerTier, 5, 960) == (0.5, "USD")
    assert published(PerTier, 5, None) == (1.0, "USD")
    assert rule_text(PerTier) == "$0.100 (720p) / $0.200 (1080p) per second, unofficial"
    assert tier_of({"mode": "RESOLUTION_720"}) == 720
    assert tier_of({"size": "1080x1920"}) == 1080
    assert tier_of({"width": 1280, "height": 720}) == 720
    assert tier_of({"size": "0x0"}) is None
    assert PerTier.estimated_usd(3, 720) == pytest.approx(0.3)
