"""The tutorials open unmodified: their kernelspec is what JupyterLab writes for ipykernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tutorial_kernelspec_matches_ipykernel(path: Path) -> None:
    """ipykernel's own kernel.json names itself "Python 3 (ipykernel)": anything else is
    rewritten (and the notebook marked modified) the moment JupyterLab opens it."""
    from ipykernel.kernelspec import get_kernel_dict

    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert spec == {"display_name": get_kernel_dict()["display_name"], "language": "python",
                    "name": "python3"}
