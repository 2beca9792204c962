"""The model catalogue (``MODELS``) and ``parse_spec``, which routes any request to its row."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Union

from pydantic import Field

from kling_nb.core.errors import Problem, SpecError
from kling_nb.core.html import esc

from .base import Size, Spec
from .providers import PROVIDER_NAMES, PROVIDER_URLS
from .rows.aimlapi_kling_2_1_pro import Kling21ProAIML
from .rows.leonardo_kling_2_1_pro import Kling21Pro
from .rows.leonardo_kling_2_5_turbo import Kling25Turbo
from .rows.leonardo_kling_3_0 import Kling30
from .rows.leonardo_kling_o1 import KlingO1

SPECS: tuple[type[Spec], ...] = (Kling21Pro, Kling25Turbo, Kling21ProAIML, KlingO1, Kling30)

AnySpec = Annotated[Union[SPECS], Field(discriminator="model")]  # type: ignore[valid-type]  # noqa: UP007
"""Any row's spec, chosen by its ``model`` key (for pydantic models that hold a spec)."""


@dataclass(frozen=True)
class ModelInfo:
    """One row of the catalogue: which model, on which provider, at which endpoint."""

    key: str
    name: str
    provider: str
    provider_name: str
    endpoint: str
    wire_model: str
    status: str
    retired_on: date | None
    successors: tuple[str, ...]
    seed_page: str
    spec: type[Spec]

    @classmethod
    def of(cls, spec: type[Spec]) -> ModelInfo:
        """The catalogue row for a spec class."""
        return cls(
            key=spec.key, name=spec.display_name, provider=spec.provider,
            provider_name=PROVIDER_NAMES[spec.provider],
            endpoint=PROVIDER_URLS[spec.provider] + spec.path, wire_model=spec.wire_model,
            status=spec.status, retired_on=spec.retired_on, successors=spec.successors,
            seed_page=spec.seed_page, spec=spec,
        )

    @property
    def retired(self) -> bool:
        """Whether the provider has retired this model (its live requests fail)."""
        return self.status == "retired"

    @property
    def durations(self) -> tuple[int, ...]:
        """The video lengths (seconds) the model accepts."""
        return self.spec.durations

    @property
    def sizes(self) -> Mapping[str, tuple[Size, ...]]:
        """The accepted width x height pairs per resolution mode."""
        return self.spec.sizes

    @property
    def notice(self) -> str | None:
        """The retirement notice with the successors, for retired rows."""
        if not self.retired:
            return None
        names = ", ".join(f"{MODELS[k].name} via {MODELS[k].provider_name} ({k})"
                          for k in self.successors)
        return (f"{self.name} on {self.provider_name} was retired on {self.retired_on}: live "
                f"requests fail. Use instead: {names}.")


class Catalogue(Mapping[str, ModelInfo]):
    """Every model row, by key; also found by the provider's own ``model`` value."""

    def __init__(self, specs: tuple[type[Spec], ...]) -> None:
        self._rows = {spec.key: ModelInfo.of(spec) for spec in specs}

    def __getitem__(self, key: str) -> ModelInfo:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def find(self, model: str) -> ModelInfo | None:
        """The row for our key, any wire ``model`` value (``KLING2_5``, ``kling-3.0``...), or
        a key without its provider when only one provider has it (``kling-o1``)."""
        for row in self._rows.values():
            if model in row.spec.model_names():
                return row
        short = self.providers_of(model)
        return short[0] if len(short) == 1 else None

    def providers_of(self, name: str) -> list[ModelInfo]:
        """The rows whose key is ``<provider>/name``."""
        return [row for key, row in self._rows.items() if key.split("/", 1)[1] == name]

    def __repr__(self) -> str:
        lines = [f"{'key':<26} {'model':<16} {'provider':<12} {'status':<8} endpoint"]
        lines += [f"{r.key:<26} {r.name:<16} {r.provider_name:<12} {r.status:<8} {r.endpoint}"
                  for r in self._rows.values()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in
                       ("key", "model", "provider", "status", "endpoint", "seed page"))
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in (
                r.key, r.name, r.provider_name,
                r.status + (f" ({r.retired_on})" if r.retired else ""), r.endpoint, r.seed_page,
            )) + "</tr>"
            for r in self._rows.values()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


MODELS = Catalogue(SPECS)


def parse_spec(data: Spec | Mapping[str, Any] | str) -> Spec:
    """The validated spec for friendly fields or a provider's own body (a dict or JSON text).

    Raises ``SpecError`` naming every bad field, what was given and what is allowed.
    """
    if isinstance(data, Spec):
        return data
    if isinstance(data, str):
        data = _load_json(data)
    if not isinstance(data, Mapping):
        raise SpecError("request", [Problem((), f"expected a dict of fields, got {type(data)}")])
    row = _row_for(data.get("model"))
    body = row.spec.from_wire(data) if row.spec.is_wire(data) else dict(data)
    return row.spec(**body)


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem((), f"not valid JSON ({exc.msg} at line {exc.lineno}).")
        raise SpecError("request", [problem]) from None


def _row_for(model: Any) -> ModelInfo:
    row = MODELS.find(model) if isinstance(model, str) else None
    if row is not None:
        return row
    names = [name for spec in SPECS for name in spec.model_names()]
    close = [n for n in names if model and str(model).lower() in n.lower()][:1]
    close = close or (difflib.get_close_matches(str(model), names, n=1) if model else [])
    message = "is required." if model is None else f"{model!r} is not a known model."
    several = MODELS.providers_of(model) if isinstance(model, str) else []
    if len(several) > 1:
        keys = " or ".join(repr(option.key) for option in several)
        message = f"{model!r} is offered by more than one provider: say which, {keys}."
        close = []
    if close:
        message += f" Did you mean {close[0]!r}?"
    raise SpecError("request", [Problem(("model",), message, model, ", ".join(MODELS))])
