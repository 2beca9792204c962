"""Local image checks: real format, not empty, not absurdly large, aspect ratio warnings."""

from __future__ import annotations

import warnings

import pytest
from client_helpers import bomb_png, png

from kling_nb import AspectRatioWarning, ImageError
from kling_nb.client.imagecheck import (
    MAX_IMAGE_BYTES,
    ImageInfo,
    check_image,
    check_kling_limits,
    kling_limit_problems,
    warn_on_aspect,
)


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


@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000)])
def test_decompression_bomb_is_a_clear_image_error(size: tuple[int, int]) -> None:
    """A small PNG declaring a huge canvas is an ImageError, never PIL's own bomb error."""
    data = bomb_png(*size)
    assert len(data) < 50_000
    with pytest.raises(ImageError) as caught:
        check_image(data, "start_frame: bomb.png")
    message = str(caught.value)
    assert "start_frame: bomb.png" in message
    assert "decompression bomb" in message
    assert f"{size[0] * size[1] // 1_000_000} megapixels" in message
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(("size", "nbytes", "words"), [
    ((8, 8), 100, ("8x8 px", "under 300 px")),
    ((299, 1080), 100, ("299x1080 px",)),
    ((3000, 1000), 100, ("aspect ratio of 3.00:1", "outside 1:2.5 to 2.5:1")),
    ((400, 1200), 100, ("aspect ratio of 1:3.00",)),
    ((1920, 1080), 11 * 1024 * 1024, ("11.0 MB", "over 10 MB")),
])
def test_kling_input_limits_are_refused_saying_whose_rule(
        size: tuple[int, int], nbytes: int, words: tuple[str, ...]) -> None:
    """Outside Kling's documented limits: an ImageError that says it is Kling's rule and how
    to send the image anyway."""
    info = ImageInfo("png", size[0], size[1], nbytes)
    assert kling_limit_problems(info)
    with pytest.raises(ImageError) as caught:
        check_kling_limits(info, "start_frame: frame.png")
    message = str(caught.value)
    for word in ("start_frame: frame.png", *words, "Kling's API documents",
                 "image_limits=False", "--no-image-limits"):
        assert word in message


@pytest.mark.parametrize("size", [(300, 300), (750, 300), (300, 750), (1920, 1080)])
def test_images_inside_kling_limits_pass(size: tuple[int, int]) -> None:
    """At least 300 px a side and aspect 1:2.5 to 2.5:1 (edges included) pass."""
    check_kling_limits(ImageInfo("png", size[0], size[1], 10 * 1024 * 1024), "frame")
