"""The test run never touches the user's data directory, nor do the tutorial kernels it starts."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import platformdirs

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "00_quickstart.ipynb"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def test_the_run_has_a_fresh_home_and_journal() -> None:
    """HOME, the XDG data dir, platformdirs' user data dir and the journal are temporary."""
    from kling_nb.journal.schema import default_path

    root = Path(os.environ["KLING_NB_TEST_ROOT"])
    assert _inside(Path.home(), root)
    assert _inside(Path(os.environ["XDG_DATA_HOME"]), root)
    assert _inside(platformdirs.user_data_path("kling_nb", appauthor=False), root)
    journal = default_path()
    assert journal is not None
    assert _inside(journal, root)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_tutorial_under_nbval_writes_only_where_it_is_pointed(tmp_path: Path) -> None:
    """A tutorial run by nbval in a kernel, with a fresh HOME: its jobs go to the journal the
    run points at, its videos beside the notebook, and nothing at all lands in HOME."""
    home, pointed, work = tmp_path / "home", tmp_path / "pointed", tmp_path / "work"
    for folder in (home, pointed, work):
        folder.mkdir()
    shutil.copy(REPO / "notebooks" / NOTEBOOK, work)
    for image in (REPO / "notebooks").glob("*.png"):
        shutil.copy(image, work)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "KLING_NB_", "JUPYTER_", "IPYTHON"))}
    env.update(HOME=str(home), USERPROFILE=str(home), KLING_NB_JOURNAL=str(pointed / "j.db"),
               IPYTHONDIR=str(pointed / "ipython"), JUPYTER_RUNTIME_DIR=str(pointed / "rt"),
               JUPYTER_DATA_DIR=str(pointed / "jd"), JUPYTER_CONFIG_DIR=str(pointed / "jc"),
               JUPYTER_PLATFORM_DIRS="1")
    for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY", "LEONARDO_BASE_URL",
                 "AIMLAPI_BASE_URL"):
        env.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "--rootdir", str(work), NOTEBOOK],
        cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert _files(home) == []
    conn = sqlite3.connect(pointed / "j.db")
    marks = conn.execute("SELECT COUNT(*), SUM(sandbox) FROM jobs").fetchone()
    conn.close()
    assert marks[0] > 0
    assert marks[0] == marks[1]  # every job the tutorial ran is marked as a sandbox job
    assert any(p.suffix == ".mp4" for p in (work / "kling_videos").iterdir())
    assert json.loads((work / NOTEBOOK).read_text())["cells"]  # the notebook is untouched
