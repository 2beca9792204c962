"""The model rows: one spec class per Kling model and provider, with its rules and wire format.

Adding a model is one class here plus its entry in ``_catalogue.SPECS``; forms, routing,
the sandbox's own checks and the parametrized tests follow from the class.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ._errors import Problem
from ._images import (
    ImageFile,
    ImageRef,
    VideoRef,
    coerce_image,
    coerce_video,
    decode_base64_image,
    looks_like_path,
)
from ._spec import Size, Spec, format_size

PROMPT_LIMIT = 1500
SIZES_1080: tuple[Size, ...] = ((1920, 1080), (1080, 1920), (1440, 1440))
SIZES_720: tuple[Size, ...] = ((1280, 720), (720, 1280), (960, 960))
_IMAGE_TAG = re.compile(r"@image(\d+)\b", re.IGNORECASE)


def _one_image(value: Any) -> Any:
    """Accept a single image, or a list of at most one (the v2 wire shape)."""
    if isinstance(value, list):
        if len(value) > 1:
            raise PydanticCustomError(
                "too_many", "at most 1 image is allowed here (given: {count})",
                {"count": len(value), "allowed": "at most 1 image"},
            )
        value = value[0] if value else None
    return coerce_image(value)


def _int_like(value: Any) -> Any:
    """Accept ``"5"`` for 5 (the AI/ML examples send strings), never ``5.5``."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _prompt_enhance(value: Any) -> Any:
    if isinstance(value, str) and value.upper() in {"ON", "OFF"}:
        return value.upper() == "ON"
    return value


LeonardoImage = Annotated[ImageRef | ImageFile, BeforeValidator(_one_image)]
Duration = Annotated[Literal[5, 10], BeforeValidator(_int_like)]
Prompt = Annotated[str, Field(min_length=1, max_length=PROMPT_LIMIT)]


# -- shared rules ---------------------------------------------------------------------------
def size_problems(spec: type[Spec], v: Mapping[str, Any], mode: str | None) -> list[Problem]:
    """Width and height given together, and a pair the model accepts (in ``mode``)."""
    width, height = v.get("width"), v.get("height")
    if "width" not in v or "height" not in v or (width is None and height is None):
        return []
    if width is None or height is None:
        missing = "height" if height is None else "width"
        return [Problem(("width", "height"), f"give both width and height, or neither "
                        f"({missing} is missing).")]
    allowed = spec.allowed_sizes(mode)
    if (width, height) in allowed:
        return []
    where = f" in mode {mode}" if mode and len(spec.sizes) > 1 else ""
    names = ", ".join(format_size(s) for s in allowed)
    hint = _other_mode_hint(spec, (width, height), mode)
    return [Problem(
        ("width", "height"),
        f"{width}x{height} is not a size {spec.display_name} accepts{where}.{hint}",
        given=f"{width}x{height}", allowed=names,
    )]


def _other_mode_hint(spec: type[Spec], size: Size, mode: str | None) -> str:
    for other, sizes in spec.sizes.items():
        if other != mode and size in sizes:
            return f" It is a {other} size: set mode='{other}'."
    return ""


def frame_problems(v: Mapping[str, Any], *, references: bool) -> list[Problem]:
    """End frame only with a start frame; image references exclude start/end frames."""
    problems = []
    start, end = v.get("start_frame"), v.get("end_frame")
    if end is not None and "start_frame" in v and start is None:
        problems.append(Problem(("end_frame",), "an end frame needs a start frame.",
                                allowed="set start_frame too, or remove end_frame"))
    refs = v.get("image_references") or [] if references else []
    if refs and (start is not None or end is not None):
        problems.append(Problem(
            ("image_references",),
            "image references cannot be combined with a start or end frame.",
            given=f"{len(refs)} image reference(s)",
            allowed="either image_references, or start_frame/end_frame",
        ))
    return problems


def reference_problems(v: Mapping[str, Any], limit: int, why: str = "") -> list[Problem]:
    """At most ``limit`` image references; ``@imageN`` in the prompt within range."""
    problems = []
    refs = v.get("image_references")
    if refs is not None and len(refs) > limit:
        problems.append(Problem(("image_references",), f"{len(refs)} images is too many{why}.",
                                given=len(refs), allowed=f"at most {limit}"))
    prompt = v.get("prompt")
    if prompt and refs is not None:
        count = len(refs)
        for tag in sorted({int(n) for n in _IMAGE_TAG.findall(prompt)}):
            if not 1 <= tag <= count:
                problems.append(Problem(
                    ("prompt",),
                    f"@image{tag} points past the image references (there "
                    f"{'is' if count == 1 else 'are'} {count}).",
                    given=f"@image{tag}",
                    allowed=f"@image1 to @image{count}" if count else "no @image tags",
                ))
    return problems


