"""A model row is two files, its spec (``kling_nb/specs/rows/X.py``) and its sandbox entry
(``kling_nb/sandbox/rows/X.py``): they name the same row and wire ids, and every sample body
of the entry is one the spec reads and writes back unchanged (a documented default may be
made explicit). The two are written apart, so each checks the other."""

from __future__ import annotations

import base64
import io
import warnings
from typing import Any

import pytest
from clip_helpers import clip_placeholder

import kling_nb as kn
from kling_nb.sandbox._registry import entries

ENTRIES = {entry.row: entry for entry in entries()}
ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def test_every_row_has_its_sandbox_entry_and_no_entry_is_alone() -> None:
    """Each spec row's module has a sandbox module of the same name whose entry is that row."""
    import importlib
    import pkgutil

    from kling_nb.sandbox import rows

    found = {m.name: importlib.import_module(f"{rows.__name__}.{m.name}").ENTRY.row
             for m in pkgutil.iter_modules(rows.__path__) if not m.name.startswith("_")}
    wanted = {row.spec.__module__.rsplit(".", 1)[1]: key for key, row in kn.MODELS.items()}
    assert found == wanted, ("rows without a sandbox entry", set(wanted) - set(found),
                             "sandbox entries without a row", set(found) - set(wanted))


@pytest.mark.parametrize("key", list(kn.MODELS))
def test_the_entry_answers_every_wire_id_the_spec_sends(key: str) -> None:
    """The spec's wire model ids (each variant's) are ids its entry answers."""
    spec = kn.MODELS[key].spec
    sent = {spec.wire_model, *getattr(spec, "variants", {}).values()}
    assert sent <= set(ENTRIES[key].models)


def png_bytes(placeholder: str) -> bytes:
    """A PNG of the size a ``<PNG WxH>`` placeholder names."""
    from PIL import Image

    width, height = map(int, placeholder.strip("<>").split()[1].split("x"))
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _filled(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _filled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v) for v in value]
    if isinstance(value, str) and value.startswith(("<ID", "<VIDEO_ID")):
        return ID
    if isinstance(value, str) and value.startswith("<VIDEO_URL"):
        return "https://example.com/video.mp4"
    if isinstance(value, str) and value.startswith("<PNG"):
        return "data:image/png;base64," + base64.b64encode(png_bytes(value)).decode()
    return clip_placeholder(value) or value


SAMPLES = [pytest.param(e.row, s, id=f"{e.row}:{n}") for e in entries()
           for n, s in enumerate(e.samples, 1)]


@pytest.mark.parametrize(("key", "sample"), SAMPLES)
def test_every_sandbox_sample_round_trips_through_its_spec(key: str,
                                                            sample: dict[str, Any]) -> None:
    """The body parses into its row, breaking no rule, and is sent back as it was; the only
    addition allowed is the sound flag's documented default."""
    body = _filled(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a sample breaks no inferred rule either
        spec = kn.parse_spec(body)
    assert spec.key == key
    sent = spec.to_request().json
    sound = ENTRIES[key].sound
    params = "parameters" in body
    expected = {**body, "parameters": dict(body["parameters"])} if params else dict(body)
    target = expected["parameters"] if params else expected
    if sound.flag is not None and sound.flag not in target:
        target[sound.flag] = sent.get("parameters", sent).get(sound.flag, sound.default)
        assert target[sound.flag] == sound.default
    assert sent == expected
