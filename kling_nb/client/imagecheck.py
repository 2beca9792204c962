"""Local checks of an input image before it is uploaded or sent.

``check_image`` refuses what is not a usable image at all (empty, damaged, not PNG/JPEG/WebP,
over 20 MB, or a decompression bomb: a small file declaring more pixels than PIL will decode).
``check_kling_limits`` refuses what Kling's own API documents it does not take: a side under
300 px, an aspect ratio outside 1:2.5 to 2.5:1, or more than 10 MB. The hosts (Leonardo, the
AI/ML API) may resize images before Kling sees them, so ``Client(image_limits=False)`` (or
``kling-nb generate --no-image-limits``) sends such images on purpose.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from kling_nb.core.errors import ImageError
from kling_nb.core.warn import warn
from kling_nb.specs.refs import ImageFormat, sniff_image_format

MAX_IMAGE_BYTES = 20 * 1024 * 1024
KLING_MIN_SIDE = 300
KLING_MAX_ASPECT = 2.5
KLING_MAX_BYTES = 10 * 1024 * 1024
KLING_RULE = ("Kling's API documents input images of at least 300 px on each side, an aspect "
              "ratio between 1:2.5 and 2.5:1 and at most 10 MB")
OVERRIDE = ("Resize it, or, if you know the host resizes it, send it as it is with "
            "Client(image_limits=False) (command line: --no-image-limits)")
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
        with warnings.catch_warnings():  # PIL only warns up to twice its pixel limit
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                image.verify()
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(_bomb_message(label, len(data), str(exc))) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        msg = f"{label} is damaged and cannot be read as an image ({exc})"
        raise ImageError(msg) from None
    if width < 1 or height < 1:
        msg = f"{label} has no pixels ({width}x{height})"
        raise ImageError(msg)
    return width, height


def _bomb_message(label: str, nbytes: int, pil_text: str) -> str:
    found = re.search(r"\((\d+) pixels\)", pil_text)
    pixels = f"{int(found.group(1)) / 1e6:,.0f} megapixels" if found else "too many pixels"
    size = f"{nbytes:,} byte" if nbytes < 10_000 else f"{nbytes / 1000:,.0f} kB"
    return (f"{label} is a {size} file that declares {pixels}: refused as a possible "
            "decompression bomb (decoding it would exhaust memory); no video input is that "
            f"large ({KLING_RULE}).")


def kling_limit_problems(info: ImageInfo) -> list[str]:
    """What in an image breaks Kling's documented input limits (empty when nothing does)."""
    problems = []
    if min(info.width, info.height) < KLING_MIN_SIDE:
        problems.append(f"is {info.width}x{info.height} px (a side under {KLING_MIN_SIDE} px)")
    ratio = info.width / info.height
    if not 1 / KLING_MAX_ASPECT <= ratio <= KLING_MAX_ASPECT:
        problems.append(f"has an aspect ratio of {_ratio(ratio)} (outside 1:2.5 to 2.5:1)")
    if info.nbytes > KLING_MAX_BYTES:
        problems.append(f"is {info.nbytes / (1024 * 1024):.1f} MB (over 10 MB)")
    return problems


def _ratio(ratio: float) -> str:
    return f"{ratio:.2f}:1" if ratio >= 1 else f"1:{1 / ratio:.2f}"


def check_kling_limits(info: ImageInfo, label: str) -> None:
    """Refuse an image outside Kling's documented input limits (see the module docstring)."""
    problems = kling_limit_problems(info)
    if problems:
        msg = f"{label} {' and '.join(problems)}: {KLING_RULE}. {OVERRIDE}."
        raise ImageError(msg)


def warn_on_aspect(info: ImageInfo, width: int | None, height: int | None, label: str) -> None:
    """Warn when the image's aspect ratio does not match the requested video size."""
    if not width or not height:
        return
    image_ratio, video_ratio = info.width / info.height, width / height
    if abs(image_ratio - video_ratio) / video_ratio > ASPECT_TOLERANCE:
        warn(f"{label} is {info.width}x{info.height} (aspect {image_ratio:.2f}) but the video "
             f"is {width}x{height} (aspect {video_ratio:.2f}): it will be cropped or stretched.",
             AspectRatioWarning)
