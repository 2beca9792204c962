"""Copy as code: a spec as the Python that rebuilds it (the studio's code view)."""

from __future__ import annotations

import pprint
from typing import Any

from kling_nb.specs.base import Spec
from kling_nb.specs.refs import ImageFile, ImageRef, VideoRef
from kling_nb.specs.unchecked import UncheckedSpec
from kling_nb.specs.views import spec_fields


def _code_value(value: Any, uploads: list[str]) -> str:
    if isinstance(value, ImageRef):
        helper = "uploaded" if value.type == "UPLOADED" else "generated"
        return f"kn.{helper}({value.id!r})"
    if isinstance(value, VideoRef):
        return f"kn.VideoRef(id={value.id!r})"
    if isinstance(value, ImageFile):
        if value.url is not None:
            return repr(value.url)
        if value.path is not None:
            return f"kn.ImageFile(path={str(value.path)!r})"
        name = f"image_{len(uploads) + 1}"
        uploads.append(f"{name} = open('my_image.png', 'rb').read()  # the {value.label} "
                       "you uploaded in the form")
        return name
    if isinstance(value, list):
        return "[" + ", ".join(_code_value(v, uploads) for v in value) + "]"
    return repr(value)


def spec_code(spec: Spec) -> str:
    """The spec as Python that rebuilds it (``import kling_nb as kn`` first)."""
    if isinstance(spec, UncheckedSpec):
        body = pprint.pformat(spec.body, sort_dicts=False, width=90)
        return (f"import kling_nb as kn\n\nbody = {body}\n# unchecked: sent as given, "
                f"nothing checked but its shape\nspec = kn.parse_spec(body, unchecked=True, "
                f"provider={spec.provider!r}, endpoint={spec.path!r})")
    uploads: list[str] = []
    args = [f"    {name}={_code_value(value, uploads)}," for name, value in spec_fields(spec)]
    lines = ["import kling_nb as kn", "", *uploads]
    if uploads:
        lines.append("")
    lines.append(f"spec = kn.{type(spec).__name__}(")
    lines += args
    lines.append(")")
    return "\n".join(lines)
