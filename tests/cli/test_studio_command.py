"""``kling-nb studio``: the Voila command it runs, its environment, the browser, the message
when Voila is missing, the page shipped in the package; no server is started here (the
browser test, tests/browser/test_studio_app.py, runs the real one)."""

from __future__ import annotations

import fnmatch
import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from kling_nb.cli import main as _cli
from kling_nb.cli import studio as studio_cli
from kling_nb.core.apps import FOLDER_VARIABLE, STUDIO_NOTEBOOK

ROOT = Path(__file__).resolve().parents[2]


class FakeVoila:
    """A stand-in for the Voila process: records how it was started, ends as told."""

    def __init__(self, ends: list[Any]) -> None:
        self.ends = ends
        self.started: list[tuple[list[str], dict[str, str], Path]] = []
        self.signals: list[str] = []

    def __call__(self, command: list[str], *, env: dict[str, str], cwd: Path) -> FakeVoila:
        self.started.append((command, env, cwd))
        return self

    def poll(self) -> int | None:
        return None

    def wait(self, timeout: float | None = None) -> int:
        end = self.ends.pop(0) if self.ends else 0
        if isinstance(end, BaseException):
            raise end
        return int(end)

    def send_signal(self, sig: int) -> None:
        self.signals.append(f"signal {sig}")

    def terminate(self) -> None:
        self.signals.append("terminate")

    def kill(self) -> None:
        self.signals.append("kill")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder, a key in the environment (that must stay out of every command
    line and message), no token and no sandbox choice of the caller's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEONARDO_API_KEY", "lk-very-secret-key")
    for name in ("JUPYTER_TOKEN", "KLING_NB_SANDBOX", FOLDER_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(*argv: str, voila: FakeVoila | None = None,
        opened: list[str] | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = studio_cli.studio_main(list(argv), out, popen=voila or FakeVoila([0]),
                                    open_browser=(opened if opened is not None else []).append)
    return status, out.getvalue()


def test_it_runs_voila_on_the_shipped_page_on_loopback(workdir: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """``python -m voila PAGE`` on 127.0.0.1 at exactly that port, a token from the
    environment, the sandbox with --sandbox, the working folder named; no key anywhere."""
    voila = FakeVoila([0])
    status, text = run("--port", "9123", "--no-browser", "--sandbox", voila=voila)
    assert status == 0
    [(command, env, cwd)] = voila.started
    assert command[:4] == [sys.executable, "-m", "voila", str(STUDIO_NOTEBOOK)]
    assert {"--no-browser", "--port=9123", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--token"} <= set(command)
    assert env["KLING_NB_SANDBOX"] == "1"
    assert env[FOLDER_VARIABLE] == str(workdir.resolve())
    assert cwd == workdir.resolve()
    token = env["JUPYTER_TOKEN"]
    assert len(token) >= 32
    assert not any(token in part for part in command)  # in the environment only
    assert f"http://127.0.0.1:9123/?token={token}" in text
    assert "SANDBOX" in text
    assert str(workdir.resolve() / "kling_videos") in text
    everything = " ".join(command) + text + capsys.readouterr().err
    assert "lk-very-secret" not in everything
    assert env["LEONARDO_API_KEY"] == "lk-very-secret-key"  # the page reads it as usual


def test_without_sandbox_the_keys_decide(workdir: Path) -> None:
    """No --sandbox: KLING_NB_SANDBOX is left alone; the message says the page tells."""
    voila = FakeVoila([0])
    status, text = run("--port", "9124", "--no-browser", voila=voila)
    assert status == 0
    assert "KLING_NB_SANDBOX" not in voila.started[0][1]
    assert "the page says which" in text


def test_a_token_and_folder_of_the_callers_are_kept(workdir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """JUPYTER_TOKEN and KLING_NB_STUDIO_DIR already set are used as they are."""
    monkeypatch.setenv("JUPYTER_TOKEN", "tok-of-my-own")
    monkeypatch.setenv(FOLDER_VARIABLE, str(workdir / "elsewhere"))
    voila = FakeVoila([0])
    _, text = run("--port", "9125", "--no-browser", voila=voila)
    env = voila.started[0][1]
    assert env["JUPYTER_TOKEN"] == "tok-of-my-own"
    assert env[FOLDER_VARIABLE] == str((workdir / "elsewhere").resolve())
    assert "?token=tok-of-my-own" in text


def test_the_browser_opens_at_the_page_once_the_server_answers(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --no-browser, the page (with its token) opens once Voila answers."""
    asked: list[str] = []
    monkeypatch.setattr(studio_cli, "wait_until_up",
                        lambda process, url, timeout=60.0: asked.append(url) or True)
    opened: list[str] = []
    voila = FakeVoila([0])
    run("--port", "9126", voila=voila, opened=opened)
    token = voila.started[0][1]["JUPYTER_TOKEN"]
    assert asked == ["http://127.0.0.1:9126/api/status"]  # not the page: that starts a kernel
    assert opened == [f"http://127.0.0.1:9126/?token={token}"]


def test_ctrl_c_stops_it_and_a_failing_voila_is_reported(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C (Voila got it too): wait for Voila, status 0. Voila failing: status 1."""
    voila = FakeVoila([KeyboardInterrupt(), 0])
    assert run("--port", "9127", "--no-browser", voila=voila)[0] == 0
    assert voila.signals == []  # it was not killed: it shut its kernels down itself
    assert run("--port", "9127", "--no-browser", voila=FakeVoila([1]))[0] == 1
    assert "Voila stopped with status 1" in capsys.readouterr().err


def test_sigterm_is_passed_on_as_an_interrupt(workdir: Path) -> None:
    """Asked to end (SIGTERM), the command interrupts Voila rather than orphan it."""
    voila = FakeVoila([studio_cli.TerminatedError(), 0])
    assert run("--port", "9128", "--no-browser", voila=voila)[0] == 0
    assert voila.signals == ["signal 2"]


def test_without_voila_it_says_what_to_install(workdir: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Status 2 and the pip command; nothing is started."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "voila" else real(name, *a))
    voila = FakeVoila([0])
    out = io.StringIO()
    status = studio_cli.studio_main(["--no-browser"], out, popen=voila)
    assert status == 2
    error = capsys.readouterr().err
    assert 'pip install "kling-nb[studio]"' in error
    assert "voila" in error
    assert voila.started == []


def test_the_port_is_voilas_default_unless_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """8866 when free, any free port when not, exactly --port when given."""
    assert studio_cli.pick_port(1234) == 1234
    monkeypatch.setattr(studio_cli, "port_free", lambda port: True)
    assert studio_cli.pick_port(None) == 8866
    monkeypatch.setattr(studio_cli, "port_free", lambda port: False)
    assert studio_cli.pick_port(None) not in (8866, 0)


def test_the_page_is_one_call_printed_by_path() -> None:
    """The notebook holds only ``kn.studio_app()`` (no outputs); --path prints it, for a plain
    ``voila`` command."""
    notebook = json.loads(STUDIO_NOTEBOOK.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    assert [c["cell_type"] for c in cells] == ["code"]
    assert "kn.studio_app()" in "".join(cells[0]["source"])
    assert cells[0]["outputs"] == []
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    out = io.StringIO()
    assert _cli.main(["studio", "--path"], out=out) == 0
    assert out.getvalue().strip() == str(STUDIO_NOTEBOOK)


def test_the_page_ships_with_the_package_and_the_studio_extra_installs_voila() -> None:
    """Package data covers the page (a non-editable install has it)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]["kling_nb"]
    relative = STUDIO_NOTEBOOK.relative_to(ROOT / "kling_nb").as_posix()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in data)
    extras = pyproject["project"]["optional-dependencies"]
    assert any(d.startswith("voila") for d in extras["studio"])
    assert any(d.startswith("ipykernel") for d in extras["studio"])


def test_kling_nb_help_lists_studio() -> None:
    """``kling-nb --help`` names the command."""
    assert "studio" in _cli._parser().format_help()
