"""The README's metrics, factors and promotion examples run as written, in the sandbox."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import kling_nb as kn
from kling_nb.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]


def test_the_measure_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Metrics of a fresh video, a scorer, a factor table of a rated sweep, and a promotion
    planned and run - every block of the section, in order, says what it claims."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Measure, don't guess", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)\n```", section, re.DOTALL)
    assert len(blocks) == 4
    monkeypatch.chdir(tmp_path)
    journal = kn.Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=Sandbox(), journal=journal, download_dir=tmp_path)
    results = kn.Sweep(kn.Kling30(prompt="x", duration=3), prompts=["a fox", "an owl"],
                       seeds=[1, 2, 3]).run(client, progress=False)
    for index, entry in enumerate(results.history()):
        journal.rate(entry.handle, 5 if entry.prompt == "a fox" else 1 + index % 2)
    namespace: dict[str, object] = {"kn": kn, "client": client, "journal": journal,
                                    "results": results}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(blocks[0], namespace)
    claimed = re.search(r"# (5\.0 s · 320x180 · 8 fps · sound .*)$", blocks[0], re.MULTILINE)
    assert claimed is not None
    assert printed.getvalue().strip() == claimed.group(1)  # the sandbox renders the same video
    result = namespace["result"]
    assert result.metrics.flags == []  # type: ignore[attr-defined]
    exec(blocks[1], namespace)
    assert journal.entry(result.job_id).measures["size_mb"] > 0  # type: ignore[attr-defined]
    with contextlib.redirect_stdout(io.StringIO()):
        exec(blocks[2], namespace)  # without matplotlib, plot() gives the table back
    with contextlib.suppress(ImportError):
        import matplotlib.pyplot as plt

        plt.close("all")
    assert namespace["table"].names[0] == "prompt"  # type: ignore[attr-defined]
    with contextlib.redirect_stdout(printed):
        exec(blocks[3], namespace)
    assert "the best 3 of 6 drafts by rating" in printed.getvalue()
    finals = namespace["finals"]
    assert len(finals) == 3  # type: ignore[arg-type]
    assert all(d is not None and d.prompt == "a fox" for d, _ in finals.pairs)  # type: ignore[attr-defined]
    journal.close()
