"""The base of every model spec: validation into clear errors, wire requests and curl."""

from __future__ import annotations

import difflib
import json
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from ._docmodel import DocModel
from ._errors import Problem, SpecError

Provider = Literal["leonardo", "aimlapi"]
Size = tuple[int, int]

PROVIDER_URLS: dict[str, str] = {
    "leonardo": "https://cloud.leonardo.ai",
    "aimlapi": "https://api.aimlapi.com",
}
KEY_VARIABLES: dict[str, str] = {"leonardo": "LEONARDO_API_KEY", "aimlapi": "AIMLAPI_API_KEY"}
PROVIDER_NAMES: dict[str, str] = {"leonardo": "Leonardo.AI", "aimlapi": "AI/ML API"}


@dataclass(frozen=True)
class WireRequest:
    """The exact HTTP request a provider expects (the key is never part of it)."""

    method: str
    url: str
    json: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    provider: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy: method, URL and body (for journals and error reports)."""
        return {"method": self.method, "url": self.url, "json": self.json}


class Spec(DocModel):
    """A validated request for one Kling model row; subclasses are the catalogue's rows."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, defer_build=True,
        ser_json_bytes="base64", val_json_bytes="base64",
    )

    key: ClassVar[str]
    """Our model key, e.g. ``leonardo/kling-3.0``."""
    display_name: ClassVar[str]
    provider: ClassVar[Provider]
    api: ClassVar[str]
    path: ClassVar[str]
    wire_model: ClassVar[str]
    wire_model_aliases: ClassVar[tuple[str, ...]] = ()
    status: ClassVar[Literal["active", "retired"]] = "active"
    retired_on: ClassVar[date | None] = None
    successors: ClassVar[tuple[str, ...]] = ()
    seed_page: ClassVar[str]
    durations: ClassVar[tuple[int, ...]] = (5, 10)
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {}
    usd_per_job: ClassVar[Mapping[int, float]] = {}
    wire_names: ClassVar[Mapping[str, str]] = {}
    input_aliases: ClassVar[Mapping[str, str]] = {}
    summary: ClassVar[str] = ""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise spec_error(type(self), exc, data) from None

    # -- validation hooks ----------------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _normalize(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return cls.normalize_input(dict(data))
        return data

    @model_validator(mode="after")
    def _check_rules(self) -> Self:
        values = self.values()
        derived = type(self).derive(values)
        for name, value in derived.items():
            # Derived values (a default size, an inferred mode) are not "set by the user":
            # to_dict() and replace() leave them out, so they follow later changes.
            object.__setattr__(self, name, value)
        problems = type(self).rules({**values, **derived})
        if problems:
            raise PydanticCustomError(
                "spec_rules", "{summary}",
                {"summary": "; ".join(map(str, problems)), "problems": problems},
            )
        return self

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Map friendly alternatives (aliases, ``size="WxH"``) onto the canonical fields."""
        for alias, name in cls.input_aliases.items():
            if alias in data and name not in data:
                data[name] = data.pop(alias)
        if "size" in data and "width" in cls.model_fields:
            width, height = parse_size(data.pop("size"))
            data.setdefault("width", width)
            data.setdefault("height", height)
        data.setdefault("model", cls.key)
        if data["model"] in (*cls.model_names(), cls.key.split("/", 1)[1]):
            data["model"] = cls.key
        return data

    @classmethod
    def derive(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """Values that follow from the others when left out (a default size, a mode)."""
        return {}

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """The cross-field rules, over validated values (keys may be missing when invalid)."""
        return []

    def values(self) -> dict[str, Any]:
        """The field values as a plain mapping (not serialised)."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    # -- wire format ------------------------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        """The JSON body the provider expects."""
        raise NotImplementedError

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        """Friendly fields from a provider's own body (as its docs show it)."""
        raise NotImplementedError

    @classmethod
    def is_wire(cls, data: Mapping[str, Any]) -> bool:
        """Whether ``data`` is the provider's body rather than friendly fields."""
        return False

    @classmethod
    def model_names(cls) -> tuple[str, ...]:
        """Every ``model`` value that selects this row: our key, the wire value, aliases."""
        return (cls.key, cls.wire_model, *cls.wire_model_aliases)

    def to_request(self, base_url: str | None = None) -> WireRequest:
        """The exact method, full URL and JSON body for this request."""
        base = (base_url or PROVIDER_URLS[self.provider]).rstrip("/")
        return WireRequest(
            method="POST", url=base + self.path, json=self.to_wire(),
            headers={"accept": "application/json", "content-type": "application/json"},
            provider=self.provider,
        )

    def to_curl(self, base_url: str | None = None) -> str:
        """A runnable curl command; the key is read from the environment variable."""
        request = self.to_request(base_url)
        body = json.dumps(request.json, indent=2, ensure_ascii=False)
        auth = f'--header "authorization: Bearer ${KEY_VARIABLES[self.provider]}"'
        lines = [
            f"curl --request {request.method}",
            f"     --url {shlex.quote(request.url)}",
            "     --header 'accept: application/json'",
            f"     {auth}",
            "     --header 'content-type: application/json'",
            f"     --data {shlex.quote(body)}",
        ]
        return " \\\n".join(lines)

    # -- friendly helpers --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The friendly fields that were set, JSON-ready; ``parse_spec`` takes it back."""
        data = self.model_dump(mode="json", exclude_unset=True)
        data["model"] = self.key
        return data

    def replace(self, **changes: Any) -> Self:
        """A new, re-validated spec with some fields changed."""
        data = {name: getattr(self, name) for name in self.model_fields_set}
        if "size" in changes:  # a new size replaces the old width and height
            data.pop("width", None)
            data.pop("height", None)
        data.update(changes)
        return type(self)(**data)

    @classmethod
    def allowed_sizes(cls, mode: str | None = None) -> tuple[Size, ...]:
        """The width x height pairs this model accepts (in ``mode`` where modes differ)."""
        if mode is not None and mode in cls.sizes:
            return cls.sizes[mode]
        return tuple(size for sizes in cls.sizes.values() for size in sizes)

    @classmethod
    def estimated_usd(cls, duration: int) -> float | None:
        """The documented (unofficial) price of one job of ``duration`` seconds, if known."""
        return cls.usd_per_job.get(duration)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ._display import mimebundle

        return mimebundle(self, include, exclude)

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={v!s}" for k, v in self.to_dict().items() if k != "model")
        return f"{self.display_name} ({PROVIDER_NAMES[self.provider]}): {shown}"


