"""The per-model form, image inputs, debouncing and Generate against the sandbox."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from client_helpers import bomb_png
from PIL import Image

import kling_nb as kn
from kling_nb.notebook.background import Background, Debouncer
from kling_nb.notebook.fields import UNSET, DurationField, SizeField
from kling_nb.notebook.form import SpecForm
from kling_nb.notebook.images import ImageInput, VideoField
from kling_nb.notebook.table import HIDDEN, schema_of
from kling_nb.sandbox import Sandbox
from kling_nb.specs.refs import coerce_image

KEYS = list(kn.MODELS)
REF1, REF2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


def png(width: int = 640, height: int = 360) -> bytes:
    """A small real PNG."""
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload_value(data: bytes, name: str = "frame.png") -> tuple[dict[str, Any], ...]:
    """What FileUpload.value holds after the browser sent one file."""
    return ({"name": name, "type": "image/png", "size": len(data),
             "content": memoryview(data),
             "last_modified": datetime.now(timezone.utc)},)


def form(key: str, **options: Any) -> SpecForm:
    """A form that validates at once (no debounce)."""
    return SpecForm(key, debounce=0, **options)


def valid(key: str) -> SpecForm:
    """A form filled so that it is valid for its model."""
    f = form(key)
    example = dict(kn.MODELS[key].spec.example)
    if "start_frame" in example:
        example["start_frame"] = kn.generated(REF1)
    assert set(f.set_values(example)) == set(example)
    return f


@pytest.mark.parametrize("key", KEYS)
def test_every_model_builds_a_form_from_its_schema(key: str) -> None:
    """Each schema field gets a widget with help text; durations and sizes are the model's."""
    f = form(key)
    spec = kn.MODELS[key].spec
    covered = {name for field in f.fields.values() for name in field.covers}
    assert covered == set(schema_of(spec)["properties"]) - HIDDEN
    assert all(field.help.value for field in f.fields.values())
    duration = f.fields.get("duration")
    if not spec.durations:  # the length follows the source video
        assert duration is None
        return
    assert isinstance(duration, DurationField)
    assert duration.durations == spec.durations
    slider = type(duration.control).__name__ == "IntSlider"
    offered = (list(range(duration.control.min, duration.control.max + 1)) if slider
               else [v for _, v in duration.control.options])
    assert offered == list(spec.durations)  # exactly the row's own durations
    assert slider == (len(spec.durations) > 4)  # a long range is a slider, a few a list
    size = f.fields.get("size")
    if size is not None:
        assert isinstance(size, SizeField)
        offered = [v for _, v in size.control.options if v is not UNSET]
        assert offered == list(spec.allowed_sizes(size.mode))


@pytest.mark.parametrize("key", KEYS)
def test_the_form_help_gives_each_rule_its_source(key: str) -> None:
    """The form's "Rules" panel lists every rule of the row: documented ones with their
    source, inferred ones with why."""
    from kling_nb.core.html import esc

    f = form(key)
    spec = kn.MODELS[key].spec
    assert bool(f.rules_help.value) == bool(spec.checks)  # a row may have no rule of its own
    for rule in spec.checks:
        assert esc(rule.text) in f.rules_help.value
        assert esc(rule.inferred or rule.source_of(spec) or "") in f.rules_help.value


@pytest.mark.parametrize("key", KEYS)
def test_every_model_validates_and_enables_generate(key: str) -> None:
    """A filled form is valid, Generate is enabled, and the spec matches the fields."""
    f = valid(key)
    assert f.spec is not None
    assert not f.errors
    assert f.generate_button.disabled is False
    plain = {name: value for name, value in kn.MODELS[key].spec.example.items()
             if isinstance(value, (str, int)) and not str(value).startswith("https://")
             and name not in ("start_frame", "end_frame")}  # images are set as references
    assert plain  # a prompt, or an effect's scene
    assert {name: getattr(f.spec, name) for name in plain} == plain


def test_prompt_counter_and_limit_error_disable_generate() -> None:
    """The prompt shows a live count against 1500; too long is an error next to it."""
    f = valid("leonardo/kling-3.0")
    prompt = f.fields["prompt"]
    prompt.set("x" * 1501)
    assert "1501 / 1500" in prompt.counter.value
    assert "too long" in prompt.error.value
    assert f.generate_button.disabled
    assert f.spec is None
    prompt.set("x" * 1500)
    assert prompt.error.value == ""
    assert not f.generate_button.disabled


