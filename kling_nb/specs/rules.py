"""Rules several rows share, as data: each a ``Rule`` with its provenance and breaking inputs.

A row lists the rules it checks in ``checks``; a rule reads the row's own tables (sizes per
mode, reference limits) so one rule serves every row, and so do its examples (inputs that break
it, on top of the row's ``example``). Inferred rules say why in ``inferred``; a documented
rule's source is the row's page (``Spec.documented_in``) unless it names its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import Problem

from .inferred import Rule

if TYPE_CHECKING:
    from .base import Size, Spec

_IMAGE_TAG = re.compile(r"@image(\d+)\b", re.IGNORECASE)

# Inputs for the rules' examples: asset ids no account holds (the rules break before any use).
# Plain dicts, as a user may write them: building reference models here would cost every
# first use of a spec class the time to build their validators.
FRAME: dict[str, Any] = {"id": "00000000-0000-4000-8000-000000000001", "type": "GENERATED"}
SOURCE: dict[str, Any] = {"id": "00000000-0000-4000-8000-000000000099", "type": "GENERATED"}
"""A generated video to edit (add ``seconds``, ``width``, ``height`` where they matter)."""
URL = "https://example.com/frame.png"
VIDEO_URL = "https://example.com/source.mp4"


def references(count: int) -> list[dict[str, Any]]:
    """``count`` distinct generated image references (for rule examples)."""
    return [{"id": f"00000000-0000-4000-8000-{index + 10:012d}", "type": "GENERATED"}
            for index in range(count)]


def size_problems(spec: type[Spec], v: Mapping[str, Any], mode: str | None) -> list[Problem]:
    """Width and height given together, and a pair the model accepts (in ``mode``)."""
    from .base import size_label

    width, height = v.get("width"), v.get("height")
    if "width" not in v or "height" not in v or (width is None and height is None):
        return []
    if width is None or height is None:
        missing = "height" if height is None else "width"
        return [Problem(("width", "height"), f"give both width and height, or neither "
                        f"({missing} is missing).")]
    size = (width, height)
    if size in spec.allowed_sizes(mode):
        return []
    given = size_label(size)
    other = _other_mode(spec, size, mode)
    if other is not None:  # a size of another mode than the one chosen
        return [Problem(
            ("width", "height"),
            f"{given} is not a size {spec.display_name} accepts in mode {mode}. It is a "
            f"{other} size: set mode='{other}'.",
            given=given, allowed=", ".join(map(size_label, spec.allowed_sizes(mode))),
        )]
    return [Problem(("width", "height"), f"{given} is not a size {spec.display_name} accepts.",
                    given=given, allowed=sizes_text(spec))]


TIERS = {"RESOLUTION_720": "720p, Standard", "RESOLUTION_1080": "1080p, Pro"}
"""The quality tier each of Leonardo's resolution modes stands for."""


def sizes_text(spec: type[Spec]) -> str:
    """Every size a row takes, with the tier each implies where there is more than one:
    ``1280x720, ... (720p, Standard, mode RESOLUTION_720); 1920x1080, ... (1080p, Pro, ...)``."""
    from .base import size_label

    if len(spec.sizes) < 2:
        return ", ".join(map(size_label, spec.allowed_sizes()))
    parts = []
    for mode, sizes in spec.sizes.items():
        names = ", ".join(map(size_label, sizes))
        tier = TIERS.get(mode)
        how = f", mode {mode}" if spec.mode_is_field else ""
        parts.append(f"{names} ({tier}{how})" if tier else names)
    return "; ".join(parts)


def _other_mode(spec: type[Spec], size: Size, mode: str | None) -> str | None:
    if not spec.mode_is_field:
        return None
    return next((other for other, sizes in spec.sizes.items()
                 if other != mode and size in sizes), None)


SIZES = Rule("sizes", "width x height is one of the model's sizes (in the chosen mode)",
             lambda spec, v: size_problems(spec, v, spec.size_mode(v)),
             examples=({"size": "1000x1000"},))