def _default_size(values: Mapping[str, Any], size: Size) -> dict[str, Any]:
    """``size`` when width and height were both left out (and both are known to be valid)."""
    if "width" in values and "height" in values and values["width"] is None and (
            values["height"] is None):
        return {"width": size[0], "height": size[1]}
    return {}


def _ref_wire(image: ImageRef | ImageFile | VideoRef, field: str) -> dict[str, str]:
    if isinstance(image, ImageFile):
        from ._errors import UnresolvedImageError

        msg = (f"{field} is {image.label}, which is not on Leonardo yet: submit the spec with "
               "a kling_nb client (it uploads the image first), or use client.upload_image().")
        raise UnresolvedImageError(msg)
    return image.to_wire()


# -- Leonardo v1: generations-image-to-video -----------------------------------------------
class _LeonardoV1(Spec):
    """Leonardo v1 image-to-video (camelCase body)."""

    provider: ClassVar[Literal["leonardo"]] = "leonardo"
    api: ClassVar[str] = "leonardo-v1"
    path: ClassVar[str] = "/api/rest/v1/generations-image-to-video"
    requires_start_frame: ClassVar[bool] = False
    wire_names: ClassVar[Mapping[str, str]] = {
        "start_frame": "imageId/imageType", "end_frame": "endFrameImage", "public": "isPublic",
    }
    _WIRE_KEYS: ClassVar[frozenset[str]] = frozenset(
        {"imageId", "imageType", "endFrameImage", "isPublic"}
    )

    prompt: Prompt
    """Text describing the content, style and motion of the video (at most 1500 characters;
    Leonardo requires one)."""
    start_frame: LeonardoImage | None = None
    """The first frame: an uploaded or generated image id, a local file, or an https URL."""
    end_frame: LeonardoImage | None = None
    """The last frame (needs a start frame)."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    width: int | None = None
    """Width in pixels; one of the model's sizes (default 1920)."""
    height: int | None = None
    """Height in pixels; one of the model's sizes (default 1080)."""
    resolution: Literal["RESOLUTION_1080"] = "RESOLUTION_1080"
    """Output resolution preset: only RESOLUTION_1080."""
    public: bool | None = None
    """Whether the generation is public on Leonardo (left to Leonardo's default when unset)."""

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        return _default_size(values, (1920, 1080))

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        problems = size_problems(cls, values, None)
        if cls.requires_start_frame and "start_frame" in values and not values["start_frame"]:
            problems.append(Problem(
                ("start_frame",), f"{cls.display_name} needs a start frame.",
                allowed="an uploaded or generated image id, a local image file or an https URL",
            ))
        return problems + frame_problems(values, references=False)

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.prompt is not None:
            body["prompt"] = self.prompt
        if self.start_frame is not None:
            ref = _ref_wire(self.start_frame, "start_frame")
            body["imageId"], body["imageType"] = ref["id"], ref["type"]
        if self.end_frame is not None:
            body["endFrameImage"] = _ref_wire(self.end_frame, "end_frame")
        body.update(resolution=self.resolution, duration=self.duration,
                    height=self.height, width=self.width, model=self.wire_model)
        if self.public is not None:
            body["isPublic"] = self.public
        return body

    @classmethod
    def is_wire(cls, data: Mapping[str, Any]) -> bool:
        return bool(cls._WIRE_KEYS.intersection(data))

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        data = dict(body)
        if "imageId" in data:
            start = {"id": data.pop("imageId")}
            if "imageType" in data:
                start["type"] = data.pop("imageType")
            data["start_frame"] = start
        renames = {"endFrameImage": "end_frame", "isPublic": "public"}
        return {renames.get(k, k): v for k, v in data.items()}


class Kling21Pro(_LeonardoV1):
    """Kling 2.1 Pro on Leonardo (v1 image-to-video). Retired by Leonardo on 2026-09-15."""

    model: Literal["leonardo/kling-2.1-pro"] = "leonardo/kling-2.1-pro"
    """The model row: Kling 2.1 Pro on Leonardo (wire value ``KLING2_1``)."""

    key: ClassVar[str] = "leonardo/kling-2.1-pro"
    display_name: ClassVar[str] = "Kling 2.1 Pro"
    wire_model: ClassVar[str] = "KLING2_1"
    status: ClassVar[Literal["active", "retired"]] = "retired"
    retired_on: ClassVar[date | None] = date(2026, 9, 15)
    successors: ClassVar[tuple[str, ...]] = (
        "aimlapi/kling-2.1-pro", "leonardo/kling-2.5-turbo", "leonardo/kling-3.0",
    )
    seed_page: ClassVar[str] = "000_14c495383e1e1600.txt"
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {
        "RESOLUTION_1080": ((1920, 1080), (1080, 1920)),
    }
    usd_per_job: ClassVar[Mapping[int, float]] = {5: 0.61, 10: 1.23}
    requires_start_frame: ClassVar[bool] = True
    summary: ClassVar[str] = "Image-to-video at 1080p from a required start frame."


