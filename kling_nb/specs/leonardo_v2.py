"""The Leonardo v2 family: ``POST /v2/generations`` with ``{model, public, parameters}``."""

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from kling_nb.core.errors import Problem

from .base import Spec
from .refs import ImageFile, ImageRef, VideoRef, coerce_image, coerce_video
from .rules import default_size, frame_problems, reference_problems, size_problems
from .types import Duration, LeonardoImage, Prompt, on_off, ref_wire


class LeonardoV2(Spec):
    """Leonardo v2 generations (``{model, public, parameters: {..., guidances}}``)."""

    provider: ClassVar[Literal["leonardo"]] = "leonardo"
    api: ClassVar[str] = "leonardo-v2"
    path: ClassVar[str] = "/api/rest/v2/generations"
    max_references: ClassVar[int] = 4
    fills_default_size: ClassVar[bool] = True
    """Whether a missing width and height become 1920x1080 (else a start frame may set them)."""
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
                guidances[name] = [{"image": ref_wire(image, name)}]
        if self.image_references:
            guidances["image_reference"] = [
                {"image": ref_wire(img, "image_references")} for img in self.image_references
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
        data.update({cls.param_names.get(str(k), str(k)): v for k, v in params.items()})
        for wire_name, value in guidances.items():
            name = cls.guidance_names.get(wire_name, f"guidances.{wire_name}")
            data[name] = _unwrap_guidance(value)
        return data


def _unwrap_guidance(value: Any) -> Any:
    """``[{"image": {...}}]`` -> the inner references (left alone when not that shape)."""
    if not isinstance(value, list):
        return value
    return [item.get("image", item.get("video", item)) if isinstance(item, Mapping) else item
            for item in value]
