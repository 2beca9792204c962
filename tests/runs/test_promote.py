"""Draft, then final: the best drafts re-rendered on another row - the estimate comes before
anything is sent, the budget stops it, each final is linked to its draft, what the row does
not take is dropped and said, and a promotion killed in the middle is resumed without sending
anything twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import kling_nb as kn
from kling_nb.journal.journal import Journal
from kling_nb.runs.carry import carry, target_of
from kling_nb.runs.plan import BudgetExceededError
from kling_nb.runs.promote import Promotion, promote
from kling_nb.runs.promoted import PromotionPlan, PromotionResults
from kling_nb.sandbox import Sandbox, serve

WORKER = Path(__file__).resolve().parents[1] / "promote_worker.py"
DRAFT = kn.Kling30(prompt="x", duration=3, mode="RESOLUTION_720", size="1280x720")
FINAL = {"model": "leonardo/kling-3.0", "mode": "RESOLUTION_1080", "duration": 10}
PROMPTS = ["a fox", "a cat", "an owl"]


def creates(sb: Sandbox) -> int:
    """Create requests the sandbox received."""
    return sum(1 for r in sb.requests if r.method == "POST" and "generations" in r.path)


def drafted(client: kn.Client, journal: Journal) -> kn.SweepResults:
    """Six 3 s 720p drafts (3 prompts x 2 seeds), rated 1, 2, 3, 4, 5, 1 in sweep order."""
    results = kn.Sweep(DRAFT, prompts=PROMPTS, seeds=[1, 2]).run(client, progress=False)
    for index, entry in enumerate(results.history()):
        journal.rate(entry.handle, index % 5 + 1)
    return results


def test_the_estimate_comes_before_anything_is_sent(tmp_path: Path, journal: Journal) -> None:
    """promote() and plan() send nothing: the finals' estimate (documented 10 s 1080p price),
    the drafts they come from, what was dropped and the saving are shown first."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    before = len(sb.requests)
    promotion = drafts.promote(top=3, to=FINAL, max_cost_usd=20)
    plan = promotion.plan(journal, client)
    assert len(sb.requests) == before
    assert isinstance(plan, PromotionPlan)
    each = Decimal(str(kn.Kling30.estimated_usd(10)))
    assert plan.estimated_usd == 3 * each
    assert plan.everything_usd == 6 * each
    assert plan.saving_usd == 6 * each - plan.drafts_usd - 3 * each
    text = str(plan)
    assert text.startswith(f"promotion {promotion.id}: 3 job(s), estimated ${3 * each:.2f}")
    assert "the best 3 of 6 drafts by rating:" in text
    assert "dropped: size='1280x720'" in text  # a 720p size in 1080p mode
    assert "(SANDBOX prices: the published figures; not billed)" in text  # Kling 3.0's
    made_up = kn.Sweep({"model": "leonardo/kling-o3", "duration": 3},
                       prompts=PROMPTS[:2]).run(client, progress=False)  # no published price
    plan = made_up.promote(top=1, to=FINAL, by=lambda e: 1).plan(journal, client)
    assert "(SANDBOX prices, made up where no price is published; not billed)" in str(plan)
    assert "saving" in plan._repr_mimebundle_()["text/html"]
    assert [d.rating for d in promotion.draft_entries if d] == [5, 4, 3]
    few = kn.promote(list(drafts.history())[:2], top=2, to=FINAL).plan(journal, client)
    assert few.saving_usd is not None
    assert few.saving_usd < 0
    assert "no saving: ~$" in str(few)
    assert "$-" not in str(few)


