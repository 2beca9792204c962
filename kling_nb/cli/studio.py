"""``kling-nb studio``: the studio app as a page of its own in the browser, served by Voila.

Runs ``python -m voila`` (with this same Python) on the page shipped inside the package
(``kling_nb/apps/studio.ipynb``: one cell, ``kn.studio_app()``; Voila shows no code) on
127.0.0.1, with a fresh token handed over in the environment (``JUPYTER_TOKEN``, never on a
command line), and opens the browser at the page once the server answers. The page works in
the folder the command was started in (``KLING_NB_STUDIO_DIR``): videos are saved in its
``kling_videos`` folder, API keys come from the environment or a ``.env`` file there, and with
no key the offline sandbox makes the videos (the page says SANDBOX). ``--sandbox`` sets
``KLING_NB_SANDBOX=1`` for the page: the sandbox whatever keys are set. Ctrl-C stops it.

The same page without this command: ``KLING_NB_STUDIO_DIR="$PWD" voila "$(kling-nb studio
--path)"``.

Exit status: 0 stopped with Ctrl-C (or Voila ended normally); 1 Voila failed (its own messages
say why, for example a port in use); 2 Voila is not installed (``pip install
"kling-nb[studio]"``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from kling_nb.core.apps import FOLDER_VARIABLE, STUDIO_NOTEBOOK

DEFAULT_PORT = 8866
"""Voila's own default port; a free one is used when it is taken (unless ``--port``)."""
HOST = "127.0.0.1"
NEEDED = ("voila", "ipykernel")
INSTALL = 'pip install "kling-nb[studio]"'
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    """The options of ``kling-nb studio``."""
    parser = argparse.ArgumentParser(
        prog="kling-nb studio",
        description="The studio in the browser, as a page of its own (Voila): pick a model, fill "
                    "the form, Generate, then play, rate, tag and note the videos and see the "
                    "ratings ranked. Videos are saved in ./kling_videos; with no API key (or "
                    "with --sandbox) they come from the offline sandbox, and the page says "
                    "SANDBOX.")
    parser.add_argument("--port", type=int, default=None,
                        help=f"the port to serve on (default {DEFAULT_PORT}, or a free one "
                             "when that is taken)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser: print the page's address only")
    parser.add_argument("--sandbox", action="store_true",
                        help="every job in the offline sandbox, whatever keys are set "
                             "(KLING_NB_SANDBOX=1)")
    parser.add_argument("--path", action="store_true",
                        help="print where the page's notebook is and exit (for a plain "
                             "`voila` command)")
    return parser


def missing_modules() -> list[str]:
    """Which of Voila and ipykernel this Python cannot import."""
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def voila_command(notebook: Path, port: int) -> list[str]:
    """Voila on ``notebook``, on loopback at ``port`` exactly, with a token (from the
    environment's ``JUPYTER_TOKEN``); this command opens the browser itself, with the token."""
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
            f"--Voila.ip={HOST}", "--Voila.port_retries=0", "--token",
            "--VoilaConfiguration.show_tracebacks=True"]


def environment(base: Mapping[str, str], folder: Path, token: str, *,
                sandbox: bool) -> dict[str, str]:
    """Voila's (and so the page's kernel's) environment: the folder to work in, the token,
    and ``KLING_NB_SANDBOX=1`` with ``--sandbox``. Keys stay where they were (environment or
    ``.env``): they are never put on a command line."""
    env = dict(base)
    env[FOLDER_VARIABLE] = str(folder)
    env["JUPYTER_TOKEN"] = token
    if sandbox:
        env["KLING_NB_SANDBOX"] = "1"
    return env


def port_free(port: int) -> bool:
    """Whether nothing listens on ``port`` on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_port(wanted: int | None) -> int:
    """``--port``, else Voila's default when free, else any free port."""
    if wanted is not None:
        return wanted
    if port_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until_up(process: Any, url: str, timeout: float = 60.0) -> bool:
    """Whether the server answers at ``url`` before ``timeout`` (False if it exited)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except urllib.error.HTTPError:  # it answers, if not at this path
            return True
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return False


class TerminatedError(Exception):
    """This command was asked to end (SIGTERM)."""


def _terminated(signum: int, frame: Any) -> None:
    raise TerminatedError


@contextlib.contextmanager
def ending_on_sigterm() -> Any:
    """SIGTERM raises ``TerminatedError`` here (so Voila is stopped, not orphaned)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop(process: Any, *, interrupt: bool) -> None:
    """End Voila: after Ctrl-C it got the signal too and shuts its kernels down; otherwise
    (``interrupt``) it is sent SIGINT first. Then SIGTERM, then SIGKILL, by its pid."""
    if interrupt:
        with contextlib.suppress(OSError, ValueError):  # ValueError: no SIGINT on Windows
            process.send_signal(signal.SIGINT)
    for ending in (None, process.terminate, process.kill):
        if ending is not None:
            with contextlib.suppress(OSError):
                ending()
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def studio_main(argv: list[str], out: TextIO | None = None, *,
                popen: Callable[..., Any] = subprocess.Popen,
                open_browser: Callable[[str], Any] = webbrowser.open) -> int:
    """Run ``kling-nb studio``; returns the exit status."""
    out = out or sys.stdout
    args = parser().parse_args(argv)
    if args.path:
        print(STUDIO_NOTEBOOK, file=out)
        return EXIT_OK
    missing = missing_modules()
    if missing:
        print(f"error: kling-nb studio needs {' and '.join(missing)}, which "
              f"{'is' if len(missing) == 1 else 'are'} not installed for {sys.executable}: "
              f"{INSTALL} (in a checkout: pip install -e \".[studio]\")", file=sys.stderr)
        return EXIT_USAGE
    if not STUDIO_NOTEBOOK.is_file():
        print(f"error: the studio page is missing from this install ({STUDIO_NOTEBOOK}): "
              "reinstall kling-nb", file=sys.stderr)
        return EXIT_FAILED
    folder = Path(os.environ.get(FOLDER_VARIABLE, "").strip() or Path.cwd()).resolve()
    port = pick_port(args.port)
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    url = f"http://{HOST}:{port}/?token={token}"
    env = environment(os.environ, folder, token, sandbox=args.sandbox)
    mode = ("SANDBOX (--sandbox): every job runs in the offline emulator, nothing is billed"
            if args.sandbox else "live where an API key is set (environment or .env here), "
            "SANDBOX (offline emulator) otherwise: the page says which")
    print(f"kling_nb studio: {url}\n  jobs:   {mode}\n  videos: {folder / 'kling_videos'}\n"
          "  Ctrl-C stops it.", file=out, flush=True)
    with ending_on_sigterm():
        process = popen(voila_command(STUDIO_NOTEBOOK, port), env=env, cwd=folder)
        try:
            if not args.no_browser and wait_until_up(process,
                                                     f"http://{HOST}:{port}/api/status"):
                open_browser(url)
            status = process.wait()
        except KeyboardInterrupt:  # Ctrl-C: Voila got it too
            stop(process, interrupt=False)
            return EXIT_OK
        except TerminatedError:
            stop(process, interrupt=True)
            return EXIT_OK
    if status:
        print(f"error: Voila stopped with status {status} (its messages above say why)",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(studio_main(sys.argv[1:]))
