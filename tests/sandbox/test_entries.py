"""Every sandbox entry, read from its own data: its samples are accepted and billed by its
price rule; each documented rule refuses the body its ``breaks`` make, each inferred rule's is
accepted (never stricter than the docs); its durations, sizes and prompt limit hold. A new
entry is tested here with no table to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from evidence import vendor_sources

from kling_nb.sandbox import Sandbox, price_rule
from kling_nb.sandbox._entry import Aiml, Entry, LeonardoV1, LeonardoV2
from kling_nb.sandbox._registry import entries
from kling_nb.sandbox._rules import MaxSeconds, WireRule

from .entry_helpers import Filler, base_sample, job_id, patched, refusal, url_of

ENTRIES = entries()
SAMPLES = [pytest.param(e, s, id=f"{e.row}:{n}") for e in ENTRIES
           for n, s in enumerate(e.samples, 1)]
RULES = [pytest.param(e, r, id=f"{e.row}:{type(r).__name__}:{r.subject}")
         for e in ENTRIES for r in e.rules]


@pytest.fixture
def fill(sb: Sandbox, client: httpx.Client) -> Filler:
    """Fills sample placeholders with this sandbox's own assets."""
    return Filler(sb, client)


@pytest.mark.parametrize(("entry", "sample"), SAMPLES)
def test_every_sample_is_accepted_and_billed_by_its_price_rule(
        entry: Entry, sample: dict[str, Any], client: httpx.Client, sb: Sandbox,
        fill: Filler) -> None:
    """A documented (or smallest valid) body is taken; the job costs what the rule says."""
    body = fill(sample)
    answer = client.post(url_of(entry, body), json=body)
    assert 200 <= answer.status_code < 300, answer.text
    job = sb.store.jobs[job_id(entry, answer)]
    assert job.order.model in entry.models
    rule = price_rule(body["model"])
    assert rule is entry.price
    expected = rule.usd(job.order.seconds, job.order.short_side, job.order.audio)
    assert job.cost == pytest.approx(expected * job.order.quantity, abs=0.0051)  # to the cent


ALIASES = [pytest.param(e, v.model, a, id=a) for e in ENTRIES if isinstance(e, Aiml)
           for v in e.variants for a in v.aliases]


@pytest.mark.parametrize(("entry", "model", "alias"), ALIASES)
def test_every_documented_alias_is_the_same_model(entry: Aiml, model: str, alias: str,
                                                  client: httpx.Client, sb: Sandbox,
                                                  fill: Filler) -> None:
    """A sample of a wire id, sent under one of its documented aliases, makes that model."""
    sample = next(s for s in entry.samples if s["model"] == model)
    answer = client.post(url_of(entry, dict(sample)), json=fill({**sample, "model": alias}))
    assert answer.status_code == 200, answer.text
    assert sb.store.jobs[answer.json()["id"]].order.model == model


@pytest.mark.parametrize(("entry", "rule"), RULES)
def test_each_rule_refuses_or_is_accepted_by_its_evidence(
        entry: Entry, rule: WireRule, client: httpx.Client, fill: Filler) -> None:
    """A documented rule refuses its breaking body, naming the input; an inferred rule's
    breaking body is accepted."""
    body = fill(patched(base_sample(entry, dict(rule.breaks)), dict(rule.breaks)))
    answer = client.post(url_of(entry, body), json=body)
    if rule.enforced:
        assert rule.subject in refusal(answer)
    else:
        assert 200 <= answer.status_code < 300, answer.text


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.row)
def test_every_entry_names_its_evidence(entry: Entry, seeds_dir: Path) -> None:
    """The entry's source and each documented rule name a vendor page or schema; each inferred
    rule says why; the price says where it is published or that it is made up."""
    assert vendor_sources(entry.source, seeds_dir), entry.source
    for rule in entry.rules:
        if rule.enforced:
            assert vendor_sources(rule.documented, seeds_dir), rule.documented
        else:
            assert len(rule.inferred) > 20
    assert entry.price.basis.startswith(("published: ", "made up by the sandbox: "))
    for model in entry.models:
        assert price_rule(model) is entry.price
    assert entry.samples


def _plain(entry: Entry) -> dict[str, Any]:
    """The first sample that gives no input a length limit depends on (not an edit)."""
    limited = {rule.when for rule in entry.rules if isinstance(rule, MaxSeconds)}
    for sample in entry.samples:
        guides = sample.get("parameters", {}).get("guidances") or {}
        if not limited & {*sample, *guides}:
            return dict(sample)
    return dict(entry.samples[0])


def _leonardo_body(entry: Entry, fill: Filler, **params: Any) -> dict[str, Any]:
    """The entry's plain sample with some parameters changed (None removes)."""
    if isinstance(entry, LeonardoV2):
        return fill(patched(_plain(entry), {f"parameters.{k}": v for k, v in params.items()}))
    return fill(patched(_plain(entry), params))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.row)
