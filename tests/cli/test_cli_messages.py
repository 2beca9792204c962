"""What the command line says when something is off, as a person would want it: sandbox
prices labelled, typos answered with the key meant, sizes and aspect ratios explained, warnings
as one line with CLI advice, plain --help, short handles asked to be longer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import default_sandbox
from cli_helpers import run_err as run
from client_helpers import instant_retries

from kling_nb.cli import main as _cli
from kling_nb.sandbox import Sandbox
from kling_nb.specs.inferred import forget_warnings

__all__ = ["instant_retries"]

TURBO = ["generate", "--model", "leonardo/kling-3.0-turbo", "--prompt", "a fox", "--duration",
         "3", "--size", "1280x720"]


@pytest.fixture
def sb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """The process's default sandbox, no keys, a journal in tmp_path, warnings not yet given."""
    fresh = default_sandbox(monkeypatch, tmp_path)
    forget_warnings()
    return fresh


def next_line(err: str) -> str:
    """The command of the ``next:`` line (without its explanation)."""
    line = next(x for x in err.splitlines() if x.startswith("next:  "))
    return line[len("next:  "):].split("   (")[0]


def test_sandbox_prices_are_labelled_in_every_listing(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """generate, jobs, jobs --json and show call a sandbox job's figure a sandbox price (made
    up for a row with no published price), never a cost; a published row's says so too."""
    status, text, _ = run(capsys, *TURBO)
    assert status == 0
    made_up = "(made-up sandbox price: no price is published; not billed)"
    assert f", price $0.25 {made_up}" in text
    assert f"price: $0.25 {made_up}" in text
    assert "cost" not in text
    status, text, _ = run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt", "x",
                          "--duration", "3")
    assert "price: $0.57 (sandbox price, not billed)" in text
    listing = run(capsys, "jobs")[1]
    assert f"$0.25 {made_up}" in listing
    assert "$0.57 (sandbox price, not billed)" in listing
    listed = json.loads(run(capsys, "jobs", "--json")[1])
    assert listed[1]["cost"] == f"$0.25 {made_up}"
    shown = run(capsys, "show", listed[1]["handle"])[1]
    assert f"$0.25 {made_up}" in shown


