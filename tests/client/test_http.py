"""Error answers become the right error; which requests are retried, and how often."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from client_helpers import (
    aiml_spec,
    client,
    creates,
    instant_retries,
    leo_spec,
    make_client,
    mock_client,
    sb,
    v2_spec,
)

from kling_nb import (
    APIError,
    AuthenticationError,
    Client,
    ModerationError,
    NetworkError,
    NotCreatedError,
    NotFoundError,
    OutOfCreditsError,
    RateLimitedError,
    RecoveredJobWarning,
    RejectedError,
    RetryPolicy,
    ServerError,
    Spec,
    Status,
    UnknownOutcomeError,
)
from kling_nb.client import account as ops
from kling_nb.client.answers import api_message, error_from_response, retry_after
from kling_nb.client.operations import parse_created
from kling_nb.sandbox import Sandbox

__all__ = ["client", "instant_retries", "sb"]
SPECS = {"leonardo": leo_spec, "leonardo-v2": v2_spec, "aimlapi": aiml_spec}

ASSET = "00000000-0000-4000-8000-000000000001"
"""A Leonardo asset id (a UUID)."""


def _answer(status: int, body: Any, **headers: str) -> httpx.Response:
    request = httpx.Request("GET", "https://api.example/x")
    return httpx.Response(status, json=body, headers=headers, request=request)


def _v1(message: str, code: str) -> dict[str, str]:
    return {"error": message, "path": "$", "code": code}


def _v2(message: str, code: str) -> list[dict[str, Any]]:
    return [{"message": message, "extensions": {"code": code, "details": {}}}]


def _aiml(message: str, status: int) -> dict[str, Any]:
    return {"message": message, "path": "/v2/generate/video/kling/generation",
            "requestId": "req-42", "statusCode": status, "timestamp": "2026-01-01T00:00:00Z"}


ERRORS = [
    ("leonardo", 401, _v1("Invalid authentication credentials", "invalid-jwt"),
     AuthenticationError),
    ("leonardo", 402, _v1("not enough api tokens", "insufficient"), OutOfCreditsError),
    ("leonardo", 403, _v1("Your request was rejected by content moderation",
                          "content-moderation"), ModerationError),
    ("leonardo", 400, _v1("Unexpected variable foo", "validation-failed"), RejectedError),
    ("leonardo", 429, _v1("Too Many Requests", "rate-limited"), RateLimitedError),
    ("leonardo", 404, _v1("generation not found", "not-found"), NotFoundError),
    ("leonardo", 503, _v1("upstream unavailable", "unexpected"), ServerError),
    ("leonardo", 400, _v2("invalid dimensions", "validation-failed"), RejectedError),
    ("leonardo", 401, _v2("Invalid authentication credentials", "invalid-jwt"),
     AuthenticationError),
    ("leonardo", 403, _v2("prompt flagged by moderation", "content-moderation"),
     ModerationError),
    ("aimlapi", 401, _aiml("Unauthorized", 401), AuthenticationError),
    ("aimlapi", 403, _aiml("Forbidden", 403), OutOfCreditsError),
    ("aimlapi", 400, _aiml("Your request was rejected by content moderation", 400),
     ModerationError),
    ("aimlapi", 400, _aiml("duration must be one of 5, 10", 400), RejectedError),
    ("aimlapi", 429, _aiml("Too many requests", 429), RateLimitedError),
    ("aimlapi", 504, _aiml("Generation timeout", 504), ServerError),
]


@pytest.mark.parametrize(("provider", "status", "body", "kind"), ERRORS)
def test_error_bodies_map_to_classes(provider: str, status: int, body: Any,
                                     kind: type[APIError]) -> None:
    """Each vendor error shape maps to its class; str() names provider, status, message, id."""
    headers = {} if provider == "aimlapi" else {"x-request-id": "rid-7"}
    error = error_from_response(provider, _answer(status, body, **headers), job_id="job-9")
    assert type(error) is kind
    text = str(error)
    provider_name = "AI/ML API" if provider == "aimlapi" else "Leonardo.AI"
    message = body[0]["message"] if isinstance(body, list) else body.get("error",
                                                                          body.get("message"))
    for part in (provider_name, f"HTTP {status}", message, "job id job-9"):
        assert part in text
    assert ("req-42" if provider == "aimlapi" else "rid-7") in text
    assert (error.status, error.job_id) == (status, "job-9")


def test_api_message_handles_lists_text_and_nothing() -> None:
    """Validation lists are joined; plain text and empty bodies still give something."""
    listed = _answer(400, {"message": ["duration must be 5", "prompt too long"]})
    assert api_message(listed)[0] == "duration must be 5; prompt too long"
    text = httpx.Response(502, text="Bad Gateway", request=httpx.Request("GET", "https://x"))
    assert api_message(text) == ("Bad Gateway", None, None)
    empty = httpx.Response(500, request=httpx.Request("GET", "https://x"))
    assert error_from_response("leonardo", empty).api_message is None


def test_s3_xml_error_message_is_extracted() -> None:
    """An S3 XML error body gives its Message and Code, not the raw XML."""
    xml = ('<?xml version="1.0"?><Error><Code>AccessDenied</Code>'
           "<Message>Policy expired.</Message></Error>")
    answer = httpx.Response(403, text=xml, request=httpx.Request("POST", "https://s3.x/"))
    assert api_message(answer) == ("Policy expired.", "AccessDenied", None)


def test_rate_limited_error_keeps_retry_after() -> None:
    """RateLimitedError.retry_after holds the server's Retry-After seconds."""
    error = error_from_response("leonardo", _answer(429, _v1("slow down", "x"),
                                                    **{"retry-after": "12"}))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 12.0