def test_the_budget_stops_it_before_anything_is_sent(tmp_path: Path, journal: Journal) -> None:
    """A budget under the estimate: BudgetExceededError, and not one create request."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    sent = creates(sb)
    promotion = drafts.promote(top=3, to=FINAL, max_cost_usd=2)
    with pytest.raises(BudgetExceededError, match="nothing was sent"):
        promotion.run(client, progress=False)
    assert creates(sb) == sent
    assert journal.history(sweep=promotion.id) == []


def test_finals_are_linked_to_their_drafts(tmp_path: Path, journal: Journal) -> None:
    """Each final re-renders its draft's prompt and seed on the final row; the journal, the
    history, the sidecar and the results pair each final with its draft, saying what the
    final changed."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    promotion = drafts.promote(top=2, to=FINAL, max_cost_usd=20)
    finals = promotion.run(client, progress=False)
    assert isinstance(finals, PromotionResults)
    assert creates(sb) == 6 + 2
    for draft, item in finals.pairs:
        assert draft is not None
        assert item.state == "complete"
        entry = journal.entry(item.job_id or "")
        assert entry.draft_of == draft.handle
        assert (entry.prompt, entry.seed) == (draft.prompt, draft.seed)
        assert (entry.duration, entry.spec_data["mode"]) == (10, "RESOLUTION_1080")
        assert entry.path is not None
        assert json.loads(Path(f"{entry.path}.json").read_text())["draft_of"] == draft.handle
    assert [d.rating for d, _ in finals.pairs if d] == [5, 4]
    records = journal.history(sweep=promotion.id).to_records()
    assert {r["draft_of"] for r in records} == {d.handle for d, _ in finals.pairs if d}
    text = str(finals)
    assert text.count("-> final [complete]") == 2
    assert "(sandbox price, not billed)" in text
    assert text.count("changed: duration 3 -> 10; mode RESOLUTION_720 -> RESOLUTION_1080; "
                      "size 1280x720 -> default") == 2  # a 720p size in 1080p mode
    html = finals._repr_mimebundle_()["text/html"]
    assert "kling-nb-promotion" in html
    assert "duration 3 -&gt; 10<br/>mode RESOLUTION_720 -&gt; RESOLUTION_1080" in html
    assert "same for all" not in html  # one card per final, not a grid of one
    assert "final of draft" in journal.history(sweep=promotion.id)._repr_mimebundle_()[
        "text/html"]
    again = Promotion.load(journal, promotion.id)
    assert [d.handle for d, _ in again.results.pairs if d] == [d.handle for d, _ in finals.pairs
                                                               if d]
    entry = journal.entry(finals[0].job_id or "")
    resent = journal.resubmit(client, entry.handle, force=True)
    assert journal.entry(resent.id).draft_of == entry.draft_of


