"""Each row's rules against the sandbox, through the public Client: a documented rule's breaking
input is refused before any request is sent; an inferred rule's is sent and the sandbox takes
it (the sandbox is never stricter than the docs). Read from every row's own rules."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
from client_helpers import client, instant_retries, sb
from clip_helpers import audio_clip

import kling_nb as kn
from kling_nb import MODELS, Client
from kling_nb.sandbox import Sandbox

__all__ = ["client", "instant_retries", "sb"]


def _cases(inferred: bool) -> list[Any]:
    return [pytest.param(key, rule.name, fields, id=f"{key}:{rule.name}:{n}")
            for key, row in MODELS.items() for rule in row.spec.checks
            if bool(rule.inferred) == inferred
            for n, fields in enumerate(rule.inputs_breaking(row.spec), 1)]


def _png() -> bytes:
    buffer = io.BytesIO()
    kn.sample_image("landscape").save(buffer, format="PNG")
    return buffer.getvalue()


def _reachable(fields: dict[str, Any], client: Client) -> dict[str, Any]:
    """The input with its made-up assets replaced by real ones: images by a sample image (the
    client uploads it), a video to edit by a finished sandbox video of the same length, a
    sound clip of a stated length by a real clip that long (the client reads its length)."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "video_reference":
            seconds = value.get("seconds") if isinstance(value, dict) else None
            value = client.generate(kn.Kling30(prompt="a source", duration=min(
                seconds or 5, 15), size="1920x1080"), progress=False)
        elif name in ("start_frame", "end_frame") and not (
                isinstance(value, str) and value.startswith(("https://", "data:"))):
            value = _png()  # an asset id (a dict or the docs' plain id): no account holds it
        elif name == "image_references":
            value = [_png() for _ in value]
        elif name == "audio_url" and isinstance(value, dict) and value.get("seconds"):
            value = audio_clip("MP3", float(value["seconds"]))
        out[name] = value
    return out


@pytest.mark.filterwarnings("ignore::kling_nb.RetiredModelWarning")
@pytest.mark.parametrize(("key", "name", "fields"), _cases(inferred=True))
def test_an_inferred_rule_is_sent_and_the_sandbox_takes_it(key: str, name: str,
                                                           fields: dict[str, Any],
                                                           client: Client, sb: Sandbox) -> None:
    """Warned about, then sent: the sandbox answers with a job."""
    inputs = _reachable(fields, client)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)  # the rule tests check it
        spec = MODELS[key].spec(**inputs)
        job = client.submit(spec)
    # a rule on what the client reads of a local clip (its length) is found on the spec sent
    assert name in {p.rule for p in (*spec.advisories, *job.spec.advisories)}
    assert job.id
    assert [r.path for r in sb.requests if r.method == "POST"][-1] == spec.endpoint


@pytest.mark.parametrize(("key", "name", "fields"), _cases(inferred=False))
def test_a_documented_rule_is_refused_before_anything_is_sent(key: str, name: str,
                                                               fields: dict[str, Any],
                                                               client: Client,
                                                               sb: Sandbox) -> None:
    """The spec refuses the input: no request reaches the sandbox."""
    with pytest.raises(kn.SpecError) as info:
        client.submit({"model": key, **fields})
    assert name in {p.rule for p in info.value.problems}
    assert sb.requests == []
