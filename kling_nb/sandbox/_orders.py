"""Turn a validated order into a billed, scheduled job: costs, moderation, credits, sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._faults import FAILED_JOB, MODERATION, OUT_OF_CREDITS
from ._jobs import Job
from ._media import image_size
from ._storage import start_bytes
from ._wire import AIML_MODEL, K30, O1, Order, WireError

if TYPE_CHECKING:
    from ._app import Sandbox

# USD per 5 s / 10 s job, api-notes §7 (third-party figures).
PRICES = {"KLING2_1": (0.61, 1.23), "KLING2_5": (0.35, 0.70), O1: (0.76, 1.51),
          AIML_MODEL: (0.61, 1.23)}
K30_PRICE = (0.57, 2.83)  # 3 s .. 15 s, linear in between
TOKENS_PER_USD = 1000  # sandbox convention for apiCreditCost / apiPaidTokens / credits_used


def cost_usd(order: Order) -> float:
    """What one job of ``order`` costs in USD."""
    if order.model == K30:
        low, high = K30_PRICE
        each = low + (order.seconds - 3) * (high - low) / 12
    else:
        each = PRICES[order.model][0 if order.seconds == 5 else 1]
    return round(each * order.quantity, 2)


def tokens(usd: float) -> int:
    """USD expressed in the sandbox's API tokens / credits."""
    return round(usd * TOKENS_PER_USD)


def open_job(sb: Sandbox, provider: str, order: Order) -> Job:
    """Refuse (moderation, credits) or bill and schedule a job for ``order``."""
    if sb.faults.take("create", MODERATION):
        raise WireError("Your request was rejected by content moderation",
                        code="content-moderation", status=403 if provider == "leonardo" else 400)
    cost = cost_usd(order)
    if sb.faults.take("create", OUT_OF_CREDITS) or cost > sb.balance + 1e-9:
        if provider == "leonardo":
            raise WireError("not enough api tokens", code="insufficient-balance", status=402)
        raise WireError("Insufficient credits: top up your balance", code="out-of-credits",
                        status=403)
    size = job_size(sb, order)
    fail = sb.faults.take("create", FAILED_JOB) is not None
    sb.balance = round(sb.balance - cost, 6)
    return sb.store.add_job(provider, order, size, cost=cost, fail=fail)


def job_size(sb: Sandbox, order: Order) -> tuple[int, int]:
    """The requested output size, or one that follows the start image when none was given."""
    if order.width is not None and order.height is not None:
        return order.width, order.height
    data = start_bytes(sb, order)
    if data is None:
        return 1920, 1080
    width, height = image_size(data)
    if order.api == "aiml":
        scale = 1920 / max(width, height)
    else:  # the start frame's shape at the mode's resolution
        scale = order.short_side / min(width, height)
    return _even(width * scale), _even(height * scale)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)