class Kling25Turbo(_LeonardoV1):
    """Kling 2.5 Turbo on Leonardo (v1 image-to-video)."""

    model: Literal["leonardo/kling-2.5-turbo"] = "leonardo/kling-2.5-turbo"
    """The model row: Kling 2.5 Turbo on Leonardo (wire value ``KLING2_5``)."""

    key: ClassVar[str] = "leonardo/kling-2.5-turbo"
    display_name: ClassVar[str] = "Kling 2.5 Turbo"
    wire_model: ClassVar[str] = "KLING2_5"
    wire_model_aliases: ClassVar[tuple[str, ...]] = ("Kling2_5",)
    seed_page: ClassVar[str] = "001_a7959dacb5309057.txt"
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {"RESOLUTION_1080": SIZES_1080}
    usd_per_job: ClassVar[Mapping[int, float]] = {5: 0.35, 10: 0.70}
    summary: ClassVar[str] = "Fast, low-cost 1080p video from a prompt and optional frames."


# -- AI/ML API ------------------------------------------------------------------------------
def _aiml_image(value: Any) -> Any:
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


def _https(value: Any) -> Any:
    if value is not None and not (isinstance(value, str) and value.startswith("https://")):
        raise PydanticCustomError("https", "must be an https URL", {"allowed": "an https URL"})
    return value


class Kling21ProAIML(Spec):
    """Kling 2.1 Pro image-to-video on the AI/ML API."""

    model: Literal["aimlapi/kling-2.1-pro"] = "aimlapi/kling-2.1-pro"
    """The model row: Kling 2.1 Pro on the AI/ML API (``kling-video/v2.1/pro/image-to-video``)."""
    image_url: Annotated[str | ImageFile, BeforeValidator(_aiml_image)]
    """The first frame: an https URL, base64 image data, or a local image (sent as base64)."""
    prompt: str | None = None
    """Text describing the scene, subject or action of the video."""
    negative_prompt: str | None = None
    """What to keep out of the video."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    """How closely to follow the prompt, 0 to 1 (the API's default is 0.5)."""
    static_mask: Annotated[str | None, BeforeValidator(_https)] = None
    """https URL of a mask image for the static brush area (motion brush)."""
    type: Literal["image-to-video"] | None = None
    """The task type; ``image-to-video`` is the only value."""
    external_task_id: str | None = Field(default=None, min_length=1, max_length=128)
    """Your own id for the task (kling_nb sets one to find the task again after a timeout)."""

    key: ClassVar[str] = "aimlapi/kling-2.1-pro"
    display_name: ClassVar[str] = "Kling 2.1 Pro"
    provider: ClassVar[Literal["aimlapi"]] = "aimlapi"
    api: ClassVar[str] = "aimlapi-v2"
    path: ClassVar[str] = "/v2/generate/video/kling/generation"
    wire_model: ClassVar[str] = "kling-video/v2.1/pro/image-to-video"
    seed_page: ClassVar[str] = "002_97e7ea16744b2661.txt"
    usd_per_job: ClassVar[Mapping[int, float]] = {5: 0.61, 10: 1.23}
    input_aliases: ClassVar[Mapping[str, str]] = {"start_frame": "image_url"}
    summary: ClassVar[str] = "Cinematic image-to-video from an image URL or a local image."

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.wire_model}
        if isinstance(self.image_url, ImageFile):
            body["image_url"] = _aiml_image_wire(self.image_url)
        else:
            body["image_url"] = self.image_url
        for name in ("prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
                     "type", "external_task_id"):
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        return body


def _aiml_image_wire(image: ImageFile) -> str:
    if image.data is None:
        from ._errors import UnresolvedImageError

        msg = (f"image_url is the local file {image.label}: submit the spec with a kling_nb "
               "client, which sends it as base64 data.")
        raise UnresolvedImageError(msg)
    import base64

    from ._images import sniff_image_format

    kind = sniff_image_format(image.data) or "png"
    return f"data:image/{kind};base64," + base64.b64encode(image.data).decode("ascii")


