"""Start-up and interaction: import time against httpx + pydantic, and the forms' speed."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from .common import Row

RUNS = 7


def _import_seconds(code: str) -> float:
    """Median time of ``code`` in fresh interpreters, timed inside them (no start-up noise).

    Bytecode caches are allowed (as on a user's machine, whatever this shell sets), and a
    first run warms them, so no run pays for compiling the sources.
    """
    timed = ("import time\n_t = time.perf_counter()\n" + code.replace("; ", "\n")
             + "\nprint(time.perf_counter() - _t)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples = []
    for run in range(RUNS + 1):
        out = subprocess.run([sys.executable, "-c", timed], check=True, capture_output=True,
                             text=True, env=env)
        if run:  # the first run only warms the bytecode caches
            samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


FIRST_USE_TARGET = 1.3


def imports() -> list[Row]:
    """``import kling_nb`` and its first use, as ratios to ``import httpx, pydantic``."""
    base = _import_seconds("import httpx, pydantic")
    models = _import_seconds("import httpx, pydantic; from pydantic import BaseModel")
    ours = _import_seconds("import kling_nb")
    heavy = _import_seconds(
        "import kling_nb, sys; assert 'ipywidgets' not in sys.modules "
        "and 'IPython' not in sys.modules and 'av' not in sys.modules"
    )
    full = _import_seconds("import kling_nb as k; k.Client, k.Kling30, k.MODELS")
    ratio, first = ours / base, full / base
    return [Row("start-up", "import kling_nb", f"{ours * 1000:.0f} ms",
                f"import httpx, pydantic {base * 1000:.0f} ms", f"{ratio:.2f}x", "<= 1.5x",
                ratio <= 1.5),
            Row("start-up", "first use: import kling_nb, touch Client, Kling30, MODELS",
                f"{full * 1000:.0f} ms", f"import httpx, pydantic {base * 1000:.0f} ms",
                f"{first:.2f}x", f"<= {FIRST_USE_TARGET}x", first <= FIRST_USE_TARGET),
            Row("start-up", "  (context) httpx, pydantic and pydantic.BaseModel alone",
                f"{models * 1000:.0f} ms", f"import httpx, pydantic {base * 1000:.0f} ms",
                f"{models / base:.2f}x", "(what any pydantic model costs first)"),
            Row("start-up", "widgets, IPython and PyAV stay unloaded on import",
                f"checked ({heavy * 1000:.0f} ms)", met=True)]


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
    """The size of each executed tutorial, as committed."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "notebooks"
    return [Row("notebooks", path.name, f"{path.stat().st_size / 1024:.0f} KB",
                target="< 300 KB", met=path.stat().st_size < 300 * 1024)
            for path in sorted(folder.glob("[0-9]*.ipynb"))]
