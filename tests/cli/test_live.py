"""The wait on a terminal: one live line per job on a pseudo-terminal (status, time against
the expected time, download bytes and rate), plain event lines through a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from client_helpers import KEY

from kling_nb.cli.live import Line
from kling_nb.sandbox import serve

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                        "AIMLAPI_BASE_URL", "KLING_NB_SANDBOX", "NO_COLOR")}
    return {**env, "KLING_NB_JOURNAL": str(tmp_path / "journal.db"), "TERM": "xterm-256color",
            "COLUMNS": "160", **extra}


def _command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "kling_nb.cli.main", "generate", "--model",
            "leonardo/kling-3.0", "--prompt", "a heron", "--duration", "3", *argv]


def on_a_terminal(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run a command with its stdout and stderr on a pseudo-terminal: exit status, output."""
    parent, child = pty.openpty()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=child, stderr=child,
                               env=env, cwd=cwd, close_fds=True)
    os.close(child)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the child side closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    return process.wait(60), b"".join(chunks).decode()


def test_a_job_in_flight_has_a_live_line_on_a_terminal(tmp_path: Path) -> None:
    """On a pseudo-terminal, a job that takes minutes gets one line redrawn in place: its
    status, the time since submit ticking (0:00, then 0:01 while nothing else happens) and
    the band its poll schedule expects; --timeout leaves it on screen and exits 3."""
    with serve(key=KEY, timing="realistic") as upstream:
        env = _env(tmp_path, LEONARDO_API_KEY=KEY, LEONARDO_BASE_URL=upstream.url)
        status, shown = on_a_terminal(_command("--timeout", "1.2", "--no-download"), env,
                                      tmp_path)
    assert status == 3, shown
    assert "\x1b[2K" in shown  # the line is erased and drawn again, in place
    text = ANSI.sub("", shown)
    band = "usually ready 1:48-2:24 after submit"  # 36-48 s per second of a 3 s video
    assert f"leonardo/kling-3.0 {text.split('[')[1][:8]} pending 0:00, {band}" in text
    assert f"pending 0:01, {band}" in text
    assert text.index("submitted leonardo job") < text.index("pending 0:00")
    assert "error: " in text.split("pending 0:01")[-1]  # printed below the last drawing


def test_a_download_shows_its_bytes_and_rate_on_a_terminal(tmp_path: Path) -> None:
    """In the offline sandbox the line ends with the saved video's size and the rate."""
    status, shown = on_a_terminal(_command(), _env(tmp_path), tmp_path)
    assert status == 0, shown
    text = ANSI.sub("", shown)
    assert re.search(r"leonardo/kling-3\.0 [0-9a-f]{8} complete, saved [\d.]+ kB "
                     r"\([\d.]+ (bytes|kB|MB|GB)/s\)", text), text
    assert text.index("saved ") < text.index("video: ")


def test_a_terminal_that_cannot_redraw_gets_the_plain_lines(tmp_path: Path) -> None:
    """TERM=dumb (an editor's shell, say): the plain event lines, even on a terminal."""
    status, shown = on_a_terminal(_command(), _env(tmp_path, TERM="dumb"), tmp_path)
    assert status == 0, shown
    assert "\x1b" not in shown
    assert "  pending after 0 s\r\n  complete after 0 s\r\n" in shown


def test_plain_event_lines_through_a_pipe(tmp_path: Path) -> None:
    """Through a pipe (CI, a log file): the plain event lines, no escape codes, no rich."""
    done = subprocess.run([*_command(), "-v"], env=_env(tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("submitted leonardo job ")
    assert lines[1:3] == ["  pending after 0 s", "  complete after 0 s"]
    assert lines[3].startswith("video: ")


@pytest.mark.parametrize(("received", "total", "now", "shown"), [
    (1_000_000, 4_000_000, 0.5, "running, downloading 1.0 MB of 4.0 MB, 2.0 MB/s"),
    (3_000_000, None, 2.0, "running, downloading 3.0 MB, 1.0 MB/s"),
])
def test_a_downloading_line_counts_bytes_against_the_whole(
        received: int, total: int | None, now: float, shown: str) -> None:
    """While a video downloads, its line shows the bytes so far, of how many, and the rate
    since the download started (a resumed file's earlier bytes not counted)."""
    line = Line("leonardo/kling-3.0 3f2a9c1e", "running", job=None, expected=None,
                download_from=(0.0, 1_000_000 if total is None else 0))
    line.received, line.total = received, total
    assert f"running, {line.text(now)}" == shown
    assert line.going
