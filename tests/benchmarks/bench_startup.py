"""Start-up and interaction: import time against httpx + pydantic, and the forms' speed."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from .common import Row

RUNS = 7


def _import_seconds(code: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def imports() -> list[Row]:
    """``import kling_nb`` as a ratio to ``import httpx, pydantic`` (interpreter start removed)."""
    empty = _import_seconds("pass")
    base = _import_seconds("import httpx, pydantic") - empty
    ours = _import_seconds("import kling_nb") - empty
    heavy = _import_seconds(
        "import kling_nb, sys; assert 'ipywidgets' not in sys.modules "
        "and 'IPython' not in sys.modules and 'av' not in sys.modules"
    ) - empty
    full = _import_seconds("import kling_nb as k; k.Client, k.Kling30, k.MODELS") - empty
    ratio = ours / base
    return [Row("start-up", "import kling_nb", f"{ours * 1000:.0f} ms",
                f"import httpx, pydantic {base * 1000:.0f} ms", f"{ratio:.2f}x", "<= 1.5x",
                ratio <= 1.5),
            Row("start-up", "import kling_nb and load the client, specs and catalogue",
                f"{full * 1000:.0f} ms", f"import httpx, pydantic {base * 1000:.0f} ms",
                f"{full / base:.2f}x", "(no target; paid on first use)"),
            Row("start-up", "widgets, IPython and PyAV stay unloaded on import",
                f"checked ({heavy * 1000:.0f} ms)", met=True)]