def test_errors_land_next_to_their_field() -> None:
    """Bad text and rule violations are shown on the field they concern."""
    f = valid("leonardo/kling-o1")
    f.fields["seed"].control.value = "abc"
    assert "not a whole number" in f.fields["seed"].error.value
    assert f.spec is None
    f.fields["seed"].control.value = "-1"
    assert "too small" in f.fields["seed"].error.value
    assert f.generate_button.disabled
    f.fields["seed"].control.value = "12"
    assert f.spec is not None
    assert f.spec.seed == 12


def test_required_start_frame_and_asset_id_errors() -> None:
    """Kling 2.1 Pro needs a start frame; a placeholder id is refused by the image input."""
    f = form("leonardo/kling-2.1-pro")
    f.click_generate()  # nothing is sent: the form is invalid, and now says why everywhere
    assert "needs a start frame" in f.fields["start_frame"].error.value
    assert "prompt is required." in f.fields["prompt"].error.value
    assert f.generate_button.disabled
    image = f.fields["start_frame"].control
    image.source.value = "asset"
    image.asset.value = "<YOUR_IMAGE_ID>"
    assert "placeholder" in image.message.value
    assert f.spec is None
    image.asset.value = "3f2a9c1e-12ab-4c5d-9e8f-1234"
    assert "not a Leonardo asset id" in image.message.value
    assert "3f2a9c1e-12ab-4c5d-9e8f-1234" in image.message.value
    image.asset.value = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"
    f.fields["prompt"].set("a fox")
    assert f.spec is not None
    assert not f.generate_button.disabled


