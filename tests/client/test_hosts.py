"""A key goes only where its owner sent it: a host named anywhere but beside the key (or by the
caller) is refused, naming where it came from; a .env above the current folder is never read;
a host other than the provider's own is shown once when the client is made."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import httpx
import pytest
from client_helpers import KEY, instant_retries, server, shared_server, v2_spec

from kling_nb import Client, ConfigError, HostWarning, KlingError
from kling_nb.cli import main as _cli
from kling_nb.sandbox import SandboxServer

__all__ = ["instant_retries", "server", "shared_server"]

COLLECTOR = "https://collector.example"


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No key, host or sandbox variable of the test run's own; the journal off; a fresh cwd."""
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                 "AIMLAPI_BASE_URL", "KLING_NB_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_dotenv_host_never_gets_a_key_from_the_environment(
        clean: Path, server: SandboxServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The key in the environment, LEONARDO_BASE_URL in the current folder's .env (here a
    served sandbox records every request that reaches it): kling-nb generate is refused
    with exit 2, the message names the .env file, and nothing reaches that host."""
    dotenv = clean / ".env"
    dotenv.write_text(f"LEONARDO_BASE_URL={server.url}\n")
    monkeypatch.setenv("LEONARDO_API_KEY", KEY)
    status = _cli.main(["generate", "--model", "leonardo/kling-3.0", "--prompt", "a heron"],
                       out=io.StringIO())
    err = capsys.readouterr().err
    assert status == 2
    assert f"LEONARDO_BASE_URL in {dotenv.resolve()} names {server.url}" in err
    assert "LEONARDO_API_KEY (environment)" in err
    assert "Nothing was sent" in err
    assert KEY not in err
    assert server.sandbox.requests == []


def test_a_dotenv_above_the_current_folder_is_not_read(
        clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env in a folder above naming another host: it is not read at all, so a submit goes
    to the provider's own host (a recording transport stands in for it) and nothing goes to
    the host the .env named."""
    (clean / ".env").write_text(f"LEONARDO_BASE_URL={COLLECTOR}\nAIMLAPI_API_KEY=other\n")
    below = clean / "notebooks" / "mine"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    hosts: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        hosts.append(f"{request.url.scheme}://{request.url.host}")
        return httpx.Response(401, json={"error": "recorded"})

    client = Client(environ={"LEONARDO_API_KEY": KEY}, transport=httpx.MockTransport(record),
                    journal=False, sleep=lambda s: None)
    assert client.base_url("leonardo") == "https://cloud.leonardo.ai"
    assert client.is_sandbox("aimlapi")  # the key above was not read either
    with pytest.raises(KlingError):
        client.submit(v2_spec())
    assert hosts == ["https://cloud.leonardo.ai"]


@pytest.mark.parametrize(("key_in", "url_in"), [
    ("environment", ".env"), (".env", "environment"), ("argument", "environment"),
    ("argument", ".env")])
def test_a_host_named_elsewhere_than_the_key_is_refused(
        key_in: str, url_in: str, clean: Path) -> None:
    """Key and host from two different places: refused when the client is made, saying where
    each came from and how to name them together; the key never shows."""
    env: dict[str, str] = {}
    lines: list[str] = []
    for where, line in ((key_in, f"LEONARDO_API_KEY={KEY}"),
                        (url_in, f"LEONARDO_BASE_URL={COLLECTOR}")):
        if where == "environment":
            name, value = line.split("=", 1)
            env[name] = value
        elif where == ".env":
            lines.append(line)
    (clean / ".env").write_text("\n".join(lines) + "\n")
    key = KEY if key_in == "argument" else None
    with pytest.raises(ConfigError) as caught:
        Client(leonardo_key=key, environ=env, journal=False)
    message = str(caught.value)
    source = f"in {(clean / '.env').resolve()}" if url_in == ".env" else "in the environment"
    assert f"LEONARDO_BASE_URL {source} names {COLLECTOR}" in message
    assert "leonardo_base_url=" in message
    assert KEY not in message


@pytest.mark.parametrize("where", ["environment", ".env", "arguments", "key elsewhere"])
def test_a_host_named_beside_the_key_or_by_the_caller_is_used_and_shown_once(
        where: str, clean: Path, server: SandboxServer) -> None:
    """The sandbox server's loopback URL named with the key (the same environment, the same
    .env file, the same argument list, or as an argument whatever the key's place): the
    client goes there, and says so once, plainly, when it is made."""
    env: dict[str, str] = {}
    kwargs: dict[str, str] = {}
    if where == "environment":
        env = {"LEONARDO_API_KEY": KEY, "LEONARDO_BASE_URL": server.url}
    elif where == ".env":
        (clean / ".env").write_text(f"LEONARDO_API_KEY={KEY}\nLEONARDO_BASE_URL={server.url}\n")
    elif where == "arguments":
        kwargs = {"leonardo_key": KEY, "leonardo_base_url": server.url}
    else:
        env, kwargs = {"LEONARDO_API_KEY": KEY}, {"leonardo_base_url": server.url}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = Client(environ=env, journal=False, **kwargs)  # type: ignore[arg-type]
    shown = [str(w.message) for w in caught if w.category is HostWarning]
    assert len(shown) == 1
    assert shown[0].startswith(
        f"Leonardo.AI requests go to {server.url}, not to https://cloud.leonardo.ai (named by ")
    assert client.base_url("leonardo") == server.url
    with client:
        job = client.submit(v2_spec())
    assert job.sandbox  # the served sandbox said so
    assert [r.method for r in server.sandbox.requests] == ["POST"]


def test_the_providers_own_host_and_the_sandbox_show_no_host(clean: Path) -> None:
    """A key for the provider's own host, or the in-process sandbox even with a stray .env
    host (nothing is sent there): no host notice, no refusal."""
    (clean / ".env").write_text(f"LEONARDO_BASE_URL={COLLECTOR}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", HostWarning)
        Client(environ={"AIMLAPI_API_KEY": KEY}, env_file=False, journal=False)
        Client(environ={"LEONARDO_API_KEY": KEY}, sandbox=True, journal=False)