def _end_needs_start(start: str, end: str) -> Rule:
    def check(spec: type[Spec], v: Mapping[str, Any]) -> list[Problem]:
        if v.get(end) is not None and start in v and v.get(start) is None:
            return [Problem((end,), "an end frame needs a start frame.",
                            allowed=f"set {start} too, or remove {end}")]
        return []

    return Rule("end-frame-needs-start-frame", f"{end} only together with {start}", check,
                examples=({start: None, end: URL if start == "image_url" else FRAME},))


END_NEEDS_START = _end_needs_start("start_frame", "end_frame")
TAIL_NEEDS_IMAGE = _end_needs_start("image_url", "tail_image_url")


def _references_exclude_frames(spec: type[Spec], v: Mapping[str, Any]) -> list[Problem]:
    refs = v.get("image_references") or []
    if refs and (v.get("start_frame") is not None or v.get("end_frame") is not None):
        return [Problem(
            ("image_references",),
            "image references cannot be combined with a start or end frame.",
            given=f"{len(refs)} image reference(s)",
            allowed="either image_references, or start_frame/end_frame",
        )]
    return []


REFERENCES_EXCLUDE_FRAMES = Rule(
    "references-exclude-frames", "image_reference only when no start_frame or end_frame",
    _references_exclude_frames,
    examples=({"start_frame": FRAME, "image_references": references(1)},))


def _reference_count(spec: type[Spec], v: Mapping[str, Any]) -> list[Problem]:
    refs = v.get("image_references")
    with_video = v.get("video_reference") is not None and spec.max_references_with_video
    limit = spec.max_references_with_video if with_video else spec.max_references
    if refs is not None and limit is not None and len(refs) > limit:
        why = " with a video reference" if with_video else ""
        return [Problem(("image_references",), f"{len(refs)} images is too many{why}.",
                        given=len(refs), allowed=f"at most {limit}")]
    return []


REFERENCE_COUNT = Rule(
    "reference-count", "at most the model's number of image references (fewer together with a "
    "video reference)", _reference_count, examples=(
        lambda spec: {"image_references": references(spec.max_references + 1)},
        lambda spec: {"video_reference": SOURCE, "image_references": references(
            spec.max_references_with_video + 1)} if spec.max_references_with_video else None))


def _image_tags(spec: type[Spec], v: Mapping[str, Any]) -> list[Problem]:
    prompt, refs = v.get("prompt"), v.get("image_references")
    if not prompt or refs is None:
        return []
    count = len(refs)
    return [Problem(
        ("prompt",),
        f"@image{tag} points past the image references (there "
        f"{'is' if count == 1 else 'are'} {count}).",
        given=f"@image{tag}", allowed=f"@image1 to @image{count}" if count else "no @image tags",
    ) for tag in sorted({int(n) for n in _IMAGE_TAG.findall(prompt)}) if not 1 <= tag <= count]


IMAGE_TAGS = Rule(
    "image-tags", "@imageN in the prompt names one of the image references (the pages address "
    "references as @image1, @image2... in order)", _image_tags,
    source='Leonardo guide "Kling O1" (seed page 003_74acdf954691fb6f.txt): its sample prompt '
           '"add @image1 to the background" names the first image_reference',
    examples=({"prompt": "@image3 waves", "image_references": references(2)},))
IMAGE_TAGS_INFERRED = Rule(
    "image-tags", IMAGE_TAGS.text, _image_tags,
    inferred="the Kling O3 pages never show @image tags; the O1 and 3.0 addressing is assumed",
    examples=IMAGE_TAGS.examples)


def required(field: str, what: str, allowed: str) -> Rule:
    """A rule that ``field`` is given (for fields that are optional in the family)."""
    def check(spec: type[Spec], v: Mapping[str, Any]) -> list[Problem]:
        if field in v and v[field] in (None, [], ""):
            return [Problem((field,), f"{spec.display_name} needs {what}.", allowed=allowed)]
        return []

    return Rule(f"{field}-required", f"{field} is required", check, examples=({field: None},))


def default_size(values: Mapping[str, Any], size: Size) -> dict[str, Any]:
    """``size`` when width and height were both left out (and both are known to be valid)."""
    if "width" in values and "height" in values and values["width"] is None and (
            values["height"] is None):
        return {"width": size[0], "height": size[1]}
    return {}
