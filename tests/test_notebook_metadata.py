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


LISTS_CATALOGUE = __import__("re").compile(r"kn\.MODELS(?!\[)")
"""A cell showing the catalogue (or a filtered part of it), not one row looked up by key."""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_cell_listing_the_catalogue_is_run_but_its_output_not_compared(path: Path) -> None:
    """Adding a model row changes what such a cell shows: nbval runs it (an error still fails)
    but does not compare its output, and the cell says why; a cell that looks one row up by
    its key stays compared."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        ignored = "nbval-ignore-output" in cell["metadata"].get("tags", [])
        if LISTS_CATALOGUE.search(source):
            assert ignored, source
            assert "catalogue" in cell["metadata"]["kling_nb"]["output_not_compared"], source
        elif "kn.MODELS[" in source:
            assert not ignored, source


def test_execute_notebooks_stores_outputs_with_what_the_test_extra_installs(
        tmp_path: Path) -> None:
    """.ci/execute-notebooks runs a tutorial with nbclient (no nbconvert, which only the lab
    extra brings) and stores its outputs without execution timestamps."""
    import shutil
    import subprocess
    import sys

    import nbformat

    root = Path(__file__).resolve().parents[1]
    script = (root / ".ci" / "execute-notebooks").read_text()
    assert "nbconvert" not in script
    (tmp_path / ".ci").mkdir()
    (tmp_path / "notebooks").mkdir()
    shutil.copy(root / ".ci" / "execute-notebooks", tmp_path / ".ci" / "execute-notebooks")
    (tmp_path / "tests").mkdir()
    shutil.copy(root / "tests" / "notebook_outputs.py", tmp_path / "tests")
    shutil.copy(root / "tests" / "tutorial_runs.py", tmp_path / "tests")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, tmp_path / "notebooks" / "99_tiny.ipynb")
    subprocess.run(["bash", str(tmp_path / ".ci" / "execute-notebooks"), sys.executable,
                    "99_tiny.ipynb"], check=True, capture_output=True, timeout=120)
    cell = nbformat.read(tmp_path / "notebooks" / "99_tiny.ipynb", as_version=4).cells[0]
    assert cell.outputs[0]["text"] == "42\n"
    assert "execution" not in cell.metadata
