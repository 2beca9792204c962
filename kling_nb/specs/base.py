"""The base of every model spec: validation into clear errors, wire requests and curl.

A model row is a subclass that states its facts as class variables (wire name, endpoint,
durations, sizes per mode, price rule...) and, where it has any, its own rules; everything else
(the form, the catalogue, ``to_curl``, the CLI's choices, cost estimates) follows from them.
"""

import contextlib
import json
import operator
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from kling_nb.core.errors import Problem, SpecError
from kling_nb.core.html import Renders

from .docmodel import DocModel
from .inferred import Rule, split, warn_once
from .problems import spec_error
from .providers import KEY_VARIABLES, PROVIDER_NAMES, PROVIDER_URLS, Provider, WireRequest

Size = tuple[int, int]


class Spec(Renders, DocModel):
    """A validated request for one Kling model row; subclasses are the catalogue's rows."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, defer_build=True,
        ser_json_bytes="base64", val_json_bytes="base64",
        json_schema_extra=lambda schema, cls: _schema_rules(schema, cls),
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
    seed_page: ClassVar[str] = ""
    documented_in: ClassVar[str] = ""
    """The vendor page(s) or schema file(s) documenting this row: the source of its documented
    rules unless a rule names its own (``Rule.source``)."""
    durations: ClassVar[tuple[int, ...]] = (5, 10)
    sizes: ClassVar[Mapping[str, tuple[Size, ...]]] = {}
    usd_per_job: ClassVar[Mapping[int, float]] = {}
    """USD per job by its length, where a (third-party, unofficial) figure is published."""
    usd_per_second: ClassVar[Mapping[int, float]] = {}
    """USD per second of video by tier (the short side: 720, 1080), where a (third-party,
    unofficial) figure is published that way."""
    credits_per_job: ClassVar[Mapping[int, int]] = {}
    """Leonardo API credits per job by its length, where the provider publishes those."""
    wire_names: ClassVar[Mapping[str, str]] = {}
    input_aliases: ClassVar[Mapping[str, str]] = {}
    summary: ClassVar[str] = ""
    poll_path: ClassVar[str] = "/api/rest/v1/generations/{id}"
    """Where the job is polled (``{id}`` is the job id; a query string is URL-encoded)."""
    checks: ClassVar[tuple[Rule, ...]] = ()
    """The rules this row checks, each documented (with its source) or inferred (with why),
    each with inputs that break it (see ``kling_nb.specs.inferred``)."""
    mode_is_field: ClassVar[bool] = False
    """Whether the user picks a resolution ``mode`` (else the size decides it)."""
    max_references: ClassVar[int | None] = None
    max_references_with_video: ClassVar[int | None] = None
    audio_default: ClassVar[bool | None] = None
    """The documented default of the model's audio flag (sent explicitly), if it has one."""
    sound: ClassVar[str] = "none"
    """What the output sounds like: ``none``, ``optional``, ``on by default``, ``always`` (no
    switch), ``likely`` (inferred) or ``with some effects``."""
    sound_note: ClassVar[str] = ""
    """Where the row's sound comes from when no field switches it: the page's words, or why
    it is only inferred."""
    price_note: ClassVar[str] = ""
    """The published price rule, in words, when there is no per-job figure."""
    typical_job_seconds: ClassVar[tuple[float, float] | None] = None
    """How long a job of this model typically takes, whatever its length (seconds), where
    that is known; None: 36-48 s per second of video (api-notes §4)."""

    example: ClassVar[Mapping[str, Any]] = {"prompt": "a red fox runs through snow"}
    """A small valid request for this row (docs, the parametrized tests, the studio)."""

    _advisories: list[Problem] = PrivateAttr(default_factory=list)
    _derived: frozenset[str] = PrivateAttr(default=frozenset())

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
        problems, advisories = split(type(self).rules({**values, **derived}))
        if problems:
            raise PydanticCustomError(
                "spec_rules", "{summary}",
                {"summary": "; ".join(map(str, problems)), "problems": problems},
            )
        self._advisories = advisories
        self._derived = frozenset(derived)
        warn_once(type(self), advisories)
        return self

    def __eq__(self, other: object) -> bool:
        # What the spec noted about itself (advisories, derived names) is not part of it.
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = DocModel.__hash__

    @property
    def derived_fields(self) -> frozenset[str]:
        """The fields the spec filled in itself (a default size, a mode, a total duration)."""
        return self._derived

    @property
    def advisories(self) -> list[Problem]:
        """Inferred rules this spec breaks: it is sent anyway (each warns once a session)."""
        return list(self._advisories)

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
        return [problem for rule in cls.checks for problem in rule(cls, values)]

    @classmethod
    def size_mode(cls, values: Mapping[str, Any]) -> str | None:
        """The resolution mode whose sizes apply (None: all of the model's sizes)."""
        return None

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

    @property
    def wire_note(self) -> str | None:
        """Which of the row's wire models the request is, and why, where it has several."""
        return None

    @property
    def endpoint(self) -> str:
        """The path this request is posted to (some rows pick it from the inputs)."""
        return self.path

    def to_request(self, base_url: str | None = None) -> WireRequest:
        """The exact method, full URL and JSON body for this request."""
        base = (base_url or PROVIDER_URLS[self.provider]).rstrip("/")
        return WireRequest(
            method="POST", url=base + self.endpoint, json=self.to_wire(),
            headers={"accept": "application/json", "content-type": "application/json"},
            provider=self.provider,
        )

    def to_curl(self, base_url: str | None = None) -> str:
        """A runnable curl command; the key is read from the environment variable."""
        import shlex  # only for curl commands: keeps first use of kling_nb quick

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
        aliases = type(self).input_aliases  # end_frame=... replaces the field it names
        data.update({aliases[k] if aliases.get(k) in type(self).model_fields else k: v
                     for k, v in changes.items()})
        return type(self)(**data)

    @classmethod
    def allowed_sizes(cls, mode: str | None = None) -> tuple[Size, ...]:
        """The width x height pairs this model accepts (in ``mode`` where modes differ)."""
        if mode is not None and mode in cls.sizes:
            return cls.sizes[mode]
        return tuple(size for sizes in cls.sizes.values() for size in sizes)

    @classmethod
    def estimated_usd(cls, duration: int, tier: int | None = None) -> float | None:
        """The documented (unofficial) USD price of one job of ``duration`` seconds (at
        ``tier``, the short side, for a price per tier), if known."""
        from .prices import published

        found = published(cls, duration, tier)
        return found[0] if found is not None and found[1] == "USD" else None

    # -- display (the views are loaded on first use, like rich's renderables) ----------------
    def _text_view(self) -> str:
        from .views import spec_text

        return spec_text(self)

    def _html_view(self) -> str:
        from .views import spec_html

        return spec_html(self)

    def field_texts(self) -> dict[str, str]:
        """The fields that were set (as ``to_dict``), each as one short line of text: an image
        or clip by its name or size, an inline data URI cut short, never its bytes."""
        from .views import value_text

        return {k: value_text(getattr(self, k, v)) for k, v in self.to_dict().items()}

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.field_texts().items() if k != "model")
        return f"{self.display_name} ({PROVIDER_NAMES[self.provider]}): {shown}"


