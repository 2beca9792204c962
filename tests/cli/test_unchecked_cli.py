"""``kling-nb generate --spec body.json --unchecked``: refused as the live API would refuse an
unknown model (exit 1, its message unchanged, the switch named); against a sandbox serving
unknown models: generated with the body's values changed by flags, labelled UNCHECKED, a lost
answer recovered, a killed command resumed by ``kling-nb resume``, listed by ``jobs``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import run_err as run
from client_helpers import FakeClock, instant_retries

from kling_nb.client import routing as _routing
from kling_nb.journal.journal import Journal
from kling_nb.sandbox import DROP_AFTER, Sandbox, SandboxServer, serve

__all__ = ["instant_retries"]

BODY = {"model": "kling-9.1", "public": False, "parameters": {
    "prompt": "a heron lands", "duration": 4, "width": 1920, "height": 1080}}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working folder with the body file and a journal; no keys in the environment."""
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                 "AIMLAPI_BASE_URL", "KLING_NB_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "journal.db"))
    monkeypatch.setenv("KLING_NB_RECONCILE_GRACE", "2")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "body.json").write_text(json.dumps(BODY))
    return tmp_path


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Iterator[SandboxServer]:
    """A served sandbox that takes unknown models, named with its key in the environment."""
    with serve(key="cli-key", listing_delay=0.2, accept_unknown_models=True) as server:
        monkeypatch.setenv("LEONARDO_BASE_URL", server.url)
        monkeypatch.setenv("LEONARDO_API_KEY", "cli-key")
        yield server


def test_an_unknown_model_is_refused_in_process_unchanged(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The offline sandbox refuses an unknown model as the API would: exit 1, the API's own
    words, and how to accept it; the journal keeps it as rejected."""
    monkeypatch.setattr(_routing, "_DEFAULT_SANDBOX", Sandbox())
    status, text, err = run(capsys, "generate", "--spec", "body.json", "--unchecked")
    assert status == 1
    assert text.startswith("UNCHECKED: leonardo/kling-9.1 (unchecked), POST "
                           "/api/rest/v2/generations")
    assert "invalid model 'kling-9.1'" in err
    assert "--accept-unknown-models" in err
    [entry] = Journal(folder / "journal.db").history()
    assert entry.status == "rejected"


def test_flags_change_the_body_and_the_video_is_labelled(
        served: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    """--prompt, --seed, --duration and --size change the body; the output says UNCHECKED;
    ``jobs`` and ``show`` list it under its unchecked key."""
    status, text, err = run(capsys, "generate", "--spec", "body.json", "--unchecked",
                            "--prompt", "a crane lands", "--seed", "5", "--duration", "6",
                            "--size", "1680x720")
    assert status == 0, err
    [create] = [r for r in served.sandbox.requests if r.method == "POST"]
    assert create.json["parameters"] == {"prompt": "a crane lands", "duration": 6,
                                         "width": 1680, "height": 720, "seed": 5}
    assert "note:  UNCHECKED: leonardo/kling-9.1 (unchecked)" in text
    status, listing, _ = run(capsys, "jobs")
    assert "leonardo/kling-9.1 (unchecked)" in listing
    assert "complete" in listing
    handle = listing.splitlines()[1].split()[0]
    status, shown, _ = run(capsys, "show", handle, "--json")
    assert json.loads(shown)["spec"]["body"]["parameters"]["seed"] == 5


@pytest.mark.usefixtures("instant_retries")
def test_a_lost_answer_is_recovered(served: SandboxServer,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The create's answer is lost: the job is found in the listing, exit 0, one create."""
    served.sandbox.faults.add(DROP_AFTER, route="create")
    status, text, err = run(capsys, "generate", "--spec", "body.json", "--unchecked")
    assert status == 0, err
    assert "recovered leonardo job" in text
    assert len([r for r in served.sandbox.requests if r.method == "POST"]) == 1


@pytest.mark.parametrize(("argv", "says"), [
    (("--unchecked",), "--spec FILE"),
    (("--spec", "body.json", "--unchecked", "--start-frame", "a.png"), "image_for_body"),
    (("--spec", "body.json", "--unchecked", "--model", "kling-3.0"), "--model"),
    (("--spec", "body.json", "--unchecked", "--image", "a.png"), "--image"),
    (("--spec", "body.json", "--unchecked", "--effect", "hug", "--keep-audio",
      "--motion-video", "m.mp4", "--character-orientation", "video"),
     "--effect, --motion-video, --character-orientation, --keep-audio"),
    (("--spec", "body.json", "--provider", "aimlapi"), "go with --unchecked"),
])
def test_usage_mistakes_send_nothing(folder: Path, argv: tuple[str, ...], says: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Flags that cannot go with --unchecked (or need it) exit 2 before anything is sent."""
    status, _, err = run(capsys, "generate", *argv)
    assert status == 2
    assert says in err


def test_a_killed_command_is_resumed(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """``generate`` killed while it waits: ``kling-nb resume`` finds the unchecked job in the
    journal, waits for it and downloads it; the body was sent once."""
    clock = FakeClock()
    with serve(key="cli-key", timing="realistic", clock=clock,
               accept_unknown_models=True) as server:
        env = {**os.environ, "LEONARDO_BASE_URL": server.url, "LEONARDO_API_KEY": "cli-key",
               "PYTHONPATH": str(ROOT), "TERM": "dumb"}
        command = subprocess.Popen(
            [sys.executable, "-m", "kling_nb.cli.main", "generate", "--spec", "body.json",
             "--unchecked"], env=env, cwd=folder, stdout=subprocess.PIPE, text=True)
        assert command.stdout is not None
        lines = [command.stdout.readline() for _ in range(3)]
        assert any(line.startswith("submitted leonardo job") for line in lines), lines
        command.send_signal(signal.SIGKILL)
        command.wait(10)
        command.stdout.close()
        clock.now += 10_000
        monkeypatch.setenv("LEONARDO_BASE_URL", server.url)
        monkeypatch.setenv("LEONARDO_API_KEY", "cli-key")
        status, text, err = run(capsys, "resume")
        assert status == 0, err
        assert "1 done" in text
        assert len([r for r in server.sandbox.requests if r.method == "POST"]) == 1
    [entry] = Journal(folder / "journal.db").history()
    assert entry.status == "complete"
    assert entry.saved is not None
    assert entry.model == "leonardo/kling-9.1 (unchecked)"