def test_promoting_the_same_drafts_again_sends_nothing_twice(tmp_path: Path,
                                                            journal: Journal) -> None:
    """The cell run again: a draft that already has a final on the row is left out and named
    (the next best is not picked instead); only ``again=True`` pays for it once more."""
    sb = Sandbox()
    client = kn.Client(sandbox=sb, journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    drafts.promote(top=1, to=FINAL).run(client, progress=False)
    assert creates(sb) == 6 + 1
    with pytest.raises(ValueError, match=r"already has a final on leonardo/kling-3\.0") as caught:
        drafts.promote(top=1, to=FINAL)
    assert "again=True" in str(caught.value)
    assert creates(sb) == 6 + 1
    two = drafts.promote(top=2, to=FINAL)
    assert [d.rating for d in two.draft_entries if d] == [4]
    assert "not sent again: draft" in str(two.plan(journal, client))
    two.run(client, progress=False)
    assert creates(sb) == 6 + 2
    drafts.promote(top=1, to=FINAL, again=True).run(client, progress=False)
    assert creates(sb) == 6 + 3
    other_row = drafts.promote(top=1, to={"model": "leonardo/kling-2.5-turbo"})
    assert [d.rating for d in other_row.draft_entries if d] == [5]


def test_sandbox_and_live_drafts_are_not_ranked_together(journal: Journal) -> None:
    """A pool holding both kinds is refused before anything is chosen, saying how to pick."""
    now = datetime.now(timezone.utc)
    entries = [journal.entry(journal.track(kn.Job(
        id=name, provider="leonardo", model=DRAFT.key, sandbox=sandbox, spec=DRAFT,
        submitted_at=now, status=kn.Status.COMPLETE)).handle)
        for name, sandbox in (("s1", True), ("l1", False))]
    with pytest.raises(ValueError, match=r"mix sandbox and live .*history\(sandbox=False\)"):
        promote(entries, top=1, to=FINAL, journal=journal)


def test_best_by_a_metric_a_function_a_mapping_or_an_order(tmp_path: Path,
                                                          journal: Journal) -> None:
    """by= a metric name, a function of an entry, {job id: score}, or an explicit order."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    history = drafts.history()
    by_motion = sorted(history, key=lambda e: -(e.measures["motion"] or 0))
    chosen = drafts.promote(top=2, to=FINAL, by="motion").draft_entries
    assert [e.handle for e in chosen if e] == [e.handle for e in by_motion[:2]]
    assert drafts.promote(top=1, to=FINAL, by=lambda e: -e.rating).draft_entries[0] == \
        min(history, key=lambda e: e.rating or 0)
    scores = {e.job_id: float(i) for i, e in enumerate(history)}
    assert drafts.promote(top=1, to=FINAL, by=scores).draft_entries[0] == history[-1]
    order = [history[3].job_id, history[0].handle[:8], history[3].handle]
    picked = drafts.promote(top=3, to=FINAL, by=order)
    assert [e.handle for e in picked.draft_entries if e] == [history[3].handle,
                                                             history[0].handle]
    assert picked.ranked_by == "the order given"
    with pytest.raises(ValueError, match="not a finished draft"):
        drafts.promote(to=FINAL, by=["no-such-job"])
    with pytest.raises(ValueError, match="top"):
        drafts.promote(to=FINAL, top=0)


def test_a_history_selection_or_job_ids_can_be_promoted(tmp_path: Path,
                                                         journal: Journal) -> None:
    """kn.promote takes a history, or job ids with journal=; ids without one are refused."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    from_history = promote(journal.history(sweep=drafts.sweep_id), to=kn.Kling30, top=1)
    assert from_history.draft_entries[0] is not None
    assert from_history.draft_entries[0].rating == 5
    ids = [r.job_id for r in drafts.results]
    assert len(kn.promote(ids, to="leonardo/kling-3.0", top=2, journal=journal)) == 2
    with pytest.raises(LookupError, match="without a journal"):
        kn.promote(ids, to=kn.Kling30)


def test_what_the_target_row_does_not_take_is_dropped_and_said() -> None:
    """Sound and seed on a row without them are dropped; the target's own settings win; a
    size the target mode refuses falls back to its default; a bad target setting raises."""
    draft = kn.Kling30(prompt="a heron", duration=5, seed=7, audio=True, size="1920x1080")
    row, settings = target_of("leonardo/kling-2.5-turbo")
    final, dropped = carry(draft, row, settings)
    assert final.key == "leonardo/kling-2.5-turbo"
    assert final.to_dict() == {"prompt": "a heron", "duration": 5, "width": 1920,
                               "height": 1080, "model": "leonardo/kling-2.5-turbo"}
    assert dropped == ["seed (Kling 2.5 Turbo takes no seed)",
                       "audio (Kling 2.5 Turbo takes no audio)"]
    row, settings = target_of(kn.Kling30(prompt="ignored", mode="RESOLUTION_720", duration=8))
    final, dropped = carry(draft, row, settings)
    assert (final.prompt, final.seed, final.duration) == ("a heron", 7, 8)  # type: ignore[attr-defined]
    assert [d.split("=")[0] for d in dropped] == ["size"]
    with pytest.raises(kn.SpecError):
        carry(draft, *target_of({"model": "leonardo/kling-3.0", "duration": 99}))
    with pytest.raises(ValueError, match="not a model key"):
        target_of("kling-9000")
    with pytest.raises(TypeError, match="not a model row"):
        target_of(3)  # type: ignore[arg-type]


def test_a_promotion_killed_in_the_middle_loses_nothing(tmp_path: Path) -> None:
    """A process promoting 3 drafts two at a time is SIGKILLed after its first two creates;
    resuming sends only the third, and every final ends linked to its draft."""

    class Clock:
        """The sandbox's clock: moves ``step`` seconds at every reading (0: stands still)."""

        def __init__(self) -> None:
            self.now, self.step = 1_800_000_000.0, 1000.0

        def __call__(self) -> float:
            self.now += self.step
            return self.now

    clock = Clock()
    fast = kn.PollSchedule((0.0, 0.0), min_interval=0.05, max_interval=0.1)
    with serve(timing="realistic", clock=clock, key="k") as server:
        journal = Journal(tmp_path / "j.db")
        client = kn.Client(leonardo_key="k", leonardo_base_url=server.url, journal=journal,
                           download_dir=tmp_path, poll=fast, env_file=False)
        drafts = drafted(client, journal)
        best = [e.handle for e in sorted(drafts.history(), key=lambda e: -(e.rating or 0))[:3]]
        clock.step = 0.0  # the finals stay pending while the worker runs
        env = {**os.environ, "KLING_NB_JOURNAL": str(journal.path),
               "LEONARDO_BASE_URL": server.url, "LEONARDO_API_KEY": "k",
               "PYTHONPATH": str(WORKER.parents[1])}
        worker = subprocess.Popen([sys.executable, str(WORKER), drafts.sweep_id or "",
                                   str(tmp_path)], env=env, stdout=subprocess.PIPE, text=True)
        assert worker.stdout is not None
        promotion_id = worker.stdout.readline().split()[1]
        sent = [worker.stdout.readline().split()[1] for _ in range(2)]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker.stdout.close()
        assert creates(server.sandbox) == 6 + 2
        clock.step = 1000.0
        resumed = journal.resume(client, sweep=promotion_id)
        assert resumed.errors == []
        assert creates(server.sandbox) == 6 + 3
        finals = journal.history(sweep=promotion_id)
        assert len(finals) == 3
        assert {e.status for e in finals} == {"complete"}
        assert set(sent) <= {e.job_id for e in finals}
        assert sorted(e.draft_of or "" for e in finals) == sorted(best)
        assert all(e.path is not None and e.path.exists() for e in finals)
        pairs = Promotion.load(journal, promotion_id).results.pairs
        assert [d.handle for d, _ in pairs if d] == best
        journal.close()


def test_best_by_the_blind_score(tmp_path: Path, journal: Journal) -> None:
    """by="blind_score" promotes the drafts that won the blind verdicts between them (read
    from the drafts' journal), for a sweep's results and a history alike; by a ranking by
    prompt, the winning prompt's drafts."""
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    drafts = drafted(client, journal)
    history = drafts.history()
    owl = [e for e in history if e.prompt == "an owl"]
    for winner in owl:
        for loser in history:
            if loser.prompt != "an owl":
                journal.judge(loser.handle, winner.handle, "right")
    promotion = drafts.promote(top=2, to=FINAL, by="blind_score")
    assert {e.handle for e in promotion.draft_entries if e} == {e.handle for e in owl}
    assert "by blind_score:" in str(promotion.plan(journal, client))
    again = kn.promote(journal.history(sweep=drafts.sweep_id), to=FINAL, top=1,
                       by="blind_score")
    assert again.draft_entries[0] in owl
    with pytest.raises(ValueError, match="none has a blind_score"):
        kn.promote(list(history), to=FINAL, by="blind_score")
    by_prompt = drafts.promote(top=2, to=FINAL, by=drafts.ranking(by="prompt"))
    assert [e.prompt for e in by_prompt.draft_entries if e] == ["an owl", "an owl"]
    assert by_prompt.ranked_by == "blind ranking (prompt)"
    lines = by_prompt.plan(journal, client).lines()
    assert "'an owl' seed 1, 5 stars;" in lines[1]
    assert "'an owl' seed 2, 1 star;" in lines[2]
