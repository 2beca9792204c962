"""Keys and hosts: arguments, environment, .env; base URL rules; the Secret wrapper."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from client_helpers import KEY

from kling_nb import Client, ConfigError
from kling_nb.client.config import Secret, check_base_url, read_env_file, resolve


def test_keys_from_the_environment() -> None:
    """LEONARDO_API_KEY / AIMLAPI_API_KEY make both providers live."""
    client = Client(env_file=False, environ={"LEONARDO_API_KEY": KEY, "AIMLAPI_API_KEY": KEY})
    assert client.mode("leonardo") == client.mode("aimlapi") == "live"
    assert client.base_url("leonardo") == "https://cloud.leonardo.ai"
    assert client.base_url("aimlapi") == "https://api.aimlapi.com"
    assert "LEONARDO_API_KEY (environment)" in repr(client)


def test_keys_from_a_dotenv_file(tmp_path: Path) -> None:
    """A .env file supplies keys and base URLs without touching os.environ."""
    env = tmp_path / ".env"
    env.write_text(f'LEONARDO_API_KEY="{KEY}"\nAIMLAPI_BASE_URL=http://127.0.0.1:9\n')
    client = Client(env_file=env, environ={})
    assert client.configs["leonardo"].key == Secret(KEY)
    assert client.configs["leonardo"].key_source == f"LEONARDO_API_KEY ({env.resolve()})"
    assert client.mode("aimlapi") == "live"
    assert client.base_url("aimlapi") == "http://127.0.0.1:9"


def test_dotenv_found_in_the_working_folder(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """With env_file unset, the .env of the current folder is read."""
    (tmp_path / ".env").write_text(f"AIMLAPI_API_KEY={KEY}\n")
    monkeypatch.chdir(tmp_path)
    assert read_env_file(None) == {"AIMLAPI_API_KEY": KEY}
    assert Client(environ={}).mode("aimlapi") == "live"
    assert read_env_file(tmp_path / "missing.env") == {}


def test_argument_beats_environment_beats_dotenv(tmp_path: Path) -> None:
    """Precedence: argument, then environment, then .env."""
    env = {"LEONARDO_API_KEY": "from-env"}
    dotenv = {"LEONARDO_API_KEY": "from-file"}
    assert resolve("leonardo", key="arg", base_url=None, environ=env,
                   env_file=dotenv).key == Secret("arg")
    assert resolve("leonardo", key=None, base_url=None, environ=env,
                   env_file=dotenv).key == Secret("from-env")
    assert resolve("leonardo", key=None, base_url=None, environ={},
                   env_file=dotenv).key == Secret("from-file")
    assert resolve("leonardo", key=None, base_url=None, environ={"LEONARDO_API_KEY": " "},
                   env_file={}).key is None


def test_base_url_argument_beats_environment() -> None:
    """leonardo_base_url= wins over LEONARDO_BASE_URL."""
    client = Client(leonardo_key=KEY, leonardo_base_url="https://proxy.example:8443",
                    env_file=False, environ={"LEONARDO_BASE_URL": "https://other.example"})
    assert client.base_url("leonardo") == "https://proxy.example:8443"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:80",
                                 "https://example.com", "https://example.com:8443/",
                                 "http://127.3.4.5"])
def test_accepted_base_urls(url: str) -> None:
    """https anywhere; plain http only on loopback; a trailing slash is fine."""
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(("url", "why"), [
    ("http://example.com", "plain http"),
    ("http://10.0.0.2:8000", "plain http"),
    ("https://cloud.leonardo.ai/api/rest/v1", "scheme, host and port only"),
    ("https://api.aimlapi.com/v2?x=1", "scheme, host and port only"),
    ("https://user:pw@example.com", "scheme, host and port only"),
    ("ftp://example.com", "not a URL"),
    ("example.com", "not a URL"),
    ("https://example.com:notaport", "not a URL"),
])
def test_refused_base_urls(url: str, why: str) -> None:
    """Off-loopback http, paths, queries, credentials and junk are refused."""
    with pytest.raises(ConfigError, match=why):
        check_base_url(url, "LEONARDO_BASE_URL")


def test_bad_base_url_in_environment_is_refused() -> None:
    """A bad AIMLAPI_BASE_URL fails when the client is made, naming the variable."""
    with pytest.raises(ConfigError, match="AIMLAPI_BASE_URL"):
        Client(env_file=False, environ={"AIMLAPI_BASE_URL": "http://api.example.com"})


def test_secret_never_shows_itself() -> None:
    """repr, str, format and pickle never give the key away."""
    secret = Secret(f"  {KEY}\n")
    assert secret.reveal() == KEY
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}"):
        assert KEY not in shown
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    assert secret == Secret(KEY)
    assert hash(secret) == hash(Secret(KEY))


@pytest.mark.parametrize("bad", ["sk-LEAK TEST", "sk-LEAK\nTEST", "sk-LEAK-TÉST"])
def test_unusable_key_is_refused_without_showing_it(bad: str) -> None:
    """A key with spaces, line breaks or non-ASCII is refused; the message omits it."""
    with pytest.raises(ConfigError) as caught:
        Client(leonardo_key=bad, env_file=False, environ={})
    assert bad not in str(caught.value)
    assert "LEAK" not in str(caught.value)


def test_sandbox_false_without_key_is_a_config_error() -> None:
    """Asking for live mode with no key says which variable to set."""
    with pytest.raises(ConfigError, match="LEONARDO_API_KEY"):
        Client(sandbox=False, env_file=False, environ={"AIMLAPI_API_KEY": KEY})


def test_keyless_provider_uses_sandbox_next_to_a_live_one() -> None:
    """One key: that provider is live, the other runs in the sandbox."""
    client = Client(aimlapi_key=KEY, env_file=False, environ={})
    assert (client.mode("leonardo"), client.mode("aimlapi")) == ("sandbox", "live")
    assert client.base_url("leonardo").endswith(".sandbox.kling-nb.invalid")
    assert repr(client).startswith("<kling_nb.Client leonardo=sandbox, aimlapi=live")


def test_keyless_loopback_host_is_live() -> None:
    """A loopback base URL with no key goes live against that host (the sandbox server)."""
    client = Client(env_file=False, environ={"LEONARDO_BASE_URL": "http://127.0.0.1:9"})
    assert client.mode("leonardo") == "live"
    assert client.mode("aimlapi") == "sandbox"
    assert "no key" in repr(client)


def test_keyless_remote_host_is_refused() -> None:
    """A non-default remote host with no key is refused rather than called without a key."""
    with pytest.raises(ConfigError, match="no API key"):
        Client(env_file=False, environ={"AIMLAPI_BASE_URL": "https://proxy.example"})


def test_kling_nb_sandbox_variable_forces_the_sandbox() -> None:
    """KLING_NB_SANDBOX=1 (set by the Binder start script) selects the sandbox despite keys."""
    env = {"KLING_NB_SANDBOX": "1", "LEONARDO_API_KEY": "k-123", "AIMLAPI_API_KEY": "k-456"}
    client = Client(environ=env, env_file=False, journal=False)
    assert client.is_sandbox("leonardo")
    assert client.is_sandbox("aimlapi")
    live = Client(environ={**env, "KLING_NB_SANDBOX": "0"}, env_file=False, journal=False)
    assert not live.is_sandbox("leonardo")


def test_binder_start_script_selects_the_sandbox_without_keys() -> None:
    """binder/start exports KLING_NB_SANDBOX=1 when no key is set, and runs the command."""
    import subprocess

    script = Path(__file__).resolve().parents[2] / "binder" / "start"
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([str(script), "sh", "-c", "echo $KLING_NB_SANDBOX"], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    keyed = subprocess.run([str(script), "sh", "-c", "echo ${KLING_NB_SANDBOX:-live}"],
                           env={**env, "LEONARDO_API_KEY": "k"}, capture_output=True,
                           text=True, check=True)
    assert keyed.stdout.strip() == "live"
