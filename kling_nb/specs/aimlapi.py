"""The AI/ML API family: snake_case bodies, images inline (an https URL or base64 data).

The seed row (Kling 2.1 Pro) posts to the legacy Kling path; the current line-up posts to the
universal ``/v2/video/generations`` and is polled with ``?generation_id=``. Where a model has a
text and an image variant, a friendly spec picks the wire ``model`` from the inputs (an image
given means image-to-video) and says which it picked (``Spec.wire_note``); a provider body that
names a wire id is that model and no other: an input its schema requires and the body lacks is
refused, never sent to a sibling model (api-notes §10.2).
"""

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from kling_nb.core.errors import Problem
from kling_nb.core.net import url_is_loopback

from .base import Spec
from .docmodel import DocModel
from .inferred import Rule
from .rules import URL, VIDEO_URL
from .types import AimlImage, aiml_image_wire, int_like

UNIVERSAL_PATH = "/v2/video/generations"
SCHEMAS = "aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
"""Where the AI/ML API's Kling schemas live (the source of the AI/ML rows' documented rules)."""


def schemas(*names: str) -> str:
    """The AI/ML docs' schema files of a row, as its ``documented_in``."""
    return SCHEMAS + ", ".join(f"{name}.json" for name in names)


PRICE_NOTE = "not published (the API reports what each job used)"
"""The AI/ML docs publish no Kling price: each job's usage comes back with the job."""
PROVIDERS = ("auto", "kling", "klingai", "fal")


def upstream_value(value: Any) -> Any:
    """One of the ``provider`` values the schemas' description names, in any case (as given)."""
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in PROVIDERS:
        raise PydanticCustomError(
            "provider", "'{given}' is not a service the API names",
            {"given": value, "allowed": "auto (the default), kling or klingai (Kling's own "
                                        "API), fal; in any case"})
    return value


Upstream = Annotated[str | None, BeforeValidator(upstream_value)]
"""The body's ``provider``: which service runs the job (field ``upstream``, as ``provider`` is
the spec's host: ``aimlapi``)."""
AspectRatio = Literal["16:9", "9:16", "1:1"]
ASPECT_RATIOS: tuple[str, ...] = ("16:9", "9:16", "1:1")


def video_input(value: Any) -> Any:
    """An https video URL or a data URI as given; a finished result as its video URL.

    Plain http is accepted on this machine only (the sandbox server, a local proxy).
    """
    given = value
    if value is not None and hasattr(value, "video_url"):
        value = value.video_url
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith(("https://", "data:video/")) or (
            text.startswith("http://") and url_is_loopback(text)):
        return text
    what = (f"the result's video URL {value!r} is not https" if given is not value
            else "not an https video URL, a data: URI or a finished result")
    raise PydanticCustomError(
        "video_url", what,
        {"allowed": "an https URL of a video, a data:video/... URI, or a result"})


VideoUrl = Annotated[str, BeforeValidator(video_input)]


class Element(DocModel):
    """A character or object to keep in the video: reference images (and a frontal view)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    reference_image_urls: list[AimlImage] = Field(min_length=1, max_length=4)
    """1 to 4 images of the element from different angles (URLs, base64 or local files)."""
    frontal_image_url: AimlImage | None = None
    """The frontal view of the element (required on Kling O1)."""
    video_url: VideoUrl | None = None
    """A video of the element (at most one element per request may have one)."""

    def to_wire(self) -> dict[str, Any]:
        """The element as the API takes it (local images as base64 data)."""
        body: dict[str, Any] = {"reference_image_urls": [
            aiml_image_wire(i, "elements") for i in self.reference_image_urls]}
        if self.frontal_image_url is not None:
            body["frontal_image_url"] = aiml_image_wire(self.frontal_image_url, "elements")
        if self.video_url is not None:
            body["video_url"] = self.video_url
        return body


class TrajectoryPoint(DocModel):
    """One point of a motion-brush path, in pixels of the image."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    x: int
    """Pixels from the left edge."""
    y: int
    """Pixels from the top edge."""


class DynamicMask(DocModel):
    """A motion brush: a mask of the area to move and the path it moves along."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    mask: AimlImage
    """The mask image of the area to move (an https URL, base64 data or a local file)."""
    trajectories: list[TrajectoryPoint] = Field(min_length=2, max_length=77)
    """The path the area follows: 2 to 77 points."""

    def to_wire(self) -> dict[str, Any]:
        """The mask as the API takes it (a local mask image as base64 data)."""
        return {"mask": aiml_image_wire(self.mask, "dynamic_masks"),
                "trajectories": [point.model_dump() for point in self.trajectories]}


CameraAxis = Annotated[float, Field(ge=-10, le=10)]


class CameraConfig(DocModel):
    """How far the camera moves along each axis, -10 to 10."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    horizontal: CameraAxis | None = None
    """Sideways movement."""
    vertical: CameraAxis | None = None
    """Up and down movement."""
    pan: CameraAxis | None = None
    """Turning left or right."""
    tilt: CameraAxis | None = None
    """Tilting up or down."""
    roll: CameraAxis | None = None
    """Rolling around the view axis."""
    zoom: CameraAxis | None = None
    """Zooming in (positive) or out."""

    def to_wire(self) -> dict[str, float]:
        """The axes that were set."""
        return self.model_dump(exclude_none=True)


