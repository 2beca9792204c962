"""Images before a submit: checked locally, uploaded to Leonardo or inlined for the AI/ML API."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from kling_nb.core.errors import ImageError
from kling_nb.specs.base import Spec
from kling_nb.specs.refs import ImageFile, ImageRef, coerce_image, decode_base64_image
from kling_nb.specs.types import aiml_image_wire

from .http import Step
from .imagecheck import ImageInfo, check_image, check_kling_limits, warn_on_aspect

Size = tuple[int | None, int | None]


def as_image(image: Any) -> ImageRef | ImageFile:
    """What a user gave as an image (file, bytes, PIL image, URL, id) as a reference."""
    try:
        return coerce_image(image)  # type: ignore[no-any-return]
    except ValidationError as exc:
        reason = "; ".join(e["msg"] for e in exc.errors())
        raise ImageError(f"cannot upload this image: {reason}") from None


class ImagePreparation:
    """Turns a spec's local images into what its provider takes, before anything is sent.

    ``limits``: refuse images outside Kling's documented input limits (``imagecheck``).
    """

    def __init__(self, base_url: Callable[[str], str], *, limits: bool = True) -> None:
        self.base_url = base_url
        self.limits = limits

    def check(self, data: bytes, label: str) -> ImageInfo:
        """The local checks of one image (and Kling's input limits unless turned off)."""
        info = check_image(data, label)
        if self.limits:
            check_kling_limits(info, label)
        return info

    def upload(self, image: ImageFile, size: Size | None, provider: str,
               name: str | None = None) -> Step[ImageRef]:
        """Read (or fetch), check and upload one image to Leonardo."""
        data = yield from self.read(image, provider)
        info = self.check(data, _label(image, name))
        if size:
            warn_on_aspect(info, size[0], size[1], image.label)
        from .account import upload

        return (yield from upload(self.base_url("leonardo"), data, info.extension, info.mime))

    def for_body(self, image: ImageRef | ImageFile, provider: str) -> Step[ImageRef | str]:
        """One image as a body sent unchecked takes it: on Leonardo an uploaded image's ref,
        on the AI/ML API a data URI (an https URL as given)."""
        if isinstance(image, ImageRef):
            if provider == "aimlapi":
                msg = ("the AI/ML API takes an image as an https URL or data, not a Leonardo "
                       f"id ({image.id})")
                raise ImageError(msg)
            return image
        if provider == "leonardo":
            return (yield from self.upload(image, None, provider))
        if image.url is not None:
            return image.url
        data = yield from self.read(image, provider)
        self.check(data, image.label)
        return aiml_image_wire(ImageFile(data=data), "image")

    def read(self, image: ImageFile, provider: str) -> Step[bytes]:
        """The image's bytes: read from disk, or fetched from its https URL."""
        if image.url is not None:
            from .account import fetch_image

            return (yield from fetch_image(image.url, provider))
        try:
            return image.read()
        except OSError as exc:
            msg = f"cannot read {image.label}: {exc.strerror or exc}"
            raise ImageError(msg) from None

    def prepare(self, spec: Spec) -> Step[Spec]:
        """Read and check the spec's local clips (sound, reference videos); upload (Leonardo)
        or encode (AI/ML) its local images; set a task id."""
        from .clips import prepare_clips  # on first use: most specs hold no clip

        spec = prepare_clips(spec)
        changes: dict[str, Any] = {}
        size = (getattr(spec, "width", None), getattr(spec, "height", None))
        check_local_images(spec, self.check)
        for name, value in spec.values().items():
            if any(True for _ in _files(value)):
                first = size if isinstance(value, ImageFile) else None
                changes[name] = yield from self._resolve_all(spec, value, first, name)
        if spec.provider == "aimlapi" and getattr(spec, "external_task_id", "") is None:
            changes["external_task_id"] = f"kling-nb-{uuid.uuid4()}"
        return spec.replace(**changes) if changes else spec

    def _resolve_all(self, spec: Spec, value: Any, size: Size | None, name: str) -> Step[Any]:
        """Every local image in ``value`` (an image, a list, an element) resolved."""
        if isinstance(value, ImageFile):
            return (yield from self.resolve(spec, value, size, name))
        if isinstance(value, list):
            items = []
            for item in value:
                items.append((yield from self._resolve_all(spec, item, None, name)))
            return items
        if isinstance(value, BaseModel) and any(True for _ in _files(value)):
            update = {}
            for field in type(value).model_fields:
                inner = getattr(value, field)
                if any(True for _ in _files(inner)):
                    update[field] = yield from self._resolve_all(spec, inner, None, name)
            return value.model_copy(update=update)
        return value

    def resolve(self, spec: Spec, image: ImageFile, size: Size | None, name: str) -> Step[Any]:
        """One local image as the spec's provider takes it."""
        if spec.provider == "leonardo":
            return (yield from self.upload(image, size, "leonardo", name))
        if image.url is not None:
            return image.url
        data = yield from self.read(image, spec.provider)
        info = self.check(data, _label(image, name))
        if size:
            warn_on_aspect(info, size[0], size[1], image.label)
        return ImageFile(data=data)


def check_local_images(spec: Spec, check: Callable[[bytes, str], Any] = check_image) -> None:
    """Check every local image before the first upload: a bad second image sends nothing.

    An image given inline (a ``data:image/...`` URI or bare base64, which the AI/ML API takes
    as it is) is checked as a file is: the same limits, and the same ``image_limits=False``.
    """
    for name, value in spec.values().items():
        for index, data in enumerate(_inline(value), 1):
            check(data, f"{name}: inline image data" + (f" {index}" if index > 1 else "")
                  + f" ({len(data) / 1000:.1f} kB)")
        for item in _files(value):
            if item.url is None:
                try:
                    data = item.read()
                except OSError as exc:
                    msg = f"cannot read {_label(item, name)}: {exc.strerror or exc}"
                    raise ImageError(msg) from None
                check(data, _label(item, name))


def _files(value: Any) -> Iterator[ImageFile]:
    """The local images in a field's value: itself, a list's items, an element's images."""
    if isinstance(value, ImageFile):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _files(item)
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _files(getattr(value, field))


def _inline(value: Any) -> Iterator[bytes]:
    """The images given as base64 text in a field's value (AI/ML specs keep them as text)."""
    if isinstance(value, str):
        data = decode_base64_image(value) if value[:11].lower() != "data:video/" else None
        if data is not None:
            yield data
    elif isinstance(value, list):
        for item in value:
            yield from _inline(item)
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _inline(getattr(value, field))


def _label(image: ImageFile, name: str | None) -> str:
    """How an image is named in messages: the spec field and the file, URL or bytes."""
    return f"{name}: {image.label}" if name else image.label