# -- Leonardo v2: generations ---------------------------------------------------------------
class _LeonardoV2(Spec):
    """Leonardo v2 generations (``{model, public, parameters: {..., guidances}}``)."""

    provider: ClassVar[Literal["leonardo"]] = "leonardo"
    api: ClassVar[str] = "leonardo-v2"
    path: ClassVar[str] = "/api/rest/v2/generations"
    max_references: ClassVar[int] = 4
    default_size: ClassVar[bool] = True
    wire_names: ClassVar[Mapping[str, str]] = {
        "image_references": "guidances.image_reference",
        "video_reference": "guidances.video_reference_base",
        "start_frame": "guidances.start_frame", "end_frame": "guidances.end_frame",
    }
    _GUIDANCES: ClassVar[dict[str, str]] = {
        "start_frame": "start_frame", "end_frame": "end_frame", "endframe": "end_frame",
        "image_reference": "image_references", "video_reference_base": "video_reference",
    }

    public: bool = False
    """Whether the generation is public on Leonardo (always sent; default private)."""
    prompt: Prompt
    """Text describing the video (at most 1500 characters; required); ``@image1``.. name
    references."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    width: int | None = None
    """Width in pixels; one of the model's sizes."""
    height: int | None = None
    """Height in pixels; one of the model's sizes."""
    mode: Literal["RESOLUTION_1080"] | None = None
    """Resolution mode: RESOLUTION_1080."""
    prompt_enhance: Annotated[bool | None, BeforeValidator(_prompt_enhance)] = None
    """Let Leonardo rewrite the prompt (sent as ``ON``/``OFF``)."""
    quantity: int | None = Field(default=None, ge=1)
    """Number of videos to generate (each one is billed)."""
    seed: int | None = Field(default=None, ge=0)
    """Random seed, for reproducible variations."""
    start_frame: LeonardoImage | None = None
    """The first frame (not with image references)."""
    end_frame: LeonardoImage | None = None
    """The last frame (needs a start frame; not with image references)."""
    image_references: list[Annotated[ImageRef | ImageFile, BeforeValidator(coerce_image)]] = (
        Field(default_factory=list)
    )
    """Reference images for style or content, named ``@image1``, ``@image2``... in the prompt."""
    video_reference: Annotated[VideoRef | None, BeforeValidator(coerce_video)] = None
    """A generated video to edit (3-10 s, 720-2160 px wide); GENERATED ids only."""

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        data = super().normalize_input(data)
        refs = data.get("image_references")
        if refs is not None and not isinstance(refs, (list, tuple)):
            data["image_references"] = [refs]
        video = data.get("video_reference")
        if isinstance(video, list) and len(video) == 1:
            data["video_reference"] = video[0].get("video", video[0]) if isinstance(
                video[0], Mapping) else video[0]
        return data

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        return _default_size(values, (1920, 1080)) if cls.default_size else {}

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        mode = values.get("mode") or "RESOLUTION_1080"
        return (size_problems(cls, values, mode) + frame_problems(values, references=True)
                + cls.reference_rules(values))

    @classmethod
    def reference_rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """Limits on image references (per model)."""
        return reference_problems(values, cls.max_references)

    def to_wire(self) -> dict[str, Any]:
        return {"model": self.wire_model, "public": self.public, "parameters": self._parameters()}

    def _parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.prompt is not None:
            params["prompt"] = self.prompt
        if self.mode is not None:
            params["mode"] = self.mode
        if self.prompt_enhance is not None:
            params["prompt_enhance"] = "ON" if self.prompt_enhance else "OFF"
        for name in ("quantity", "duration", "seed", "width", "height"):
            if getattr(self, name) is not None:
                params[name] = getattr(self, name)
        params.update(self._extra_parameters())
        guidances = self._guidances()
        if guidances:
            params["guidances"] = guidances
        return params

    def _extra_parameters(self) -> dict[str, Any]:
        return {}

    def _guidances(self) -> dict[str, Any]:
        guidances: dict[str, Any] = {}
        for name in ("start_frame", "end_frame"):
            image = getattr(self, name)
            if image is not None:
                guidances[name] = [{"image": _ref_wire(image, name)}]
        if self.image_references:
            guidances["image_reference"] = [
                {"image": _ref_wire(img, "image_references")} for img in self.image_references
            ]
        if self.video_reference is not None:
            guidances["video_reference_base"] = [{"video": self.video_reference.to_wire()}]
        return guidances

    @classmethod
    def is_wire(cls, data: Mapping[str, Any]) -> bool:
        return "parameters" in data

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in body.items() if k != "parameters"}
        params = dict(body.get("parameters") or {})
        guidances = params.pop("guidances", None) or {}
        data.update({cls._PARAM_NAMES.get(str(k), str(k)): v for k, v in params.items()})
        for wire_name, value in guidances.items():
            name = cls._GUIDANCES.get(wire_name, f"guidances.{wire_name}")
            data[name] = _unwrap_guidance(value)
        return data

    _PARAM_NAMES: ClassVar[dict[str, str]] = {}