def parse_size(value: Any) -> Size:
    """``"1920x1080"`` or ``(1920, 1080)`` as a width, height pair."""
    if isinstance(value, str):
        parts = value.lower().replace("×", "x").split("x")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            return int(parts[0]), int(parts[1])
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise SpecError("size", [Problem(("size",), f"{value!r} is not a size like '1920x1080'.")])


def format_size(size: Size) -> str:
    """``(1920, 1080)`` as ``1920x1080``."""
    return f"{size[0]}x{size[1]}"


# -- pydantic errors into Problems ----------------------------------------------------------
def spec_error(cls: type[Spec], exc: ValidationError, raw: Mapping[str, Any]) -> SpecError:
    """One ``SpecError`` naming every bad field of ``raw`` for the spec class ``cls``."""
    problems: list[Problem] = []
    bad_fields: set[str] = set()
    for error in exc.errors():
        if error["type"] == "spec_rules":
            problems.extend(error["ctx"]["problems"])
            continue
        problem = _problem_from_error(cls, error, raw)
        if problem.fields[0] not in bad_fields:
            bad_fields.add(problem.fields[0])
            problems.append(problem)
    if bad_fields:
        problems.extend(p for p in _partial_rules(cls, raw, bad_fields) if p not in problems)
    return SpecError(cls.display_name + f" [{cls.key}]", _label_wire(cls, problems))


