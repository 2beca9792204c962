"""Local image checks: real format, not empty, not absurdly large, aspect ratio warnings."""

from __future__ import annotations

import warnings

import pytest
from client_helpers import png

from kling_nb import AspectRatioWarning, ImageError
from kling_nb.client.imagecheck import MAX_IMAGE_BYTES, check_image, warn_on_aspect


@pytest.mark.parametrize(("fmt", "kind", "extension", "mime"), [
    ("PNG", "png", "png", "image/png"), ("JPEG", "jpeg", "jpg", "image/jpeg"),
    ("WEBP", "webp", "webp", "image/webp"),
])
def test_real_images_pass(fmt: str, kind: str, extension: str, mime: str) -> None:
    """PNG, JPEG and WebP are recognised by content, with size, extension and MIME type."""
    info = check_image(png((64, 48), fmt))
    assert (info.format, info.extension, info.mime) == (kind, extension, mime)
    assert (info.width, info.height) == (64, 48)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"GIF89a" + b"\0" * 32, "not a PNG, JPEG or WebP"),
    (b"%PDF-1.7 hello", "not a PNG, JPEG or WebP"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "damaged"),
])
def test_bad_bytes_are_refused(data: bytes, message: str) -> None:
    """Empty, foreign or damaged bytes raise ImageError naming the image."""
    with pytest.raises(ImageError, match=message) as caught:
        check_image(data, "frame.png")
    assert "frame.png" in str(caught.value)


def test_absurdly_large_image_is_refused() -> None:
    """Over the size limit is refused before decoding."""
    with pytest.raises(ImageError, match="MB"):
        check_image(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES)


def test_aspect_warning_and_tolerance() -> None:
    """A clear mismatch warns; a near match and an unknown size do not."""
    square = check_image(png((100, 100)))
    with pytest.warns(AspectRatioWarning, match="100x100"):
        warn_on_aspect(square, 1920, 1080, "frame")
    near = check_image(png((1930, 1080)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_on_aspect(near, 1920, 1080, "frame")
        warn_on_aspect(square, None, None, "frame")
