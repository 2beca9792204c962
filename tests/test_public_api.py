"""The public surface: __all__ complete, sorted, and importable."""

from __future__ import annotations

import kling_nb


def test_all_is_sorted_and_complete() -> None:
    """Every public name is in __all__, once (ruff's RUF022 keeps it sorted)."""
    public = {n for n in dir(kling_nb) if not n.startswith("_")} - {"annotations"}
    assert public <= set(kling_nb.__all__) | {
        n for n in public if type(getattr(kling_nb, n)).__name__ == "module"
    }
    assert len(kling_nb.__all__) == len(set(kling_nb.__all__))
    for name in kling_nb.__all__:
        assert hasattr(kling_nb, name), name


def test_every_error_derives_from_the_root() -> None:
    """One root exception for everything."""
    errors = [getattr(kling_nb, n) for n in kling_nb.__all__ if n.endswith("Error")]
    assert errors
    assert all(issubclass(e, kling_nb.KlingError) for e in errors)


def test_every_catalogue_spec_is_exported() -> None:
    """Each row's spec class is reachable from the package."""
    for row in kling_nb.MODELS.values():
        assert getattr(kling_nb, row.spec.__name__) is row.spec


def test_exports_table_matches_all_and_type_checking_imports() -> None:
    """__all__, the lazy-export table (with the rows found in kling_nb/specs/rows) and the
    TYPE_CHECKING imports name the same things."""
    import ast
    import inspect
    from pathlib import Path

    from kling_nb.specs.rowfiles import CLASSES_MODULE

    assert set(kling_nb.__all__) == {*kling_nb._EXPORTS, *kling_nb._ROWS, "__version__"}
    assert not set(kling_nb._EXPORTS) & set(kling_nb._ROWS)
    tree = ast.parse(inspect.getsource(kling_nb))
    typed = {alias.name: f".{node.module}" for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
             and node.module != "specs"  # the row finder itself
             for alias in node.names if alias.name != "*"}
    assert typed == kling_nb._EXPORTS
    assert "from .specs.rows._classes import *" in inspect.getsource(kling_nb)
    classes = ast.parse(Path(CLASSES_MODULE).read_text(encoding="utf-8"))
    rows = {alias.name: "." + str(node.module).split(".", 1)[1] for node in classes.body
            if isinstance(node, ast.ImportFrom) for alias in node.names
            if alias.asname == alias.name}
    assert rows == kling_nb._ROWS, (
        "the type checkers' import lines for the model rows are stale: run .ci/refresh-docs "
        "(it rewrites kling_nb/specs/rows/_classes.py)")


def test_a_row_module_is_exported_under_its_class_name() -> None:
    """kn.<Class> of every row file is that row's spec class, and lazy: found, not imported."""
    import subprocess
    import sys

    for row in kling_nb.MODELS.values():
        assert kling_nb._ROWS[row.spec.__name__] == "." + row.spec.__module__.split(".", 1)[1]
    code = ("import sys, kling_nb; assert 'Kling30TurboProAIML' in kling_nb.__all__; "
            "assert 'Kling30TurboProAIML' in dir(kling_nb); "
            "print([m for m in sys.modules if m.startswith('kling_nb.specs.rows')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_import_is_light() -> None:
    """import kling_nb loads neither the specs, httpx, ipywidgets, IPython nor PyAV."""
    import subprocess
    import sys

    code = ("import sys, kling_nb; heavy = [m for m in ('kling_nb.specs.rows', 'httpx', "
            "'ipywidgets', 'IPython', 'av') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_first_use_loads_no_terminal_or_process_library() -> None:
    """A first client, spec and catalogue load neither rich (the CLI's terminal lines) nor
    psutil (the journal asks it about a create's sender only when one is sent) nor PyAV (the
    sandbox loads it when it writes or reads a video)."""
    import subprocess
    import sys

    code = ("import sys, kling_nb as kn; kn.Client(journal=False, env_file=False); "
            "kn.Kling30(prompt='p'); len(kn.MODELS); "
            "print([m for m in ('rich', 'psutil', 'av') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"



def test_first_use_loads_neither_waiting_nor_downloading_nor_descriptions() -> None:
    """Touching ``Client``, a spec class and ``MODELS`` (the start-up benchmark's first use)
    loads none of the modules that wait, download, recover or render results, and parses no
    module's source for field descriptions: those load when a job needs them."""
    import subprocess
    import sys

    code = ("import sys, kling_nb as kn; kn.Client, kn.Kling30, kn.MODELS; "
            "from kling_nb.specs import docmodel; "
            "print([m for m in ('kling_nb.client.download', 'kling_nb.client.scheduling', "
            "'kling_nb.client.submitting', 'kling_nb.client.jobs', 'kling_nb.specs.results', "
            "'kling_nb.media.sheets') if m in sys.modules], "
            "docmodel._docstrings.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] 0"


def test_descriptions_are_there_when_a_schema_or_a_view_needs_them() -> None:
    """The field descriptions read lazily still reach the JSON schema (of the spec and of the
    models in its fields) and the field help of views and forms."""
    import subprocess
    import sys

    code = ("import json, kling_nb as kn; s = kn.Kling30.model_json_schema(); "
            "print(bool(s['properties']['prompt'].get('description')), "
            "all(p.get('description') for d in s['$defs'].values() "
            "for p in d.get('properties', {}).values()), "
            "bool(kn.Kling25Turbo.model_fields['prompt'].description))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True True"

PUBLIC_BEFORE_LAYERS = (
    "MODELS", "APIError", "AnySpec", "AspectRatioWarning", "AuthenticationError",
    "BudgetExceededError", "Catalogue", "Client", "ConfigError", "Cost", "CostTable", "Entry",
    "Gallery", "History", "ImageError", "ImageFile", "ImageInput", "ImageRef", "Job",
    "JobFailedError", "JobObserver", "JobTimeoutError", "Journal", "JournalError", "Kling21Pro",
    "Kling21ProAIML", "Kling25Turbo", "Kling30", "KlingError", "KlingO1", "ModelInfo",
    "ModerationError", "NetworkError", "NotFoundError", "ObserverWarning", "OutOfCreditsError",
    "PollSchedule", "Problem", "RateLimitedError", "RejectedError", "Result", "ResultList",
    "Resumed", "RetiredModelWarning", "RetryPolicy", "ServerError", "Sidecar", "Spec", "SpecError",
    "SpecForm", "Status", "Studio", "Sweep", "SweepPlan", "SweepResults", "UnknownOutcomeError",
    "UnresolvedImageError", "VideoRef", "WireRequest", "__version__", "compare", "generated",
    "load_sidecar", "parse_spec", "sample_image", "studio", "uploaded",
)
"""``kn.__all__`` as it was before the package was split into layers: names only grow."""


def test_every_public_name_from_before_the_layers_is_still_there() -> None:
    """Restructuring the package removed and renamed no public name."""
    assert set(PUBLIC_BEFORE_LAYERS) <= set(kling_nb.__all__)
