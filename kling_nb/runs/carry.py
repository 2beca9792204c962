"""A draft's request on another model row: the same prompt, seed and frames where the target
row takes them, the target's own settings on top, and what had to be dropped (and why)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kling_nb.core.errors import SpecError
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS

Target = Spec | type[Spec] | str | Mapping[str, Any]
"""The row a final is made on: a spec class, a model key, a mapping of friendly fields with
its ``model`` (``{"model": "leonardo/kling-3.0", "mode": "RESOLUTION_1080"}``), or a spec
whose settings (all but the content below) the finals take."""
CONTENT = frozenset({
    "prompt", "negative_prompt", "multi_prompt", "seed", "start_frame", "end_frame",
    "image_references", "image_url", "tail_image_url", "last_image_url", "image_list",
    "elements", "video_reference", "video_url"})
"""What a final always takes from its draft (where its row has the field): the content."""


def target_of(target: Target) -> tuple[type[Spec], dict[str, Any]]:
    """The target row's spec class and the settings every final gets."""
    if isinstance(target, Spec):
        return type(target), {k: v for k, v in target.to_dict().items()
                              if k != "model" and k not in CONTENT}
    if isinstance(target, type) and issubclass(target, Spec):
        return target, {}
    if isinstance(target, str):
        return _row(target), {}
    if isinstance(target, Mapping) and isinstance(target.get("model"), str):
        return _row(target["model"]), {k: v for k, v in target.items() if k != "model"}
    msg = (f"to: {target!r} is not a model row: give a spec class (kn.Kling30), a model key, "
           "a mapping with a 'model', or a spec")
    raise TypeError(msg)


def _row(model: str) -> type[Spec]:
    info = MODELS.find(model)
    if info is None:
        msg = f"to: {model!r} is not a model key; choose one of {', '.join(MODELS)}"
        raise ValueError(msg)
    return info.spec


def carry(draft: Spec, row: type[Spec], settings: Mapping[str, Any]) -> tuple[Spec, list[str]]:
    """The final spec for ``draft`` on ``row`` with ``settings``, and what was dropped.

    Everything the draft set is carried unless the target's settings replace it; a field the
    row does not have, or a value it refuses, is dropped (and said), and the row's default
    applies. A problem with the target's own settings is raised: that is your input.
    """
    data = {k: v for k, v in draft.to_dict().items() if k != "model" and k not in settings}
    if "width" in data and "height" in data and ("size" in settings or "width" in settings):
        data.pop("width")
        data.pop("height")
    dropped = [f"{name} ({row.display_name} takes no {name})" for name in list(data)
               if name not in row.model_fields and not _alias(row, name)]
    for note in dropped:
        data.pop(note.split(" ", 1)[0])
    for _ in range(len(data) + 1):
        try:
            return row(**{**data, **settings}), dropped
        except SpecError as exc:
            culprits = list(dict.fromkeys(name for name in _fields(exc) if name in data))
            if not culprits:
                raise
            reason = "; ".join(p.sentence.split(". ")[0].rstrip(".") for p in exc.problems)
            if "width" in culprits and "height" in culprits:
                culprits.remove("height")
                data["width"] = f"{data['width']}x{data.pop('height')}"
            for name in culprits:
                shown = "size" if name == "width" and isinstance(data[name], str) else name
                dropped.append(f"{shown}={_short(data.pop(name))} ({reason})")
    raise AssertionError  # pragma: no cover - each round drops a field or returns or raises


def _alias(row: type[Spec], name: str) -> bool:
    return name in row.input_aliases or (name == "size" and "width" in row.model_fields)


def _fields(error: SpecError) -> list[str]:
    names: list[str] = []
    for problem in error.problems:
        for field in problem.fields:
            names += ["width", "height", "size"] if field in ("width", "height", "size") \
                else [field]
    return names


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