def test_authentication_error_hints_at_the_variable() -> None:
    """A refused key names the environment variable to check."""
    error = error_from_response("aimlapi", _answer(401, _aiml("Unauthorized", 401)))
    assert "AIMLAPI_API_KEY" in str(error)


def test_tokens_in_a_server_error_is_not_out_of_credits() -> None:
    """Only a 4xx that talks about credits is OutOfCreditsError; a 5xx stays a server error."""
    error = error_from_response("leonardo", _answer(500, _v1("token service down", "x")))
    assert isinstance(error, ServerError)


@pytest.mark.parametrize(("value", "seconds"), [("7", 7.0), ("0", 0.0), ("1.5", 1.5),
                                                ("9999", 300.0), ("-3", 0.0), ("soon", None),
                                                ("", None)])
def test_retry_after_seconds(value: str, seconds: float | None) -> None:
    """Retry-After in seconds is read, clamped to 0..300; junk is ignored."""
    assert retry_after(_answer(429, {}, **{"retry-after": value})) == seconds


def test_retry_after_http_date() -> None:
    """Retry-After as an HTTP date is read as seconds from now."""
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    got = retry_after(_answer(429, {}, **{"retry-after": when}))
    assert got is not None
    assert 25 <= got <= 30


# -- create: never retried blindly -------------------------------------------------------
def _fault_submit(sb: Sandbox, client: Client, spec: str, kind: str, **options: Any) -> Any:
    sb.faults.add(kind, route="create", **options)  # type: ignore[arg-type]
    return client.submit(SPECS[spec]())


@pytest.mark.parametrize("spec", SPECS)
def test_drop_after_create_is_recovered_from_the_listing(spec: str, sb: Sandbox,
                                                         client: Client) -> None:
    """A create whose answer is lost is looked for until the listing shows it: one job, found,
    marked recovered, and it goes on as if the answer had arrived."""
    with pytest.warns(RecoveredJobWarning, match="goes on as if the answer had arrived"):
        job = _fault_submit(sb, client, spec, "drop_after")
    assert len(creates(sb)) == 1
    assert [job.id] == list(sb.store.jobs)
    assert job.recovered
    assert "create answer was lost" in job.recovered
    assert "recovered" in job._text_view()
    assert sum(sb.clock.sleeps) >= sb.listing_delay  # the listing lags; the client waited
    assert job.wait().video_url
    assert len(creates(sb)) == 1


@pytest.mark.parametrize("spec", SPECS)
def test_drop_after_create_without_reconciling_is_findable(spec: str, sb: Sandbox,
                                                           tmp_path: Path) -> None:
    """With ``reconcile_grace=None`` the client does not look: UnknownOutcomeError, and
    ``find_submitted`` finds the one job."""
    client = make_client(sb, tmp_path, retry=RetryPolicy(reconcile_grace=None))
    with pytest.raises(UnknownOutcomeError) as caught:
        _fault_submit(sb, client, spec, "drop_after")
    error = caught.value
    assert error.sent["json"] == creates(sb)[0].json
    assert "find_submitted" in str(error)
    sb.clock.sleep(sb.listing_delay)
    found = client.find_submitted(error)
    assert [job.id for job in found] == list(sb.store.jobs)


