"""Helpers for the tests over every sandbox entry: fill a sample's placeholders, apply a
rule's ``breaks``, post a body to its endpoint, read the refusal."""

from __future__ import annotations

import base64
import copy
import re
from typing import Any

import httpx
from clip_helpers import clip_placeholder

from kling_nb.sandbox import Sandbox
from kling_nb.sandbox._entry import Aiml, Entry, LeonardoV1, LeonardoV2

from .helpers import T2V, UNIVERSAL, V1, V2, generated_video, png_bytes

I2V = V1 + "/generations-image-to-video"
_VIDEO = re.compile(r"^<VIDEO_(ID|URL)(?: (\d+) s)?>$")
_PNG = re.compile(r"^<PNG (\d+)x(\d+)>$")
_KINDS = {"INIT": "UPLOADED", "GENERATION": "GENERATED", "VARIATION": "UPLOADED"}


class Filler:
    """Replaces the placeholders of entry samples with real sandbox assets (made once)."""

    def __init__(self, sb: Sandbox, client: httpx.Client) -> None:
        self.sb, self.client = sb, client
        self.videos: dict[int, tuple[str, str]] = {}

    def __call__(self, value: Any, kind: str = "UPLOADED") -> Any:
        if isinstance(value, dict):
            if value.get("id") == "<ID>" or value.get("imageId") == "<ID>":
                found = str(value.get("type") or value.get("imageType") or "UPLOADED")
                kind = _KINDS.get(found, found)
            return {k: self(v, kind) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v, kind) for v in value]
        if value == "<ID>":
            return self.sb.add_image(png_bytes((640, 360)), kind=kind)
        if isinstance(value, str) and _PNG.match(value):
            width, height = map(int, _PNG.match(value).groups())  # type: ignore[union-attr]
            data = base64.b64encode(png_bytes((width, height))).decode()
            return "data:image/png;base64," + data
        clip = clip_placeholder(value)
        if clip is not None:
            return clip
        match = _VIDEO.match(value) if isinstance(value, str) else None
        if match is not None:
            seconds = int(match.group(2) or 5)
            if seconds not in self.videos:
                self.videos[seconds] = generated_video(self.client, seconds)
            return self.videos[seconds][0 if match.group(1) == "ID" else 1]
        return value


def patched(body: dict[str, Any], breaks: dict[str, Any]) -> dict[str, Any]:
    """``body`` with each dotted path of ``breaks`` set (None removes the key)."""
    out = copy.deepcopy(body)
    for path, value in breaks.items():
        *parents, last = path.split(".")
        node = out
        for name in parents:
            node = node.setdefault(name, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return out


def base_sample(entry: Entry, breaks: dict[str, Any]) -> dict[str, Any]:
    """The sample a rule's ``breaks`` change: the first with its model, else the first."""
    model = breaks.get("model")
    return dict(next((s for s in entry.samples if s.get("model") == model), entry.samples[0]))


def url_of(entry: Entry, body: dict[str, Any]) -> str:
    """Where a body of this entry is posted."""
    if isinstance(entry, LeonardoV1):
        return I2V if "imageId" in body or not entry.text_to_video else T2V
    if isinstance(entry, LeonardoV2):
        return V2 + "/generations"
    assert isinstance(entry, Aiml)
    return UNIVERSAL


def job_id(entry: Entry, answer: httpx.Response) -> str:
    """The created job's id from a create answer."""
    data = answer.json()
    if isinstance(entry, LeonardoV1):
        return str(data["motionVideoGenerationJob"]["generationId"])
    if isinstance(entry, LeonardoV2):
        return str(data["generate"]["generationId"])
    return str(data["id"])


def refusal(answer: httpx.Response) -> str:
    """The message and path of a 400, in whichever API's error shape."""
    assert answer.status_code == 400, answer.text
    data = answer.json()
    if isinstance(data, list):  # Leonardo v2
        return f"{data[0]['message']} {data[0]['extensions']}"
    return f"{data.get('error') or data.get('message')} {data.get('path')}"