def _empty_request_refused(key: str) -> bool:
    """Whether the model refuses a request with no inputs (every row whose schema is read:
    it needs a prompt or an image)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)
        try:
            kn.MODELS[key].spec()
        except kn.SpecError:
            return True
    return False


@pytest.mark.parametrize("key", KEYS)
def test_a_new_form_says_nothing_until_a_field_is_touched(key: str) -> None:
    """A fresh form shows no error anywhere (Generate is simply disabled); a touched field
    shows its problem, naming the field."""
    f = form(key)
    needs_input = _empty_request_refused(key)  # else an empty request is only warned about
    assert (f.spec is None) is needs_input
    if needs_input:
        required = {name for name, info in kn.MODELS[key].spec.model_fields.items()
                    if info.is_required()}
        assert {"prompt", "image_url", *required} & set(f.errors)
    assert all(field.error.value == "" for field in f.fields.values())
    assert f.form_error.value == ""
    assert f.generate_button.disabled is needs_input
    if "prompt" not in f.fields:  # an effect: its scene and photos are the inputs
        return
    prompt = f.fields["prompt"]
    prompt.control.value = "a fox"
    prompt.control.value = ""
    if "prompt" in f.errors:
        assert "prompt is required." in prompt.error.value
    # no other field shows an error (an inferred rule may warn, once a field was touched)
    assert all("✗" not in field.error.value for name, field in f.fields.items()
               if name != "prompt")


def test_local_errors_name_their_field() -> None:
    """Bad text in a field reads ``seed: 'abc' is not a whole number.``."""
    f = valid("leonardo/kling-3.0")
    f.fields["seed"].control.value = "abc"
    assert "seed: &#x27;abc&#x27; is not a whole number." in f.fields["seed"].error.value


def test_asset_and_url_boxes_check_as_you_type_once_typing_pauses() -> None:
    """The asset id and URL boxes send every keystroke, and are checked once typing pauses."""
    changes: list[int] = []

    async def scenario() -> ImageInput:
        image = ImageInput(debounce=0.05, on_change=lambda: changes.append(1))
        assert image.asset.continuous_update
        assert image.url.continuous_update
        image.source.value = "asset"
        changes.clear()
        for typed in ("3f2a", "3f2a9c1e-12ab", "3f2a9c1e-12ab-4c5d-9e8f-1234"):
            image.asset.value = typed
        assert image.typing.pending
        assert image.error is None
        assert changes == []
        await asyncio.sleep(0.15)
        return image

    image = asyncio.run(scenario())
    assert changes == [1]
    assert "not a Leonardo asset id" in (image.error or "")
    assert "3f2a9c1e-12ab-4c5d-9e8f-1234" in image.message.value


def test_size_picker_follows_the_mode() -> None:
    """Kling 3.0's size picker offers the chosen mode's sizes and drops a misfit."""
    f = valid("leonardo/kling-3.0")
    size = f.fields["size"]
    size.set((1920, 1080))
    f.fields["mode"].set("RESOLUTION_720")
    offered = [v for _, v in size.control.options if v is not UNSET]
    assert offered == [(1280, 720), (720, 1280), (960, 960)]
    assert size.get() is UNSET
    size.set((720, 1280))
    assert f.spec is not None
    assert (f.spec.width, f.spec.height) == (720, 1280)


def test_size_picker_names_auto_and_sends_0x0() -> None:
    """Turbo's size picker says "auto (follows the start frame)", never 0x0; the spec it makes
    still sends the documented 0x0."""
    f = valid("leonardo/kling-3.0-turbo")
    size = f.fields["size"]
    labels = [label for label, _ in size.control.options]
    assert "auto (follows the start frame)" in labels
    assert not any("0x0" in label for label in labels)
    assert size.set("auto")
    assert f.spec is not None
    assert (f.spec.to_wire()["parameters"]["width"], f.spec.height) == (0, 0)


def test_conditional_fields_mirror_the_validators() -> None:
    """End frame only after a start frame; references and frames exclude each other."""
    f = valid("leonardo/kling-3.0")
    start, end, refs = (f.fields[n] for n in ("start_frame", "end_frame", "image_references"))
    assert start.visible
    assert not end.visible
    assert refs.visible
    start.set(kn.uploaded("00000000-0000-4000-8000-0000000000a1"))
    assert end.visible
    assert not refs.visible
    end.set(kn.uploaded("00000000-0000-4000-8000-0000000000a2"))
    assert f.spec is not None
    assert f.spec.end_frame is not None
    start.set(None)
    assert not end.visible
    assert refs.visible
    assert f.spec is not None
    assert f.spec.end_frame is None
    refs.set([kn.generated(REF1), kn.generated(REF2)])
    assert not start.visible
    assert "video_reference" in f.fields
    assert "video_reference" not in form("leonardo/kling-2.5-turbo").fields


def test_reference_rules_show_on_the_prompt() -> None:
    """@image3 with two references is an error on the prompt field."""
    f = valid("leonardo/kling-o1")
    f.fields["image_references"].set([kn.generated(REF1), kn.generated(REF2)])
    f.fields["prompt"].set("put @image3 next to @image1")
    assert "@image3" in f.fields["prompt"].error.value
    assert f.generate_button.disabled
    assert f.fields["image_references"].add.disabled is False
    f.fields["image_references"].set([kn.generated(REF1[:-1] + str(i)) for i in range(4)])
    assert f.fields["image_references"].add.disabled is True


def test_image_input_upload_url_and_checks() -> None:
    """Uploads are checked locally and previewed; URLs must be https; errors are clear."""
    image = ImageInput()
    image.upload.value = upload_value(png())
    assert isinstance(image.value, kn.ImageFile)
    assert image.error is None
    assert image.thumbnail.value
    assert image.thumbnail.layout.display is None
    assert "640x360" in image.remote.value
    image.upload.value = upload_value(b"not an image at all", "notes.txt")
    assert image.value is None
    assert "not a PNG, JPEG or WebP" in (image.error or "")
    image.source.value = "url"
    image.url.value = "http://example.com/a.png"
    assert "https" in (image.error or "")
    image.url.value = "https://example.com/a.png"
    assert image.value == kn.ImageFile(url="https://example.com/a.png")
    assert "<img src='https://example.com/a.png'" in image.remote.value


def test_image_input_holds_uploads_to_kling_limits_unless_the_client_does_not() -> None:
    """An 8x8 upload is an error naming Kling's rule; a form whose client sends any image
    (``Client(image_limits=False)``) takes it; a decompression bomb is refused either way."""
    image = ImageInput()
    image.upload.value = upload_value(png(8, 8))
    assert "Kling's API documents" in (image.error or "")
    assert image.value is None
    relaxed = form("leonardo/kling-3.0", client=kn.Client(sandbox=Sandbox(), journal=False,
                                                          image_limits=False))
    start = relaxed.fields["start_frame"].control
    start.upload.value = upload_value(png(8, 8))
    assert start.error is None
    start.upload.value = upload_value(bomb_png(), "bomb.png")
    assert "decompression bomb" in (start.error or "")


def test_image_input_picks_earlier_results_and_journal_records() -> None:
    """Earlier results (a list, or the journal's history) are offered as GENERATED frames."""
    from kling_nb.specs.results import Result

    assets = {"listed": REF1, "from-journal": REF2}

    def result(job_id: str) -> Result:
        return Result(job_id=job_id, provider="leonardo", model="leonardo/kling-3.0",
                      video_url="https://x/v.mp4", asset_id=assets[job_id], prompt="p")

    class Record:
        def __init__(self, r: Result) -> None:
            self.result = r

    class Journal:
        def history(self, **query: object) -> list[Record]:
            return [Record(result("from-journal"))]

    image = ImageInput(results=[result("listed")], journal=Journal())
    picks = [v for _, v in image.pick.options if v is not None]
    assert [r.job_id for r in picks] == ["listed", "from-journal"]
    image.source.value = "result"
    image.pick.value = picks[1]
    assert image.value == kn.generated(REF2)


def test_earlier_videos_are_this_sessions_and_the_recent_ones_with_a_filter(
        tmp_path: Path) -> None:
    """A journal of many videos: the "video to edit" list offers this session's, then the 8
    newest, not every job; the filter narrows by prompt or id and looks further back."""
    from kling_nb.journal.journal import Journal
    from kling_nb.notebook.picks import RECENT

    journal = Journal(tmp_path / "j.db")
    client = kn.Client(sandbox=True, journal=journal, download_dir=tmp_path)
    made = [client.generate(kn.KlingO3(prompt=f"shot {n}: a harbour"), download=False,
                            progress=False) for n in range(RECENT + 4)]
    session = [made[0]]  # this session made only the oldest one
    f = SpecForm("leonardo/kling-o3", client, results=session, journal=journal, debounce=0)
    video = f.fields["video_reference"]
    assert isinstance(video, VideoField)
    offered = [v.job_id for _, v in video.pick.options if v is not None]
    newest = [r.job_id for r in reversed(made)][:RECENT]
    assert offered == [made[0].job_id, *newest]
    video.choices.filter.value = "shot 1:"  # older than the 8 newest: looked for further back
    assert [v.job_id for _, v in video.pick.options if v is not None] == [made[1].job_id]
    video.choices.filter.value = made[2].job_id[:8]
    assert [v.job_id for _, v in video.pick.options if v is not None] == [made[2].job_id]
    video.choices.filter.value = ""
    video.pick.value = next(v for _, v in video.pick.options if v is not None)
    assert video.text.value == made[0].asset_id
    journal.close()


def test_the_filter_reads_the_journal_once_typing_pauses() -> None:
    """In a kernel (a running loop), a word typed into the filter box reads the journal once,
    after the typing pauses, not once a keystroke."""
    import asyncio

    import ipywidgets as w

    from kling_nb.notebook.picks import Choices

    class Counting:
        def __init__(self) -> None:
            self.calls = 0

        def history(self, **_filters: object) -> list[object]:
            self.calls += 1
            return []

    journal = Counting()

    async def typed() -> None:
        choices = Choices(w.Dropdown(options=[("(none)", None)]), "(none)")
        choices.set([], journal)
        for text in ("s", "sh", "sho", "shot"):
            choices.filter.value = text
        await asyncio.sleep(choices.typing.delay + 0.3)

    asyncio.run(typed())
    assert journal.calls == 2  # the list offered at first, then once for "shot"


def test_aiml_image_offers_only_what_the_api_takes() -> None:
    """The AI/ML image takes uploads and URLs, not Leonardo asset ids."""
    f = form("aimlapi/kling-2.1-pro")
    assert f.fields["image_url"].control.sources == ("upload", "url")
    assert f.fields["image_url"].set(kn.generated("00000000-0000-4000-8000-000000000003")) is False
    f.fields["image_url"].control.upload.value = upload_value(png())
    f.fields["prompt"].set("wave")
    assert f.spec is not None
    assert isinstance(f.spec.image_url, kn.ImageFile)


def test_debounce_coalesces_rapid_changes() -> None:
    """With a delay, a burst of edits validates once; Generate stays off until then."""
    async def main() -> tuple[int, int, bool]:
        f = SpecForm("leonardo/kling-3.0", debounce=0.05)
        before = f.validations
        for text in ("a", "a f", "a fo", "a fox"):
            f.fields["prompt"].set(text)
        assert f.generate_button.disabled  # pending
        burst = f.validations - before
        await asyncio.sleep(0.12)
        return burst, f.validations - before, f.generate_button.disabled

    burst, after, disabled = asyncio.run(main())
    assert burst == 0
    assert after == 1
    assert disabled is False

    calls: list[int] = []
    debouncer = Debouncer(0.5, lambda: calls.append(1))
    debouncer()  # no running loop: at once
    assert calls == [1]


def test_generate_against_the_sandbox_shows_progress_then_the_video(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generate submits, shows status, then the result's player (relative, SANDBOX)."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=True, download_dir="kling_videos")
    started: list[Any] = []
    f = SpecForm("leonardo/kling-2.5-turbo", client, debounce=0, runner=started.append)
    f.fields["prompt"].set("a <b>bold</b> fox")
    f.fields["start_frame"].control.upload.value = upload_value(png())
    f.generate_button.click()
    assert len(started) == 1
    assert f.generate_button.disabled
    result = asyncio.run(started[0])
    assert result is not None
    assert result.sandbox
    assert result.path is not None
    assert (tmp_path / result.path).exists()
    assert "complete" in f.progress.value
    assert "SANDBOX" in f.progress.value
    html = f.output.outputs[0]["data"]["text/html"]
    assert "<video controls" in html
    assert "src='kling_videos/" in html
    assert "base64" not in html
    assert "&lt;b&gt;bold" in html
    assert f.results == [result]
    assert not f.generate_button.disabled
    assert any(v is result for _, v in f.fields["end_frame"].control.pick.options)


def _local_inputs(key: str, tmp_path: Path) -> dict[str, Any]:
    """A row's example, with asset ids from the docs replaced by a local image."""
    image = tmp_path / "frame.png"
    image.write_bytes(png())
    example = dict(kn.MODELS[key].spec.example)
    for name in ("start_frame", "end_frame", "image_url"):
        value = example.get(name)
        if isinstance(value, str) and not value.startswith(("https://", "data:")):
            example[name] = coerce_image(str(image))
    return example


@pytest.mark.parametrize("key", KEYS)
def test_every_model_generates_from_its_form(key: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row's form, filled with its example, generates a video in the sandbox."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=True, download_dir="kling_videos")
    started: list[Any] = []
    f = SpecForm(key, client, debounce=0, runner=started.append)
    f.set_values(_local_inputs(key, tmp_path))
    f.generate_button.click()
    assert started, f.errors
    result = asyncio.run(started[0])
    assert result is not None, f.progress.value
    assert result.sandbox
    assert result.path is not None
    assert (tmp_path / result.path).stat().st_size > 0


def test_generate_runs_as_a_task_on_the_running_loop(tmp_path: Path) -> None:
    """The default runner starts a task on the running loop: the click returns at once."""
    client = kn.Client(sandbox=True, download_dir=tmp_path)

    async def main() -> tuple[bool, list[str], Any]:
        f = SpecForm("leonardo/kling-3.0", client, debounce=0)
        f.fields["prompt"].set("a fox")
        f.generate_button.click()
        handle = f.task
        assert isinstance(handle, Background)
        assert handle.task is not None
        done_at_click = handle.done()
        other: list[str] = []
        other.append("another cell ran")  # the loop is free while the job is in flight
        await handle.task
        return done_at_click, other, f.result

    done_at_click, other, result = asyncio.run(main())
    assert done_at_click is False
    assert other
    assert result is not None


def test_stop_waiting_leaves_the_job_and_shows_resume_code(tmp_path: Path) -> None:
    """Stop cancels only the wait; the job still exists and the form says how to resume."""
    client = kn.Client(sandbox=Sandbox(timing="realistic"), download_dir=tmp_path)

    async def main() -> SpecForm:
        f = SpecForm("leonardo/kling-3.0", client, debounce=0, tick=0.01)
        f.fields["prompt"].set("a slow fox")
        f.generate_button.click()
        for _ in range(200):
            if f.job is not None:
                break
            await asyncio.sleep(0.01)
        assert f.stop_button.layout.display is None
        assert "usually ready" in f.progress.value  # the poll schedule's band, no percentage
        f.stop_button.click()
        await asyncio.wait({f.task.task}, timeout=5)
        return f

    f = asyncio.run(main())
    assert f.task.done()
    assert f.result is None
    assert not f.running
    assert f.job.resume_code.replace('"', "&quot;") in f.progress.value
    assert "goes on running" in f.progress.value
    assert client.job(f.job.provider, f.job.id, model=f.job.model).refresh() is not None
    assert "%" not in f.progress.value


def test_background_runs_in_a_thread_without_a_loop() -> None:
    """Outside an event loop the coroutine runs in a thread with its own loop."""
    box: list[int] = []

    async def work() -> None:
        await asyncio.sleep(0)
        box.append(1)

    handle = Background(work())
    assert handle.thread is not None
    handle.thread.join(5)
    assert box == [1]
    assert handle.done()
