"""What the command line says when something is off: warnings as one ``warning:`` line with
command-line advice, the model a typo meant, and flags a row does not take, explained."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from kling_nb.specs.base import format_size
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.inferred import ENV_VARIABLE, PYTHON_ADVICE, inferred_rules
from kling_nb.specs.rules import TIERS

from .models import UsageError

CLI_ADVICE = f"--strict, or {ENV_VARIABLE}=strict, makes such rules errors"
"""How the command line makes inferred rules errors (the warnings' Python advice, replaced)."""


@contextlib.contextmanager
def warning_lines(strict: bool = False) -> Iterator[None]:
    """Every warning as one ``warning: ...`` line on stderr, with the command line's advice
    (not a Python traceback line and ``kn.`` calls); ``strict``: inferred rules reject."""
    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        text = " ".join(str(message).replace(PYTHON_ADVICE, CLI_ADVICE).split())
        print(f"warning: {text}", file=sys.stderr, flush=True)

    with warnings.catch_warnings():
        warnings.showwarning = show
        with inferred_rules("strict") if strict else contextlib.nullcontext():
            yield


def check_shape_flags(fields: dict[str, Any], aspect_flag: bool, size_flag: bool) -> None:
    """``--aspect-ratio`` on a row that takes a size (Leonardo), or ``--size`` on one that
    takes an aspect ratio (AI/ML), explained with the flag to use instead."""
    row = MODELS.find(str(fields.get("model") or ""))
    if row is None:
        return
    names = row.spec.model_fields
    ratio = fields.get("aspect_ratio")
    if aspect_flag and ratio and "aspect_ratio" not in names and "width" in names:
        sizes = _sizes_of_ratio(row.spec, str(ratio))
        use = " or ".join(f"--size {text}" for text in sizes) if sizes else (
            "--size WIDTHxHEIGHT (kling-nb models " + row.key + " lists them)")
        msg = (f"--aspect-ratio {ratio}: {row.name} on {row.provider_name} takes a size, not an "
               f"aspect ratio: use {use}")
        raise UsageError(msg)
    if size_flag and "size" in fields and "width" not in names:
        ratios = ", ".join(row.aspect_ratios)
        use = f"--aspect-ratio ({ratios})" if ratios else "no size at all: it follows the input"
        msg = (f"--size {fields['size']}: {row.name} on {row.provider_name} takes no size: "
               f"use {use}")
        raise UsageError(msg)


def check_input_flags(fields: dict[str, Any]) -> None:
    """``--image`` or ``--effect`` on a row that takes no such input, explained with the flag
    (or the model) to use instead."""
    row = MODELS.find(str(fields.get("model") or ""))
    if row is None:
        return
    spec = row.spec
    takes = set(spec.model_fields) | set(spec.input_aliases)
    if "images" in fields and "images" not in takes:
        instead = ("--start-frame IMAGE (one image)" if "start_frame" in takes
                   or "image_url" in takes else "no image at all")
        several = ", ".join(k for k, r in MODELS.items() if "images" in r.spec.input_aliases)
        msg = (f"--image: {row.name} on {row.provider_name} takes {instead}; the models made "
               f"from several images are {several}")
        raise UsageError(msg)
    if "effect_scene" in fields and "effect_scene" not in takes:
        effects = ", ".join(k for k, r in MODELS.items() if "effect_scene" in r.spec.model_fields)
        msg = f"--effect: {row.name} on {row.provider_name} has no effects; use {effects}"
        raise UsageError(msg)


def _sizes_of_ratio(spec: Any, ratio: str) -> list[str]:
    """The row's sizes of ``ratio`` (``9:16``), each with its tier: ``720x1280 (720p, ...)``."""
    wide, _, high = ratio.partition(":")
    if not (wide.isdigit() and high.isdigit()):
        return []
    found = []
    for mode, sizes in spec.sizes.items():
        for width, height in sizes:
            if width and width * int(high) == height * int(wide):
                tier = TIERS.get(mode)
                size = format_size((width, height))
                found.append(f"{size} ({tier})" if tier and len(spec.sizes) > 1 else size)
    return found