_ERROR_TEXT: dict[str, Callable[[Mapping[str, Any], Any], tuple[str, str | None]]] = {
    "missing": lambda ctx, given: ("is required but missing.", None),
    "literal_error": lambda ctx, given: (f"{given!r} is not allowed.", ctx.get("expected")),
    "string_too_long": lambda ctx, given: (
        f"is {len(given)} characters long, too long.", f"at most {ctx['max_length']} characters"
    ),
    "greater_than_equal": lambda ctx, given: (f"{given!r} is too small.", f">= {ctx['ge']}"),
    "less_than_equal": lambda ctx, given: (f"{given!r} is too large.", f"<= {ctx['le']}"),
    "greater_than": lambda ctx, given: (f"{given!r} is too small.", f"> {ctx['gt']}"),
}
# pydantic's type errors, in plain words: (what is wrong, what is allowed when nothing better)
_TYPE_TEXT: dict[str, tuple[str, str]] = {
    "int": ("is not a whole number", "a whole number"),
    "float": ("is not a number", "a number"),
    "bool": ("is not true or false", "True or False"),
    "string": ("is not text", "text"),
    "list": ("is not a list", "a list"),
    "dict": ("is not a reference", "an id or a reference object"),
    "model": ("is not a reference", "an id or a reference object"),
    "is_instance": ("is not a reference", "an id or a reference object"),
}
_FIELD_ALLOWED: dict[str, str] = {
    "start_frame": "an asset id, kn.uploaded(...)/kn.generated(...), a local image path, bytes, "
                   "a PIL image or an https URL",
    "video_reference": "the id of a video generated earlier (GENERATED), e.g. "
                       "result.as_video_reference()",
}
_FIELD_ALLOWED["end_frame"] = _FIELD_ALLOWED["image_references"] = _FIELD_ALLOWED["start_frame"]


def _type_problem(cls: type[Spec], name: str, kind: str, given: Any) -> tuple[str, str] | None:
    family = next((f for f in _TYPE_TEXT if kind.startswith(f + "_")), None)
    if family is None:
        return None
    what, allowed = _TYPE_TEXT[family]
    if name == "duration":
        allowed = _durations_text(cls.durations)
    return f"{_short(given)} {what}.", _FIELD_ALLOWED.get(name, allowed)


def _durations_text(durations: tuple[int, ...]) -> str:
    if len(durations) > 2 and durations == tuple(range(durations[0], durations[-1] + 1)):
        return f"whole seconds from {durations[0]} to {durations[-1]}"
    return " or ".join(str(d) for d in durations) + " seconds"


def _problem_from_error(
    cls: type[Spec], error: Mapping[str, Any], raw: Mapping[str, Any]
) -> Problem:
    loc = tuple(str(part) for part in error["loc"])
    name = loc[0] if loc else "request"
    given, ctx = error.get("input"), error.get("ctx") or {}
    if len(loc) > 1 and name in raw:
        given = raw[name]
    if error["type"] == "extra_forbidden":
        return _unknown_field(cls, name, given)
    render = _ERROR_TEXT.get(error["type"])
    typed = _type_problem(cls, name, error["type"], given)
    if render is not None:
        message, allowed = render(ctx, given)
    elif typed is not None:
        message, allowed = typed
    else:
        message, allowed = error["msg"].rstrip(".") + ".", ctx.get("allowed")
        if "url" in error and given is not None:  # pydantic's own wording omits the value
            message = f"{message} (given: {_short(given)})"
    return Problem((name,), message, given=given, allowed=allowed)


def _unknown_field(cls: type[Spec], name: str, given: Any) -> Problem:
    known = [n for n in cls.model_fields if n != "model"]
    close = difflib.get_close_matches(name, [*known, *cls.input_aliases], n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return Problem(
        (name,), f"unknown field (given: {_short(given)}); the API rejects unknown keys.{hint}",
        given=given, allowed=", ".join(known),
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _field_adapter(cls: type[Spec], name: str) -> TypeAdapter[Any]:
    info = cls.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]
    return TypeAdapter(annotated)


def _partial_rules(cls: type[Spec], raw: Mapping[str, Any], bad: set[str]) -> list[Problem]:
    """Cross-field rules over the fields that were valid, so every problem shows at once."""
    try:
        data = cls.normalize_input(dict(raw))
    except SpecError:
        return []
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if name in bad:
            continue
        try:
            given = data[name] if name in data else info.get_default(call_default_factory=True)
            values[name] = _field_adapter(cls, name).validate_python(given)
        except (ValidationError, SpecError):
            continue
    values.update(cls.derive(values))
    return [p for p in cls.rules(values) if not bad.intersection(p.fields)]


def _label_wire(cls: type[Spec], problems: list[Problem]) -> list[Problem]:
    labelled = []
    for problem in problems:
        wire = tuple(cls.wire_names.get(f, f) for f in problem.fields)
        labelled.append(
            problem if wire == problem.fields else Problem(
                problem.fields, problem.message, problem.given, problem.allowed, wire
            )
        )
    return labelled
