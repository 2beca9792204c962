"""Rules several rows share: sizes per mode, frames and references, default sizes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import Problem

if TYPE_CHECKING:
    from .base import Size, Spec

_IMAGE_TAG = re.compile(r"@image(\d+)\b", re.IGNORECASE)


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
    names = ", ".join(f"{w}x{h}" for w, h in allowed)
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


def default_size(values: Mapping[str, Any], size: Size) -> dict[str, Any]:
    """``size`` when width and height were both left out (and both are known to be valid)."""
    if "width" in values and "height" in values and values["width"] is None and (
            values["height"] is None):
        return {"width": size[0], "height": size[1]}
    return {}
