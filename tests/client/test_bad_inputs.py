"""A catalogue of bad inputs: each refused with a clear message before any request is sent."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from client_helpers import bomb_png, instant_retries, make_client, png, sb
from PIL import Image

from kling_nb import Client, ConfigError, ImageError, Kling25Turbo, KlingError, KlingO1
from kling_nb.sandbox import Sandbox

__all__ = ["instant_retries", "sb"]

TURBO = "leonardo/kling-2.5-turbo"
AIML = "aimlapi/kling-2.1-pro"
REF1, REF2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), (200, 10, 10)).save(buffer, format="GIF")
    return buffer.getvalue()


# (what, spec as the user wrote it, words the message must contain)
SPECS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("size not taken by 2.5 Turbo", {"model": TURBO, "prompt": "x", "width": 1280,
                                     "height": 720}, ("width", "1280x720", "1920x1080")),
    ("720p size in 1080 mode", {"model": "leonardo/kling-3.0", "prompt": "x",
                                "mode": "RESOLUTION_1080", "width": 1280, "height": 720},
     ("1280x720", "RESOLUTION_720", "1920x1080")),
    ("duration 7 on 2.5 Turbo", {"model": TURBO, "prompt": "x", "duration": 7},
     ("duration", "7", "5 or 10")),
    ("duration 20 on 3.0", {"model": "leonardo/kling-3.0", "prompt": "x", "duration": 20},
     ("duration", "20", "15")),
    ("duration in words", {"model": "leonardo/kling-o1", "prompt": "x", "duration": "ten"},
     ("duration", "ten", "5 or 10")),
    ("duration 7 on the AI/ML API", {"model": AIML, "prompt": "x", "duration": 7,
                                     "image_url": "https://example.com/a.png"},
     ("duration", "7", "5 or 10")),
    ("unknown mode", {"model": "leonardo/kling-3.0", "prompt": "x", "mode": "RESOLUTION_4K"},
     ("mode", "RESOLUTION_4K", "RESOLUTION_720", "RESOLUTION_1080")),
    ("prompt too long", {"model": "leonardo/kling-3.0", "prompt": "x" * 1501},
     ("prompt", "1501", "1500")),
    ("@image3 with two references", {"model": "leonardo/kling-o1", "prompt": "@image3 dances",
                                     "image_references": [REF1, REF2]},
     ("prompt", "@image3", "@image1 to @image2")),
    ("five references on O1", {"model": "leonardo/kling-o1", "prompt": "x",
                               "image_references": [REF1[:-1] + str(i) for i in range(5)]},
     ("image_references", "5", "at most 4")),
    ("references with a start frame", {"model": "leonardo/kling-o1", "prompt": "x",
                                       "image_references": [REF1], "start_frame": REF2},
     ("image_references", "start_frame")),
    ("UPLOADED video reference", {"model": "leonardo/kling-o1", "prompt": "edit",
                                  "video_reference": {"id": REF1, "type": "UPLOADED"}},
     ("video_reference", "UPLOADED", "GENERATED")),
    ("end frame without start", {"model": TURBO, "prompt": "x", "end_frame": REF1},
     ("end_frame", "start frame")),
    ("cfg_scale above 1", {"model": AIML, "prompt": "x", "cfg_scale": 3,
                           "image_url": "https://example.com/a.png"}, ("cfg_scale", "3", "1")),
    ("AI/ML without an image", {"model": AIML, "prompt": "x"}, ("image_url", "required")),
    ("quantity 0", {"model": "leonardo/kling-3.0", "prompt": "x", "quantity": 0},
     ("quantity", "0", ">= 1")),
    ("empty image bytes", {"model": TURBO, "prompt": "x", "start_frame": b""},
     ("start_frame", "empty")),
    ("garbage image bytes", {"model": TURBO, "prompt": "x", "start_frame": b"not an image"},
     ("start_frame", "PNG, JPEG or WebP")),
    ("a GIF", {"model": TURBO, "prompt": "x", "start_frame": _gif()},
     ("start_frame", "PNG, JPEG or WebP")),
    ("a missing file", {"model": TURBO, "prompt": "x", "start_frame": "/nope/missing.png"},
     ("start_frame", "no such image file", "/nope/missing.png")),
    ("a missing Path", {"model": TURBO, "prompt": "x", "start_frame": Path("/nope/gone.jpg")},
     ("start_frame", "no such image file", "gone.jpg")),
    ("http:// image URL", {"model": TURBO, "prompt": "x",
                           "start_frame": "http://example.com/a.png"},
     ("start_frame", "https://")),
    ("http:// image URL on the AI/ML API", {"model": AIML, "prompt": "x",
                                            "image_url": "http://example.com/a.png"},
     ("image_url", "https://")),
    ("truncated asset id", {"model": TURBO, "prompt": "x",
                            "start_frame": "3f2a9c1e-12ab-4c5d-9e8f-1234"},
     ("start_frame", "'3f2a9c1e-12ab-4c5d-9e8f-1234'", "not a Leonardo asset id", "UUID")),
    ("truncated video reference id", {"model": "leonardo/kling-o1", "prompt": "x",
                                      "video_reference": "3f2a9c1e-12ab"},
     ("video_reference", "'3f2a9c1e-12ab'", "not a Leonardo asset id", "UUID")),
    ("whitespace prompt", {"model": "leonardo/kling-3.0", "prompt": " \n "},
     ("prompt is only whitespace",)),
    ("size with a star", {"model": "leonardo/kling-3.0", "prompt": "x", "size": "1280*720"},
     ("size: '1280*720' is not a size: write '1280x720'",)),
    ("placeholder id in angle brackets", {"model": TURBO, "prompt": "x",
                                          "start_frame": "<YOUR_IMAGE_ID>"},
     ("start_frame", "placeholder")),
    ("unknown model", {"model": "leonardo/kling-9", "prompt": "x"},
     ("model", "leonardo/kling-9", "leonardo/kling-3.0")),
    ("unknown field", {"model": "leonardo/kling-3.0", "prompt": "x", "colour": "red"},
     ("colour", "unknown field", "red", "prompt")),
    ("a pasted v1 body with a wrong size", {"model": "KLING2_5", "imageId": REF1,
                                            "imageType": "UPLOADED", "width": 1280,
                                            "height": 720, "prompt": "x"},
     ("1280x720", "1920x1080")),
]


@pytest.mark.parametrize(("spec", "words"), [(s, w) for _, s, w in SPECS],
                         ids=[what for what, _, _ in SPECS])
def test_bad_spec_is_refused_before_sending(spec: dict[str, Any], words: tuple[str, ...],
                                            sb: Sandbox, tmp_path: Path) -> None:
    """Each bad spec is refused by submit with a message naming field, value and choices."""
    client = make_client(sb, tmp_path)
    with pytest.raises(KlingError) as caught:
        client.submit(spec)
    message = str(caught.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    assert sb.requests == []


def test_placeholder_message_names_the_id() -> None:
    """The placeholder message shows the id that was given."""
    with pytest.raises(KlingError) as caught:
        Kling25Turbo(prompt="x", start_frame="<YOUR_IMAGE_ID>")
    assert "{id!r}" not in str(caught.value)
    assert "<YOUR_IMAGE_ID>" in str(caught.value)


def test_elided_id_from_the_docs_is_refused(sb: Sandbox, tmp_path: Path) -> None:
    """An id elided with '...' as in the docs is a placeholder, not an asset id."""
    with pytest.raises(KlingError, match="placeholder"):
        make_client(sb, tmp_path).submit({"model": TURBO, "prompt": "x",
                                          "start_frame": "5f1c9a3e-..."})
    assert sb.requests == []


IMAGES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("damaged PNG", png()[:60], ("damaged",)),
    ("oversized image", png() + b"\0" * (21 * 1024 * 1024), ("22.0 MB", "20 MB")),
    ("decompression bomb", bomb_png(), ("declares 400 megapixels", "decompression bomb")),
    ("8x8 image", png((8, 8)), ("8x8 px", "Kling's API documents", "image_limits=False")),
    ("panorama", png((1600, 400)), ("aspect ratio of 4.00:1", "Kling's API documents")),
]


@pytest.mark.parametrize(("image", "words"), [(i, w) for _, i, w in IMAGES],
                         ids=[what for what, _, _ in IMAGES])
@pytest.mark.parametrize("model", [TURBO, AIML])
def test_bad_image_is_refused_before_sending(image: bytes, words: tuple[str, ...], model: str,
                                             sb: Sandbox, tmp_path: Path) -> None:
    """A damaged or oversized image is refused at submit, naming the field, before any upload."""
    with pytest.raises(ImageError) as caught:
        make_client(sb, tmp_path).submit({"model": model, "prompt": "x", "start_frame": image})
    field = "image_url" if model == AIML else "start_frame"
    for word in (field, *words):
        assert word in str(caught.value)
    assert sb.requests == []


@pytest.mark.parametrize("model", [TURBO, AIML])
def test_image_limits_can_be_turned_off_on_purpose(model: str, sb: Sandbox,
                                                   tmp_path: Path) -> None:
    """Client(image_limits=False) sends a small image (the host may resize it); a bomb never."""
    client = make_client(sb, tmp_path, image_limits=False)
    assert client.image_limits is False
    job = client.submit({"model": model, "prompt": "x", "start_frame": png((16, 9))})
    assert job.id
    with pytest.raises(ImageError, match="decompression bomb"):
        client.submit({"model": model, "prompt": "x", "start_frame": bomb_png()})


def _data_uri(data: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize(("image", "words"), [(i, w) for _, i, w in IMAGES],
                         ids=[what for what, _, _ in IMAGES])
@pytest.mark.parametrize("where", ["image_url", "elements", "bare base64"])
def test_an_inline_image_is_checked_as_a_file_is(image: bytes, words: tuple[str, ...],
                                                 where: str, sb: Sandbox,
                                                 tmp_path: Path) -> None:
    """A base64 image (a data: URI or bare) the AI/ML API would take as it is gets the checks
    a local file gets, wherever it sits: nothing is sent."""
    import base64

    uri = _data_uri(image) if where != "bare base64" else base64.b64encode(image).decode()
    good = _data_uri(png((640, 360)))
    spec: dict[str, Any] = {"model": "aimlapi/kling-3.0-pro", "prompt": "x", "image_url": uri}
    if where == "elements":
        spec.update(image_url=good, elements=[{"reference_image_urls": [good, uri]}])
    with pytest.raises(ImageError) as caught:
        make_client(sb, tmp_path).submit(spec)
    for word in ("inline image data", "elements" if where == "elements" else "image_url",
                 *words):
        assert word in str(caught.value)
    assert sb.requests == []


def test_an_inline_image_outside_the_limits_is_sent_on_purpose(sb: Sandbox,
                                                               tmp_path: Path) -> None:
    """``Client(image_limits=False)`` sends a small inline image as it does a small file."""
    spec = {"model": "aimlapi/kling-2.6-pro", "prompt": "x", "image_url": _data_uri(png((16, 9)))}
    with pytest.raises(ImageError, match="16x9 px"):
        make_client(sb, tmp_path).submit(spec)
    job = make_client(sb, tmp_path, image_limits=False).submit(spec)
    assert job.id
    assert [r for r in sb.requests if r.method == "POST"][-1].json["image_url"] == \
        spec["image_url"]


def test_second_bad_image_stops_the_first_upload(sb: Sandbox, tmp_path: Path) -> None:
    """A good start frame is not uploaded when the end frame is damaged: nothing is sent."""
    spec = Kling25Turbo(prompt="x", start_frame=png(), end_frame=png()[:60])
    with pytest.raises(ImageError, match="end_frame"):
        make_client(sb, tmp_path).submit(spec)
    assert sb.requests == []


def test_bad_reference_among_good_ones_sends_nothing(sb: Sandbox, tmp_path: Path) -> None:
    """One damaged image among the references stops every upload."""
    spec = KlingO1(prompt="@image1 and @image2", image_references=[png(), png()[:60]])
    with pytest.raises(ImageError, match="image_references"):
        make_client(sb, tmp_path).submit(spec)
    assert sb.requests == []


@pytest.mark.parametrize(("provider", "job_id", "words"), [
    ("leonardo", "<YOUR_GENERATION_ID>", ("job id", "placeholder")),
    ("leonardo", "YOUR_GENERATION_ID", ("job id", "placeholder")),
    ("aimlapi", "<generation_id>", ("job id", "placeholder")),
    ("leonardo", "5f1c9a3e-...", ("job id", "placeholder")),
    ("leonardo", "../me", ("job id", "'../me'", "letters, digits")),
    ("leonardo", "a b", ("job id", "'a b'")),
    ("leonardo", "", ("job id", "''")),
    ("aimlapi", "two words", ("job id", "'two words'", "without spaces")),
    ("dall-e", "abc", ("provider", "dall-e", "leonardo", "aimlapi")),
])
def test_bad_job_id_is_refused_before_sending(provider: str, job_id: str,
                                              words: tuple[str, ...], sb: Sandbox,
                                              tmp_path: Path) -> None:
    """Reattaching with a placeholder, a path or an empty id fails before any status request."""
    client = make_client(sb, tmp_path)
    with pytest.raises(ConfigError) as caught:
        client.job(provider, job_id).refresh()
    for word in words:
        assert word in str(caught.value)
    assert sb.requests == []


@pytest.mark.parametrize(("options", "words"), [
    ({"leonardo_key": "sk-abc\ndef"}, ("LEONARDO_API_KEY", "line breaks")),
    ({"aimlapi_key": "sk abc"}, ("AIMLAPI_API_KEY", "spaces")),
    ({"leonardo_key": "sk-clé"}, ("LEONARDO_API_KEY", "non-ASCII")),
    ({"leonardo_base_url": "https://cloud.leonardo.ai/api/rest/v1"},
     ("leonardo_base_url", "scheme, host and port", "/api/rest/v1")),
    ({"aimlapi_base_url": "http://api.example.com"},
     ("aimlapi_base_url", "plain http", "http://api.example.com", "https")),
    ({"aimlapi_base_url": "ftp://api.example.com"}, ("aimlapi_base_url", "ftp://")),
    ({"leonardo_base_url": "https://host:notaport"}, ("leonardo_base_url", "notaport")),
])
def test_bad_key_or_url_is_refused_at_once(options: dict[str, str], words: tuple[str, ...]
                                           ) -> None:
    """A key a header cannot carry, a base URL with a path, or plain http off loopback."""
    with pytest.raises(ConfigError) as caught:
        Client(env_file=False, environ={}, journal=False, **options)
    message = str(caught.value)
    for word in words:
        assert word in message
    for secret in ("sk-abc", "sk abc", "sk-clé"):
        assert secret not in message


def test_refused_key_from_the_environment_names_the_variable() -> None:
    """A broken key in the environment names its variable and never shows the key."""
    with pytest.raises(ConfigError, match="LEONARDO_API_KEY") as caught:
        Client(env_file=False, environ={"LEONARDO_API_KEY": "sk-LEAK\r\n-91b2"}, journal=False)
    assert "sk-LEAK" not in str(caught.value)
