"""Fixtures for the real-browser test: a JupyterLab server on loopback and headless Chromium.

Everything here is private to one test run: a temporary copy of the fixture notebook as the
server's root, temporary Jupyter config/data/runtime/settings/workspace folders, a temporary
kling_nb journal, no API keys (so the kernel uses the offline sandbox), a free port and a
random token. The server is shut down through its API (which also stops its kernels), then
terminated/killed by pid if it is still there; Chromium is closed by Playwright.

A missing (or unusable) Chromium is a *loud* skip, as the README says: the reason is written
to the terminal at once (not captured), repeated in the terminal summary, and given to
pytest.skip (``-rs`` lists it); ``.ci/browser-setup`` installs it. Playwright, JupyterLab,
Notebook 7 and Voila come with the ``test`` extra, so their absence fails the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "lab_notebook.ipynb"
SETUP_HINT = ("install Chromium (`sudo apt-get install chromium`, or `bash .ci/browser-setup`)"
              " or point KLING_NB_CHROMIUM at a Chromium/Chrome binary")
EXTRA_HINT = "the `test` extra installs it: pip install -e \".[test]\""

# Chromium flags that work on a machine with a closed (loopback-only) network: without the
# background-networking ones Chromium's own connections are refused and it stalls.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]

# The fixture notebook is driven by the browser test, not compared by nbval.
collect_ignore = ["lab_notebook.ipynb", "board_notebook.ipynb", "review_notebook.ipynb"]

_LOUD: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    # Also registered here so `--strict-markers` accepts it before pyproject.toml lists it.
    config.addinivalue_line(
        "markers", "browser: real-browser test (JupyterLab + headless Chromium); "
        "deselect with -m 'not browser'")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _LOUD:
        terminalreporter.section("BROWSER TEST SKIPPED", sep="!", red=True, bold=True)
        for message in dict.fromkeys(_LOUD):
            terminalreporter.write_line(message, red=True, bold=True)


def loud_skip(config: pytest.Config, message: str) -> None:
    """Skip, saying why on the terminal right away (past output capture) and in the summary."""
    text = f"BROWSER TEST SKIPPED: {message}"
    _LOUD.append(text)
    bar = "!" * 78
    note(config, f"\n{bar}\n{text}\n{bar}")
    pytest.skip(text)


def note(config: pytest.Config, message: str) -> None:
    """A line on the terminal even under output capture (e.g. where a screenshot went)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        print(message, file=sys.__stderr__, flush=True)
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line(message)


# -- what the test needs -----------------------------------------------------------------------
def find_chromium() -> str | None:
    """``$KLING_NB_CHROMIUM``, else a Chromium/Chrome on PATH (Debian's is /usr/bin/chromium)."""
    chosen = os.environ.get("KLING_NB_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path(request: pytest.FixtureRequest) -> str:
    path = find_chromium()
    if path is None:
        loud_skip(request.config,
                  "no Chromium found (looked for $KLING_NB_CHROMIUM, chromium, chromium-browser, "
                  f"google-chrome on PATH): {SETUP_HINT}")
    assert path is not None
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        loud_skip(request.config, f"Chromium at {path} does not run ({exc}): {SETUP_HINT}")
    if not version:
        loud_skip(request.config, f"Chromium at {path} printed no version: {SETUP_HINT}")
    return path


@pytest.fixture(scope="session")
def sync_playwright_api(request: pytest.FixtureRequest) -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"the `playwright` package is not installed in {sys.prefix} ({exc}): "
                    f"{EXTRA_HINT}")
    return sync_playwright


@pytest.fixture(scope="session")
def jupyterlab_available(request: pytest.FixtureRequest) -> None:
    try:
        import ipykernel  # noqa: F401
        import jupyterlab  # noqa: F401
        import jupyterlab_widgets  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"JupyterLab/ipykernel/jupyterlab_widgets missing in {sys.prefix} ({exc}): "
                    f"{EXTRA_HINT}")


