"""The layers point one way: every import, even inside a function, against the layer order.

Reads every ``import`` of every module of ``kling_nb`` (``TYPE_CHECKING`` blocks excepted) and
fails on an import of a higher layer, on a third-party import a layer must not make, and on any
cycle between subpackages. The one upward call that stays for the public API is named below.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kling_nb"

LAYERS: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "media": frozenset({"core"}),
    "specs": frozenset({"core", "media"}),
    "sandbox": frozenset(),
    "client": frozenset({"core", "media", "specs", "sandbox"}),
    "journal": frozenset({"core", "media", "specs", "client"}),
    "runs": frozenset({"core", "media", "specs", "client", "journal"}),
    "notebook": frozenset({"core", "media", "specs", "client", "journal", "runs"}),
    "cli": frozenset({"core", "media", "specs", "sandbox", "client", "journal", "runs"}),
}
"""Each subpackage and the subpackages below it that it may import (besides itself)."""

UPWARD_EXCEPTIONS = frozenset({("kling_nb.journal.journal", "kling_nb.runs.resume")})
"""``Journal.resume(client)`` stays for the public API: resuming lives in ``runs``."""

FORBIDDEN: dict[str, frozenset[str]] = {
    "core": frozenset({"pydantic", "pydantic_core", "httpx", "ipywidgets", "anywidget",
                       "IPython", "av",
                       "sqlite3", "stamina", "rich", "psutil"}),
    "media": frozenset({"pydantic", "pydantic_core", "httpx", "ipywidgets", "anywidget",
                        "IPython", "sqlite3", "stamina", "rich", "psutil"}),
    "specs": frozenset({"httpx", "ipywidgets", "anywidget", "IPython", "av", "PIL", "sqlite3",
                        "stamina", "rich", "psutil"}),
    "sandbox": frozenset({"pydantic", "ipywidgets", "anywidget", "IPython", "sqlite3", "rich",
                          "psutil"}),
    "client": frozenset({"ipywidgets", "anywidget", "IPython", "sqlite3", "rich", "psutil"}),
    "journal": frozenset({"ipywidgets", "anywidget", "IPython", "rich"}),
    "runs": frozenset({"ipywidgets", "anywidget", "IPython", "rich"}),
    "notebook": frozenset({"rich"}),
    "cli": frozenset({"ipywidgets", "anywidget", "IPython"}),
}
"""Third-party (and stdlib) packages a layer must not import: specs are pydantic only (video
frames are read by ``media``, below them), only the notebook layer imports IPython, ipywidgets
and anywidget, only the CLI draws on a terminal (rich), and only the journal asks about
processes (psutil)."""


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
    return name == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The absolute module names an import statement loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module or ""
    else:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([node.module] if node.module else [])])
    if node.module is None:  # ``from . import x``: each name may be a module
        return [f"{base}.{alias.name}" for alias in node.names]
    return [base]


def imports(root: Path = PACKAGE) -> list[tuple[str, str, int]]:
    """``(importing module, imported module, line)`` for every import under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _imports(tree):
            for target in _targets(node, module, path.name == "__init__.py"):
                found.append((module, target, node.lineno))
    return found


def _layer(module: str, top: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == top and len(parts) > 1 else None


def violations(root: Path = PACKAGE) -> list[str]:
    """Every import against the layer order, every forbidden third-party import."""
    top = root.name
    problems = []
    for module, target, line in imports(root):
        here = _layer(module, top)
        if here is None:  # the package's own __init__: the lazy public API
            continue
        if here not in LAYERS:
            problems.append(f"{module}: not in a known layer (add it to LAYERS)")
            continue
        there = _layer(target, top)
        if there is not None:
            if there != here and there not in LAYERS[here] and (
                    module, target) not in UPWARD_EXCEPTIONS:
                problems.append(f"{module}:{line} imports {target} ({here} may not import "
                                f"{there})")
        elif target.split(".")[0] in FORBIDDEN.get(here, ()):
            problems.append(f"{module}:{line} imports {target} ({here} must not)")
    return problems


def cycles(root: Path = PACKAGE) -> list[list[str]]:
    """Cycles in the graph of imports between subpackages (the named exception left out)."""
    top = root.name
    graph: dict[str, set[str]] = {}
    for module, target, _line in imports(root):
        here, there = _layer(module, top), _layer(target, top)
        if here and there and here != there and (module, target) not in UPWARD_EXCEPTIONS:
            graph.setdefault(here, set()).add(there)
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycle = path[path.index(nxt):]
                if min(cycle) == cycle[0]:
                    found.append([*cycle, nxt])
            else:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


# -- the package itself -------------------------------------------------------------------------
def test_no_import_points_up_the_layers() -> None:
    """Every import of kling_nb, inside functions too, respects the layer order."""
    assert violations() == []


def test_no_cycles_between_subpackages() -> None:
    """The subpackages import each other without cycles."""
    assert cycles() == []


def test_every_subpackage_is_a_layer_and_says_what_it_owns() -> None:
    """Each subpackage has a layer here and a docstring saying what it owns and imports."""
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == set(LAYERS)
    for name in packages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc, name


MAX_LINES = 400
"""No module of the package is longer: a bigger one is split along its seams."""


def test_no_module_is_over_the_size_limit() -> None:
    """Every module of kling_nb has at most ``MAX_LINES`` lines."""
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert sizes, "no modules found"
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_one_upward_call_is_still_needed() -> None:
    """The named exception exists (so an unused exception cannot hide a new one)."""
    found = {(m, t) for m, t, _ in imports()}
    assert found >= UPWARD_EXCEPTIONS


# -- the check itself fails when it should ------------------------------------------------------
@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package to plant imports in."""
    copy = tmp_path / "kling_nb"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _plant(tree: Path, module: str, code: str) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8")


def test_an_upward_import_inside_a_function_is_caught(tree: Path) -> None:
    """A function-local import of a higher layer fails the check."""
    _plant(tree, "specs/views.py",
           "def f():\n    from kling_nb.client.client import Client\n    return Client\n")
    assert any("specs may not import client" in p for p in violations(tree))


def test_a_relative_upward_import_is_caught(tree: Path) -> None:
    """Relative imports are resolved before they are judged."""
    _plant(tree, "client/http.py", "def f():\n    from ..journal import journal\n")
    assert any("client may not import journal" in p for p in violations(tree))


def test_a_cycle_between_subpackages_is_caught(tree: Path) -> None:
    """An import that closes a loop between two subpackages is a cycle."""
    _plant(tree, "client/jobs.py", "def f():\n    import kling_nb.runs.plan\n")
    assert ["client", "runs", "client"] in cycles(tree) or any(
        "client" in c and "runs" in c for c in cycles(tree))


def test_a_forbidden_library_is_caught(tree: Path) -> None:
    """The specs layer may not import httpx, even lazily."""
    _plant(tree, "specs/base.py", "def f():\n    import httpx\n")
    assert any("specs must not" in p for p in violations(tree))


def test_type_checking_imports_may_point_anywhere(tree: Path) -> None:
    """Imports for type hints only are not imports at run time."""
    _plant(tree, "specs/views.py",
           "import typing\nif typing.TYPE_CHECKING:\n"
           "    from kling_nb.notebook.form import SpecForm\n")
    assert violations(tree) == []
