"""``kling-nb ranking``: the journal's blind verdicts ranked by a field, as a table or JSON,
live and sandbox apart; a bad level is a usage error; no journal says how to start one."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cli_helpers import run

import kling_nb as kn
from kling_nb.journal.journal import Journal

SPEC = kn.Kling30(prompt="a heron", duration=5)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Journal:
    """The default journal (KLING_NB_JOURNAL) with live prompts calm > storm (3 verdicts to 0)
    and one sandbox verdict."""
    monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "journal.db"))
    journal = Journal()
    handles = {}
    for name, prompt, sandbox in (("c", "calm", False), ("s", "storm", False),
                                  ("c2", "calm", False), ("x1", "calm", True),
                                  ("x2", "storm", True)):
        job = kn.Job(id=name, provider="leonardo", model=SPEC.key, sandbox=sandbox,
                     submitted_at=START, spec=SPEC.replace(prompt=prompt),
                     status=kn.Status.COMPLETE)
        handles[name] = journal.track(job).handle
    for left, right, said in (("c", "s", "left"), ("s", "c2", "right"), ("c", "s", "left"),
                              ("x1", "x2", "right")):
        journal.judge(handles[left], handles[right], said)
    return journal


def test_the_table_ranks_by_the_field(journal: Journal) -> None:
    """--by prompt: calm first with 3-0-0, the sandbox part apart with its own verdict."""
    status, text = run("ranking", "--by", "prompt")
    assert status == 0
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["prompt", "score"]
    assert lines[1].startswith("calm")
    assert lines[1].endswith("3-0-0")
    assert lines[2].startswith("storm")
    assert lines[2].endswith("0-0-3")
    assert "SANDBOX (offline emulator" in text
    assert "live: 3 verdicts; Bradley-Terry fit" in text


def test_a_field_no_job_has_is_a_usage_error(journal: Journal,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """--by promt (a typo): exit 2 naming the fields to use, not one group of every job."""
    status, text = run("ranking", "--by", "promt")
    assert status == 2
    assert text == ""
    err = capsys.readouterr().err
    assert "'promt' is not a field of these jobs" in err
    assert "prompt" in err


def test_json_rows_and_filters(journal: Journal) -> None:
    """--json prints one object per group; --live drops the sandbox rows; two fields group
    together."""
    status, text = run("ranking", "--by", "prompt", "--json", "--live")
    assert status == 0
    rows = json.loads(text)
    assert [(r["prompt"], r["wins"], r["sandbox"]) for r in rows] == [("calm", 3, False),
                                                                       ("storm", 0, False)]
    assert rows[0]["score"] > 0 > rows[1]["score"]
    assert rows[0]["low"] <= rows[0]["score"] <= rows[0]["high"]
    _status, text = run("ranking", "--by", "prompt,model", "--json", "--sandbox-only")
    assert [(r["prompt"], r["model"]) for r in json.loads(text)] == [
        ("storm", "leonardo/kling-3.0"), ("calm", "leonardo/kling-3.0")]


def test_a_level_outside_0_and_1_is_a_usage_error(journal: Journal,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """--level 2: argparse refuses it (exit 2) and says what is allowed."""
    with pytest.raises(SystemExit) as stopped:
        run("ranking", "--level", "2")
    assert stopped.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_without_a_journal_it_says_how_to_start_one(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """No journal file yet: exit 2, and the next line names the first command."""
    monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "none.db"))
    status, _text = run("ranking")
    assert status == 2
    assert "next:  kling-nb generate" in capsys.readouterr().err
