"""kling-nb generate with the inputs of the models made from several photos: ``--image``
(repeat, in order) and ``--effect``; each refused, with what to use, on a model without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run
from client_helpers import png

from kling_nb.sandbox import Sandbox


def _photos(tmp_path: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = tmp_path / f"photo{n}.png"
        path.write_bytes(png((480 + 40 * n, 640)))
        paths.append(str(path))
    return paths


def _create(sb: Sandbox) -> dict[str, object]:
    return next(r.json for r in sb.requests if r.method == "POST")


def test_an_effect_from_two_photos(sb: Sandbox, tmp_path: Path) -> None:
    """--effect hug with two --image: both sent in order (as base64), the video downloaded."""
    first, second = _photos(tmp_path, 2)
    status, text = run("generate", "--model", "aimlapi/kling-1.6-standard-effects",
                       "--effect", "hug", "--image", first, "--image", second,
                       "--out", str(tmp_path / "out"))
    assert status == 0, text
    body = _create(sb)
    assert body["model"] == "klingai/kling-video-v1.6-standard-effects"
    assert body["effect_scene"] == "hug"
    images = body["image_url"]
    assert isinstance(images, list)
    assert len(images) == 2
    assert all(i.startswith("data:image/png;base64,") for i in images)
    assert Path(text.split("video: ")[1].split("\n")[0]).stat().st_size > 0


def test_a_multi_image_video_from_three_images(sb: Sandbox, tmp_path: Path) -> None:
    status, text = run("generate", "--model", "kling-1.6-multi-image", "--prompt", "a tour",
                       *[arg for path in _photos(tmp_path, 3) for arg in ("--image", path)],
                       "--no-download")
    assert status == 0, text
    body = _create(sb)
    assert body["model"] == "kling-video/v1.6/standard/multi-image-to-video"
    assert isinstance(body["image_list"], list)
    assert len(body["image_list"]) == 3


def test_a_spec_file_with_the_pages_spelling(sb: Sandbox, tmp_path: Path) -> None:
    """The multi-image page's own JavaScript body (``image_urls``) from a file, with local
    photos beside it: sent as the schema spells it."""
    spec = tmp_path / "request.json"
    names = [Path(p).name for p in _photos(tmp_path, 2)]
    spec.write_text(json.dumps({"model": "kling-video/v1.6/standard/multi-image-to-video",
                                "prompt": "x", "image_urls": names, "duration": "5"}))
    assert run("generate", "--spec", str(spec), "--no-download")[0] == 0
    body = _create(sb)
    assert "image_urls" not in body
    assert isinstance(body["image_list"], list)
    assert len(body["image_list"]) == 2
    assert body["duration"] == 5


@pytest.mark.parametrize(("argv", "words"), [
    (["--effect", "hug", "--image", "A"], ("hug takes two photos", "1 given")),
    (["--effect", "dance", "--image", "A"], ("effect_scene", "'dance' is not allowed")),
    (["--image", "A", "--image", "B", "--image", "C"], ("image_url", "3 photos is too many")),
])
def test_an_effect_refuses_what_its_docs_refuse(argv: list[str], words: tuple[str, ...],
                                                 sb: Sandbox, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2, nothing sent; three photos only warn (inferred) but --strict refuses them."""
    photos = iter(_photos(tmp_path, 3))
    args = [next(photos) if a in "ABC" else a for a in argv]
    if "--effect" not in args:
        args += ["--effect", "fight", "--strict"]
    status, _ = run("generate", "--model", "aimlapi/kling-1.6-pro-effects", *args)
    assert status == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert sb.requests == []


@pytest.mark.parametrize(("argv", "words"), [
    (["--model", "aimlapi/kling-2.6-pro", "--prompt", "x", "--image", "A"],
     ("--image:", "--start-frame", "aimlapi/kling-1.6-multi-image")),
    (["--model", "leonardo/kling-3.0", "--prompt", "x", "--effect", "hug"],
     ("--effect:", "has no effects", "aimlapi/kling-1.6-standard-effects")),
])
def test_a_model_without_the_input_says_what_to_use(argv: list[str], words: tuple[str, ...],
                                                    sb: Sandbox, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    photo = _photos(tmp_path, 1)[0]
    status, _ = run("generate", *[photo if a == "A" else a for a in argv])
    assert status == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert sb.requests == []


def test_models_describes_an_effects_row(sb: Sandbox) -> None:
    """``kling-nb models`` lists the new rows; one row's detail names its inputs, its sound
    and each rule with its source or why."""
    status, text = run("models", "--provider", "aimlapi", "--takes", "image")
    assert status == 0
    assert "aimlapi/kling-1.6-multi-image" in text
    status, text = run("models", "aimlapi/kling-1.6-pro-effects")
    assert status == 0
    assert "effect_scene" in text
    assert "sound, why" in text
    assert "[inferred] the scene is one the pages describe" in text
    assert "source: aimlapi/api-docs" in text
