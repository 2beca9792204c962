"""Start-up and interaction: import time against httpx + pydantic, and the forms' speed."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from .common import Row

RUNS = 7

BASELINE = "import httpx, pydantic"
FLOOR = """import httpx, pydantic
from pydantic import BaseModel, ConfigDict, Field
class One(BaseModel):
    model_config = ConfigDict(defer_build=True)
    x: int = Field(1, ge=1)
"""
"""What any client whose requests are pydantic models pays first: httpx, pydantic, and one
model with one field (its schema deferred, as kling_nb's specs are)."""
FIRST_USE = "import kling_nb as k; k.Client, k.Kling30, k.MODELS"
FIRST_USE_TARGET = 1.3
"""The target, as a ratio to ``FLOOR``: kling_nb's own share of first use is at most 30% of
what any client with pydantic specs pays first."""


def _timed(code: str) -> str:
    return ("import time\n_t = time.perf_counter()\n" + code.replace("; ", "\n")
            + "\nprint(time.perf_counter() - _t)")


def _import_seconds(codes: dict[str, str]) -> dict[str, float]:
    """Median time of each snippet in fresh interpreters, timed inside them (no start-up noise).

    The snippets take turns, round after round, so a machine that slows down or speeds up
    during the measurement weighs on every snippet alike. Bytecode caches are allowed (as on a
    user's machine, whatever this shell sets), and a first round warms them, so no run pays
    for compiling the sources.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for run in range(RUNS + 1):
        for name, code in codes.items():
            out = subprocess.run([sys.executable, "-c", _timed(code)], check=True,
                                 capture_output=True, text=True, env=env)
            if run:  # the first round only warms the bytecode caches
                samples[name].append(float(out.stdout.strip().splitlines()[-1]))
    return {name: statistics.median(values) for name, values in samples.items()}


def imports() -> list[Row]:
    """``import kling_nb`` and its first use, as ratios to ``import httpx, pydantic``."""
    times = _import_seconds({
        "base": BASELINE,
        "floor": FLOOR,
        "ours": "import kling_nb",
        "heavy": ("import kling_nb, sys; assert 'ipywidgets' not in sys.modules "
                  "and 'IPython' not in sys.modules and 'av' not in sys.modules "
                  "and 'asyncio' not in sys.modules"),
        "full": FIRST_USE,
    })
    base, floor, full = times["base"], times["floor"], times["full"]
    ratio, first = times["ours"] / base, full / floor
    against = f"{BASELINE} {base * 1000:.0f} ms"
    on_floor = f"the floor {floor * 1000:.0f} ms"
    rows = [Row("start-up", "import kling_nb", f"{times['ours'] * 1000:.0f} ms", against,
                f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5),
            Row("start-up", "first use: import kling_nb, touch Client, Kling30, MODELS",
                f"{full * 1000:.0f} ms", on_floor, f"{first:.2f}x",
                f"<= {FIRST_USE_TARGET}x the floor", first <= FIRST_USE_TARGET),
            Row("start-up", "  (floor) httpx, pydantic and one pydantic model with a field",
                f"{floor * 1000:.0f} ms", against, f"{floor / base:.2f}x",
                "(what any client with pydantic specs pays first)"),
            Row("start-up", "  kling_nb's own share of first use (first use minus the floor)",
                f"{(full - floor) * 1000:.0f} ms", on_floor, f"{(full - floor) / floor:.2f}x")]
    counted = _instructions({"floor": FLOOR, "full": FIRST_USE})
    if counted:
        share = counted["full"] / counted["floor"]
        full_m, floor_m = counted["full"] / 1e6, counted["floor"] / 1e6
        rows.append(Row("start-up", "  the same, in instructions (valgrind: load-proof)",
                        f"{full_m:.0f} M", f"the floor {floor_m:.0f} M", f"{share:.3f}x",
                        f"<= {FIRST_USE_TARGET}x the floor", share <= FIRST_USE_TARGET))
    rows.append(Row("start-up", "widgets, IPython, PyAV and asyncio stay unloaded on import",
                    f"checked ({times['heavy'] * 1000:.0f} ms)", met=True))
    return rows


def _instructions(codes: dict[str, str]) -> dict[str, int]:
    """Instructions each snippet runs beyond an empty interpreter (callgrind counts them, so a
    busy machine does not move the figure); empty without valgrind."""
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return {}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def count(code: str) -> int:
        subprocess.run([sys.executable, "-c", code], check=True, env=env)  # warm the caches
        out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                              sys.executable, "-c", code], check=True, capture_output=True,
                             text=True, env=env).stderr
        found = re.search(r"Collected : (\d+)", out)
        return int(found.group(1)) if found else 0

    empty = count("pass")
    return {name: count(code) - empty for name, code in codes.items()}


def forms() -> list[Row]:
    """Building each model's form, and re-validating it after one change (medians of 7)."""
    from kling_nb import MODELS, SpecForm

    rows = []
    for key, row in MODELS.items():
        builds, checks = [], []
        for index in range(RUNS):
            started = time.perf_counter()
            form = SpecForm(row.spec, debounce=0)
            builds.append(time.perf_counter() - started)
            field = form.fields.get("prompt")
            started = time.perf_counter()
            if field is not None:
                field.control.value = f"a fox at dusk, take {index}"
            else:
                form.validate()
            checks.append(time.perf_counter() - started)
        build, check = statistics.median(builds) * 1000, statistics.median(checks) * 1000
        rows.append(Row("forms", f"{key}: build / re-validate after one change",
                        f"{build:.1f} ms / {check:.2f} ms", target="< 50 ms / < 10 ms",
                        met=build < 50 and check < 10))
    return rows


def notebooks() -> list[Row]:
    """The size of each executed tutorial, as committed (its videos as small posters)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "notebooks"
    return [Row("notebooks", path.name, f"{path.stat().st_size / 1024:.0f} KB",
                target="< 60 KB", met=path.stat().st_size < 60 * 1024)
            for path in sorted(folder.glob("[0-9]*.ipynb"))]
