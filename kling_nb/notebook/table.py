"""Which widget a spec field gets, from two small tables and the spec's JSON schema.

``build_field`` picks a widget per field from ``NAMED`` (a few field names with a special
widget: the prompt, the duration, the size picker) and the schema type (enum -> Dropdown,
boolean -> Checkbox or a three-way toggle, image -> ImageInput, ...), much like ipywidgets'
``interaction.py``; ``SHOW_IF`` mirrors the validators (the end frame only once a start frame
is set; image references and frames exclude each other).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from kling_nb.specs.base import Spec
from kling_nb.specs.docmodel import described

from .clips import ClipField
from .fields import (
    UNSET,
    BoolField,
    ChoiceField,
    DurationField,
    Field,
    NumberField,
    SizeField,
    SliderField,
    TextField,
)
from .images import ImageField, ImageListField, VideoField
from .structured import CameraField, ElementsField, ShotsField


@cache
def schema_of(cls: type[Spec]) -> dict[str, Any]:
    """The spec's JSON schema (cached: building it costs milliseconds)."""
    return cls.model_json_schema()


def _variants(prop: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(prop.get("anyOf") or prop.get("oneOf") or [prop])


def _refs(prop: Mapping[str, Any]) -> set[str]:
    found = set()
    for variant in _variants(prop):
        ref = variant.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
    return found


def _optional(prop: Mapping[str, Any]) -> bool:
    return any(v.get("type") == "null" for v in _variants(prop))


def _main(prop: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first non-null variant of a property."""
    return next((v for v in _variants(prop) if v.get("type") != "null"), prop)


def _choices(prop: Mapping[str, Any]) -> list[Any] | None:
    values: list[Any] = []
    for variant in _variants(prop):
        if "enum" in variant:
            values += list(variant["enum"])
        elif "const" in variant:
            values.append(variant["const"])
    return values or None


FieldFactory = Callable[..., Field]

NAMED: dict[str, str] = {
    "prompt": "prompt", "negative_prompt": "prompt", "duration": "duration",
    "width": "size", "height": "size",
}
"""Field names with a special widget (the rest is chosen by schema type)."""

HIDDEN = frozenset({"model", "wire_id"})
"""Fields never shown: the model row is the form's own, and a form picks the wire model from
its inputs (as a friendly spec does)."""

ADVANCED = frozenset({"public", "prompt_enhance", "quantity", "external_task_id", "type",
                      "resolution", "static_mask", "dynamic_masks", "upstream",
                      "advanced_camera_control"})
"""Fields placed under "Advanced"."""

ORDER = ("effect_scene", "prompt", "multi_prompt", "negative_prompt", "image_url", "image_list",
         "audio_url", "video_url", "start_frame", "end_frame", "image_references",
         "video_reference", "mode", "duration", "width", "audio", "seed", "cfg_scale")
"""The order of the main fields; others follow in the spec's order."""


def _exclusive(spec: type[Spec]) -> bool:
    """Whether the model takes image references only without frames (O1, 3.0, O3; not 4.0)."""
    return any(rule.name == "references-exclude-frames" for rule in spec.checks)


SHOW_IF: tuple[tuple[str, Callable[[Mapping[str, Any], type[Spec]], bool]], ...] = (
    ("start_frame", lambda v, spec: not (_exclusive(spec) and v.get("image_references"))),
    ("end_frame", lambda v, spec: v.get("start_frame", UNSET) is not UNSET),
    ("image_references", lambda v, spec: not _exclusive(spec) or (
        v.get("start_frame", UNSET) is UNSET and v.get("end_frame", UNSET) is UNSET)),
)
"""When a field is offered, in evaluation order, over the values of the fields before it and
the model (mirroring the validators: an end frame needs a start frame; where the model says
so, references exclude frames)."""

LABELS = {"image_url": "image", "image_references": "image references", "cfg_scale": "cfg scale",
          "video_reference": "video to edit", "prompt_enhance": "enhance prompt",
          "external_task_id": "task id", "negative_prompt": "negative prompt",
          "upstream": "provider", "effect_scene": "effect", "image_list": "images",
          "dynamic_masks": "motion brushes", "advanced_camera_control": "camera move",
          "start_frame": "start frame", "end_frame": "end frame", "static_mask": "static mask"}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def build_field(spec: type[Spec], name: str, prop: Mapping[str, Any],
                on_change: Callable[[str], None], *, results: Any = None,
                journal: Any = None, image_options: Mapping[str, Any] | None = None) -> Field:
    """The widget for one field: by name (``NAMED``), else by its schema type.

    ``image_options`` go to every ``ImageInput`` (``limits``, ``debounce``).
    """
    options = dict(image_options or {})
    help_text = str(prop.get("description") or described(spec).model_fields[name].description
                    or "")
    label = _label(name)
    kind = NAMED.get(name)
    main = _main(prop)
    if kind == "prompt":
        limit = main.get("maxLength")
        placeholder = ("describe the scene, subject, motion and camera"
                       if name == "prompt" else "what to keep out of the video")
        return TextField(name, label, help_text, on_change, multiline=True,
                         limit=int(limit) if limit else None, placeholder=placeholder)
    if kind == "duration":
        default = spec.model_fields[name].default
        return DurationField(name, label, help_text, on_change, durations=spec.durations,
                             default=int(default) if isinstance(default, int) else 5)
    if kind == "size":
        return SizeField(spec, "size", "width x height: only the sizes this model takes in the "
                         "chosen mode", on_change)
    refs = _refs(prop) | _refs(prop.get("items") or {}) | _refs(_main(prop).get("items") or {})
    structured = _structured(spec, name, prop, refs, label, help_text, on_change)
    if structured is not None:
        return structured
    if refs & {"AudioFile", "VideoFile"}:
        audio = "AudioFile" in refs
        return ClipField(name, "audio" if audio else "motion video", help_text, on_change,
                         kind="audio" if audio else "video", results=results,
                         journal=journal, debounce=float(options.get("debounce", 0.25)))
    if "VideoRef" in refs:
        return VideoField(name, label, help_text, on_change, results=results, journal=journal)
    if refs & {"ImageRef", "ImageFile"} or name == "image_url":
        sources = ["upload", "url"] + (["asset", "result"] if "ImageRef" in refs else [])
        if main.get("type") == "array" or prop.get("type") == "array" or name == "image_list":
            limit = int(_main(prop).get("maxItems") or spec.max_references or 4)
            return ImageListField(name, label, help_text, on_change, limit=limit,
                                  results=results, journal=journal,
                                  options={**options, "sources": sources})
        return ImageField(name, label, help_text, on_change, sources=sources, results=results,
                          journal=journal, options=options)
    choices = _choices(prop)
    default = prop.get("default")
    if choices is not None:
        return ChoiceField(name, label, help_text, on_change, choices=choices,
                           optional=_optional(prop), default=default)
    kind_of = main.get("type")
    if kind_of == "boolean":
        return BoolField(name, label, help_text, on_change, optional=_optional(prop),
                         default=default)
    if kind_of == "number" and "minimum" in main and "maximum" in main:
        low, high = float(main["minimum"]), float(main["maximum"])
        return SliderField(name, label, help_text, on_change, low=low, high=high,
                           start=(low + high) / 2)
    if kind_of in ("integer", "number"):
        bound = f">= {main['minimum']}" if "minimum" in main else ""
        placeholder = "API default" + (f" ({bound})" if bound else "")
        if name == "seed":
            placeholder = "random"
        return NumberField(name, label, help_text, on_change, integer=kind_of == "integer",
                           placeholder=placeholder)
    return TextField(name, label, help_text, on_change, placeholder="")


def _structured(spec: type[Spec], name: str, prop: Mapping[str, Any], refs: set[str],
                label: str, help_text: str, on_change: Callable[[str], None]) -> Field | None:
    """The storyboard, elements and camera editors (None for any other field)."""
    limit = int(_main(prop).get("maxItems") or 6)
    if name == "multi_prompt":
        return ShotsField(name, "storyboard", help_text, on_change, limit=limit,
                          timed="Shot" in refs)
    if "Element" in refs:
        return ElementsField(name, label, help_text, on_change, limit=limit)
    if "CameraControl" in refs:
        camera = schema_of(spec).get("$defs", {}).get("CameraControl", {})
        kinds = _choices(camera.get("properties", {}).get("type", {})) or []
        return CameraField(name, "camera", help_text, on_change, types=kinds)
    return None
