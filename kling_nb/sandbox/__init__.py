"""An offline emulator of the Leonardo.AI and AI/ML APIs for Kling video models.

It checks every request body on its own against the vendors' documented wire rules
(api-notes §3 and §9; it never imports the client's specs layer), answers with the documented
shapes, status codes and error bodies, and renders small real H.264 MP4s marked SANDBOX (with
the requested length and shape, and a tone when the order has sound). Each video shows what was
asked - the prompt (each shot's during its part of a storyboard), model, seed, length, size and
sound - over colours and motion drawn from the prompt and seed: same order, same frames.
Every answer carries the header ``x-kling-nb-sandbox: true``.

Models: one entry per model row in ``kling_nb/sandbox/rows/`` (data: wire ids, fields, sizes,
durations, limits, rules each documented or inferred, sound, price; ``_entry`` says what an
entry holds), found by ``_registry`` with no list to edit. It refuses what the docs refuse and
accepts what is only inferred. Today: Leonardo v1 ``KLING2_1``/``KLING2_5`` (image- and
text-to-video), Leonardo v2 ``kling-video-o-1``, ``kling-2.6``, ``kling-3.0``,
``kling-3.0-turbo``, ``kling-4.0``, ``kling-video-o-3``, every AI/ML Kling id of api-notes §9.5
and ``kling-video/v4/reference-to-video``, and the AI/ML avatars and motion control (§10.2): an
avatar's video plays the given audio clip (decoded and muxed into the MP4) and is as long as it;
a motion-control video's frames follow its reference video's (overlaid on the character image)
and keep its sound unless told not to. Any other model id is refused as the live APIs
refuse it; ``Sandbox(accept_unknown_models=True)`` (``kling-nb sandbox
--accept-unknown-models``) serves it as a generic video model instead (``_generic``), so a
request sent unchecked for a model kling_nb does not know yet can be followed end to end.

In-process use (no server)::

    sb = Sandbox()                       # timing="fast", seed=0, balance=100.0 USD
    client = httpx.Client(transport=sb.transport())
    client.post(LEONARDO_SANDBOX_URL + "/api/rest/v1/init-image", ...)

URL scheme. In-process hosts: Leonardo ``https://leonardo.sandbox.kling-nb.invalid``
(+ ``/api/rest/v1/...``, ``/api/rest/v2/...``), AI/ML ``https://aimlapi.sandbox.kling-nb.invalid``
(+ the legacy ``/v2/generate/video/kling/generation``: 201, UUID ids; the universal
``/v2/video/generations``: 200, ids like ``<uuid>:klingai/...`` to URL-encode),
CDN ``https://cdn.sandbox.kling-nb.invalid``
(``/videos/<id>.mp4``, ``/posters/<id>.jpg``, ``/images/<id>.<ext>``), presigned upload target
``https://uploads.sandbox.kling-nb.invalid/``. Over HTTP (``serve()``): one loopback origin
serves the API paths unchanged, the CDN under ``/_sandbox/cdn/...`` and uploads under
``/_sandbox/s3/``. Any non-empty bearer key is accepted unless ``key=`` is given.

AI/ML status lookups accept ``?generation_id=<id>`` or ``?external_task_id=<your id>`` (the
newest job created with that ``external_task_id``), so a client whose create timed out can
find out whether the job exists. Like the real listings, Leonardo's ``generations/user`` and
that lookup show a new job only ``listing_delay`` seconds (1.0, on the sandbox's clock) after
its create; its status by id answers at once.

Timing. ``timing="fast"`` (default): a job is pending for its first ``fast_polls`` status
requests (GET /generations/{id} or the AI/ML GET) and done on the next one, whatever the clock.
``timing="realistic"``: a job completes at createdAt + 36-48 s per second of video (seeded),
on the injectable ``clock``; Leonardo jobs beyond ``slots`` (``apiConcurrencySlots``, 10)
queue. ``rate_limits=True`` enforces 100 creates/min per create endpoint and 2000 requests/min
(429 + Retry-After). ``peak_running()``, ``served_429`` and ``status_counts`` are for benchmarks.

Faults (``sb.faults``)::

    sb.faults.add(kind, route="any", times=1, status=503, retry_after=1, delay=1.0, keep=0.5)
    sb.faults.set_rate(kind, rate, route="any", ...)   # seeded random faults, for soak tests
    sb.faults.clear(); sb.faults.pending; sb.faults.served

Routes: ``create``, ``status``, ``download``, ``upload``, ``other`` (me, init-image, list,
delete) or ``any``. Kinds: ``server_error`` (answer ``status``), ``rate_limited`` (429 +
Retry-After), ``drop_before`` (the request never arrives: httpx.ConnectError, nothing
recorded or created), ``drop_after`` (handled, e.g. the job IS created, then the connection
drops: httpx.RemoteProtocolError), ``slow`` (waits ``delay`` s through the injectable
``sleep``), ``truncate`` (download: full Content-Length, ``keep`` of the bytes, then hang-up),
``failed_job`` (the next job ends FAILED / ``error``), ``moderation`` (create refused:
Leonardo 403, AI/ML 400), ``out_of_credits`` (Leonardo 402 "not enough api tokens",
AI/ML 403). ``sb.requests`` records every request that arrived (authorization removed).

Costs follow each entry's price rule (USD per job, api-notes §7; Kling 2.6 on Leonardo in API
credits, §9.2; made up by the sandbox where nothing is published) and are charged from
``sb.balance``; ``price_rule(model)`` says which a wire id's price is (``.is_made_up``,
``.basis``), for showing sandbox costs honestly. The sandbox counts 1000 API tokens / credits
per USD in ``apiCreditCost``, ``apiPaidTokens`` and ``credits_used``.
"""

from __future__ import annotations

from ._app import (
    AIMLAPI_SANDBOX_URL,
    CDN_SANDBOX_URL,
    LEONARDO_SANDBOX_URL,
    UPLOADS_SANDBOX_URL,
    RecordedRequest,
    Sandbox,
)
from ._faults import (
    DROP_AFTER,
    DROP_BEFORE,
    FAILED_JOB,
    FAULT_KINDS,
    MODERATION,
    OUT_OF_CREDITS,
    RATE_LIMITED,
    SERVER_ERROR,
    SLOW,
    TRUNCATE,
    Fault,
    FaultKind,
    Faults,
)
from ._http import SANDBOX_HEADER
from ._prices import Price
from ._registry import price_rule
from ._server import SandboxServer, serve

__all__ = [
    "AIMLAPI_SANDBOX_URL",
    "CDN_SANDBOX_URL",
    "DROP_AFTER",
    "DROP_BEFORE",
    "FAILED_JOB",
    "FAULT_KINDS",
    "LEONARDO_SANDBOX_URL",
    "MODERATION",
    "OUT_OF_CREDITS",
    "RATE_LIMITED",
    "SANDBOX_HEADER",
    "SERVER_ERROR",
    "SLOW",
    "TRUNCATE",
    "UPLOADS_SANDBOX_URL",
    "Fault",
    "FaultKind",
    "Faults",
    "Price",
    "RecordedRequest",
    "Sandbox",
    "SandboxServer",
    "price_rule",
    "serve",
]
