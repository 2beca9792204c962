"""The tutorials open unmodified: their kernelspec is what JupyterLab writes for ipykernel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


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


OPTIONAL = {".to_pandas(": "pandas", ".plot(": "matplotlib"}
"""A call a tutorial makes, and the library it needs that kling_nb itself does not require."""


def _extra(name: str) -> set[str]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=\[; ]", line, maxsplit=1)[0].lower()
            for line in project["optional-dependencies"][name]}


def test_what_the_tutorials_call_is_installed_by_the_lab_extra_and_on_binder() -> None:
    """The README's lab command (the `lab` extra) and the Binder image install every library
    a tutorial's code needs, so each runs to the end where a reader opens it."""
    code = "".join("".join(cell["source"]) for path in NOTEBOOKS
                   for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
                   if cell["cell_type"] == "code")
    pinned = {line.split("==")[0].lower() for line in
              (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if "==" in line}
    needed = {library for call, library in OPTIONAL.items() if call in code}
    assert needed, "the tutorials call none of the optional libraries' methods any more"
    assert needed <= _extra("lab")
    assert needed <= pinned