@pytest.mark.parametrize("spec", ["leonardo", "leonardo-v2"])
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_error_on_create_is_not_created_after_the_grace(spec: str, status: int,
                                                               sb: Sandbox,
                                                               client: Client) -> None:
    """A 5xx on create is never retried; the client looks for the job over the grace period
    and, finding none, says so: NotCreatedError with the status, the API's message and the
    way to resend on purpose."""
    with pytest.raises(NotCreatedError) as caught:
        _fault_submit(sb, client, spec, "server_error", status=status)
    assert len(creates(sb)) == 1
    assert not sb.store.jobs
    error = caught.value
    assert error.status == status
    assert "sandbox fault" in str(error)
    assert "no job was created for this request as far as" in str(error)
    assert "Nothing was billed" in str(error)
    assert sum(sb.clock.sleeps) == pytest.approx(client.retry.reconcile_grace)
    assert client.find_submitted(error) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_aiml_server_error_on_create_stays_unknown_when_no_task_is_found(
        status: int, sb: Sandbox, client: Client) -> None:
    """The AI/ML lookup by external_task_id is not in the AI/ML docs, so finding no task
    proves nothing: after the grace period the outcome stays unknown (never "not created",
    which would invite a resend), naming the id to look for in the dashboard."""
    with pytest.raises(UnknownOutcomeError) as caught:
        _fault_submit(sb, client, "aimlapi", "server_error", status=status)
    assert len(creates(sb)) == 1
    assert not sb.store.jobs
    error = caught.value
    assert not isinstance(error, NotCreatedError)
    assert error.reconciled is not None
    assert error.reconciled.verdict == "unknown"
    task = error.sent["json"]["external_task_id"]
    for words in ("proves nothing", "dashboard", task, "Do not resubmit blindly"):
        assert words in str(error)
    assert "Nothing was billed" not in str(error)
    assert sum(sb.clock.sleeps) == pytest.approx(client.retry.reconcile_grace)


@pytest.mark.parametrize("spec", SPECS)
def test_drop_before_create_is_retried_once_sent(spec: str, sb: Sandbox,
                                                 client: Client) -> None:
    """A create that never left (connection refused) is retried and makes exactly one job."""
    job = _fault_submit(sb, client, spec, "drop_before", times=2)
    assert len(creates(sb)) == 1
    assert list(sb.store.jobs) == [job.id]


def test_drop_before_create_gives_up_as_network_error(sb: Sandbox, client: Client) -> None:
    """When no attempt to create ever leaves, the error says nothing was sent."""
    with pytest.raises(NetworkError, match="nothing was sent"):
        _fault_submit(sb, client, "leonardo", "drop_before", times=3)
    assert creates(sb) == []
    assert not sb.store.jobs


@pytest.mark.parametrize("spec", SPECS)
def test_rate_limited_create_with_retry_after_is_retried(spec: str, sb: Sandbox,
                                                         client: Client) -> None:
    """429 + Retry-After on create: retried, and exactly one job results."""
    job = _fault_submit(sb, client, spec, "rate_limited")
    assert len(creates(sb)) == 2
    assert list(sb.store.jobs) == [job.id]


def test_rate_limited_create_without_retry_after_is_not_retried(tmp_path: Path) -> None:
    """429 without Retry-After on create is raised at once (one request)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(429, json=_aiml("Too many requests", 429))

    with pytest.raises(RateLimitedError) as caught:
        mock_client(handler, tmp_path).submit(aiml_spec("https://i.example.com/a.png"))
    assert len(seen) == 1
    assert caught.value.retry_after is None


def test_read_timeout_after_sending_create_is_unknown_outcome(tmp_path: Path) -> None:
    """A timeout once the create went out is an unknown outcome (not retried)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(UnknownOutcomeError, match="ReadTimeout") as caught:
        mock_client(handler, tmp_path).submit(leo_spec(ASSET))
    assert [r.method for r in seen].count("POST") == 1
    reconciled = caught.value.reconciled
    assert reconciled is not None
    assert reconciled.verdict == "unknown"
    assert "could not be read" in str(caught.value)
    assert "Do not resubmit blindly" in str(caught.value)


def test_create_answer_without_id_is_unknown_outcome(tmp_path: Path) -> None:
    """A 200 create answer with no generation id is reported, not taken as a job."""
    client = mock_client(lambda r: httpx.Response(200, json={"weird": True}), tmp_path)
    with pytest.raises(UnknownOutcomeError, match="no job id"):
        client.submit(leo_spec(ASSET))


