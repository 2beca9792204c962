"""Adding a model row is two files: a throwaway row (a spec module and its sandbox entry,
written into a copy of the package) is picked up by the catalogue, ``kn.<Class>`` and
``__all__``, the rule tests, the form, ``kling-nb models``, the sandbox and the client end to
end, with no other edit; then ``.ci/refresh-docs`` brings the generated README table and type
checkers' imports up to date, as the README's steps say."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEY = "leonardo/kling-9.9"
MODULE = "leonardo_kling_9_9"

SPEC = '''"""Kling 9.9 on Leonardo v2: a made-up row, written by tests/test_adding_a_row.py."""

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from kling_nb.core.errors import Problem
from kling_nb.specs.inferred import Rule
from kling_nb.specs.leonardo_v2 import LeonardoV2
from kling_nb.specs.refs import ImageFile, ImageRef, coerce_image
from kling_nb.specs.rules import (
    END_NEEDS_START, FRAME, REFERENCE_COUNT, SIZES, references)
from kling_nb.specs.types import SIZES_720, SIZES_1080, LeonardoImage, int_like


def _total(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    count = len(v.get("image_references") or []) + sum(
        1 for name in ("start_frame", "end_frame") if v.get(name) is not None)
    if count > 10:
        return [Problem(("image_references",), f"{count} images in all.",
                        allowed="at most 10 images, frames included")]
    return []


TOTAL = Rule("total-images", "at most 10 images in all, frames included", _total,
             inferred="the page gives no total; ten is Kling's own limit elsewhere",
             examples=({"start_frame": FRAME, "image_references": references(10)},))


class Kling99(LeonardoV2):
    """Kling 9.9 on Leonardo (v2): 3-30 s, 21:9, sound, up to 10 references."""

    model: Literal["leonardo/kling-9.9"] = "leonardo/kling-9.9"
    """The model row: Kling 9.9 on Leonardo (wire value ``kling-9.9``)."""
    duration: Annotated[int, BeforeValidator(int_like), Field(ge=3, le=30, strict=True)] = 5
    """Length of the video in whole seconds: 3 to 30."""
    start_frame: LeonardoImage | None = None
    """The first frame."""
    end_frame: LeonardoImage | None = None
    """The last frame (needs a start frame)."""
    image_references: list[Annotated[ImageRef | ImageFile, BeforeValidator(coerce_image)]] = (
        Field(default_factory=list))
    """Up to 10 reference images."""
    audio: bool | None = None
    """Generate sound with the video (``motion_has_audio``; on by default)."""

    key = "leonardo/kling-9.9"
    display_name = "Kling 9.9"
    documented_in = 'Leonardo guide "Kling 9.9"'
    wire_model = "kling-9.9"
    durations = tuple(range(3, 31))
    sizes = {"RESOLUTION_720": (*SIZES_720, (1680, 720)),
             "RESOLUTION_1080": (*SIZES_1080, (2520, 1080))}
    max_references = 10
    audio_default = True
    sound = "on by default"
    input_aliases = {"motion_has_audio": "audio"}
    wire_names = {**LeonardoV2.wire_names, "audio": "motion_has_audio"}
    checks = (SIZES, END_NEEDS_START, REFERENCE_COUNT, TOTAL)
    usd_per_second = {720: 0.157, 1080: 0.235}  # third-party figures
    summary = "A made-up row: 3-30 s at 21:9 with sound and ten references."
'''

ENTRY = '''"""Kling 9.9 on Leonardo v2: a made-up entry, written by tests/test_adding_a_row.py."""

from kling_nb.sandbox._entry import (
    IMAGE, SIZES_720, SIZES_1080, AtMost, Guide, LeonardoV2, Needs, PerSecond, Sizes, Sound)

PAGE = 'Leonardo guide "Kling 9.9"'

ENTRY = LeonardoV2(
    row="leonardo/kling-9.9", source=PAGE, model="kling-9.9",
    parameters=frozenset({"prompt", "duration", "width", "height", "motion_has_audio"}),
    guidances={"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(10)},
    durations=tuple(range(3, 31)),
    sizes=Sizes({"RESOLUTION_720": (*SIZES_720, (1680, 720)),
                 "RESOLUTION_1080": (*SIZES_1080, (2520, 1080))}, by_size=True,
                inferred="the size table is not readable: these are our reading"),
    sound=Sound(flag="motion_has_audio", default=True),
    rules=(
        Needs(field="end_frame", other="start_frame", documented=PAGE + ": end_frame needs "
              "start_frame", breaks={"parameters.guidances": {"end_frame": [IMAGE]}}),
        AtMost(fields=("start_frame", "end_frame", "image_reference"), limit=10,
               inferred="the page gives no total; ten is Kling's own limit elsewhere",
               breaks={"parameters.guidances.image_reference": [IMAGE] * 10}),
    ),
    price=PerSecond(rate={(720, False): 0.157, (720, True): 0.157, (1080, False): 0.235,
                          (1080, True): 0.235}, published="fal and WaveSpeed (third party)"),
    samples=(
        {"model": "kling-9.9", "public": False, "parameters": {
            "prompt": "A lighthouse keeper climbs the stairs at dusk", "duration": 30,
            "width": 2520, "height": 1080, "motion_has_audio": True,
            "guidances": {"start_frame": [IMAGE]}}},
    ),
)
'''

GENERIC_TESTS = [
    # the catalogue and the public API
    "tests/specs/test_catalogue.py::test_every_row_file_defines_the_class_and_key_its_name_promises",
    "tests/specs/test_catalogue.py::test_each_row_lives_in_the_module_named_after_its_key",
    "tests/test_public_api.py::test_all_is_sorted_and_complete",
    "tests/test_public_api.py::test_every_catalogue_spec_is_exported",
    "tests/test_public_api.py::test_a_row_module_is_exported_under_its_class_name",
    "tests/test_public_api.py::test_import_is_light",
    # its rules, its spec and entry together, the sandbox, the client, the form, the CLI
    "tests/specs/test_rule_evidence.py", "tests/specs/test_current_lineup.py",
    "tests/test_row_pairs.py", "tests/sandbox/test_entries.py",
    "tests/client/test_every_row_end_to_end.py", "tests/client/test_rules_meet_the_sandbox.py",
    "tests/notebook/test_form.py::test_every_model_builds_a_form_from_its_schema",
    "tests/notebook/test_form.py::test_the_form_help_gives_each_rule_its_source",
    "tests/notebook/test_form.py::test_every_model_validates_and_enables_generate",
    "tests/cli/test_cli.py::test_models_lists_every_row",
]
STALE_TESTS = [
    "tests/test_readme.py::test_readme_model_table_is_the_catalogue",
    "tests/test_public_api.py::test_exports_table_matches_all_and_type_checking_imports",
]


def _copy(tmp_path: Path) -> Path:
    """The repository's package, tests, README and scripts, in ``tmp_path/repo`` (with the
    vendor pages beside it, as beside the repository, for the evidence tests)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    repo = tmp_path / "repo"
    for folder in ("kling_nb", "tests", ".ci"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=ignore)
    for name in ("README.md", "conftest.py"):
        shutil.copy(ROOT / name, repo / name)
    if (ROOT.parent / "shared").is_dir():
        (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    (repo / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:cacheprovider\nmarkers =\n    browser: real browsers\n"
        "filterwarnings = error::pytest.PytestUnraisableExceptionWarning\n")
    return repo


def _pytest(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_throwaway_row_is_two_files(tmp_path: Path) -> None:
    """Write the two files into a copy; everything picks the row up; refresh the docs."""
    repo = _copy(tmp_path)
    (repo / "kling_nb" / "specs" / "rows" / f"{MODULE}.py").write_text(SPEC)
    (repo / "kling_nb" / "sandbox" / "rows" / f"{MODULE}.py").write_text(ENTRY)
    env = {**os.environ, "PYTHONPATH": str(repo)}

    found = subprocess.run(
        [sys.executable, "-c", "import kling_nb as kn; print(kn.__file__, kn.Kling99.key, "
         "'Kling99' in kn.__all__, list(kn.MODELS).index('leonardo/kling-9.9'))"],
        cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert found[0].startswith(str(repo))  # the copy, not the installed package
    import kling_nb as kn

    before_o3 = str(list(kn.MODELS).index("leonardo/kling-o3"))  # where it goes in the copy
    assert found[1:] == [KEY, "True", before_o3]  # after Leonardo's numbered rows, before O3

    described = subprocess.run([sys.executable, "-m", "kling_nb.cli.main", "models", KEY],
                               cwd=repo, env=env, capture_output=True, text=True, check=True)
    assert "2520x1080" in described.stdout
    assert 'source: Leonardo guide "Kling 9.9"' in described.stdout
    assert "why inferred: the page gives no total" in described.stdout

    # One run: every generic suite passes with the row's own cases in it, and only the two
    # checks of the generated docs fail, saying to refresh them.
    run = _pytest(repo, *GENERIC_TESTS, *STALE_TESTS, "-rA", "-k",
                  f"{KEY} or not (leonardo/ or aimlapi/)")
    summary = [line.split(" ", 1) for line in run.stdout.splitlines()
               if line.startswith(("PASSED ", "FAILED ", "ERROR "))]
    failed = {test.split(" - ", 1)[0] for state, test in summary if state != "PASSED"}
    assert failed == set(STALE_TESTS), run.stdout[-6000:]
    assert run.stdout.count("run .ci/refresh-docs") >= 2
    ran = {test.split("::", 1)[0] for state, test in summary if state == "PASSED" and KEY in test}
    assert ran == {  # the row's own cases, in every generic suite (none written for it)
        "tests/specs/test_rule_evidence.py", "tests/specs/test_current_lineup.py",
        "tests/test_row_pairs.py", "tests/sandbox/test_entries.py",
        "tests/client/test_every_row_end_to_end.py",
        "tests/client/test_rules_meet_the_sandbox.py", "tests/notebook/test_form.py"}, run.stdout

    subprocess.run(["bash", str(repo / ".ci" / "refresh-docs"), sys.executable], cwd=repo,
                   env=env, check=True, capture_output=True)
    assert f"| `{KEY}` | Kling 9.9 | Leonardo.AI | active |" in (repo / "README.md").read_text()
    fresh = _pytest(repo, *STALE_TESTS)
    assert fresh.returncode == 0, fresh.stdout[-3000:]
