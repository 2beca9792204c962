"""The test run's own home: a fresh HOME, XDG data dirs and journal, for pytest and its kernels.

Loaded for every test path of the repository (``tests/`` and the tutorials nbval runs), before
anything is imported. The notebook kernels nbval starts inherit this environment, so neither
the tests nor the tutorials they execute can write to the user's real data directory (the
default journal lives in platformdirs' user data dir, under ``XDG_DATA_HOME`` or ``HOME``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import site
import tempfile
from pathlib import Path

import pytest

ROOT = Path(tempfile.mkdtemp(prefix="kling-nb-tests-"))
"""Everything the run may write outside the repository lives under this folder."""
atexit.register(shutil.rmtree, ROOT, ignore_errors=True)

# Packages installed with ``pip --user`` live under the real home: keep them importable.
os.environ.setdefault("PYTHONUSERBASE", site.getuserbase())

for variable, folder in (
    ("HOME", "home"), ("USERPROFILE", "home"),
    ("XDG_DATA_HOME", "home/.local/share"), ("XDG_CONFIG_HOME", "home/.config"),
    ("XDG_CACHE_HOME", "home/.cache"), ("XDG_STATE_HOME", "home/.local/state"),
    ("APPDATA", "home/AppData/Roaming"), ("LOCALAPPDATA", "home/AppData/Local"),
):
    os.environ[variable] = str(ROOT / folder)
(ROOT / "home").mkdir()

# Keep every Client() in the tests, and in the notebook kernels nbval starts, out of any
# default journal at all: one temporary file for the whole run.
os.environ["KLING_NB_JOURNAL"] = str(ROOT / "journal" / "journal.db")
os.environ["KLING_NB_TEST_ROOT"] = str(ROOT)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each notebook nbval runs gets a journal of its own, as on a fresh machine (and as
    .ci/execute-notebooks runs them): what one tutorial did never changes another's estimates.
    This runs before the notebook's kernel starts (with its first cell), which inherits it."""
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb":
        os.environ["KLING_NB_JOURNAL"] = str(ROOT / "journal" / f"{path.stem}.db")