@pytest.mark.parametrize(("spec", "kind", "error"), [
    ("leonardo", "moderation", ModerationError), ("leonardo-v2", "moderation", ModerationError),
    ("aimlapi", "moderation", ModerationError),
    ("leonardo", "out_of_credits", OutOfCreditsError),
    ("leonardo-v2", "out_of_credits", OutOfCreditsError),
    ("aimlapi", "out_of_credits", OutOfCreditsError),
])
def test_refused_creates(spec: str, kind: str, error: type[APIError], sb: Sandbox,
                         client: Client) -> None:
    """Moderation and out-of-credits refusals raise their class; no job, no retry."""
    with pytest.raises(error) as caught:
        _fault_submit(sb, client, spec, kind)
    assert len(creates(sb)) == 1
    assert not sb.store.jobs
    assert caught.value.api_message


def test_wrong_key_is_an_authentication_error(tmp_path: Path) -> None:
    """A key the API refuses raises AuthenticationError (not retried)."""
    sb = Sandbox(key="the-right-key")
    with pytest.raises(AuthenticationError, match="LEONARDO_API_KEY"):
        make_client(sb, tmp_path).submit(leo_spec())
    assert len(sb.requests) == 1


# -- safe requests: retried ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["server_error", "rate_limited", "drop_before", "drop_after",
                                  "slow"])
@pytest.mark.parametrize("spec", ["leonardo", "aimlapi"])
def test_status_faults_are_retried(kind: str, spec: str, sb: Sandbox, client: Client) -> None:
    """Status requests survive 5xx, 429, drops and slow answers: the job still completes."""
    job = client.submit(SPECS[spec]())
    sb.faults.add(kind, route="status", times=2, delay=0.0)  # type: ignore[arg-type]
    assert job.wait().video_url
    assert sb.faults.served[kind] == 2


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_each_retryable_status_is_retried(status: int, sb: Sandbox, client: Client) -> None:
    """408 and every 5xx on a status request are retried."""
    job = client.submit(leo_spec())
    sb.faults.add("server_error", route="status", status=status)
    assert job.refresh() is Status.PENDING


def test_status_retries_run_out_as_server_error(sb: Sandbox, client: Client) -> None:
    """After the policy's attempts a status 5xx is a ServerError naming the job."""
    job = client.submit(leo_spec())
    sb.faults.add("server_error", route="status", times=6)
    with pytest.raises(ServerError) as caught:
        job.refresh()
    assert caught.value.job_id == job.id
    assert caught.value.status == 503


def test_status_drops_run_out_as_network_error(sb: Sandbox, client: Client) -> None:
    """Status drops beyond the attempts give NetworkError naming the job."""
    job = client.submit(aiml_spec())
    sb.faults.add("drop_after", route="status", times=6)
    with pytest.raises(NetworkError) as caught:
        job.refresh()
    assert caught.value.job_id == job.id


def test_status_4xx_is_not_retried(sb: Sandbox, client: Client) -> None:
    """A 404 on a status request is raised after one request."""
    before = len(sb.requests)
    with pytest.raises(NotFoundError):
        client.job("aimlapi", "missing").refresh()
    assert len(sb.requests) == before + 1


@pytest.mark.parametrize("kind", ["server_error", "rate_limited", "drop_before", "drop_after"])
def test_upload_faults_are_retried(kind: str, sb: Sandbox, client: Client) -> None:
    """The presign and the upload itself are retried on 5xx, 429 and drops."""
    sb.faults.add(kind, route="upload")  # type: ignore[arg-type]
    sb.faults.add(kind, route="other")  # type: ignore[arg-type]
    assert client.submit(leo_spec()).wait().video_url
    assert len(creates(sb)) == 1


def test_other_requests_faults_are_retried(sb: Sandbox, client: Client) -> None:
    """/me survives a 503 and a drop."""
    sb.faults.add("server_error", route="other")
    sb.faults.add("drop_after", route="other")
    assert client.account()["user"]["id"] == sb.user_id


