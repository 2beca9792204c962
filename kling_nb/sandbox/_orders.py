"""Turn a validated order into a billed, scheduled job: costs, moderation, credits, sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._faults import FAILED_JOB, MODERATION, OUT_OF_CREDITS
from ._jobs import Job
from ._media import image_size
from ._storage import start_bytes
from ._wire import Order, WireError
from ._wire_aiml_models import AIML_21
from ._wire_leonardo import K26, K30, K30_TURBO, O1, O3

if TYPE_CHECKING:
    from ._app import Sandbox

_O1_AIML = "klingai/video-o1-"
# USD per 5 s / 10 s job: api-notes §7 (third-party figures) unless marked.
PRICES = {
    "KLING2_1": (0.61, 1.23), "KLING2_5": (0.35, 0.70), O1: (0.76, 1.51), AIML_21: (0.61, 1.23),
    # Sandbox convention: the AI/ML API reports usage per job and publishes no figure here;
    # 2.5 Turbo Pro and O1 take their Leonardo figures, 2.6 Pro Leonardo's 604/1208 credits.
    "klingai/v2.5-turbo/pro/text-to-video": (0.35, 0.70),
    "klingai/v2.5-turbo/pro/image-to-video": (0.35, 0.70),
    "klingai/video-v2-6-pro-text-to-video": (0.60, 1.21),
    "klingai/video-v2-6-pro-image-to-video": (0.60, 1.21),
    **{_O1_AIML + task: (0.76, 1.51) for task in (
        "image-to-video", "reference-to-video", "video-to-video-reference")},
}
CREDITS = {K26: (604, 1208)}
"""Leonardo API credits per 5 s / 10 s job (documented, api-notes §9.2)."""
K30_PRICE = (0.57, 2.83)  # 3 s .. 15 s, linear in between (api-notes §7)
PER_SECOND = {
    # Sandbox convention (no price published): USD per second of video.
    K30_TURBO: 0.084, O3: 0.151, _O1_AIML + "video-to-video-edit": 0.151,
    "klingai/video-v3-standard-text-to-video": 0.126,
    "klingai/video-v3-standard-image-to-video": 0.126,
    "klingai/video-v3-pro-text-to-video": 0.168, "klingai/video-v3-pro-image-to-video": 0.168,
    "klingai/video-v3-standard-turbo-text-to-video": 0.084,
    "klingai/video-v3-standard-turbo-image-to-video": 0.084,
    "klingai/video-v3-turbo-pro-text-to-video": 0.112,
    "klingai/video-v3-turbo-pro-image-to-video": 0.112,
}
TOKENS_PER_USD = 1000  # sandbox convention for apiCreditCost / apiPaidTokens / credits_used


def cost_usd(order: Order) -> float:
    """What one job of ``order`` costs in USD (credit prices at 1000 credits per USD)."""
    if order.model in CREDITS:
        return CREDITS[order.model][0 if order.seconds == 5 else 1] * order.quantity \
            / TOKENS_PER_USD
    if order.model == K30:
        low, high = K30_PRICE
        each = low + (order.seconds - 3) * (high - low) / 12
    elif order.model in PER_SECOND:
        each = PER_SECOND[order.model] * order.seconds
    else:
        each = PRICES[order.model][0 if order.seconds == 5 else 1]
    return round(each * order.quantity, 2)


def cost_fields(model: str, usd: float) -> dict[str, object]:
    """``apiCreditCost`` and ``cost`` of a Leonardo create answer: credits for credit-priced
    models, else dollars."""
    if model in CREDITS:
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