def test_a_typo_names_the_key_it_meant(sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """generate with a mistyped model points next: at the key it meant, and `models TYPO`
    offers it too; a short name two providers share asks which."""
    status, _, err = run(capsys, "generate", "--model", "leonardo/kling-3.0-trubo",
                         "--prompt", "x")
    assert status == 2
    assert "Did you mean 'leonardo/kling-3.0-turbo'?" in err
    assert next_line(err) == "kling-nb models leonardo/kling-3.0-turbo"
    status, _, err = run(capsys, "models", "kling-3.0-trubo")
    assert status == 2
    assert "no model 'kling-3.0-trubo'. Did you mean 'leonardo/kling-3.0-turbo'?" in err
    assert next_line(err) == "kling-nb models leonardo/kling-3.0-turbo"
    status, _, err = run(capsys, "models", "kling-2.1-pro")
    assert "say which, leonardo/kling-2.1-pro or aimlapi/kling-2.1-pro" in err
    assert next_line(err) == "kling-nb models"


def test_a_wrong_size_lists_every_size_and_its_tier(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """--size 1024x768 on Kling 3.0 (no mode chosen) lists the 720p sizes too, with tiers."""
    status, _, err = run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt", "x",
                         "--size", "1024x768")
    assert status == 2
    assert "in mode" not in err
    assert "1280x720, 720x1280, 960x960 (720p, Standard, mode RESOLUTION_720)" in err
    assert "1920x1080, 1080x1920, 1440x1440 (1080p, Pro, mode RESOLUTION_1080)" in err


def test_aspect_ratio_on_a_sized_row_names_the_sizes_to_use(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """--aspect-ratio on a Leonardo row says to use --size, with that ratio's sizes; --size on
    an aspect-ratio row says to use --aspect-ratio; neither lists wire fields."""
    status, _, err = run(capsys, "generate", "--model", "leonardo/kling-3.0", "--prompt", "x",
                         "--aspect-ratio", "9:16")
    assert status == 2
    assert ("--aspect-ratio 9:16: Kling 3.0 on Leonardo.AI takes a size, not an aspect ratio: "
            "use --size 720x1280 (720p, Standard) or --size 1080x1920 (1080p, Pro)") in err
    assert "unknown field" not in err
    assert next_line(err) == "kling-nb models leonardo/kling-3.0"
    status, _, err = run(capsys, "generate", "--model", "aimlapi/kling-3.0-pro", "--prompt", "x",
                         "--size", "1280x720")
    assert status == 2
    assert "takes no size: use --aspect-ratio (16:9, 9:16, 1:1)" in err
    assert "unknown field" not in err
    assert sb.requests == []


def test_warnings_are_one_line_with_cli_advice(
        sb: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An inferred rule warns in one `warning:` line naming --strict and the environment
    variable (no Python advice); --strict and KLING_NB_INFERRED_RULES=strict refuse it."""
    status, _, err = run(capsys, *TURBO)
    assert status == 0
    warning = [line for line in err.splitlines() if "inferred rule" in line]
    assert len(warning) == 1
    assert warning[0].startswith("warning: Kling 3.0 Turbo [leonardo/kling-3.0-turbo]")
    assert "(--strict, or KLING_NB_INFERRED_RULES=strict, makes such rules errors)" in warning[0]
    assert "kn." not in err
    assert "InferredRuleWarning" not in err
    sent = len(sb.requests)
    status, _, err = run(capsys, *TURBO, "--strict")
    assert status == 2
    assert "Kling 3.0 Turbo without a start frame" in err
    monkeypatch.setenv("KLING_NB_INFERRED_RULES", "strict")
    assert run(capsys, *TURBO)[0] == 2
    assert len(sb.requests) == sent


def test_a_warning_from_the_installed_command_is_one_line(tmp_path: Path) -> None:
    """Run as the installed command, a warning is not Python's `file:line: Category:` form
    followed by the source line."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KLING_NB_JOURNAL": "off"}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from kling_nb.cli.main import main; "
         "sys.exit(main())", *TURBO],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "start frame" in line]
    assert len(lines) == 1
    assert lines[0].startswith("warning: Kling 3.0 Turbo")
    assert "sys.exit" not in done.stderr
    assert not re.search(r"\.py:\d+: \w*Warning", done.stderr)


def test_help_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    """kling-nb --help has no reST markup and lists the exit statuses one per line."""
    with pytest.raises(SystemExit):
        _cli.main(["--help"])
    text = capsys.readouterr().out
    assert "``" not in text
    assert "\n  3  stopped waiting (--timeout)" in text
    assert all(len(line) <= 80 for line in text.split("exit status:")[1].splitlines())


def test_a_short_handle_asks_for_four_characters(
        sb: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """show ab asks for 4 or more characters instead of saying there is no such job."""
    assert run(capsys, *TURBO)[0] == 0
    status, _, err = run(capsys, "show", "ab")
    assert status == 2
    assert "'ab' is too short to name a job: give 4 or more characters" in err
    assert "has no job" not in err


def test_a_reader_that_goes_away_stops_the_command_quietly(tmp_path: Path) -> None:
    """`kling-nb models | head -1`: the command stops when the pipe closes, with the shell's
    SIGPIPE status and no traceback or "Exception ignored" on stderr."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KLING_NB_JOURNAL": "off"}
    command = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kling_nb.cli.main import main; "
         "sys.exit(main())", "models"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    assert command.stdout is not None
    assert command.stderr is not None
    command.stdout.close()  # gone before the command prints its first line
    status = command.wait(timeout=120)
    err = command.stderr.read().decode()
    assert status == 141, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
