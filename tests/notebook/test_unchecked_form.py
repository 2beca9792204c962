"""Widgets for Kling 4.0 and for models the catalogue does not know: Kling 4.0's form (a 3-30 s
slider, the 21:9 sizes, ten reference slots beside the frames), the studio's "any model,
unchecked" body form (validated as parse_spec reads it, copy as code, Generate), the board's
UNCHECKED label and remix back into that form."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import ipywidgets as w

import kling_nb as kn
from kling_nb.notebook.app import StudioApp, studio_app
from kling_nb.notebook.fields import SizeField
from kling_nb.notebook.form import SpecForm
from kling_nb.notebook.studio import UNCHECKED, Studio
from kling_nb.notebook.unchecked import UncheckedForm

REF1, REF2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
BODY = {"model": "kling-9.1", "public": False, "parameters": {
    "prompt": "a heron lands", "duration": 4, "width": 1920, "height": 1080}}


def test_kling_4_form_offers_30_s_21_9_and_ten_references_with_frames() -> None:
    """A 3-30 s slider, the 21:9 sizes labelled as such, ten reference slots shown together
    with the start and end frames, and a valid spec of all of them."""
    form = SpecForm("leonardo/kling-4.0", debounce=0)
    duration = form.fields["duration"].control
    assert isinstance(duration, w.IntSlider)
    assert (duration.min, duration.max) == (3, 30)
    size = form.fields["size"]
    assert isinstance(size, SizeField)
    labels = [label for label, _ in size.control.options]
    assert "2520x1080 (21:9 ultra-wide)" in labels
    assert "1680x720 (21:9 ultra-wide)" in labels
    refs = form.fields["image_references"]
    assert refs.limit == 10  # type: ignore[attr-defined]
    form.set_values({"prompt": "@image1 and @image2 at dusk", "duration": 30,
                     "size": "2520x1080", "start_frame": kn.generated(REF1),
                     "end_frame": kn.generated(REF2),
                     "image_references": [kn.generated(REF1), kn.generated(REF2)]})
    assert form.fields["image_references"].visible
    assert form.fields["start_frame"].visible
    assert form.spec is not None, form.errors
    sent = form.spec.to_request().json["parameters"]
    assert len(sent["guidances"]["image_reference"]) == 2
    assert (sent["duration"], sent["width"]) == (30, 2520)
    exclusive = SpecForm("leonardo/kling-o3", debounce=0)
    exclusive.set_values({"start_frame": kn.generated(REF1)})
    assert not exclusive.fields["image_references"].visible  # O3 keeps them apart


def test_the_unchecked_form_reads_the_body_as_parse_spec_does() -> None:
    """A fresh body cannot be sent (no model id); a body of an unknown model can, and says
    where it goes; bad JSON and a known model are said next to it."""
    form = UncheckedForm(debounce=0)
    assert form.spec is None
    assert form.generate_button.disabled
    form.body.value = "{not json"
    assert "not valid JSON" in form.message.value
    form.body.value = json.dumps(BODY)
    assert isinstance(form.spec, kn.UncheckedSpec)
    assert not form.generate_button.disabled
    assert "leonardo/kling-9.1 (unchecked)" in form.message.value
    form.body.value = json.dumps({**BODY, "model": "kling-3.0"})
    assert "kn.parse_spec(body) checks it" in form.message.value
    form.body.value = json.dumps({"model": "kling-9.1", "prompt": "p"})
    assert form.spec is None
    assert "say which" in form.message.value
    form.provider_picker.value = "aimlapi"
    form.endpoint.value = "/v2/generate/video/kling/generation"
    assert form.spec is not None
    assert form.spec.endpoint == "/v2/generate/video/kling/generation"
    assert "UNCHECKED" in repr(form) or "unchecked" in repr(form)


def test_the_studio_offers_any_model_unchecked_and_carries_a_body_over() -> None:
    """Picking "any model, unchecked" swaps in the body form, filled with the last checked
    model's request to edit; copy as code rebuilds the spec; the cost says no price."""
    studio = Studio(model="leonardo/kling-4.0", debounce=0)
    studio.form.set_values({"prompt": "a fox", "start_frame": kn.generated(REF1)})
    assert studio.form.spec is not None
    studio.picker.value = UNCHECKED
    form = studio.form
    assert isinstance(form, UncheckedForm)
    assert json.loads(form.body.value)["model"] == "kling-4.0"
    assert form.spec is not None
    assert form.spec.key == "leonardo/kling-4.0 (unchecked)"
    form.body.value = json.dumps(BODY)
    namespace: dict[str, Any] = {}
    exec(studio.python_code.value, namespace)
    assert namespace["spec"] == form.spec
    assert studio.curl_code.value.startswith("curl --request POST")
    assert "A model the catalogue does not know" in studio.summary.value
    assert "any model, unchecked" in repr(studio)
    studio.picker.value = "leonardo/kling-3.0"
    assert studio.form.fields["prompt"].get() == "a heron lands"  # the body's prompt kept


def test_generate_remix_and_the_board_label(tmp_path: Path) -> None:
    """In the studio app an unchecked body is generated in the sandbox that takes unknown
    models; its card says UNCHECKED; "remix this" brings the body back into the form."""
    client = kn.Client(sandbox=kn.Sandbox(accept_unknown_models=True),
                       journal=kn.Journal(tmp_path / "j.db"), download_dir=tmp_path)
    started: list[Any] = []
    app: StudioApp = studio_app(client, debounce=0, runner=started.append)
    app.studio.select("leonardo/kling-9.1 (unchecked)")
    form = app.studio.form
    assert isinstance(form, UncheckedForm)
    form.body.value = json.dumps(BODY)
    form.generate_button.click()
    result = asyncio.run(started.pop())
    assert result is not None, form.progress.value
    assert result.model == "leonardo/kling-9.1 (unchecked)"
    assert app.gallery is not None
    [card] = app.gallery.board.cards
    assert card["unchecked"]
    assert card["remix"]
    assert dict(card["differ"]) == {}
    assert app.gallery.shared["prompt"] == "a heron lands"
    app.studio.select("leonardo/kling-3.0")
    app.gallery.board._receive(None, {"kind": "remix", "index": 0}, [])
    assert isinstance(app.studio.form, UncheckedForm)
    assert json.loads(app.studio.form.body.value) == BODY
    gallery = kn.Gallery([(app.studio.form.spec, result)])
    gallery.remix(0)
    assert gallery.remix_area.outputs  # opened in a form below the board