def test_durations_and_prompt_limit(entry: Entry, client: httpx.Client, fill: Filler) -> None:
    """The shortest and longest durations are taken, one past the longest is refused; a prompt
    of the limit is taken, one longer refused."""
    base = fill(_plain(entry))
    variant = entry.variant(base["model"]) if isinstance(entry, Aiml) else None
    checks = bool(entry.durations) and (variant is None or "duration" in variant.keys)

    def post(**fields: Any) -> httpx.Response:
        if isinstance(entry, LeonardoV2):
            body = patched(base, {f"parameters.{k}": v for k, v in fields.items()})
        else:
            body = {**base, **fields}
        return client.post(url_of(entry, body), json=body)

    if checks:
        for seconds in (entry.durations[0], entry.durations[-1]):
            assert post(duration=seconds).status_code < 300, seconds
        assert "duration" in refusal(post(duration=entry.durations[-1] + 1))
    if entry.prompt_max is not None:
        assert post(prompt="x" * entry.prompt_max).status_code < 300
        assert str(entry.prompt_max) in refusal(post(prompt="x" * (entry.prompt_max + 1)))


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not isinstance(e, Aiml)],
                         ids=lambda e: e.row)
def test_every_listed_size_is_taken_and_another_refused(entry: Entry, client: httpx.Client,
                                                        fill: Filler) -> None:
    """Each size of each tier is taken (with its tier where the request names one); a size in
    no list is refused unless the list is only inferred."""
    assert isinstance(entry, (LeonardoV1, LeonardoV2))
    sizes = entry.sizes
    for tier, pairs in sizes.tiers.items():
        for width, height in pairs:
            mode = {} if sizes.by_size else (
                {"mode": tier} if isinstance(entry, LeonardoV2) and "mode" in entry.parameters
                else {"resolution": tier} if isinstance(entry, LeonardoV1) else {})
            body = _leonardo_body(entry, fill, width=width, height=height, **mode)
            answer = client.post(url_of(entry, body), json=body)
            assert answer.status_code < 300, (tier, width, height, answer.text)
    odd = _leonardo_body(entry, fill, width=1000, height=1000)
    answer = client.post(url_of(entry, odd), json=odd)
    if sizes.inferred:
        assert answer.status_code < 300
    else:
        assert "dimensions" in refusal(answer)


def test_an_entry_cannot_leave_out_its_evidence() -> None:
    """A rule without documented= or inferred= (or both, or no breaks=), and a price neither
    published nor made up, are refused when the entry is written."""
    from kling_nb.sandbox._entry import Needs, PerJob

    with pytest.raises(ValueError, match="documented"):
        Needs(field="end_frame", other="start_frame", breaks={"x": 1})
    with pytest.raises(ValueError, match="documented"):
        Needs(field="end_frame", other="start_frame", documented="a", inferred="b",
              breaks={"x": 1})
    with pytest.raises(ValueError, match="breaks"):
        Needs(field="end_frame", other="start_frame", documented="a")
    with pytest.raises(ValueError, match="published"):
        PerJob(usd_by_seconds={5: 1.0})


def test_the_field_checks_new_inputs_need() -> None:
    """An audio clip is an https URL or a data:audio URI; an image field may take one image
    or a list (effects), within its bounds."""
    from kling_nb.sandbox._entry import Audio, Images
    from kling_nb.sandbox._wire import WireError

    Audio()("https://example.com/voice.mp3", "$.audio_url")
    Audio()("data:audio/mpeg;base64,SUQz", "$.audio_url")
    with pytest.raises(WireError, match="audio_url must be an https URL"):
        Audio()("ftp://example.com/voice.mp3", "$.audio_url")
    either = Images(1, 2, single=True)
    either("https://example.com/a.png", "$.image_url")
    either(["https://example.com/a.png"] * 2, "$.image_url")
    with pytest.raises(WireError, match="no more than 2"):
        either(["https://example.com/a.png"] * 3, "$.image_url")
    with pytest.raises(WireError, match="must be an array"):
        Images(1, 2)("https://example.com/a.png", "$.image_list")


def test_a_price_per_tier_and_sound() -> None:
    """A per-second price by tier and sound; a size between tiers takes the tier below."""
    from kling_nb.sandbox._entry import PerSecond

    price = PerSecond(rate={(720, False): 0.1, (720, True): 0.2, (1080, False): 0.3,
                            (1080, True): 0.4}, published="a third party")
    assert price.usd(10, 1080, True) == pytest.approx(4.0)
    assert price.usd(10, 720, False) == pytest.approx(1.0)
    assert price.usd(10, 1000, True) == pytest.approx(2.0)
    assert price.usd(10, 480, False) == pytest.approx(1.0)
    assert not price.is_made_up
