"""The forms of the models made from several photos: an effect's scene (picked, no default)
and its photos (the first on the left), a multi-image model's 2 to 4 images; uploaded from the
computer, checked as files are, and generated in the sandbox."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import kling_nb as kn
from kling_nb.notebook.fields import UNSET, ChoiceField
from kling_nb.notebook.form import SpecForm
from kling_nb.notebook.images import ImageListField


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (480, 640)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(field: ImageListField, data: bytes) -> None:
    """Add an image row and choose a file in it, as a user does in the browser."""
    row = field.add_input()
    row.upload.value = ({"name": "photo.png", "type": "image/png", "size": len(data),
                         "content": memoryview(data),
                         "last_modified": datetime.now(timezone.utc)},)


def _generate(f: SpecForm, started: list[Any]) -> kn.Result:
    f.generate_button.click()
    assert started, f.errors
    result = asyncio.run(started[0])
    assert result is not None, f.progress.value
    return result  # type: ignore[no-any-return]


def test_an_effect_form_asks_for_the_scene_and_takes_two_photos(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    monkeypatch.chdir(tmp_path)
    started: list[Any] = []
    f = SpecForm("aimlapi/kling-1.6-standard-effects", kn.Client(sandbox=True), debounce=0,
                 runner=started.append)
    scene, photos = f.fields["effect_scene"], f.fields["image_url"]
    assert isinstance(scene, ChoiceField)
    assert isinstance(photos, ImageListField)
    assert scene.control.value is UNSET  # no default scene: the user picks one
    assert list(f.fields)[:2] == ["effect_scene", "image_url"]
    assert photos.limit == 2
    scene.set("hug")
    _upload(photos, _png((220, 30, 30)))
    assert "hug takes two photos" in str(f.errors.get("image_url"))
    assert f.generate_button.disabled
    _upload(photos, _png((30, 30, 220)))
    assert f.spec is not None
    assert photos.add.disabled  # at most two
    result = _generate(f, started)
    assert result.sandbox
    assert result.path is not None


def test_an_effect_form_warns_about_an_undescribed_scene() -> None:
    f = SpecForm("aimlapi/kling-1.6-pro-effects", debounce=0)
    f.fields["effect_scene"].set("fight")
    _upload(f.fields["image_url"], _png((10, 200, 10)))  # type: ignore[arg-type]
    assert f.spec is not None  # sent anyway
    assert "described by no page" in " ".join(f.warnings.get("effect_scene", []))


def test_a_photo_outside_klings_limits_is_refused_in_the_form() -> None:
    f = SpecForm("aimlapi/kling-1.6-multi-image", debounce=0)
    field = f.fields["image_list"]
    assert isinstance(field, ImageListField)
    _upload(field, _png((1, 2, 3), (100, 100)))
    assert "100x100" in str(field.inputs[0].error)


def test_a_multi_image_form_generates_from_three_uploads(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    started: list[Any] = []
    f = SpecForm("aimlapi/kling-1.6-multi-image", kn.Client(sandbox=True), debounce=0,
                 runner=started.append)
    f.fields["prompt"].set("a tour of three rooms")
    images = f.fields["image_list"]
    assert isinstance(images, ImageListField)
    _upload(images, _png((200, 0, 0), (640, 360)))
    assert f.spec is None  # one image is too few
    assert "image_list" in f.errors
    _upload(images, _png((0, 200, 0), (640, 360)))
    _upload(images, _png((0, 0, 200), (640, 360)))
    assert f.spec is not None
    assert len(f.spec.image_list) == 3  # type: ignore[attr-defined]
    assert _generate(f, started).path is not None