def _unwrap_guidance(value: Any) -> Any:
    """``[{"image": {...}}]`` -> the inner references (left alone when not that shape)."""
    if not isinstance(value, list):
        return value
    return [item.get("image", item.get("video", item)) if isinstance(item, Mapping) else item
            for item in value]


class KlingO1(_LeonardoV2):
    """Kling O1 on Leonardo (v2), including video editing with a video reference."""

    model: Literal["leonardo/kling-o1"] = "leonardo/kling-o1"
    """The model row: Kling O1 on Leonardo (wire value ``kling-video-o-1``)."""

    key: ClassVar[str] = "leonardo/kling-o1"
    display_name: ClassVar[str] = "Kling O1"
    wire_model: ClassVar[str] = "kling-video-o-1"
    seed_page: ClassVar[str] = "003_74acdf954691fb6f.txt"
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {"RESOLUTION_1080": SIZES_1080}
    usd_per_job: ClassVar[Mapping[int, float]] = {5: 0.76, 10: 1.51}
    summary: ClassVar[str] = "Frames, up to 4 reference images, and editing of a generated video."


class Kling30(_LeonardoV2):
    """Kling 3.0 on Leonardo (v2): 3-15 s, 720p or 1080p, optional audio."""

    model: Literal["leonardo/kling-3.0"] = "leonardo/kling-3.0"
    """The model row: Kling 3.0 on Leonardo (wire value ``kling-3.0``)."""
    duration: Annotated[int, BeforeValidator(_int_like), Field(ge=3, le=15, strict=True)] = (
        5  # type: ignore[assignment]  # 3.0 widens the durations
    )
    """Length of the video in whole seconds: 3 to 15."""
    mode: Literal["RESOLUTION_720", "RESOLUTION_1080"] | None = None  # type: ignore[assignment]
    """Quality mode: RESOLUTION_720 (Standard) or RESOLUTION_1080 (Pro, the default); sizes
    depend on it. Left out, a 720p size selects Standard."""
    width: int | None = None
    """Width in pixels; may be left out with height when a start frame sets the size."""
    height: int | None = None
    """Height in pixels; may be left out with width when a start frame sets the size."""
    audio: bool | None = None
    """Generate sound with the video (``motion_has_audio``)."""

    key: ClassVar[str] = "leonardo/kling-3.0"
    display_name: ClassVar[str] = "Kling 3.0"
    wire_model: ClassVar[str] = "kling-3.0"
    seed_page: ClassVar[str] = "004_7f86ff0e8d1fe9e1.txt"
    durations: ClassVar[tuple[int, ...]] = tuple(range(3, 16))
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {
        "RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080,
    }
    usd_per_job: ClassVar[Mapping[int, float]] = {
        d: round(0.57 + (d - 3) * (2.83 - 0.57) / 12, 2) for d in range(3, 16)
    }
    max_references: ClassVar[int] = 7
    default_size: ClassVar[bool] = False
    input_aliases: ClassVar[Mapping[str, str]] = {"motion_has_audio": "audio"}
    wire_names: ClassVar[Mapping[str, str]] = {
        **_LeonardoV2.wire_names, "audio": "motion_has_audio",
    }
    _PARAM_NAMES: ClassVar[dict[str, str]] = {"motion_has_audio": "audio"}
    summary: ClassVar[str] = "3-15 s at 720p or 1080p, with audio and up to 7 reference images."

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """The mode from the size (a 720p size means Standard), then the mode's 16:9 size
        unless a start frame gives the size."""
        derived: dict[str, Any] = {}
        mode = values.get("mode")
        if "mode" in values and mode is None:
            size = (values.get("width"), values.get("height"))
            mode = derived["mode"] = "RESOLUTION_720" if size in SIZES_720 else "RESOLUTION_1080"
        if isinstance(mode, str) and mode in cls.sizes and not values.get("start_frame"):
            derived.update(_default_size(values, cls.sizes[mode][0]))
        return derived

    @classmethod
    def reference_rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        if values.get("video_reference") is not None:
            return reference_problems(values, 4, " with a video reference")
        return reference_problems(values, cls.max_references)

    def _extra_parameters(self) -> dict[str, Any]:
        return {} if self.audio is None else {"motion_has_audio": self.audio}
