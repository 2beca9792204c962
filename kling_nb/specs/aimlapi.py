"""The AI/ML API family: snake_case bodies, images inline (an https URL or base64 data)."""

from typing import Any, ClassVar, Literal

from .base import Spec
from .types import aiml_image_wire


class AimlSpec(Spec):
    """A Kling row on the AI/ML API: the body is the friendly fields themselves."""

    provider: ClassVar[Literal["aimlapi"]] = "aimlapi"
    api: ClassVar[str] = "aimlapi-v2"
    image_fields: ClassVar[tuple[str, ...]] = ("image_url",)
    """Fields holding an image, sent as a URL or inline base64 data."""
    wire_fields: ClassVar[tuple[str, ...]] = ()
    """The other fields sent, in the order the docs write them (unset ones are left out)."""

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.wire_model}
        for name in self.image_fields:
            value = getattr(self, name, None)
            if value is not None:
                body[name] = aiml_image_wire(value, name)
        for name in self.wire_fields:
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        return body
