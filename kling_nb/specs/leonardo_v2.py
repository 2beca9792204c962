"""The Leonardo v2 family: ``POST /v2/generations`` with ``{model, public, parameters}``.

``LeonardoV2`` holds what every v2 row takes (prompt, duration, size, ``public``) and writes
the body from whichever optional fields a row declares; ``LeonardoV2Guided`` adds the full set
of guidances, modes and extras of Kling O1, 3.0 and O3.
"""

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from .base import Spec
from .inferred import Rule
from .refs import ImageFile, ImageRef, VideoRef, coerce_image, coerce_video
from .rules import (
    END_NEEDS_START,
    IMAGE_TAGS,
    REFERENCE_COUNT,
    REFERENCES_EXCLUDE_FRAMES,
    SIZES,
    default_size,
)
from .types import (
    SIZES_720,
    SIZES_1080,
    Duration,
    LeonardoImage,
    Prompt,
    int_like,
    on_off,
    ref_wire,
)

_PLAIN_PARAMETERS = ("quantity", "duration", "seed", "width", "height")


class LeonardoV2(Spec):
    """Leonardo v2 generations (``{model, public, parameters: {..., guidances}}``)."""

    provider: ClassVar[Literal["leonardo"]] = "leonardo"
    api: ClassVar[str] = "leonardo-v2"
    path: ClassVar[str] = "/api/rest/v2/generations"
    fills_default_size: ClassVar[bool] = True
    """Whether a missing width and height become 1920x1080 (else a start frame may set them)."""
    checks: ClassVar[tuple[Rule, ...]] = (SIZES,)
    wire_names: ClassVar[Mapping[str, str]] = {
        "image_references": "guidances.image_reference",
        "video_reference": "guidances.video_reference_base",
        "start_frame": "guidances.start_frame", "end_frame": "guidances.end_frame",
    }
    param_names: ClassVar[Mapping[str, str]] = {}
    """Wire parameter names that differ from the friendly fields (wire -> field)."""
    guidance_names: ClassVar[Mapping[str, str]] = {
        "start_frame": "start_frame", "end_frame": "end_frame", "endframe": "end_frame",
        "image_reference": "image_references", "video_reference_base": "video_reference",
    }

    public: bool = False
    """Whether the generation is public on Leonardo (always sent; default private)."""
    prompt: Prompt
    """Text describing the video (at most 1500 characters; required)."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""
    width: int | None = None
    """Width in pixels; one of the model's sizes."""
    height: int | None = None
    """Height in pixels; one of the model's sizes."""

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
        return default_size(values, (1920, 1080)) if cls.fills_default_size else {}

    @classmethod
    def size_mode(cls, values: Mapping[str, Any]) -> str | None:
        if not cls.mode_is_field:
            return None
        return values.get("mode") or "RESOLUTION_1080"

    def to_wire(self) -> dict[str, Any]:
        return {"model": self.wire_model, "public": self.public, "parameters": self._parameters()}

    def _parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {"prompt": self.prompt}
        mode = getattr(self, "mode", None)
        if mode is not None and self.mode_is_field:
            params["mode"] = mode
        enhance = getattr(self, "prompt_enhance", None)
        if enhance is not None:
            params["prompt_enhance"] = "ON" if enhance else "OFF"
        for name in _PLAIN_PARAMETERS:
            if getattr(self, name, None) is not None:
                params[name] = getattr(self, name)
        audio = getattr(self, "audio", None)
        audio = self.audio_default if audio is None else audio
        if audio is not None:
            params["motion_has_audio"] = audio
        guidances = self._guidances()
        if guidances:
            params["guidances"] = guidances
        return params

    def _guidances(self) -> dict[str, Any]:
        guidances: dict[str, Any] = {}
        for name in ("start_frame", "end_frame"):
            image = getattr(self, name, None)
            if image is not None:
                guidances[name] = [{"image": ref_wire(image, name)}]
        references = getattr(self, "image_references", None)
        if references:
            guidances["image_reference"] = [
                {"image": ref_wire(img, "image_references")} for img in references
            ]
        video = getattr(self, "video_reference", None)
        if video is not None:
            guidances["video_reference_base"] = [{"video": video.to_wire()}]
        return guidances

    @classmethod
    def is_wire(cls, data: Mapping[str, Any]) -> bool:
        return "parameters" in data

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in body.items() if k != "parameters"}
        params = dict(body.get("parameters") or {})
        guidances = params.pop("guidances", None) or {}
        names = {"motion_has_audio": "audio", **cls.param_names}
        data.update({names.get(str(k), str(k)): v for k, v in params.items()})
        for wire_name, value in guidances.items():
            name = cls.guidance_names.get(wire_name, f"guidances.{wire_name}")
            data[name] = _unwrap_guidance(value)
        return data


class LeonardoV2Guided(LeonardoV2):
    """The v2 rows with every guidance: frames, image references, a video to edit, modes."""

    max_references = 4
    mode_is_field = True
    checks: ClassVar[tuple[Rule, ...]] = (
        SIZES, END_NEEDS_START, REFERENCES_EXCLUDE_FRAMES, REFERENCE_COUNT, IMAGE_TAGS)

    prompt: Prompt
    """Text describing the video (at most 1500 characters; required); ``@image1``.. name
    references."""
    mode: Literal["RESOLUTION_1080"] | None = None
    """Resolution mode: RESOLUTION_1080."""
    prompt_enhance: Annotated[bool | None, BeforeValidator(on_off)] = None
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


Seconds3to15 = Annotated[int, BeforeValidator(int_like), Field(ge=3, le=15, strict=True)]


class Kling3Family(LeonardoV2Guided):
    """Kling 3.0 and O3: 3-15 s, 720p (Standard) or 1080p (Pro), optional audio."""

    duration: Seconds3to15 = 5  # type: ignore[assignment]  # these rows widen the durations
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

    durations = tuple(range(3, 16))
    sizes: ClassVar[Mapping[str, tuple[tuple[int, int], ...]]] = {
        "RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}
    max_references = 7
    max_references_with_video = 4
    fills_default_size = False
    sound = "optional"
    input_aliases: ClassVar[Mapping[str, str]] = {"motion_has_audio": "audio"}
    wire_names: ClassVar[Mapping[str, str]] = {
        **LeonardoV2.wire_names, "audio": "motion_has_audio"}

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
            derived.update(default_size(values, cls.sizes[mode][0]))
        return derived


def _unwrap_guidance(value: Any) -> Any:
    """``[{"image": {...}}]`` -> the inner references (left alone when not that shape)."""
    if not isinstance(value, list):
        return value
    return [item.get("image", item.get("video", item)) if isinstance(item, Mapping) else item
            for item in value]
