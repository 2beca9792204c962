"""The studio: model swap keeping values, copy as code, reset and the cost estimate."""

from __future__ import annotations

import pytest
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.notebook.fields import UNSET
from kling_nb.notebook.studio import Studio, studio


def make(model: str = "leonardo/kling-2.5-turbo") -> Studio:
    """A studio that validates at once."""
    return studio(model=model, debounce=0)


def test_swapping_models_keeps_the_values_that_still_apply() -> None:
    """Prompt, duration, size and start frame carry over where the new model takes them."""
    s = make()
    s.form.fields["prompt"].set("a fox in the snow")
    s.form.fields["duration"].set(10)
    s.form.fields["size"].set((1440, 1440))
    s.form.fields["start_frame"].set(kn.uploaded("00000000-0000-4000-8000-000000000001"))
    kept = s.select("leonardo/kling-3.0")
    assert isinstance(s.form.spec, kn.Kling30)
    assert set(kept) == {"prompt", "duration", "size", "start_frame"}
    spec = s.form.spec
    assert (spec.prompt, spec.duration, spec.width, spec.height) == (
        "a fox in the snow", 10, 1440, 1440)
    assert spec.start_frame == kn.uploaded("00000000-0000-4000-8000-000000000001")
    s.form.fields["duration"].set(8)
    s.form.fields["mode"].set("RESOLUTION_720")
    s.picker.value = "leonardo/kling-2.5-turbo"  # as the user picks it
    assert isinstance(s.form.spec, kn.Kling25Turbo)
    assert s.form.spec.duration == 5
    assert s.form.spec.prompt == "a fox in the snow"
    assert "duration" not in s.kept
    assert "mode" not in s.kept


def test_start_frame_and_aiml_image_translate() -> None:
    """An https start frame becomes the AI/ML image_url; an asset id does not apply there."""
    s = make()
    s.form.fields["prompt"].set("wave")
    s.form.fields["start_frame"].set("https://example.com/a.png")
    s.select("aimlapi/kling-2.1-pro")
    assert s.form.spec is not None
    assert s.form.spec.image_url == "https://example.com/a.png"  # type: ignore[attr-defined]
    s.select("leonardo/kling-2.5-turbo")
    assert s.form.fields["start_frame"].get() == kn.ImageFile(url="https://example.com/a.png")
    s.form.fields["start_frame"].set(kn.uploaded("00000000-0000-4000-8000-000000000001"))
    s.select("aimlapi/kling-2.1-pro")
    assert "image_url" not in s.kept
    assert s.form.spec is None


@pytest.mark.parametrize("key", list(kn.MODELS))
def test_copy_as_code_evaluates_back_to_an_equal_spec(key: str) -> None:
    """The Python shown under "Copy as code" rebuilds the form's spec; curl is there too."""
    s = make(key)
    example = kn.MODELS[key].spec.example
    s.form.set_values({k: v for k, v in example.items() if k in ("effect_scene", "image_list")})
    if "prompt" in s.form.fields:
        s.form.fields["prompt"].set("a 'quoted' <fox>")
    if "start_frame" in s.form.fields:
        s.form.fields["start_frame"].set(kn.generated("00000000-0000-4000-8000-000000000002"))
    if "image_url" in s.form.fields:
        s.form.fields["image_url"].set("https://example.com/frame.png")
    if "video_url" in s.form.fields:
        s.form.fields["video_url"].set("https://example.com/source.mp4")
    if "audio_url" in s.form.fields:
        s.form.fields["audio_url"].set("https://example.com/voice.mp3")
    if "seed" in s.form.fields:
        s.form.fields["seed"].set(9)
    s.code_button.value = True
    assert s.code.layout.display is None
    namespace: dict[str, object] = {}
    exec(s.python_code.value, namespace)
    assert namespace["spec"] == s.form.spec
    assert s.curl_code.value.startswith("curl --request POST")


def test_reset_returns_every_field_to_its_default() -> None:
    """Reset clears the prompt and puts duration, size and toggles back."""
    s = make("leonardo/kling-3.0")
    s.form.fields["prompt"].set("x")
    s.form.fields["duration"].set(12)
    s.form.fields["audio"].set(True)
    s.form.fields["seed"].set(5)
    s.reset_button.click()
    fields = s.form.fields
    assert fields["prompt"].get() is UNSET
    assert fields["duration"].get() == 5
    assert fields["audio"].get() is UNSET
    assert fields["seed"].get() is UNSET
    assert s.form.spec is None  # Leonardo needs a prompt: the reset form asks for one
    fields["prompt"].set("y")
    assert s.form.spec == kn.Kling30(prompt="y")


def test_cost_is_shown_as_an_estimate() -> None:
    """The cost line follows the duration, says it is an estimate, and shows while the form
    is still being filled in (the code waits for a valid form)."""
    s = make("leonardo/kling-3.0")
    s.form.fields["duration"].set(15)
    assert "$2.83" in unguarded(s.cost.value)
    assert "estimate" in s.cost.value.lower()
    s.form.fields["prompt"].set("x" * 2000)
    assert "$2.83" in unguarded(s.cost.value)
    assert "errors" in s.python_code.value


def test_in_the_sandbox_the_cost_line_says_nothing_is_billed() -> None:
    """With a sandbox client the line says nothing is billed; the list price is what a live
    job would cost, not money this studio spends."""
    s = studio(client=kn.Client(sandbox=True, journal=False), model="leonardo/kling-3.0",
               debounce=0)
    s.form.fields["duration"].set(15)
    line = unguarded(s.cost.value)
    assert "nothing billed (SANDBOX)" in line
    assert "live, it would be ~$2.83 estimated" in line
    s.select("leonardo/kling-3.0-turbo")
    assert "no live price is known" in s.cost.value


def test_without_widgets_the_studio_and_form_describe_themselves() -> None:
    """The text a page without widgets shows says what the widget is, never an error count."""
    s = make("leonardo/kling-2.1-pro")
    text = s._repr_mimebundle_()["text/plain"]
    assert text.startswith(f"Studio: pick one of {len(kn.MODELS)} model rows")
    assert "(now Kling 2.1 Pro, leonardo/kling-2.1-pro)" in text
    form = s.form._repr_mimebundle_()["text/plain"]
    assert form.startswith("Kling 2.1 Pro form (leonardo/kling-2.1-pro): prompt, start frame,")
    assert "to fill in: prompt, start frame" in form
    assert "run the notebook to use it" in form
    assert "error" not in (text + form).lower()
    s.form.fields["prompt"].set("a kite")
    s.form.fields["start_frame"].set(kn.uploaded("00000000-0000-4000-8000-000000000001"))
    assert "ready to generate" in repr(s.form)


def test_retired_model_shows_its_notice() -> None:
    """Picking the retired Kling 2.1 Pro on Leonardo shows the retirement notice."""
    s = make("leonardo/kling-2.1-pro")
    assert "Retired" in s.summary.value
    assert "kling-3.0" in s.summary.value
    s.select("leonardo/kling-3.0")
    assert "Retired" not in s.summary.value
