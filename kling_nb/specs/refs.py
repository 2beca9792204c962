"""Image and video references as specs hold them: asset ids, local files, URLs and bytes."""

import base64
import binascii
import re
from collections.abc import Mapping
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from .docmodel import DocModel

AssetType = Literal["UPLOADED", "GENERATED"]
ImageFormat = Literal["png", "jpeg", "webp"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_DATA_URL = re.compile(r"^data:image/(png|jpe?g|webp);base64,(.*)$", re.DOTALL | re.IGNORECASE)


def sniff_image_format(data: bytes) -> ImageFormat | None:
    """The image format the bytes really are, judged by their magic number."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_id(value: str) -> str:
    """``value`` when it can be an asset id; a docs placeholder or odd characters raise."""
    if "<" in value or "YOUR_" in value.upper() or "..." in value or "…" in value:
        raise PydanticCustomError(
            "placeholder", "'{id}' is a placeholder from the docs: put a real asset id there",
            {"id": value},
        )
    if not _ID_PATTERN.match(value):
        raise PydanticCustomError(
            "asset_id", "'{id}' is not an asset id (letters, digits, '-', '_', '.' or ':')",
            {"id": value},
        )
    return value


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
UUID_EXAMPLE = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def check_asset_id(value: str) -> str:
    """``value`` when it has the shape of a Leonardo asset id (a UUID), else a clear error.

    Leonardo names every upload and generated image or video by a UUID; anything else (a
    truncated copy, a file name without its extension) would come back as a 400.
    """
    check_id(value)
    if not _UUID.match(value):
        raise PydanticCustomError(
            "asset_id", "'{id}' is not a Leonardo asset id ({length} characters): Leonardo ids "
            "are UUIDs, 36 characters like " + UUID_EXAMPLE,
            {"id": value, "length": len(value),
             "allowed": "a UUID (8-4-4-4-12 hex digits)"},
        )
    return value


class ImageRef(DocModel):
    """An image that already exists on Leonardo: an upload or an earlier generation."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Annotated[str, AfterValidator(check_asset_id)]
    """The asset id (a UUID on Leonardo)."""
    type: AssetType = "UPLOADED"
    """``UPLOADED`` for an init image you uploaded, ``GENERATED`` for an earlier result."""

    def to_wire(self) -> dict[str, str]:
        """The ``{"id", "type"}`` object Leonardo expects."""
        return {"id": self.id, "type": self.type}

    def __str__(self) -> str:
        return f"{self.type.lower()} image {self.id}"


class VideoRef(DocModel):
    """A video generated earlier on Leonardo, to edit (``video_reference_base``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Annotated[str, AfterValidator(check_asset_id)]
    """The id of the earlier result: ``generated_images[0].id`` of that generation."""
    type: Literal["GENERATED"] = "GENERATED"
    """Only ``GENERATED`` videos can be referenced."""
    seconds: int | None = Field(default=None, exclude=True)
    """The video's length, when known (from the result it came from; never sent)."""
    width: int | None = Field(default=None, exclude=True)
    """The video's width in pixels, when known (never sent)."""
    height: int | None = Field(default=None, exclude=True)
    """The video's height in pixels, when known (never sent)."""

    def to_wire(self) -> dict[str, str]:
        """The ``{"id", "type"}`` object Leonardo expects."""
        return {"id": self.id, "type": self.type}


class ImageFile(DocModel):
    """An image that is not on Leonardo yet: a local file, bytes, or an https URL."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64",
        defer_build=True,
    )

    path: Path | None = None
    """A local PNG, JPEG or WebP file."""
    url: str | None = None
    """An https URL of an image."""
    data: bytes | None = Field(default=None, repr=False)
    """The image's bytes (PNG, JPEG or WebP)."""

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [n for n in ("path", "url", "data") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "image_source", "give exactly one of path, url or data (given: {given})",
                {"given": ", ".join(given) or "none"},
            )
        if self.url is not None and not self.url.startswith("https://"):
            raise PydanticCustomError("image_url", "an image URL must start with https://", {})
        if self.data is not None:
            _check_image_bytes(self.data)
        if self.path is not None and not self.path.expanduser().is_file():
            raise PydanticCustomError(
                "image_path", "no such image file: {path}", {"path": str(self.path)}
            )
        return self

    @property
    def label(self) -> str:
        """A short human description, e.g. ``photo.png`` or ``1.2 kB of PNG``."""
        if self.path is not None:
            return self.path.name
        if self.url is not None:
            return self.url
        data = self.data or b""
        return f"{len(data) / 1000:.1f} kB of {(sniff_image_format(data) or 'image').upper()}"

    def read(self) -> bytes:
        """The image's bytes (reads the file for a path; an URL cannot be read here)."""
        if self.data is not None:
            return self.data
        if self.path is not None:
            return self.path.expanduser().read_bytes()
        msg = "an image URL has to be fetched over the network"
        raise ValueError(msg)

    def __str__(self) -> str:
        return self.label


def _check_image_bytes(data: bytes) -> None:
    if not data:
        raise PydanticCustomError("image_empty", "the image is empty (0 bytes)", {})
    if sniff_image_format(data) is None:
        raise PydanticCustomError(
            "image_format", "the bytes are not a PNG, JPEG or WebP image", {}
        )


def decode_base64_image(text: str) -> bytes | None:
    """The bytes of base64 image data (a ``data:image/...`` URL or bare base64), or None."""
    match = _DATA_URL.match(text.strip())
    payload = match.group(2) if match else text.strip()
    if not match and (len(payload) < 16 or not re.fullmatch(r"[A-Za-z0-9+/=\s]+", payload)):
        return None
    try:
        data = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return None
    return data if sniff_image_format(data) else None


def looks_like_path(text: str) -> bool:
    """Whether a string names a local file rather than an asset id."""
    lowered = text.lower()
    return (
        "/" in text or "\\" in text or text.startswith(("~", "."))
        or lowered.endswith(IMAGE_SUFFIXES)
    )


def _pil_to_png(image: Any) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _is_pil_image(value: object) -> bool:
    return hasattr(value, "save") and hasattr(value, "mode") and hasattr(value, "size")


def coerce_image(value: Any) -> Any:
    """Turn what a user wrote (id, path, URL, bytes, PIL image, dict) into a reference."""
    if value is None or isinstance(value, (ImageRef, ImageFile)):
        return value
    if isinstance(value, Mapping):
        return ImageRef.model_validate(value) if "id" in value else ImageFile.model_validate(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return ImageFile(data=bytes(value))
    if isinstance(value, PathLike):
        return ImageFile(path=Path(value))
    if _is_pil_image(value):
        return ImageFile(data=_pil_to_png(value))
    if isinstance(value, str):
        return _coerce_image_text(value.strip())
    return value


def _coerce_image_text(text: str) -> ImageRef | ImageFile:
    if text.startswith(("https://", "http://")):
        return ImageFile(url=text)
    if text.startswith("data:"):
        data = decode_base64_image(text)
        if data is None:
            raise PydanticCustomError("image_format", "the data URL is not a base64 image", {})
        return ImageFile(data=data)
    if looks_like_path(text):
        return ImageFile(path=Path(text))
    return ImageRef(id=text)


def coerce_video(value: Any) -> Any:
    """Turn a plain id, a ``{"id", "type"}`` dict or a finished result into a ``VideoRef``."""
    if hasattr(value, "as_video_reference"):
        return value.as_video_reference()
    if isinstance(value, str):
        return VideoRef(id=value.strip())
    if isinstance(value, ImageRef):
        return {"id": value.id, "type": value.type}
    return value


def uploaded(asset_id: str) -> ImageRef:
    """A reference to an image you uploaded (an init image)."""
    return ImageRef(id=asset_id, type="UPLOADED")


def generated(asset_id: str) -> ImageRef:
    """A reference to an image or video produced by an earlier generation."""
    return ImageRef(id=asset_id, type="GENERATED")