class CameraControl(DocModel):
    """A camera movement: a preset ``type``, or ``simple`` with a ``config``."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    type: Literal["simple", "down_back", "forward_up", "right_turn_forward",
                  "left_turn_forward"] | None = None
    """The movement; ``simple`` uses ``config``."""
    config: CameraConfig | None = None
    """The axes of a ``simple`` movement."""

    def to_wire(self) -> dict[str, Any]:
        """The camera control as the API takes it."""
        body: dict[str, Any] = {}
        if self.type is not None:
            body["type"] = self.type
        if self.config is not None:
            body["config"] = self.config.to_wire()
        return body


class AimlSpec(Spec):
    """A Kling row on the AI/ML API: the body is the friendly fields themselves."""

    provider: ClassVar[Literal["aimlapi"]] = "aimlapi"
    api: ClassVar[str] = "aimlapi-v2"
    image_fields: ClassVar[tuple[str, ...]] = ("image_url",)
    """Fields holding an image, sent as a URL or inline base64 data."""
    wire_fields: ClassVar[tuple[str, ...]] = ()
    """The other fields sent, in the order the docs write them (unset ones are left out)."""
    send_defaults: ClassVar[bool] = True
    """Send every field with a value (the seed row), or only those given (the current rows)."""
    aspect_ratios: ClassVar[tuple[str, ...]] = ()
    wire_names: ClassVar[Mapping[str, str]] = {"upstream": "provider"}

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.variant_model}
        for name in self.image_fields:
            value = getattr(self, name, None)
            if isinstance(value, list):
                body[name] = [aiml_image_wire(item, name) for item in value]
            elif value is not None:
                body[name] = aiml_image_wire(value, name)
        for name in self.wire_fields:
            value = getattr(self, name)
            if value is not None and (self.send_defaults or self._given(name)):
                body[self.wire_names.get(name, name)] = _wire_value(value)
        if self.audio_default is not None and "generate_audio" in type(self).model_fields:
            body["generate_audio"] = getattr(self, "generate_audio", None)
            if body["generate_audio"] is None:
                body["generate_audio"] = self.audio_default
        return body

    def _given(self, name: str) -> bool:
        return name in self.model_fields_set or name in self.derived_fields

    @property
    def variant_model(self) -> str:
        """The wire ``model`` this request uses (rows with variants pick it from the inputs)."""
        return self.wire_model


def _wire_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_wire_value(v) for v in value]
    if hasattr(value, "to_wire"):
        return value.to_wire()
    return value


class AimlUniversal(AimlSpec):
    """A row on the universal endpoint, with a text and an image variant (or one only)."""

    wire_id: str | None = None
    """The AI/ML model id a provider body named (``klingai/...-image-to-video``): the request is
    that model and no other. Left out, the model follows the inputs (an image: image-to-video)."""

    path = UNIVERSAL_PATH
    poll_path = UNIVERSAL_PATH + "?generation_id={id}"
    send_defaults = False
    variants: ClassVar[Mapping[str, str]] = {}
    """The wire ``model`` per variant: ``text`` and ``image`` (O1's text variant is
    reference-to-video); a row with one model names it for both, or has one key only."""
    variant_aliases: ClassVar[Mapping[str, str]] = {}
    """Other ids the pages give a variant (alias -> the variant's id, which is sent)."""

    @classmethod
    def model_names(cls) -> tuple[str, ...]:
        return (cls.key, *dict.fromkeys(cls.variants.values()), *cls.variant_aliases,
                *cls.wire_model_aliases)

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        """A wire id of a row with several models is kept as ``wire_id`` (the model named)."""
        model = data.get("model")
        if isinstance(model, str) and "wire_id" not in data and cls.several_models():
            named = cls.variant_aliases.get(model, model)
            if named in cls.variants.values():
                data["wire_id"] = named
        return super().normalize_input(data)

    @field_validator("wire_id")
    @classmethod
    def _known_wire_id(cls, value: str | None) -> str | None:
        named = cls.variant_aliases.get(value, value) if value is not None else None
        if named is not None and named not in cls.variants.values():
            raise PydanticCustomError(
                "wire_id", "'{given}' is not a model of this row",
                {"given": value, "allowed": ", ".join(dict.fromkeys(cls.variants.values()))})
        return named

    @classmethod
    def several_models(cls) -> bool:
        """Whether the row sends one of several wire ids (picked from its inputs)."""
        return len(set(cls.variants.values())) > 1

    @classmethod
    def picked_kind(cls, values: Mapping[str, Any]) -> str:
        """The variant the inputs call for: ``image`` with an image_url, else ``text``."""
        kind = "image" if values.get("image_url") is not None else "text"
        return kind if kind in cls.variants else next(iter(cls.variants))

    @classmethod
    def kind_of(cls, wire_id: str) -> str:
        """The variant a wire id names."""
        return next(kind for kind, model in cls.variants.items() if model == wire_id)

    @classmethod
    def sent_kind(cls, values: Mapping[str, Any]) -> str:
        """The variant sent: the one a body names, else the one the inputs call for."""
        named = values.get("wire_id")
        if isinstance(named, str) and named in cls.variants.values():
            return cls.kind_of(named)
        return cls.picked_kind(values)

    @property
    def variant_model(self) -> str:
        return self.wire_id or self.variants[self.picked_kind(self.values())]

    @property
    def wire_note(self) -> str | None:
        if not self.several_models():
            return None
        if self.wire_id is not None:
            return f"{self.wire_id} (the model named)"
        given = "an image_url is given" if self.picked_kind(self.values()) == "image" \
            else "no image_url is given"
        return f"{self.variant_model} (picked from the inputs: {given})"


def _named_model(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    named = v.get("wire_id")
    if named is None or named not in spec.variants.values():
        return []
    wanted, picked = spec.kind_of(named), spec.picked_kind(v)
    if wanted == picked:
        return []
    other = spec.variants[picked]
    if v.get("image_url") is None:
        return [Problem(("image_url",), f"is required by {named}, the model the body names "
                        "(nothing is sent to another model).",
                        allowed=f"an image_url, or the model {other} for a video without one")]
    return [Problem(("image_url",), f"is not taken by {named}, the model the body names.",
                    allowed=f"no image_url, or the model {other} to start from the image")]


NAMED_MODEL = Rule(
    "named-model", "a body naming a wire id is that model: image_url given to an "
    "image-to-video id and to no other", _named_model, examples=(
        lambda spec: {"wire_id": spec.variants["image"], "image_url": None}
        if spec.several_models() else None,
        lambda spec: {"wire_id": spec.variants["text"], "image_url": URL}
        if spec.several_models() else None))


Seconds = Annotated[int, BeforeValidator(int_like), Field(ge=3, le=15, strict=True)]


ELEMENT = {"reference_image_urls": [URL], "frontal_image_url": URL}
ELEMENT_WITH_VIDEO = {**ELEMENT, "video_url": VIDEO_URL}
MASK = {"mask": URL, "trajectories": [{"x": 10, "y": 10}, {"x": 90, "y": 40}]}
BREAKING_VALUES: dict[str, Any] = {
    "tail_image_url": URL, "last_image_url": URL, "elements": [ELEMENT], "image_list": [URL],
    "aspect_ratio": "1:1", "cfg_scale": 0.5, "static_mask": URL, "dynamic_masks": [MASK],
    "advanced_camera_control": {"movement_type": "zoom", "movement_value": 5}}
"""A valid value of each variant-only field, for the examples that break the variant rules."""


def _breaking(fields: Sequence[str], breaking: Any) -> Any:
    """A valid value of the first field for the rule's example (a row's own field names one
    with ``breaking=``)."""
    found = BREAKING_VALUES.get(fields[0]) if breaking is None else breaking
    if found is None:
        msg = (f"{fields[0]}: give the rule an example value with breaking= (a valid value of "
               "the field, which the rule then refuses on the other variant)")
        raise KeyError(msg)
    return found


def only_with_image(*fields: str, breaking: Any = None) -> Rule:
    """Fields that only the image-to-video variant takes (``breaking``: a valid value of the
    first, for the rule's example; known for the shared fields)."""
    def check(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
        if v.get("image_url") is not None:
            return []
        return [Problem((name,), "is only taken with an image (image-to-video).",
                        allowed=f"set image_url too, or remove {name}")
                for name in fields if v.get(name) not in (None, [])]

    return Rule("image-variant-fields", f"{', '.join(fields)} only on image-to-video", check,
                examples=({"image_url": None, fields[0]: _breaking(fields, breaking)},))


def only_without_image(*fields: str, breaking: Any = None) -> Rule:
    """Fields only the text-to-video variant takes (``breaking``: as ``only_with_image``)."""
    def check(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
        if v.get("image_url") is None:
            return []
        return [Problem((name,), "is only taken without an image (text-to-video)"
                        + (": the video follows the image." if name == "aspect_ratio" else "."),
                        allowed=f"remove {name}, or the image")
                for name in fields if v.get(name) is not None]

    return Rule("text-variant-fields", f"{', '.join(fields)} only on text-to-video", check,
                examples=({"image_url": URL, fields[0]: _breaking(fields, breaking)},))


def _one_element_video(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    elements = v.get("elements") or []
    videos = sum(1 for e in elements if e.video_url is not None)
    if videos > 1:
        return [Problem(("elements",), f"{videos} elements have a video.",
                        allowed="at most one element with a video_url")]
    if len(elements) > 4:
        return [Problem(("elements",), f"{len(elements)} elements is too many.",
                        allowed="at most 4 elements")]
    return []


ELEMENTS = Rule("elements", "at most 4 elements, at most one of them with a video",
                _one_element_video, examples=({"elements": [ELEMENT_WITH_VIDEO] * 2},))
