"""A client in a notebook says, per provider, sandbox or live and why, how to go live, and
where its videos and journal are - never the key itself."""

from __future__ import annotations

from pathlib import Path

import kling_nb as kn

KEY = "sk-VIEW-TEST-77"


def test_a_keyless_client_says_sandbox_free_and_how_to_go_live(tmp_path: Path) -> None:
    """No key: both providers in the sandbox, free; the key variables to set; videos and
    journal named; the repr stays the short one."""
    client = kn.Client(env_file=False, environ={}, journal=kn.Journal(tmp_path / "j.db"))
    shown = client._repr_mimebundle_()
    text = shown["text/plain"]
    assert text.startswith("kling_nb client: SANDBOX for Leonardo.AI and AI/ML API (no API key)")
    assert "free, marked SANDBOX" in text
    assert "LEONARDO_API_KEY and/or AIMLAPI_API_KEY" in text
    assert "never in a cell" in text
    assert "Videos go to kling_videos/" in text
    assert "journal.resume(client)" in text
    assert "kling-nb-client" in shown["text/html"]
    assert repr(client) == "<kling_nb.Client leonardo=sandbox, aimlapi=sandbox>"


def test_a_live_provider_is_said_to_be_billed_and_its_key_never_shown() -> None:
    """A key for one provider: that one LIVE and billed, the other SANDBOX with its variable;
    no journal is said to risk jobs."""
    client = kn.Client(env_file=False, environ={"LEONARDO_API_KEY": KEY}, journal=False)
    shown = client._repr_mimebundle_()
    text = shown["text/plain"]
    assert "LIVE for Leonardo.AI (key from LEONARDO_API_KEY (environment))" in text
    assert "billed to your account" in text
    assert "set AIMLAPI_API_KEY in the environment" in text
    assert "no journal (journal=False)" in text
    assert KEY not in text + shown["text/html"]
