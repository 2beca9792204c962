"""Field types the rows share: prompts, durations, image inputs, and their wire forms."""

import base64
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from kling_nb.core.errors import UnresolvedImageError

from .refs import (
    ImageFile,
    ImageRef,
    VideoRef,
    coerce_image,
    decode_base64_image,
    looks_like_path,
    sniff_image_format,
)

PROMPT_LIMIT = 1500
SIZES_1080: tuple[tuple[int, int], ...] = ((1920, 1080), (1080, 1920), (1440, 1440))
SIZES_720: tuple[tuple[int, int], ...] = ((1280, 720), (720, 1280), (960, 960))


def one_image(value: Any) -> Any:
    """Accept a single image, or a list of at most one (the v2 wire shape)."""
    if isinstance(value, list):
        if len(value) > 1:
            raise PydanticCustomError(
                "too_many", "at most 1 image is allowed here (given: {count})",
                {"count": len(value), "allowed": "at most 1 image"},
            )
        value = value[0] if value else None
    return coerce_image(value)


def int_like(value: Any) -> Any:
    """Accept ``"5"`` for 5 (the AI/ML examples send strings), never ``5.5``."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def on_off(value: Any) -> Any:
    """Leonardo's ``"ON"``/``"OFF"`` strings as booleans."""
    if isinstance(value, str) and value.upper() in {"ON", "OFF"}:
        return value.upper() == "ON"
    return value


def not_blank(value: str | None) -> str | None:
    """Text with something visible in it (a prompt of spaces would be sent as is)."""
    if value is not None and value and not value.strip():
        raise PydanticCustomError(
            "blank", "is only whitespace ({count} characters).",
            {"count": len(value), "allowed": "text with at least one visible character"},
        )
    return value


LeonardoImage = Annotated[ImageRef | ImageFile, BeforeValidator(one_image)]
Duration = Annotated[Literal[5, 10], BeforeValidator(int_like)]
Prompt = Annotated[str, Field(min_length=1, max_length=PROMPT_LIMIT), AfterValidator(not_blank)]
Text = Annotated[str, AfterValidator(not_blank)]
"""Required free text: something visible."""
OptionalText = Annotated[str | None, AfterValidator(not_blank)]
"""Optional free text (the AI/ML prompts): left out, or something visible."""


def ref_wire(image: ImageRef | ImageFile | VideoRef, field: str) -> dict[str, str]:
    """``{"id", "type"}`` of an asset on Leonardo; a local image must be uploaded first."""
    if isinstance(image, ImageFile):
        msg = (f"{field} is {image.label}, which is not on Leonardo yet: submit the spec with "
               "a kling_nb client (it uploads the image first), or use client.upload_image().")
        raise UnresolvedImageError(msg)
    return image.to_wire()


# -- the AI/ML API takes images inline -----------------------------------------------------
def aiml_image(value: Any) -> Any:
    """An https URL or base64 data as given; a local file or bytes to be encoded."""
    if isinstance(value, ImageRef):
        raise PydanticCustomError(
            "image_url", "the AI/ML API takes an https URL or image data, not a Leonardo id {id}",
            {"id": value.id, "allowed": "an https URL, base64 image data or a local image"},
        )
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("https://"):
            return text
        if text.startswith("http://"):
            raise PydanticCustomError("image_url", "an image URL must start with https://", {})
        if decode_base64_image(text) is not None:
            return text
        if looks_like_path(text):
            return coerce_image(text)
        raise PydanticCustomError(
            "image_url", "not an https URL, base64 image data or an image file path",
            {"allowed": "an https URL, base64 image data or a local image"},
        )
    image = coerce_image(value)
    return image.url if isinstance(image, ImageFile) and image.url else image


def https(value: Any) -> Any:
    """An https URL (or None)."""
    if value is not None and not (isinstance(value, str) and value.startswith("https://")):
        raise PydanticCustomError("https", "must be an https URL", {"allowed": "an https URL"})
    return value


def aiml_image_wire(image: str | ImageFile, field: str = "image_url") -> str:
    """An image as the AI/ML API takes it: the URL or data as given, a local image as base64."""
    if not isinstance(image, ImageFile):
        return image
    if image.data is None:
        msg = (f"{field} is the local file {image.label}: submit the spec with a kling_nb "
               "client, which sends it as base64 data.")
        raise UnresolvedImageError(msg)
    kind = sniff_image_format(image.data) or "png"
    return f"data:image/{kind};base64," + base64.b64encode(image.data).decode("ascii")


AimlImage = Annotated[str | ImageFile, BeforeValidator(aiml_image)]
HttpsUrl = Annotated[str | None, BeforeValidator(https)]