def parse_size(value: Any) -> Size:
    """``"1920x1080"`` or ``(1920, 1080)`` as a width, height pair; ``"auto"`` is 0x0 (the
    size that follows the start frame, where a row takes it)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return AUTO_SIZE
    if isinstance(value, str):
        parts = value.lower().replace("×", "x").split("x")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            return int(parts[0]), int(parts[1])
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        with contextlib.suppress(TypeError):  # whole numbers only (numpy's too), not 1920.5
            return operator.index(value[0]), operator.index(value[1])
    numbers = re.findall(r"\d+", str(value))
    hint = (f"write '{numbers[0]}x{numbers[1]}'" if len(numbers) == 2
            else "write WIDTHxHEIGHT, e.g. '1920x1080'")
    raise SpecError("size", [Problem(("size",), f"{value!r} is not a size: {hint}.", value)])


def format_size(size: Size) -> str:
    """``(1920, 1080)`` as ``1920x1080`` (the wire's form: 0x0 stays 0x0)."""
    return f"{size[0]}x{size[1]}"


AUTO_SIZE: Size = (0, 0)
"""The documented "Auto" size (sent as 0x0): the video takes the start frame's shape."""
AUTO_LABEL = "auto (follows the start frame)"


def size_label(size: Size) -> str:
    """A size as a person reads it: ``1920x1080``, or ``auto (follows the start frame)`` for
    the 0x0 the request body sends."""
    return AUTO_LABEL if tuple(size) == AUTO_SIZE else format_size(size)


def _schema_rules(schema: dict[str, Any], cls: type[Spec]) -> None:
    """The row's rules in its JSON schema: documented (with the source) or inferred (with why)."""
    schema["x-kling-nb-rules"] = [rule.describe(cls) for rule in cls.checks]
