"""The API key never shows: not in reprs, errors, logs, sent-request records, curl or files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from client_helpers import KEY, aiml_spec, instant_retries, leo_spec, server, shared_server

from kling_nb import (
    Client,
    KlingError,
    NotCreatedError,
    RecoveredJobWarning,
    RetryPolicy,
    UnknownOutcomeError,
)
from kling_nb.sandbox import SandboxServer

__all__ = ["instant_retries", "server", "shared_server"]


def _client(server: SandboxServer, tmp_path: Path, **options: Any) -> Client:
    environ = {"LEONARDO_API_KEY": KEY, "AIMLAPI_API_KEY": KEY,
               "LEONARDO_BASE_URL": server.url, "AIMLAPI_BASE_URL": server.url}
    options.setdefault("retry", RetryPolicy(reconcile_grace=1.0))
    return Client(env_file=False, environ=environ, download_dir=tmp_path / "videos",
                  journal=False, **options)


def _record_text(record: logging.LogRecord) -> str:
    return f"{record.getMessage()} {record.args!r} {record.__dict__!r}"


def _exercise(server: SandboxServer, client: Client) -> list[object]:
    """Everything a user might print: happy path and every error path."""
    shown: list[object] = [client, client.configs]
    for spec in (leo_spec(), aiml_spec()):
        job = client.submit(spec)
        result = job.wait()
        assert job.spec is not None
        shown += [job, result, spec, job.spec.to_curl(server.url), client.download(result)]
    sb = server.sandbox
    errors: list[KlingError] = []
    sb.faults.add("drop_after", route="create")  # the job is created, then found again
    with pytest.warns(RecoveredJobWarning):
        recovered = client.submit(aiml_spec())
    assert recovered.recovered
    shown += [recovered, recovered.wait()]
    for kind, spec in (("server_error", leo_spec()), ("server_error", aiml_spec()),
                       ("moderation", aiml_spec()), ("out_of_credits", aiml_spec()),
                       ("failed_job", aiml_spec())):
        sb.faults.add(kind, route="create")  # type: ignore[arg-type]
        try:
            client.submit(spec).wait()
        except KlingError as exc:
            errors.append(exc)
    sb.faults.add("drop_after", route="status", times=6)
    try:
        client.submit(leo_spec()).refresh()
    except KlingError as exc:
        errors.append(exc)
    try:
        client.job("leonardo", "does-not-exist").refresh()
    except KlingError as exc:
        errors.append(exc)
    assert len(errors) == 7, [type(e).__name__ + ": " + str(e)[:150] for e in errors]
    assert isinstance(errors[0], NotCreatedError)  # Leonardo's listing shows no job
    assert isinstance(errors[1], UnknownOutcomeError)  # the AI/ML lookup proves nothing
    assert not isinstance(errors[1], NotCreatedError)
    for error in errors:
        shown += [error, repr(error), error.__dict__]
        if isinstance(error, UnknownOutcomeError):
            shown.append(client.find_submitted(error))
    return shown


def test_key_never_leaks(server: SandboxServer, tmp_path: Path,
                         caplog: pytest.LogCaptureFixture) -> None:
    """Submit, wait, download and every error path against a keyed server leave no trace."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "stamina", "kling_nb"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with _client(server, tmp_path) as client:
        shown = _exercise(server, client)
    for thing in shown:
        assert KEY not in repr(thing)
        assert KEY not in str(thing)
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert any(r.name == "httpx" for r in caplog.records)
    for record in caplog.records:
        assert KEY not in _record_text(record)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


@pytest.mark.parametrize("grace", [None, 1.0])
def test_unknown_outcome_sent_record_has_no_key(server: SandboxServer, tmp_path: Path,
                                                grace: float | None) -> None:
    """UnknownOutcomeError.sent (not looked for) and NotCreatedError.sent (looked for, none)
    hold method, URL and body - and no headers or key."""
    server.sandbox.faults.add("server_error", route="create")
    options = {"retry": RetryPolicy(reconcile_grace=grace)}
    with _client(server, tmp_path, **options) as client, \
            pytest.raises(UnknownOutcomeError if grace is None else NotCreatedError) as caught:
        client.submit(leo_spec())
    sent = caught.value.sent  # type: ignore[attr-defined]
    assert set(sent) >= {"method", "url", "json"}
    assert "headers" not in sent
    assert KEY not in repr(sent)
    assert KEY not in str(caught.value)


def test_key_reaches_the_server_only_in_the_authorization_header(server: SandboxServer,
                                                                 tmp_path: Path) -> None:
    """The key is sent (the server accepted it) but never in a URL, query or body."""
    with _client(server, tmp_path) as client:
        client.submit(aiml_spec()).wait()
    for request in server.sandbox.requests:
        assert KEY not in repr(request)
