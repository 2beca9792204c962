"""The three front ends the board is played in: JupyterLab, Notebook 7 and Voila.

Each runs on loopback with a random token, in a temporary root holding a copy of a fixture
notebook and private Jupyter folders; ``serve`` yields it and stops it (API shutdown, then the
process group we started, then kernels left on our runtime folder).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import _kill_leftover_kernels, free_port, lab_environment, write_settings

KINDS = ("lab", "notebook", "voila")


@dataclass
class Frontend:
    kind: str
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path
    log: Path

    def page(self, notebook: str) -> str:
        """Where the browser opens ``notebook`` in this front end."""
        paths = {"lab": f"/lab/tree/{notebook}", "notebook": f"/notebooks/{notebook}",
                 "voila": f"/voila/render/{notebook}"}
        return f"{self.url}{paths[self.kind]}?token={self.token}"

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return "(no server log)"


def command(kind: str, port: int, token: str, root: Path, base: Path) -> list[str]:
    """The server's command line: the same loopback-only, token-protected setup for each."""
    common = ["--no-browser", f"--port={port}", f"--ServerApp.root_dir={root}",
              "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
              f"--IdentityProvider.token={token}", "--ServerApp.terminals_enabled=False"]
    if kind == "voila":
        common = ["--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                  f"--Voila.root_dir={root}", f"--token={token}"]
    app = {"lab": ["jupyter", "lab", "--LabApp.expose_app_in_browser=True",
                   "--LabApp.news_url=None",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                   f"--LabApp.user_settings_dir={base / 'lab-settings'}",
                   f"--LabApp.workspaces_dir={base / 'lab-workspaces'}",
                   "--LabApp.extension_manager=readonly"],
           "notebook": ["jupyter", "notebook",
                        "--JupyterNotebookApp.expose_app_in_browser=True",
                        f"--JupyterNotebookApp.user_settings_dir={base / 'lab-settings'}",
                        f"--JupyterNotebookApp.workspaces_dir={base / 'lab-workspaces'}"],
           "voila": ["voila"]}[kind]
    root_flag = ["--allow-root"] if kind != "voila" and os.geteuid() == 0 else []
    return [sys.executable, "-m", *app, *common, *root_flag]


def _wait_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}; its log:\n"
                        f"{log.read_text(errors='replace')[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:  # it answers, if not at this path
            return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"no answer on {url} within 60 s:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes], runtime: Path) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)  # the session we started, nothing else
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    _kill_leftover_kernels(runtime)


@contextlib.contextmanager
def serve(kind: str, notebook: Path, tmp_path: Path) -> Iterator[Frontend]:
    """A ``kind`` server on 127.0.0.1 serving a copy of ``notebook``; stopped on exit."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy2(notebook, root / notebook.name)
    base = tmp_path / "jupyter"
    env = lab_environment(base)
    write_settings(base / "lab-settings")
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / f"{kind}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command(kind, port, token, root, base), cwd=root, env=env,
                                   stdout=sink, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    frontend = Frontend(kind, f"http://127.0.0.1:{port}", token, root, log)
    try:
        _wait_ready(process, f"{frontend.url}/api/status?token={token}", log)
        yield frontend
    finally:
        _stop(process, Path(env["JUPYTER_RUNTIME_DIR"]))
