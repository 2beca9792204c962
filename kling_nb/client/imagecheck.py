"""Local checks of an input image before it is uploaded or sent."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from kling_nb.core.errors import ImageError
from kling_nb.core.warn import warn
from kling_nb.specs.refs import ImageFormat, sniff_image_format

MAX_IMAGE_BYTES = 20 * 1024 * 1024
ASPECT_TOLERANCE = 0.05
MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
EXTENSION = {"png": "png", "jpeg": "jpg", "webp": "webp"}


class AspectRatioWarning(UserWarning):
    """An input image's aspect ratio differs from the requested video size."""


@dataclass(frozen=True)
class ImageInfo:
    """What the local checks found: the real format and the pixel size."""

    format: ImageFormat
    width: int
    height: int
    nbytes: int

    @property
    def mime(self) -> str:
        """The MIME type of the format."""
        return MIME[self.format]

    @property
    def extension(self) -> str:
        """The extension Leonardo's init-image endpoint expects."""
        return EXTENSION[self.format]


def check_image(data: bytes, label: str = "image") -> ImageInfo:
    """Check that ``data`` is a real, non-empty, not absurdly large PNG, JPEG or WebP image."""
    if not data:
        msg = f"{label} is empty (0 bytes)"
        raise ImageError(msg)
    if len(data) > MAX_IMAGE_BYTES:
        msg = (f"{label} is {len(data) / 1e6:.1f} MB; kling_nb refuses images over "
               f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB (resize it first)")
        raise ImageError(msg)
    kind = sniff_image_format(data)
    if kind is None:
        msg = f"{label} is not a PNG, JPEG or WebP image (its first bytes are {data[:8]!r})"
        raise ImageError(msg)
    width, height = _pixel_size(data, label)
    return ImageInfo(kind, width, height, len(data))


def _pixel_size(data: bytes, label: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        msg = f"{label} is damaged and cannot be read as an image ({exc})"
        raise ImageError(msg) from None
    if width < 1 or height < 1:
        msg = f"{label} has no pixels ({width}x{height})"
        raise ImageError(msg)
    return width, height


def warn_on_aspect(info: ImageInfo, width: int | None, height: int | None, label: str) -> None:
    """Warn when the image's aspect ratio does not match the requested video size."""
    if not width or not height:
        return
    image_ratio, video_ratio = info.width / info.height, width / height
    if abs(image_ratio - video_ratio) / video_ratio > ASPECT_TOLERANCE:
        warn(f"{label} is {info.width}x{info.height} (aspect {image_ratio:.2f}) but the video "
             f"is {width}x{height} (aspect {video_ratio:.2f}): it will be cropped or stretched.",
             AspectRatioWarning)
