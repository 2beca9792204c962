"""The Leonardo v1 family: ``POST /generations-image-to-video`` and, without a start frame,
``POST /generations-text-to-video`` (camelCase bodies)."""

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from .base import Spec
from .inferred import Rule
from .rules import END_NEEDS_START, SIZES, default_size
from .types import Duration, LeonardoImage, Prompt, ref_wire


class LeonardoV1(Spec):
    """Leonardo v1 image-to-video (camelCase body)."""

    provider: ClassVar[Literal["leonardo"]] = "leonardo"
    api: ClassVar[str] = "leonardo-v1"
    path: ClassVar[str] = "/api/rest/v1/generations-image-to-video"
    text_path: ClassVar[str | None] = None
    """Where a request without a start frame goes (None: the row needs a start frame)."""
    checks: ClassVar[tuple[Rule, ...]] = (SIZES, END_NEEDS_START)
    wire_names: ClassVar[Mapping[str, str]] = {
        "start_frame": "imageId/imageType", "end_frame": "endFrameImage", "public": "isPublic",
    }
    wire_keys: ClassVar[frozenset[str]] = frozenset(
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
        return default_size(values, (1920, 1080))

    @property
    def endpoint(self) -> str:
        """The path this request goes to: image-to-video, or text-to-video without an image."""
        if self.start_frame is None and self.text_path is not None:
            return self.text_path
        return self.path

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.prompt is not None:
            body["prompt"] = self.prompt
        if self.start_frame is not None:
            ref = ref_wire(self.start_frame, "start_frame")
            body["imageId"], body["imageType"] = ref["id"], ref["type"]
        if self.end_frame is not None:
            body["endFrameImage"] = ref_wire(self.end_frame, "end_frame")
        body.update(resolution=self.resolution, duration=self.duration,
                    height=self.height, width=self.width, model=self.wire_model)
        if self.public is not None:
            body["isPublic"] = self.public
        return body

    @classmethod
    def is_wire(cls, data: Mapping[str, Any]) -> bool:
        return bool(cls.wire_keys.intersection(data))

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


