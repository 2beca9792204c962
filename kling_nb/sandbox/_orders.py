"""Turn a validated order into a billed, scheduled job: costs, moderation, credits, sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _registry
from ._faults import FAILED_JOB, MODERATION, OUT_OF_CREDITS
from ._jobs import Job
from ._media import image_size
from ._prices import TOKENS_PER_USD
from ._storage import start_bytes
from ._wire import Order, WireError

if TYPE_CHECKING:
    from ._app import Sandbox


def cost_usd(order: Order) -> float:
    """What one job of ``order`` costs in USD, by its entry's price rule (credit prices at
    ``TOKENS_PER_USD`` credits per USD, unrounded; dollar prices to the cent)."""
    entry = _registry.entry_of(order.model)
    if entry is None:  # every parsed order names an entry's model
        msg = f"no sandbox entry prices {order.model!r}"
        raise LookupError(msg)
    each = entry.price.usd(order.seconds, order.short_side, order.audio)
    if entry.price.unit == "CREDITS":
        return each * order.quantity
    return round(each * order.quantity, 2)


def cost_fields(model: str, usd: float) -> dict[str, object]:
    """``apiCreditCost`` and ``cost`` of a Leonardo create answer: credits for credit-priced
    models, else dollars."""
    entry = _registry.entry_of(model)
    if entry is not None and entry.price.unit == "CREDITS":
        return {"apiCreditCost": tokens(usd), "cost": {"amount": str(tokens(usd)),
                                                       "unit": "CREDITS"}}
    return {"apiCreditCost": tokens(usd), "cost": {"amount": f"{usd:.2f}", "unit": "DOLLARS"}}


def tokens(usd: float) -> int:
    """USD expressed in the sandbox's API tokens / credits."""
    return round(usd * TOKENS_PER_USD)


def open_job(sb: Sandbox, provider: str, order: Order, job_id: str | None = None) -> Job:
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
    return sb.store.add_job(provider, order, size, cost=cost, fail=fail, job_id=job_id)


def job_size(sb: Sandbox, order: Order) -> tuple[int, int]:
    """The requested output size, or one that follows the start image when none was given."""
    if order.width is not None and order.height is not None:
        return order.width, order.height
    data = start_bytes(sb, order)
    if data is None:  # nothing to follow: 16:9 at the tier
        return order.short_side * 16 // 9, order.short_side
    width, height = image_size(data)
    if order.api == "aiml":  # the long side at the tier's 16:9 width
        scale = order.short_side * 16 / 9 / max(width, height)
    else:  # the start frame's shape at the mode's resolution
        scale = order.short_side / min(width, height)
    return _even(width * scale), _even(height * scale)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)
