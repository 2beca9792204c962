"""The README's two set-up commands stay true: CI runs the test one verbatim."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import pytest

import kling_nb

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    top = readme.split("---", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", top, re.DOTALL)


def test_readme_opens_with_exactly_two_commands() -> None:
    """Two commands at the top: JupyterLab on the tutorials, then the test suite."""
    lab, tests = _commands()
    assert "jupyter lab notebooks/" in lab
    assert '".[lab]"' in lab
    assert "pytest" in tests
    assert '".[test]"' in tests


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run contains the README's test command verbatim."""
    assert _commands()[1] in (ROOT / ".ci" / "run").read_text()


def test_ci_runs_the_test_command_in_a_venv_holding_nothing_else() -> None:
    """Nothing is installed into .venv before the README's test command makes it: CI fails
    whenever the command as written would (a missing test dependency is not hidden)."""
    script = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
              if line.strip() and not line.lstrip().startswith("#")]
    at = next(i for i, line in enumerate(script) if _commands()[1] in line)
    before = script[:at]
    assert "rm -rf .venv" in before
    assert not [line for line in before if ".venv" in line and line != "rm -rf .venv"]
    assert all("pip install" not in line for line in before)


def test_ci_runs_the_readme_lab_command_as_written() -> None:
    """.ci/run runs the README's first command through .ci/readme-lab-check, which reads it
    from the README itself (so it is verbatim) and runs it in a fresh clone."""
    assert "bash .ci/readme-lab-check" in (ROOT / ".ci" / "run").read_text()
    check = (ROOT / ".ci" / "readme-lab-check").read_text()
    assert "README.md" in check
    assert 'bash -c "$command"' in check
    assert "git clone" in check


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python examples run as written (in the sandbox) and say what they claim."""
    readme = (ROOT / "README.md").read_text()
    first, second = re.findall(r"```python\n(.*?)\n```", readme, re.DOTALL)[:2]
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(None):
        exec(first, namespace)
    assert namespace["result"].sandbox  # type: ignore[attr-defined]
    with pytest.raises(kling_nb.SpecError) as info:
        exec(second, namespace)
    claimed = [line.lstrip("# ").strip() for line in second.splitlines()
               if line.startswith("#   -")]
    assert claimed
    assert all(text in str(info.value) for text in claimed)


def test_readme_lists_every_model_row_with_its_status() -> None:
    """The README's model table has one line per catalogue row, with the row's status."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Models", 1)[1].split("## Tutorials", 1)[0]
    lines = {line.split("|")[1].strip(" `"): line for line in table.splitlines()
             if line.startswith("| `")}
    assert set(lines) == set(kling_nb.MODELS)
    for key, row in kling_nb.MODELS.items():
        assert f"| {row.status}" in lines[key] or f"**{row.status}" in lines[key]


def test_readme_says_where_the_journal_lives_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Linux default the README names is the file the journal really opens."""
    from kling_nb.journal.schema import default_path

    readme = (ROOT / "README.md").read_text()
    monkeypatch.delenv("KLING_NB_JOURNAL", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        found = default_path()
        assert found is not None
        assert "~/" + str(found.relative_to(tmp_path)) in readme
    for named in ("~/.local/share/kling_nb/journal.db",
                  "~/Library/Application Support/kling_nb/journal.db",
                  "%LOCALAPPDATA%\\kling_nb\\journal.db", "KLING_NB_JOURNAL=off"):
        assert named in readme


def test_readme_puts_what_a_user_needs_first() -> None:
    """Every section a user reads comes before the contributors' (development, benchmarks,
    layers, adding a row); the two set-up commands still open it."""
    readme = (ROOT / "README.md").read_text()
    headings = re.findall(r"^#{2,3} (.+)$", readme, re.MULTILINE)
    first_contributor = headings.index("Development")
    for user in ("A short example", "Models", "Tutorials", "Keys, hosts, the sandbox server",
                 "Where things are kept", "The journal on the command line"):
        assert headings.index(user) < first_contributor, user
    for contributor in ("Benchmarks", "Layers", "Adding a model row"):
        assert headings.index(contributor) > first_contributor, contributor
    assert readme.index("```bash") < readme.index("**kling_nb** is")


def test_readme_model_table_is_the_catalogue() -> None:
    """The README's model table is what ``kn.MODELS`` says, written by .ci/refresh-docs."""
    from kling_nb.specs.describe import catalogue_markdown

    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- models: start -->\n", 1)[1].split("<!-- models: end -->", 1)[0]
    assert table == catalogue_markdown(kling_nb.MODELS), (
        "the README's model table is stale: run .ci/refresh-docs")


def test_refresh_docs_rewrites_a_stale_table(tmp_path: Path) -> None:
    """.ci/refresh-docs puts the catalogue back into a README whose table went stale, and leaves
    the rest of the file (and a current kling_nb/__init__.py) as it was."""
    import shutil
    import subprocess
    import sys

    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "refresh-docs", tmp_path / ".ci" / "refresh-docs")
    shutil.copytree(ROOT / "kling_nb", tmp_path / "kling_nb",
                    ignore=shutil.ignore_patterns("__pycache__"))
    readme = (ROOT / "README.md").read_text()
    stale = readme.replace("| `leonardo/kling-o3` |", "| `leonardo/kling-o2` |")
    (tmp_path / "README.md").write_text(stale)
    subprocess.run(["bash", str(tmp_path / ".ci" / "refresh-docs"), sys.executable],
                   check=True, capture_output=True, cwd=tmp_path,
                   env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)})
    assert (tmp_path / "README.md").read_text() == readme
    for name in ("__init__.py", "specs/rows/_classes.py"):
        assert (tmp_path / "kling_nb" / name).read_text() == (
            ROOT / "kling_nb" / name).read_text()
