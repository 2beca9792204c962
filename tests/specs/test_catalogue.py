"""The catalogue and parse_spec: routing, retired rows, and errors for unknown models."""

from __future__ import annotations

import json

import pytest

import kling_nb
from kling_nb import MODELS, SpecError, parse_spec
from kling_nb.specs.catalogue import SPECS

ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def rejected(data: object) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_spec(data)  # type: ignore[arg-type]
    return info.value


def test_catalogue_starts_with_the_five_seed_rows() -> None:
    """The five rows of the mission come first, with their providers and endpoints."""
    rows = [(r.name, r.provider, r.endpoint.rsplit("/", 1)[-1]) for r in MODELS.values()]
    assert rows[:5] == [
        ("Kling 2.1 Pro", "leonardo", "generations-image-to-video"),
        ("Kling 2.5 Turbo", "leonardo", "generations-image-to-video"),
        ("Kling 2.1 Pro", "aimlapi", "generation"),
        ("Kling O1", "leonardo", "generations"),
        ("Kling 3.0", "leonardo", "generations"),
    ]
    assert [r.spec for r in MODELS.values()] == list(SPECS)


def test_current_lineup_rows() -> None:
    """The current Kling line-up on both APIs, each row on its provider's endpoint."""
    universal = [k for k, r in MODELS.items() if r.endpoint.endswith("/v2/video/generations")]
    assert universal == [k for k in MODELS if k.startswith("aimlapi/")
                         and k != "aimlapi/kling-2.1-pro"]  # the seed row keeps its legacy path
    assert {"aimlapi/kling-2.5-turbo-pro", "aimlapi/kling-2.6-pro", "aimlapi/kling-3.0-standard",
            "aimlapi/kling-3.0-pro", "aimlapi/kling-3.0-turbo-standard",
            "aimlapi/kling-3.0-turbo-pro", "aimlapi/kling-4.0-reference", "aimlapi/kling-o1",
            "aimlapi/kling-o1-edit", "aimlapi/kling-o1-video-reference",
            "aimlapi/kling-2.6-motion-control", "aimlapi/kling-3.0-motion-control",
            "aimlapi/kling-avatar-standard", "aimlapi/kling-avatar-pro"} <= set(universal)
    assert {"leonardo/kling-2.6", "leonardo/kling-3.0-turbo", "leonardo/kling-o3",
            "leonardo/kling-4.0"} <= set(MODELS)


def test_each_row_lives_in_the_module_named_after_its_key() -> None:
    """A row's module is its key's slug, and the class there has that key."""
    from kling_nb.specs.catalogue import module_of

    for key, row in MODELS.items():
        assert row.spec.__module__ == module_of(key)
        assert row.spec.key == key


def test_every_row_file_defines_the_class_and_key_its_name_promises() -> None:
    """Each file of kling_nb/specs/rows is a row: its key and ``kn.<Class>`` follow from the
    file name, so the file must define exactly that (the failure says what to rename)."""
    import importlib

    from kling_nb.specs.rowfiles import module_of, row_files

    files = row_files()
    assert [f.key for f in files] == list(MODELS)
    for found in files:
        module = importlib.import_module("kling_nb" + found.module)
        specs = [v for v in vars(module).values() if isinstance(v, type)
                 and issubclass(v, kling_nb.Spec) and v.__module__ == module.__name__]
        named = [s.__name__ for s in specs]
        assert named == [found.class_name], (
            f"{module.__file__} must define one spec class named {found.class_name} "
            f"(found {named}): kn.{found.class_name} is derived from the file name")
        assert specs[0].key == found.key, (
            f"{found.class_name}.key must be {found.key!r} (from the file name), not "
            f"{specs[0].key!r}; or rename the file to {module_of(specs[0].key)}.py")
        assert getattr(specs[0], "model_fields", {}).get("model") is not None


def test_the_order_is_derived_from_the_keys() -> None:
    """Seed rows first, then Leonardo, then the AI/ML API; versions as numbers, Standard
    before Pro."""
    from kling_nb.specs.rowfiles import RowFile, _order, class_of, key_of

    assert key_of("aimlapi_kling_3_0_turbo_pro") == "aimlapi/kling-3.0-turbo-pro"
    assert key_of("leonardo_kling_o3") == "leonardo/kling-o3"
    assert class_of("aimlapi_kling_o1_edit") == "KlingO1EditAIML"
    assert class_of("leonardo_kling_4_0") == "Kling40"
    keys = ["aimlapi/kling-10.0-pro", "aimlapi/kling-3.0-pro", "aimlapi/kling-3.0-standard",
            "leonardo/kling-4.0", "leonardo/kling-o1", "aimlapi/kling-1.6-pro"]
    ordered = sorted((RowFile(k, "", "") for k in keys), key=_order)
    assert [r.key for r in ordered] == [
        "leonardo/kling-o1", "leonardo/kling-4.0", "aimlapi/kling-1.6-pro",
        "aimlapi/kling-3.0-standard", "aimlapi/kling-3.0-pro", "aimlapi/kling-10.0-pro"]