# -- the JupyterLab server -----------------------------------------------------------------
@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path  # the server's root_dir (a temporary copy of the notebook)
    log: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str]

    def lab_url(self, notebook: str) -> str:
        return f"{self.url}/lab/tree/{notebook}?token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 5) -> Any:
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        if method == "POST":
            req.data = b""
        with urllib.request.urlopen(req, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lab_environment(base: Path) -> dict[str, str]:
    """The server's (and so the kernel's) environment: sandbox only, everything in ``base``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                        "AIMLAPI_BASE_URL", "JUPYTER_TOKEN", "JUPYTER_PLATFORM_DIRS")}
    folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
               "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython"}
    for name, sub in folders.items():
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(base / sub)
    env["KLING_NB_JOURNAL"] = str(base / "journal.db")
    env["KLING_NB_SANDBOX"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def write_settings(folder: Path) -> None:
    """User settings for the test's Lab: no "get notified about Jupyter news?" toast over the
    page, no update checks."""
    plugin = folder / "@jupyterlab" / "apputils-extension"
    notification = plugin / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def _stop_server(lab: Lab) -> None:
    """Ask the server to shut down (stops its kernels too); then SIGTERM/SIGKILL by pid."""
    with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
        lab.api("/api/shutdown", method="POST", timeout=5)
    try:
        lab.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(lab.process.pid, signal.SIGTERM)  # the group we started (new session)
        try:
            lab.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(lab.process.pid, signal.SIGKILL)
            lab.process.wait(timeout=5)
    _kill_leftover_kernels(Path(lab.env["JUPYTER_RUNTIME_DIR"]))


def _kill_leftover_kernels(runtime: Path) -> None:
    """Kernels run in their own sessions; kill any still using *our* runtime dir's files."""
    marker = str(runtime).encode()
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


@pytest.fixture
def jupyter_lab(jupyterlab_available: None, tmp_path: Path,
                request: pytest.FixtureRequest) -> Iterator[Lab]:
    """A JupyterLab server on 127.0.0.1 (free port, random token) serving a copy of the
    fixture notebook; stopped (with its kernels) when the test ends, passed or not."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy2(NOTEBOOK, root / NOTEBOOK.name)
    env = lab_environment(tmp_path / "jupyter")
    settings = tmp_path / "jupyter" / "lab-settings"
    write_settings(settings)
    port = free_port()
    token = secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--ServerApp.allow_remote_access=False",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run cells by command
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={tmp_path / 'jupyter' / 'lab-workspaces'}",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups from the server
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log,
              process=process, env=env)
    try:
        deadline = time.monotonic() + 45
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode} before it was "
                            f"ready; its log:\n{lab.log_tail()}")
            try:
                lab.api("/api/status", timeout=2)
                break
            except (OSError, urllib.error.URLError, ValueError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on {lab.url} within 45 s; its "
                                f"log:\n{lab.log_tail()}")
                time.sleep(0.2)
        yield lab
    finally:
        _stop_server(lab)
        if request.node.stash.get(FAILED, False):
            note(request.config, f"JupyterLab log (tail) from {log}:\n{lab.log_tail()}")


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


# -- the browser ---------------------------------------------------------------------------
@pytest.fixture
def browser_page(chromium_path: str, sync_playwright_api: Any, tmp_path: Path,
                 request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh headless Chromium profile; a screenshot on failure; always closed."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    with sync_playwright_api() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=chromium_path, headless=True,
                args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 1000},
                timeout=30_000)
        except Exception as exc:  # the installed Chromium cannot be driven
            loud_skip(request.config,
                      f"Playwright could not launch Chromium at {chromium_path}: "
                      f"{str(exc).splitlines()[0] if str(exc) else exc!r}; {SETUP_HINT}")
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            page.console_messages_seen = []  # type: ignore[attr-defined]
            page.on("console", lambda m: page.console_messages_seen.append(
                f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: page.console_messages_seen.append(
                f"pageerror: {e}"))
            yield page
            if request.node.stash.get(FAILED, False):
                shot = tmp_path / "failure.png"
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(shot), full_page=True)
                    note(request.config, f"browser screenshot at failure: {shot}")
                errors = [m for m in page.console_messages_seen
                          if m.startswith(("error", "pageerror"))]
                if errors:
                    note(request.config, "browser console errors:\n  " + "\n  ".join(errors))
        finally:
            context.close()
