"""How a client shows itself in a notebook: sandbox or live per provider, how to go live, and
where its videos and its journal are - the set-up a tutorial's first cell needs to say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.core.html import esc
from kling_nb.specs.providers import KEY_VARIABLES, PROVIDER_NAMES

from .journal import Journal

if TYPE_CHECKING:
    from kling_nb.client.client import Client


def modes(client: Client) -> list[tuple[str, str, bool, str]]:
    """Each provider: its id, its name, whether it is live, and why (where its key is from)."""
    found = []
    for provider, config in client.configs.items():
        live = not client.is_sandbox(provider)
        why = (f"key from {config.key_source}" if config.key else "no key") if live else (
            "no API key" if config.key is None else "sandbox chosen")
        found.append((provider, PROVIDER_NAMES[provider], live, why))
    return found


def lines(client: Client) -> list[str]:
    """The client's description, one line each."""
    found = modes(client)
    groups: dict[tuple[bool, str], list[str]] = {}
    for _, name, live, why in found:
        groups.setdefault((live, why), []).append(name)
    head = "; ".join(f"{'LIVE' if live else 'SANDBOX'} for {' and '.join(names)} ({why})"
                     for (live, why), names in groups.items())
    text = [f"kling_nb client: {head}"]
    if any(live for _, _, live, _ in found):
        text.append("Jobs on a LIVE provider are billed to your account.")
    keyless = [KEY_VARIABLES[p] for p, _, live, why in found if not live and why == "no API key"]
    if len(text) == 1 or keyless:
        text.append("SANDBOX jobs run in the offline emulator: free, marked SANDBOX, never a "
                    "video made by Kling.")
    if keyless:
        text.append(f"To go live: set {' and/or '.join(keyless)} in the environment or a .env "
                    "file beside the notebook (never in a cell: notebooks get shared), then "
                    "restart the kernel; the same cells then call the real APIs and cost money.")
    journal = Journal.of(client)
    kept = ("every job is written to the journal before it is sent, so a restart loses "
            "nothing (journal.resume(client))" if journal is not None
            else "no journal (journal=False): a restart can lose jobs")
    text.append(f"Videos go to {client.download_dir.as_posix()}/ (result.path); {kept}.")
    return text


def client_bundle(client: Client) -> dict[str, str]:
    """The client's MIME bundle: the lines as text, and as a short HTML block."""
    text = lines(client)
    body = "".join(f"<li>{esc(line)}</li>" for line in text[1:])
    html = (f"<div class='kling-nb-client'><b>{esc(text[0])}</b><ul style='margin:2px 0'>"
            f"{body}</ul></div>")
    return {"text/plain": "\n".join(text), "text/html": html}