def test_retry_after_is_honoured(sb: Sandbox, client: Client,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside test mode the retry waits exactly the server's Retry-After."""
    stamina.set_testing(False)
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    job = client.submit(aiml_spec())
    sb.faults.add("rate_limited", route="status", retry_after=7)
    sb.faults.add("rate_limited", route="create", retry_after=4)
    job.refresh()
    client.submit(aiml_spec())
    assert waits == [7.0, 4.0]


def test_backoff_grows_without_retry_after(sb: Sandbox, client: Client,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Retry-After, status retries back off exponentially (with jitter)."""
    stamina.set_testing(False)
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    job = client.submit(aiml_spec())
    sb.faults.add("server_error", route="status", times=3)
    job.refresh()
    assert len(waits) == 3
    assert waits[0] < waits[2]
    assert all(w <= 30.0 for w in waits)


def test_spec_type_is_exported() -> None:
    """The helpers build real specs (a guard for the fixtures above)."""
    assert all(isinstance(make(), Spec) for make in SPECS.values())


# -- sandbox answers say SANDBOX ---------------------------------------------------------------
@pytest.mark.parametrize(("provider", "label"), [
    ("leonardo", "[Leonardo.AI (SANDBOX)]"), ("aimlapi", "[AI/ML API (SANDBOX)]"),
])
def test_sandbox_errors_name_the_sandbox(provider: str, label: str, sb: Sandbox,
                                         client: Client) -> None:
    """An error answered by the sandbox is labelled '<provider> (SANDBOX)', not the live API."""
    with pytest.raises(NotFoundError) as caught:
        client.job(provider, "no-such-job").refresh()
    assert str(caught.value).startswith(label)
    sb.faults.add("moderation", route="create")
    with pytest.raises(ModerationError) as refused:
        client.submit(SPECS[provider]())
    assert str(refused.value).startswith(label)


def test_live_errors_keep_the_plain_provider_name() -> None:
    """Without the sandbox header the provider is named as it is."""
    error = error_from_response("leonardo", _answer(400, _v1("bad", "bad")))
    assert str(error).startswith("[Leonardo.AI] ")
    sandboxed = error_from_response("leonardo", _answer(400, _v1("bad", "bad"),
                                                        **{"x-kling-nb-sandbox": "true"}))
    assert sandboxed.provider == "Leonardo.AI (SANDBOX)"


# -- create answers ----------------------------------------------------------------------------
def test_image_generation_create_shape_is_not_a_kling_job() -> None:
    """``sdGenerationJob`` (an image generation) is no answer of a Kling row: no job id read."""
    body = {"sdGenerationJob": {"generationId": "g-1", "apiCreditCost": 5}}
    assert parse_created("leonardo", body, _answer(200, body)) is None
    v2 = {"generate": {"generationId": "g-2"}}
    created = parse_created("leonardo", v2, _answer(200, v2))
    assert created is not None
    assert created.job_id == "g-2"


# -- recovery matching -------------------------------------------------------------------------
SENT_AT = "2026-03-01T12:00:00+00:00"
SENT = {"sent_at": SENT_AT, "json": {"model": "kling-3.0", "public": False, "parameters": {
    "prompt": "waves at dusk", "width": 1920, "height": 1080}}}


def _listed(**fields: Any) -> dict[str, Any]:
    item = {"id": "g", "createdAt": "2026-03-01T12:00:04.000Z", "prompt": "waves at dusk",
            "imageWidth": 1920, "imageHeight": 1080, "motionModel": "kling-3.0",
            "modelId": None}
    item.update(fields)
    return item


@pytest.mark.parametrize(("fields", "sent", "matches"), [
    ({}, SENT, True),
    ({"motionModel": "KLING3_0"}, SENT, True),
    ({"motionModel": None, "imageWidth": None, "imageHeight": None}, SENT, True),
    ({"createdAt": "yesterday-ish"}, SENT, False),
    ({"createdAt": None}, SENT, False),
    ({}, {**SENT, "sent_at": None}, False),
    ({"createdAt": "2026-03-01T12:10:00Z"}, SENT, False),
    ({"createdAt": "2026-03-01T11:50:00Z"}, SENT, False),
    ({"prompt": "another prompt"}, SENT, False),
    ({"prompt": None}, SENT, False),
    ({"imageWidth": 1080, "imageHeight": 1920}, SENT, False),
    ({"motionModel": "kling-video-o-1"}, SENT, False),
    ({"motionModel": None, "modelId": "b24e16ff-06e3-43eb-8d33-4416c2d75876"}, SENT, False),
    ({"prompt": "anything at all", "motionModel": "KLING2_5", "imageWidth": 1440,
      "imageHeight": 1440},
     {"sent_at": SENT_AT, "json": {"model": "KLING2_5", "imageId": "a", "width": 1440,
                                   "height": 1440}}, True),
    ({"motionModel": None, "modelId": "b24e16ff-06e3-43eb-8d33-4416c2d75876"},
     {"sent_at": SENT_AT, "json": {"model": "KLING2_5", "imageId": "a"}}, False),
])
def test_recovery_matches_strictly(fields: dict[str, Any], sent: dict[str, Any],
                                   matches: bool) -> None:
    """Times must parse and fall in the window; prompt, model and size must agree when shown."""
    assert ops._matches(_listed(**fields), sent, 180.0) is matches