def test_each_row_names_its_seed_page(seeds_dir: object) -> None:
    """Every row points at the vendor page it implements, and that page exists."""
    from pathlib import Path

    seeded = [row for row in MODELS.values() if row.seed_page]
    assert len(seeded) == 5
    for row in seeded:
        page = Path(str(seeds_dir)) / row.seed_page
        assert page.is_file()
        assert row.name in page.read_text() or "v2.1-pro" in page.read_text()


def test_kling21_leonardo_is_retired_with_successors() -> None:
    """The retired row says so and names its successors, which exist."""
    row = MODELS["leonardo/kling-2.1-pro"]
    assert row.retired
    assert str(row.retired_on) == "2026-09-15"
    assert set(row.successors) <= set(MODELS)
    assert "Kling 2.5 Turbo" in (row.notice or "")
    assert [r.key for r in MODELS.values() if r.retired] == [row.key]


@pytest.mark.parametrize(("model", "key"), [
    ("KLING2_1", "leonardo/kling-2.1-pro"), ("KLING2_5", "leonardo/kling-2.5-turbo"),
    ("Kling2_5", "leonardo/kling-2.5-turbo"),
    ("kling-video/v2.1/pro/image-to-video", "aimlapi/kling-2.1-pro"),
    ("kling-video-o-1", "leonardo/kling-o1"), ("kling-3.0", "leonardo/kling-3.0"),
    ("leonardo/kling-3.0", "leonardo/kling-3.0"),
])
def test_find_by_wire_value_or_key(model: str, key: str) -> None:
    """Rows are found by our key and by the provider's own model value."""
    row = MODELS.find(model)
    assert row is not None
    assert row.key == key


def test_parse_spec_unknown_model_lists_the_valid_ones() -> None:
    """An unknown model names every valid key and suggests the closest."""
    error = rejected({"model": "kling-2.5"})
    assert "'kling-2.5' is not a known model" in str(error)
    assert "Did you mean 'leonardo/kling-2.5-turbo'?" in str(error)
    for key in MODELS:
        assert key in str(error)


def test_parse_spec_missing_model() -> None:
    """A dict without a model says the model is required."""
    assert "model is required." in str(rejected({}))


def test_parse_spec_accepts_json_text_and_specs() -> None:
    """JSON text and ready specs are accepted too."""
    spec = parse_spec(json.dumps({"model": "leonardo/kling-3.0", "prompt": "x"}))
    assert isinstance(spec, kling_nb.Kling30)
    assert parse_spec(spec) is spec
    assert "not valid JSON" in str(rejected("{oops"))


def test_parse_spec_error_is_not_a_library_traceback() -> None:
    """The error has no chained exception from inside the library."""
    error = rejected({"model": "KLING2_5", "duration": 3})
    assert error.__cause__ is None
    assert error.__suppress_context__
    assert isinstance(error, kling_nb.KlingError)


def test_wire_errors_name_the_wire_keys() -> None:
    """Errors for a pasted body mention the wire spelling of the field."""
    body = {"model": "KLING2_5", "endFrameImage": {"id": ID, "type": "UPLOADED"},
            "width": 1920, "height": 1080, "resolution": "RESOLUTION_1080", "duration": 5}
    assert "end_frame (endFrameImage)" in str(rejected(body))


def test_unknown_wire_key_rejected() -> None:
    """An unexpected key in a pasted body is named."""
    body = {"model": "kling-3.0", "public": False, "parameters": {"promptt": "x"}}
    error = rejected(body)
    assert "promptt" in error.fields


def test_o1_endframe_spelling_accepted() -> None:
    """The O1 table's ``endframe`` is read as ``end_frame`` and sent as ``end_frame``."""
    body = {"model": "kling-video-o-1", "public": False, "parameters": {
        "prompt": "x", "guidances": {
        "start_frame": [{"image": {"id": ID, "type": "UPLOADED"}}],
        "endframe": [{"image": {"id": ID, "type": "UPLOADED"}}]}}}
    guidances = parse_spec(body).to_wire()["parameters"]["guidances"]
    assert set(guidances) == {"start_frame", "end_frame"}


def test_catalogue_displays() -> None:
    """The catalogue prints as a table in text and HTML."""
    assert "leonardo/kling-3.0" in repr(MODELS)
    assert "<table class='kling-nb-models'>" in MODELS._repr_html_()
    assert "retired (2026-09-15)" in MODELS._repr_html_()
    assert "seed" not in MODELS._repr_html_()


def test_short_model_names() -> None:
    """A key without its provider works when one provider has it, and asks when two do."""
    with pytest.warns(kling_nb.InferredRuleWarning, match="without a start frame"):
        found = parse_spec({"model": "kling-3.0-turbo", "prompt": "x"})
    assert type(found).__name__ == "Kling30Turbo"
    assert "more than one provider" in str(rejected({"model": "kling-o1", "prompt": "x"}))
    error = rejected({"model": "kling-2.1-pro", "prompt": "x"})
    assert "more than one provider" in str(error)
    assert "'leonardo/kling-2.1-pro' or 'aimlapi/kling-2.1-pro'" in str(error)
